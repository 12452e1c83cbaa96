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
    from miitfacts.output.human import fact_card, render, source_line
    from miitfacts.output.series import history_view, trends_view

    parts = []
    for selection in selections:
        if selection.topic is None:
            card = next(
                (f for f in reversed(selection.facts) if registry.superseded_by(f) is None),
                selection.facts[-1],
            )
            parts.append(fact_card(card, registry, run.settings))
            story = core.history(registry, selection.facts)
            if len(story.changes) > 1 or story.revisions:
                parts.append(history_view(registry, story, run.settings))
            continue
        topic = selection.topic
        changes = core.trends(selection.facts)
        figures = sum(c.observation.kind == "figure" for c in changes)
        count = len(changes)
        if run.settings.lang.value == "zh":
            title = f"{topic.name_zh} ({topic.id}): {count} 條, 其中 {figures} 個數字"
        else:
            title = (
                f"{topic.name} · {topic.name_zh} ({topic.id}): "
                f"{plural(count, 'fact')}, {plural(figures, 'figure')}"
            )
        shown = [c.observation for c in changes]
        caption = source_line(registry, [f.source for f in shown], run.settings)
        parts.append(trends_view(changes, run.settings, title=title, caption=caption))
    run.emit(render(run.settings, *parts))
