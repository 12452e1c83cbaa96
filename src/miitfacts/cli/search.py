"""``search``: find facts by words in English or Chinese (either script), typos allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from miitfacts.cli.common import Run, TopicOption, command
from miitfacts.cli.filters import query_options
from miitfacts.messages import matched_in, say
from miitfacts.output import FACT_FIELDS, FactsTable, Record
from miitfacts.query import Query, apply_to

if TYPE_CHECKING:
    from miitfacts.registry import Registry
    from miitfacts.search import SearchHit

app = typer.Typer()

# A search result: the fact, the field it matched in, and its score.
SEARCH_FIELDS = (*FACT_FIELDS, "matched", "score")


def hit_record(registry: Registry, hit: SearchHit) -> Record:
    return {**registry.record(hit.fact), "matched": hit.matched, "score": hit.score}


@app.command("search")
@command(fields=SEARCH_FIELDS, time=True)
@query_options(kind=True)
def search(
    run: Run,
    criteria: Query,
    query: Annotated[
        str,
        typer.Argument(metavar="QUERY", help="Words, numbers or a Chinese phrase, in any order."),
    ],
    topic: TopicOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many results.")
    ] = 10,
) -> None:
    """Search facts; the best match comes first.

    Examples: miitfacts search 小巨人; miitfacts search "humanoid robot makers" --json;
    miitfacts search 企业 --unit enterprises --sort value --reverse
    """
    from miitfacts import search as core_search

    registry = run.registry()
    topic_id = None if topic is None else registry.topic(topic).id
    refine = criteria.active() or criteria.reverse  # filter and order every match, then cut
    hits = core_search.search(
        registry, query, topic=topic_id, limit=None if refine else limit, time=run.time
    )
    if refine:
        hits = apply_to(registry, hits, criteria, lambda hit: hit.fact)[:limit]
    if run.time.all_vintages:
        hits = core_search.with_vintages(registry, hits)
    lang = run.settings.language
    if not hits and not run.settings.machine:
        run.env.write_err(f"miitfacts: {say('search.none', lang, query=repr(query))}")
        return
    title = say("title.search", lang, count=len(hits), query=repr(query))
    extra = (say("matched", lang), [matched_in(h.matched, lang) for h in hits])
    run.output(
        [hit_record(registry, h) for h in hits],
        FactsTable([h.fact for h in hits], title, extra=extra),
    )
