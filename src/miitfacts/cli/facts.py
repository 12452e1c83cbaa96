"""``topics``, ``list`` and ``show``: browse the facts."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from miitfacts import core
from miitfacts.cli.common import Run, TopicOption, command, targets_argument
from miitfacts.cli.filters import query_options
from miitfacts.messages import say, topic_names
from miitfacts.models import Fact, Kind, Source
from miitfacts.output import (
    FACT_FIELDS,
    FactCard,
    FactsTable,
    IndicatorHistory,
    TopicsTable,
    TopicTrends,
    View,
)
from miitfacts.query import Query, apply

if TYPE_CHECKING:
    from miitfacts.registry import Registry

app = typer.Typer()


@app.command("topics")
@command(fields=core.TOPIC_FIELDS)
def topics(run: Run) -> None:
    """List the topics with their Chinese names, aliases and counts of facts.

    Example: miitfacts topics --format csv
    """
    records = core.topic_records(run.registry())
    run.output(records, TopicsTable(records))


@app.command("list")
@command(fields=FACT_FIELDS, time=True)
@query_options(limit=True)
def list_(
    run: Run,
    criteria: Query,
    topic: TopicOption = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", "-k", help="Only figures or only statements.")
    ] = None,
) -> None:
    """List facts, optionally of one topic or one kind.

    Examples: miitfacts list --topic sme --kind figure --json;
    miitfacts list --unit percent --sort value --reverse --limit 5
    """
    registry = run.registry()
    facts = apply(registry, core.list_facts(registry, topic, kind, run.time), criteria)
    title = say("title.list", run.settings.language, count=len(facts))
    sources = sources_of(registry, facts)
    run.output([registry.record(f) for f in facts], FactsTable(facts, title, sources))


@app.command("show")
@command(fields=FACT_FIELDS, time=True)
def show(
    run: Run,
    targets: Annotated[
        list[str],
        targets_argument("TARGET", "Topic (id, name or alias, in English or Chinese) or fact id."),
    ],
) -> None:
    """Show a topic's facts as a table (figures first), or one fact in full.

    Examples: miitfacts show 6g; miitfacts show sme.little-giants; miitfacts show 人形機器人 --json
    """
    registry = run.registry()
    selections = core.select(registry, targets, run.time)
    views: list[View] = []
    for selection in selections:
        topic = selection.topic
        if topic is None:
            # An indicator: its latest observation in full, then its history.
            story = core.history(registry, selection.facts)
            card = story.changes[-1].observation if story.changes else selection.facts[-1]
            views.append(FactCard(card, registry))
            if len(story.changes) > 1 or story.revisions:
                views.append(IndicatorHistory(registry, story))
            continue
        changes = core.trends(selection.facts)
        shown = [c.observation for c in changes]
        title = say(
            "title.topic",
            run.settings.language,
            names=topic_names(topic.name, topic.name_zh, run.settings.language),
            id=topic.id,
            count=len(changes),
            figures=sum(f.kind == "figure" for f in shown),
        )
        sources = sources_of(registry, shown)
        views.append(TopicTrends(changes, title, sources))
    run.output([registry.record(f) for f in core.unique_facts(selections)], *views)


def sources_of(registry: "Registry", facts: Sequence[Fact]) -> list[Source]:
    """The sources of ``facts``, each once, in the order the facts name them."""
    return [registry.sources[s] for s in dict.fromkeys(f.source for f in facts)]
