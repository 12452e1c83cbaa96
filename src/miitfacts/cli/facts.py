"""``topics``, ``list`` and ``show``: browse the facts."""

from typing import Annotated

import typer

from miitfacts import core
from miitfacts.cli.common import Run, TopicOption, command, targets_argument
from miitfacts.cli.filters import query_options
from miitfacts.models import Kind
from miitfacts.output import FACT_FIELDS, plural
from miitfacts.query import Query, apply

app = typer.Typer()


@app.command("topics")
@command(fields=core.TOPIC_FIELDS)
def topics(run: Run) -> None:
    """List the topics with their Chinese names, aliases and counts of facts.

    Example: miitfacts topics --format csv
    """
    records = core.topic_records(run.registry())
    if run.settings.machine or run.settings.fields:
        run.emit_records(records, core.TOPIC_FIELDS)
        return
    from miitfacts.output.human import render, topics_view

    run.emit(render(run.settings, topics_view(records, run.settings)))


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
    if run.settings.machine or run.settings.fields:
        run.emit_records([registry.record(f) for f in facts], FACT_FIELDS)
        return
    from miitfacts.output.human import facts_view, render, source_line

    title = plural(len(facts), "fact") if run.settings.lang.value == "en" else f"{len(facts)} 條"
    caption = source_line(registry, [f.source for f in facts], run.settings)
    run.emit(render(run.settings, facts_view(facts, run.settings, title=title, caption=caption)))


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
    if run.settings.machine or run.settings.fields:
        run.emit_records([registry.record(f) for f in core.unique_facts(selections)], FACT_FIELDS)
        return
    from miitfacts.output.human import fact_card, facts_view, render, source_line

    parts = []
    for selection in selections:
        if selection.topic is None:
            parts.append(fact_card(selection.facts[0], registry, run.settings))
            continue
        topic = selection.topic
        figures = sum(f.kind == "figure" for f in selection.facts)
        count = len(selection.facts)
        if run.settings.lang.value == "zh":
            title = f"{topic.name_zh} ({topic.id}): {count} 條, 其中 {figures} 個數字"
        else:
            title = (
                f"{topic.name} · {topic.name_zh} ({topic.id}): "
                f"{plural(count, 'fact')}, {plural(figures, 'figure')}"
            )
        caption = source_line(registry, [f.source for f in selection.facts], run.settings)
        parts.append(facts_view(selection.facts, run.settings, title=title, caption=caption))
    run.emit(render(run.settings, *parts))
