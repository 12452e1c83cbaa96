"""Indicators over time, for people: a history table, revisions, and a topic's trends.

The core decides what changed (``core.history``, ``core.trends``); this module
only lays it out with the table and chart helpers of ``output.human``, so the
same widths rules hold: no period, value or id is ever cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from miitfacts.messages import say
from miitfacts.models import Figure
from miitfacts.output.human import (
    Block,
    Column,
    bar_chart,
    fact_columns,
    fact_value,
    format_difference,
    source_line,
    table_view,
    text,
    words,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.compare import Comparison
    from miitfacts.models import Fact
    from miitfacts.output import IndicatorHistory, OutputSettings, TopicTrends

_BOUND = {"more_than": "> ", "at_least": "≥ ", "less_than": "< ", "at_most": "≤ "}


def change_text(comparison: Comparison | None, settings: OutputSettings) -> str:
    """The change from the period before: points for percents, difference and growth else."""
    if comparison is None:
        return "—"
    shown = format_difference(comparison, settings)
    growth = comparison.growth()
    if growth is not None and comparison.ratio is not None:
        qualifier = comparison.ratio.qualifier()
        sign = "+" if growth > 0 or (growth == 0 and qualifier == "exact") else ""
        approx = "≈ " if qualifier == "approximately" else ""
        percent = f"{_BOUND.get(qualifier, approx)}{sign}{float(growth):.1f}%"
        shown += " " + say("series.growth", settings.language, growth=percent)
    return shown


def history_view(view: IndicatorHistory, settings: OutputSettings) -> Block:
    """An indicator's periods (oldest first) with changes and sources, then its revisions."""
    registry, history = view.registry, view.history
    zh = settings.language == "zh"
    changes = history.changes
    publishers = []
    for change in changes:
        fact = change.observation
        source = registry.sources[fact.source]
        also = f" (+{len(fact.corroborated_by)})" if fact.corroborated_by else ""
        publishers.append(text((source.publisher if zh else source.publisher_en) + also, settings))
    periods = [c.observation.period for c in changes]
    table = table_view(
        settings,
        [
            Column(
                words(settings, "period"),
                [text(p, settings, "green") for p in periods],
                "fixed",
            ),
            Column(
                words(settings, "value"),
                [fact_value(c.observation, settings) for c in changes],
                "value",
            ),
            Column(
                words(settings, "stated"),
                [
                    text(
                        c.observation.stated if isinstance(c.observation, Figure) else "", settings
                    )
                    for c in changes
                ],
                "value",
            ),
            Column(
                words(settings, "series.change"),
                [text(change_text(c.comparison, settings), settings, "cyan") for c in changes],
                "value",
            ),
            Column(words(settings, "source"), publishers),
            Column(
                words(settings, "published"),
                [text(c.observation.published, settings) for c in changes],
                "fixed",
            ),
        ],
        title=words(settings, "series.history"),
    )
    parts: list[RenderableType] = [table]
    needs = table.needs
    if history.revisions:
        revisions = history.revisions
        revised = table_view(
            settings,
            [
                Column(
                    words(settings, "period"),
                    [text(old.period, settings, "green") for old, _ in revisions],
                    "fixed",
                ),
                *_vintage(words(settings, "value"), [old for old, _ in revisions], settings),
                *_vintage(
                    words(settings, "series.revised"), [new for _, new in revisions], settings
                ),
            ],
            title=words(settings, "series.revisions"),
        )
        parts += [Text(""), revised]
        needs = max(needs, revised.needs)
    figures = [c.observation for c in changes if isinstance(c.observation, Figure)]
    if len(figures) >= 3:
        parts += [Text(""), bar_chart(figures[0].unit, figures, settings)]
    return Block(Group(*parts), needs)


def trends_view(view: TopicTrends, settings: OutputSettings) -> Block:
    """A topic: each indicator at its latest period, the period before, and the change."""
    changes = view.changes
    facts = [c.observation for c in changes]
    columns = fact_columns(facts, settings)
    if any(c.previous is not None for c in changes):
        # The change and the value it started from share a column, so that the
        # table still fits 80 columns before it turns into blocks.
        moved = []
        for change in changes:
            previous = change.previous
            if previous is None:
                moved.append(Text(""))
                continue
            since = say(
                "series.from",
                settings.language,
                value=fact_value(previous, settings).plain,
                period=previous.period,
            )
            moved.append(
                Text.assemble(
                    text(change_text(change.comparison, settings), settings, "cyan"),
                    " ",
                    text(since, settings, "dim"),
                )
            )
        columns.append(Column(words(settings, "series.change"), moved, "value"))
    caption = source_line(view.sources, settings)
    return table_view(settings, columns, title=view.title, caption=caption)


def _vintage(heading: str, facts: Sequence[Fact], settings: OutputSettings) -> list[Column]:
    """A value column and the column of the dates those values were published."""
    return [
        Column(heading, [fact_value(f, settings) for f in facts], "value"),
        Column(words(settings, "published"), [text(f.published, settings) for f in facts], "fixed"),
    ]
