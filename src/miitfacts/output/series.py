"""Indicators over time, for people: a history table, revisions, and a topic's trends.

The core decides what changed (``core.history``, ``core.trends``); this module
only lays it out with the table and chart helpers of ``output.human``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from miitfacts.models import Figure
from miitfacts.output.human import (
    bar_chart,
    fact_label,
    fact_value,
    format_difference,
    rows_view,
    text,
    words,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.compare import Comparison
    from miitfacts.core import Change, History
    from miitfacts.output import OutputSettings
    from miitfacts.registry import Registry

SERIES_WORDS = {
    "en": {
        "history": "History",
        "revisions": "Revisions",
        "change": "Change",
        "previous": "Previous",
        "published": "Published",
        "revised": "Revised to",
        "first": "first period",
        "growth": "growth",
    },
    "zh": {
        "history": "歷史",
        "revisions": "修訂",
        "change": "變化",
        "previous": "上期",
        "published": "發布日期",
        "revised": "修訂為",
        "first": "首期",
        "growth": "增長",
    },
}


def change_text(comparison: Comparison | None, settings: OutputSettings) -> str:
    """The change from the period before: points for percents, difference and growth else."""
    if comparison is None:
        return "—"
    shown = format_difference(comparison, settings)
    growth = comparison.growth()
    if growth is not None and comparison.ratio is not None:
        qualifier = comparison.ratio.qualifier()
        sign = "+" if growth >= 0 else ""
        word = SERIES_WORDS[settings.lang.value]["growth"]
        bound = {"more_than": "> ", "at_least": "≥ ", "less_than": "< ", "at_most": "≤ "}
        approx = "≈ " if qualifier == "approximately" else ""
        shown += f" ({bound.get(qualifier, approx)}{sign}{float(growth):.1f}% {word})"
    return shown


def history_view(registry: Registry, history: History, settings: OutputSettings) -> RenderableType:
    """An indicator's periods (oldest first) with changes and sources, then its revisions."""
    w, sw = words(settings), SERIES_WORDS[settings.lang.value]
    lang = settings.lang.value
    columns = [w["period"], w["value"], w["stated"], sw["change"], w["source"], sw["published"]]
    rows = []
    for change in history.changes:
        fact = change.observation
        source = registry.sources[fact.source]
        publisher = source.publisher if lang == "zh" else source.publisher_en
        also = f" (+{len(fact.corroborated_by)})" if fact.corroborated_by else ""
        rows.append(
            [
                text(fact.period, settings, "green"),
                fact_value(fact, settings),
                text(fact.stated if isinstance(fact, Figure) else "", settings),
                text(change_text(change.comparison, settings), settings, "cyan"),
                text(publisher + also, settings),
                text(fact.published, settings),
            ]
        )
    parts: list[RenderableType] = [
        rows_view(settings, columns, rows, title=sw["history"], ratios=[None, 3, 2, 4, 3, None])
    ]
    if history.revisions:
        columns = [w["period"], w["value"], sw["published"], sw["revised"], sw["published"]]
        rows = [
            [
                text(old.period, settings, "green"),
                fact_value(old, settings),
                text(old.published, settings),
                fact_value(new, settings),
                text(new.published, settings),
            ]
            for old, new in history.revisions
        ]
        parts += [Text(""), rows_view(settings, columns, rows, title=sw["revisions"])]
    figures = [c.observation for c in history.changes if isinstance(c.observation, Figure)]
    if len(figures) >= 3:
        parts += [Text(""), bar_chart(figures[0].unit, figures, settings)]
    return Group(*parts)


def trends_view(
    changes: Sequence[Change],
    settings: OutputSettings,
    *,
    title: str | None = None,
    caption: str | None = None,
) -> RenderableType:
    """A topic: each indicator at its latest period, the period before, and the change."""
    w, sw = words(settings), SERIES_WORDS[settings.lang.value]
    columns = [w["label"], w["value"], w["period"], sw["previous"], sw["change"]]
    rows = []
    for change in changes:
        fact, previous = change.observation, change.previous
        name = Text.assemble(
            text(fact.id, settings, "green"), "\n", text(fact_label(fact, settings), settings)
        )
        before = Text("")
        if previous is not None:
            before = Text.assemble(fact_value(previous, settings), f" ({previous.period})")
        rows.append(
            [
                name,
                fact_value(fact, settings),
                text(fact.period, settings),
                before,
                text(change_text(change.comparison, settings), settings, "cyan")
                if previous is not None
                else Text(""),
            ]
        )
    has_previous = any(c.previous is not None for c in changes)
    if not has_previous:
        # Nothing to put beside the latest periods: the plain table of before.
        columns, rows = columns[:3], [row[:3] for row in rows]
    id_width = min(max((len(c.observation.id) for c in changes), default=0), settings.width // 2)
    ratios: list[int | None] = [6, 3, None, 3, 3][: len(columns)]
    min_widths = [id_width, *([None] * (len(columns) - 1))]
    return rows_view(
        settings, columns, rows, title=title, caption=caption, ratios=ratios, min_widths=min_widths
    )
