"""``search``: find facts by words in English or Chinese (either script), typos allowed."""

from typing import Annotated

import typer

from miitfacts.cli.common import Run, TopicOption, command
from miitfacts.cli.filters import query_options
from miitfacts.output import FACT_FIELDS, plural
from miitfacts.query import Query, apply_to

app = typer.Typer()

SEARCH_FIELDS = (*FACT_FIELDS, "matched", "score")


@app.command("search")
@command(fields=SEARCH_FIELDS, time=True)
@query_options(kind=True)
def search(
    run: Run,
    criteria: Query,
    query: Annotated[str, typer.Argument(help="Words, numbers or a Chinese phrase, in any order.")],
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
    if run.settings.machine or run.settings.fields:
        records = [
            {**registry.record(h.fact), "matched": h.matched, "score": h.score} for h in hits
        ]
        run.emit_records(records, SEARCH_FIELDS)
        return
    if not hits:
        typer.echo(f"miitfacts: no facts match {query!r}", err=True)
        return
    from miitfacts.output.human import facts_view, render, words

    title = (
        f"{plural(len(hits), 'match')} for {query!r}" if run.settings.lang.value == "en" else None
    )
    extra = (words(run.settings)["matched"], [h.matched for h in hits])
    run.emit(
        render(
            run.settings, facts_view([h.fact for h in hits], run.settings, title=title, extra=extra)
        )
    )
