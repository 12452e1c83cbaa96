"""Rich views for people: fact tables, fact cards, topics, sources.

Every function returns the finished text, so nothing is half-written when a
later step fails. Text from data goes in as ``rich.text.Text`` (never markup)
after control characters are made visible.
"""

from __future__ import annotations

import io
import math
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from miitfacts.models import Figure
from miitfacts.numbers import BASIS_WORDS, QUALIFIER_WORDS, UNIT_WORDS, format_value
from miitfacts.text import printable_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.compare import Comparison, ComparisonResult
    from miitfacts.models import Fact
    from miitfacts.output import OutputSettings, Record
    from miitfacts.registry import Registry

# Below this many columns a table cannot hold CJK labels; rows become blocks.
MIN_TABLE_WIDTH = 60
MIN_CARD_WIDTH = 32
# Narrower terminals are drawn as if this wide (a line per character helps nobody).
MIN_WIDTH = 20

WORDS = {
    "en": {
        "id": "ID",
        "label": "Fact",
        "value": "Value",
        "period": "Period",
        "statement": "statement",
        "facts": "facts",
        "figures": "figures",
        "topic": "Topic",
        "name": "Name",
        "aliases": "Aliases",
        "kind": "Kind",
        "label_zh": "中文",
        "stated": "As stated",
        "qualifier": "Qualifier",
        "basis": "Basis",
        "quote": "Quote",
        "speaker": "Speaker",
        "source": "Source",
        "event": "Event",
        "baseline": "Baseline",
        "tags": "Tags",
        "publisher": "Publisher",
        "date": "Date",
        "title": "Title",
        "attribution": "Attribution",
        "matched": "Matched in",
        "note": "Note",
        "published": "Published",
        "read_at": "Read at",
        "also_in": "Also in",
        "figure": "figure",
        "exact": "exact",
    },
    "zh": {
        "id": "編號",
        "label": "事實",
        "value": "數值",
        "period": "時期",
        "statement": "陳述",
        "facts": "條",
        "figures": "數字",
        "topic": "主題",
        "name": "名稱",
        "aliases": "別名",
        "kind": "類型",
        "label_zh": "English",
        "stated": "原文",
        "qualifier": "限定",
        "basis": "依據",
        "quote": "引文",
        "speaker": "發言人",
        "source": "來源",
        "event": "場合",
        "baseline": "比較基準",
        "tags": "標籤",
        "publisher": "發布者",
        "date": "日期",
        "title": "標題",
        "attribution": "署名",
        "matched": "匹配",
        "note": "說明",
        "published": "發布日期",
        "read_at": "原文",
        "also_in": "亦見於",
        "figure": "數字",
        "exact": "確數",
    },
}


def words(settings: OutputSettings) -> dict[str, str]:
    return WORDS[settings.lang.value]


def text(value: object, settings: OutputSettings, style: str = "") -> Text:
    """Data as literal text: no markup, no live control characters."""
    return Text(
        printable_lines("" if value is None else str(value)), style=style if settings.styled else ""
    )


def render(settings: OutputSettings, *parts: RenderableType) -> str:
    console = Console(
        file=io.StringIO(),
        width=max(settings.width, MIN_WIDTH),
        color_system="standard" if settings.styled else None,
        force_terminal=settings.styled,
        no_color=not settings.styled,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
    )
    for part in parts:
        console.print(part)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    if settings.styled:
        return output
    # Plain text is for pipes and files: no padding at line ends.
    return "\n".join(line.rstrip() for line in output.split("\n"))


def rows_view(
    settings: OutputSettings,
    columns: Sequence[str],
    rows: Sequence[Sequence[Text]],
    *,
    title: str | None = None,
    caption: str | None = None,
    ratios: Sequence[int | None] | None = None,
    min_widths: Sequence[int | None] | None = None,
) -> RenderableType:
    """A table, or at narrow widths one block of ``column: value`` lines per row.

    A column with no ratio never wraps; ``min_widths`` keeps ids whole where it can.
    """
    parts: list[RenderableType] = []
    if title:
        parts.append(text(title, settings, "bold"))
    if settings.width < MIN_TABLE_WIDTH:
        for row in rows:
            block = Text()
            for i, (column, cell) in enumerate(zip(columns, row, strict=True)):
                if cell.plain:
                    block.append(
                        f"{column}: " if i else "", style="bold" if settings.styled else ""
                    )
                    block.append_text(cell)
                    block.append("\n")
            parts.append(block)
    else:
        table = Table(
            box=box.ROUNDED if settings.styled else None,
            show_edge=settings.styled,
            pad_edge=settings.styled,
            header_style="bold" if settings.styled else "",
            # Rows span several lines: ruled in a terminal, blank-separated in plain text.
            show_lines=settings.styled,
        )
        for i, column in enumerate(columns):
            ratio = ratios[i] if ratios else None
            min_width = min_widths[i] if min_widths else None
            table.add_column(
                column, ratio=ratio, min_width=min_width, overflow="fold", no_wrap=ratio is None
            )
        for i, row in enumerate(rows):
            if (
                not settings.styled
                and i < len(rows) - 1
                and any("\n" in cell.plain for cell in row)
            ):
                row = [Text.assemble(row[0], "\n"), *row[1:]]
            table.add_row(*row)
        parts.append(table)
    if caption:
        parts.append(text(caption, settings, "dim"))
    return Group(*parts)


def fact_value(fact: Fact, settings: OutputSettings) -> Text:
    w = words(settings)
    if not isinstance(fact, Figure):
        return text(w["statement"], settings, "dim")
    shown = format_value(fact.value, fact.unit, fact.qualifier, settings.lang.value)
    out = text(shown, settings, "bold cyan")
    if fact.basis != "reported":
        out.append_text(
            text(f" ({BASIS_WORDS[settings.lang.value][fact.basis]})", settings, "yellow")
        )
    return out


def fact_label(fact: Fact, settings: OutputSettings) -> str:
    return fact.label_zh if settings.lang.value == "zh" else fact.label


def facts_view(
    facts: Sequence[Fact],
    settings: OutputSettings,
    *,
    title: str | None = None,
    caption: str | None = None,
    extra: tuple[str, Sequence[str]] | None = None,
) -> RenderableType:
    """Facts as rows: id over label, value, period (and an extra column, e.g. why it matched)."""
    w = words(settings)
    columns = [w["label"], w["value"], w["period"]]
    ratios: list[int | None] = [6, 3, None]
    rows = []
    for fact in facts:
        name = Text.assemble(
            text(fact.id, settings, "green"), "\n", text(fact_label(fact, settings), settings)
        )
        rows.append([name, fact_value(fact, settings), text(fact.period, settings)])
    if extra is not None:
        columns.append(extra[0])
        ratios.append(2)
        for row, value in zip(rows, extra[1], strict=True):
            row.append(text(value, settings, "dim"))
    id_width = min(max((len(f.id) for f in facts), default=0), settings.width // 2)
    min_widths = [id_width, *([None] * (len(columns) - 1))]
    return rows_view(
        settings, columns, rows, title=title, caption=caption, ratios=ratios, min_widths=min_widths
    )


def source_line(registry: Registry, source_ids: Sequence[str], settings: OutputSettings) -> str:
    w = words(settings)
    parts = []
    for source_id in dict.fromkeys(source_ids):
        source = registry.sources[source_id]
        title = source.title if settings.lang.value == "zh" else source.title_en
        parts.append(f"{title} ({source.publisher}, {source.date.isoformat()})")
    return f"{w['source']}: " + "; ".join(parts) if parts else ""


def fact_card(fact: Fact, registry: Registry, settings: OutputSettings) -> RenderableType:
    """One fact in full: what a writer needs to cite it."""
    w = words(settings)
    lang = settings.lang.value
    source = registry.sources[fact.source]
    topic = registry.topics.get(fact.topic)
    rows: list[tuple[Text, Text]] = []
    first, second = (fact.label_zh, fact.label) if lang == "zh" else (fact.label, fact.label_zh)

    def row(key: str, value: Text | str | None) -> None:
        if value is None or value == "":
            return
        rows.append(
            (
                text(w[key], settings, "bold"),
                value if isinstance(value, Text) else text(value, settings),
            )
        )

    row("id", text(fact.id, settings, "green"))
    if topic is not None:
        row("topic", f"{topic.name_zh if lang == 'zh' else topic.name} ({topic.id})")
    row("kind", w["figure"] if fact.kind == "figure" else w["statement"])
    row("label", text(first, settings, "bold"))
    row("label_zh", second)
    if isinstance(fact, Figure):
        row("value", fact_value(fact, settings))
        row("stated", fact.stated)
        row("qualifier", QUALIFIER_WORDS[lang][fact.qualifier] or w["exact"])
        row("basis", BASIS_WORDS[lang][fact.basis])
    row("period", fact.period)
    row("note", fact.note)
    if fact.quote is not None:
        row("quote", text(f"「{fact.quote}」", settings, "italic"))
    speaker = registry.speaker(fact)
    if speaker is not None:
        title = speaker.title_zh if lang == "zh" else speaker.title
        row("speaker", f"{speaker.name} ({speaker.name_en}), {title}")
    else:
        row("speaker", fact.speaker)
    title = source.title if lang == "zh" else source.title_en
    row("source", f"{title}; {source.publisher} ({source.publisher_en}), {source.date.isoformat()}")
    row("event", source.event if lang == "zh" else source.event_en)
    row("published", fact.published)
    if source.url is not None:
        row("read_at", source.url)
    if fact.corroborated_by:
        row("also_in", ", ".join(fact.corroborated_by))
    if fact.baseline is not None:
        baseline = registry.get_fact(fact.baseline)
        shown = fact.baseline
        if isinstance(baseline, Figure):
            shown = f"{fact.baseline}: {fact_value(baseline, settings).plain}"
        row("baseline", shown)
    row("tags", ", ".join(fact.tags))
    if settings.width < MIN_CARD_WIDTH:
        # Too narrow for two columns: each value on the lines after its name.
        return Group(*(Text.assemble(key, "\n", value, "\n") for key, value in rows))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in rows:
        grid.add_row(key, value)
    return grid


def topics_view(records: Sequence[Record], settings: OutputSettings) -> RenderableType:
    w = words(settings)
    zh = settings.lang.value == "zh"
    columns = [w["topic"], w["name"], w["facts"], w["figures"], w["aliases"]]
    rows = [
        [
            text(r["id"], settings, "green"),
            text(r["name_zh"] if zh else f"{r['name']} {r['name_zh']}", settings),
            text(r["facts"], settings),
            text(r["figures"], settings),
            text(", ".join(r["aliases"]), settings, "dim"),
        ]
        for r in records
    ]
    return rows_view(settings, columns, rows, ratios=[None, 3, None, None, 4])


def sources_view(records: Sequence[Record], settings: OutputSettings) -> RenderableType:
    w = words(settings)
    zh = settings.lang.value == "zh"
    columns = [w["id"], w["title"], w["publisher"], w["date"], w["facts"], w["attribution"]]
    rows = [
        [
            text(r["id"], settings, "green"),
            text(r["title"] if zh else r["title_en"], settings),
            text(r["publisher"] if zh else f"{r['publisher']} ({r['publisher_en']})", settings),
            text(r["date"], settings),
            text(r["facts"], settings),
            text(r["attribution"], settings, "dim"),
        ]
        for r in records
    ]
    return rows_view(settings, columns, rows, ratios=[None, 4, 2, None, None, 4])


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(_plain, value))
    return str(value)


def records_view(
    records: Sequence[Record], fields: Sequence[str], settings: OutputSettings
) -> RenderableType:
    """Any records as a plain table of the chosen fields (``--fields`` in table format)."""
    rows = [[text(_plain(record.get(name)), settings) for name in fields] for record in records]
    return rows_view(settings, list(fields), rows, ratios=[1] * len(fields))


# -- comparisons ----------------------------------------------------------------

_RESULT_WORDS = {
    "en": {"between": "between", "indeterminate": "not determined", "pp": "percentage points"},
    "zh": {"between": "介於", "indeterminate": "無法確定", "pp": "個百分點"},
}


def _decimals(*values: float) -> int:
    return max((len(repr(v).partition(".")[2]) if isinstance(v, float) else 0) for v in values)


def format_difference(comparison: Comparison, settings: OutputSettings) -> str:
    lang = settings.lang.value
    result = comparison.difference
    qualifier = result.qualifier()
    value = result.value()
    if qualifier in ("indeterminate", "between") or value is None:
        return _RESULT_WORDS[lang]["indeterminate"]
    words_ = QUALIFIER_WORDS[lang].get(qualifier, "")
    a, b = comparison.a.value, comparison.b.value
    assert a is not None and b is not None
    if comparison.unit == "percent":
        digits = max(_decimals(a, b), 1)
        points = _RESULT_WORDS[lang]["pp"]
        if lang == "en" and abs(value) == 1:
            points = "percentage point"
        body = f"{float(value):+.{digits}f} {points}"
        if lang == "zh":
            body = body.replace(" ", "")
    else:
        body = format_value(float(value), comparison.unit, "exact", lang, digits=2)
        body = body if value < 0 else f"+{body}"
    if not words_:
        return body
    return f"{words_}{body}" if lang == "zh" else f"{words_} {body}"


def format_ratio(comparison: Comparison, settings: OutputSettings) -> str:
    lang = settings.lang.value
    if comparison.ratio is None:
        return "—"
    qualifier = comparison.ratio.qualifier()
    value = comparison.ratio.value()
    if qualifier in ("indeterminate", "between") or value is None:
        return _RESULT_WORDS[lang]["indeterminate"]
    # Round towards the bound, so that "more than 7.95×" stays true of 7.9545….
    rounding = ROUND_FLOOR if qualifier in ("more_than", "at_least") else ROUND_CEILING
    if qualifier in ("exact", "approximately"):
        rounding = ROUND_HALF_EVEN
    shown = value.quantize(Decimal("0.01"), rounding=rounding).normalize()
    number = f"{shown:f}×" if lang == "en" else f"{shown:f}倍"
    words_ = QUALIFIER_WORDS[lang].get(qualifier, "")
    if not words_:
        return number
    return f"{words_}{number}" if lang == "zh" else f"{words_} {number}"


def bar_chart(unit: str, facts: Sequence[Figure], settings: OutputSettings) -> RenderableType:
    """Horizontal bars for figures of one unit; a log scale when they span over 100×."""
    values = [float(f.value) for f in facts if f.value > 0]
    if len(values) < 2:
        return Text("")
    low, high = min(values), max(values)
    logarithmic = high / low > 100
    # One indicator may stand for several periods: then each bar names its period.
    repeated = len({f.id for f in facts}) < len(facts)
    names = [f.ref if repeated else f.id for f in facts]
    label_width = min(max(len(n) for n in names), settings.width * 2 // 5)
    value_texts = [fact_value(f, settings).plain for f in facts]
    value_width = max(cell_len(v) for v in value_texts)
    # Narrow terminals: id, bar and value each on a line of their own.
    stacked = settings.width < MIN_TABLE_WIDTH
    room = settings.width - 2 if stacked else settings.width - label_width - value_width - 6
    bar_width = max(room, 8)
    start = math.floor(math.log10(low)) if logarithmic else 0.0
    scale_name = {
        ("en", True): "log scale",
        ("en", False): "linear scale",
        ("zh", True): "對數刻度",
        ("zh", False): "線性刻度",
    }[settings.lang.value, logarithmic]
    unit_name = unit if settings.lang.value == "en" else UNIT_WORDS["zh"].get(unit, unit)
    title = text(f"{unit_name} ({scale_name})", settings, "bold")
    grid = Table.grid(padding=(0, 1))
    if not stacked:
        grid.add_column(no_wrap=True, max_width=label_width, overflow="ellipsis")
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
    block, more = ("█", "▶") if settings.styled else ("#", ">")
    lines: list[RenderableType] = [title]
    for fact, name, shown in zip(facts, names, value_texts, strict=True):
        value = float(fact.value)
        if value <= 0:
            length = 0
        elif logarithmic:
            length = round(bar_width * (math.log10(value) - start) / (math.log10(high) - start))
        else:
            length = round(bar_width * value / high)
        bar = block * max(length, 1)
        if fact.qualifier in ("more_than", "at_least"):
            bar += more
        cells = (
            text(name, settings, "green"),
            text(bar, settings, "cyan"),
            text(shown, settings),
        )
        if stacked:
            lines.append(Text.assemble(cells[0], "\n", cells[1], "\n", cells[2]))
        else:
            grid.add_row(*cells)
    return Group(*lines) if stacked else Group(title, grid)


def compare_view(result: ComparisonResult, settings: OutputSettings) -> RenderableType:
    w = words(settings)
    zh = settings.lang.value == "zh"
    title = None
    if result.topic is not None:
        title = result.topic.name_zh if zh else f"{result.topic.name} · {result.topic.name_zh}"
    parts: list[RenderableType] = [facts_view(result.facts, settings, title=title)]
    if result.comparisons:
        columns = [
            "比較" if zh else "Comparison",
            "差" if zh else "Difference",
            "倍數" if zh else "Ratio",
            w["basis"],
        ]
        rows = []
        # Ids alone while each stands for one period; refs once periods meet.
        repeated = len({f.id for f in result.facts}) < len(result.facts)
        for c in result.comparisons:
            a, b = (c.a.ref, c.b.ref) if repeated or c.a.period != c.b.period else (c.a.id, c.b.id)
            pair = Text.assemble(
                text(a, settings, "green"), "\n", text(f"vs {b}", settings, "green")
            )
            if c.reason == "baseline":
                pair.append_text(text("\n(基準)" if zh else "\n(baseline)", settings, "dim"))
            rows.append(
                [
                    pair,
                    text(format_difference(c, settings), settings, "bold cyan"),
                    text(format_ratio(c, settings), settings, "bold cyan"),
                    text(BASIS_WORDS[settings.lang.value][c.basis], settings),
                ]
            )
        parts.append(Text(""))
        parts.append(rows_view(settings, columns, rows, ratios=[None, 3, 2, None]))
    for unit, facts in result.unit_groups().items():
        if len(facts) >= 2:
            parts.append(Text(""))
            parts.append(bar_chart(unit, facts, settings))
    if result.notes:
        parts.append(Text(""))
        prefix = "註: " if zh else "note: "
        for note in result.notes:
            parts.append(text(prefix + note.text(settings.lang.value), settings, "dim"))
    return Group(*parts)
