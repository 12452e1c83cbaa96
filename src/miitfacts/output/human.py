"""Rich views for people: fact tables, fact cards, topics, sources, comparisons.

``draw(settings, views)`` returns the finished text, so nothing is half-written
when a later step fails. Text from data goes in as ``rich.text.Text`` (never
markup) after control characters are made visible.

Tables are laid out here, not by Rich's column squeezing: every column gets a
width that holds its longest unbreakable piece (an id, a value's words, a
period), labels wrap at a readable width, and when even the narrowest layout
does not fit, rows become blocks of ``name: value`` lines. So no value, period,
id or column is ever cut or dropped, at any width.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from functools import cache, cached_property
from typing import TYPE_CHECKING, Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from miitfacts.messages import say, topic_names
from miitfacts.models import Figure
from miitfacts.numbers import BASIS_WORDS, QUALIFIER_WORDS, UNIT_WORDS, format_value
from miitfacts.output import (
    CompareView,
    FactCard,
    FactsTable,
    IndicatorHistory,
    RecordsTable,
    SourcesTable,
    TopicsTable,
    TopicTrends,
    View,
)
from miitfacts.text import printable_lines

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from miitfacts.compare import Comparison, ComparisonResult
    from miitfacts.models import Fact, Source
    from miitfacts.output import OutputSettings, Record
    from miitfacts.registry import Registry

MIN_CARD_WIDTH = 32
# Narrower terminals are drawn as if this wide (a line per character helps nobody).
MIN_WIDTH = 20
# Prose without a terminal to fit (piped, COLUMNS unset) wraps here.
PROSE_WIDTH = 80
# Labels and other prose wrap at this width however wide the terminal.
READABLE = 48
# Prose columns give way first, down to this width, before values wrap.
SOFT_PROSE = 20


def words(settings: OutputSettings, key: str, **values: object) -> str:
    return say(key, settings.language, **values)


def text(value: object, settings: OutputSettings, style: str = "") -> Text:
    """Data as literal text: no markup, no live control characters."""
    return Text(
        printable_lines("" if value is None else str(value)), style=style if settings.styled else ""
    )


def _width(settings: OutputSettings) -> int:
    """The width prose and cards are laid out in."""
    return max(settings.width or PROSE_WIDTH, MIN_WIDTH)


@cache
def _simplify() -> Callable[[str], str]:
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


# -- layout ---------------------------------------------------------------------

Fit = Literal["fixed", "id", "value", "prose"]
_SPACE = re.compile(r"\s+")
_CJK_RUN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _longest_line(cell: Text) -> int:
    return max((cell_len(line) for line in cell.plain.split("\n")), default=0)


def _longest_word(cell: Text, breakable_cjk: bool) -> int:
    """The widest piece that wrapping at spaces cannot split."""
    longest = 0
    for word in _SPACE.split(cell.plain):
        if word.startswith(("https://", "http://")):
            continue  # an address folds where it must: it is never a figure
        if breakable_cjk and _CJK_RUN.search(word):
            # CJK text may break between any two characters; keep non-CJK runs whole.
            pieces = _CJK_RUN.split(word)
            longest = max(longest, 2, *(cell_len(p) for p in pieces))
        else:
            longest = max(longest, cell_len(word))
    return longest


@dataclass
class Column:
    """A column to lay out: its cells and how they may wrap.

    ``fixed`` never wraps (periods, counts); ``value`` wraps only at spaces;
    ``prose`` also between CJK characters; ``id`` is prose under ids that stay whole.
    """

    heading: str
    cells: list[Text]
    fit: Fit = "prose"
    # For "id" columns: the id lines, which stay whole while they can.
    ids: Sequence[str] = ()

    @cached_property
    def widest(self) -> int:
        return max([cell_len(self.heading), *map(_longest_line, self.cells)])

    @cached_property
    def natural(self) -> int:
        """The width it takes when there is room: labels no wider than READABLE."""
        if self.fit == "prose":
            return min(self.widest, max(READABLE, self.floor))
        if self.fit == "id":
            return max(self.floor, min(self.widest, READABLE))
        return self.widest

    @cached_property
    def floor(self) -> int:
        """The narrowest it may be: its longest unbreakable piece."""
        if self.fit == "fixed":
            return self.widest
        heading = max((cell_len(w) for w in self.heading.split()), default=0)
        cells = [_longest_word(c, self.fit != "value") for c in self.cells]
        ids = [cell_len(i) for i in self.ids]
        return max([heading, 1, *cells, *ids])


def _fit_widths(columns: Sequence[Column], room: int | None, gap: int) -> list[int] | None:
    """Column widths that fit ``room`` (None: any), or None when they cannot."""
    widths = [c.natural for c in columns]
    if room is None:
        return widths
    budget = room - gap * (len(columns) - 1)
    floors = [c.floor for c in columns]
    if sum(floors) > budget:
        return None
    soft = [
        max(f, min(w, SOFT_PROSE)) if c.fit in ("prose", "id") else w
        for c, f, w in zip(columns, floors, widths, strict=True)
    ]
    # Prose gives way first (to a readable minimum, then to its longest word);
    # values wrap at their spaces only when that is not enough.
    for limits, fits in ((soft, ("prose", "id")), (floors, ("prose", "id")), (floors, ("value",))):
        while sum(widths) > budget:
            candidates = [
                i for i, c in enumerate(columns) if c.fit in fits and widths[i] > limits[i]
            ]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i] - limits[i])
            widths[widest] -= 1
    return widths if sum(widths) <= budget else None


def wrap_id(identifier: str, width: int) -> list[str]:
    """An id in lines of at most ``width``, broken only after '.' or '-' where it can."""
    if cell_len(identifier) <= width:
        return [identifier]
    parts = re.findall(r"[^.-]*[.-]|[^.-]+$", identifier)
    lines: list[str] = []
    line = ""
    for part in parts:
        if line and cell_len(line + part) > width:
            lines.append(line)
            line = ""
        line += part
        while cell_len(line) > width:  # one part wider than the screen: nothing else to do
            lines.append(line[:width])
            line = line[width:]
    if line:
        lines.append(line)
    return lines


@dataclass
class Block:
    """A drawn part and the width it needs (tables at natural width may exceed 80)."""

    renderable: RenderableType
    needs: int = 0

    def __rich__(self) -> RenderableType:
        return self.renderable


def table_view(
    settings: OutputSettings,
    columns: Sequence[Column],
    *,
    title: str | None = None,
    caption: str | None = None,
) -> Block:
    """A table whose columns all fit; or, when they cannot, one block of lines per row."""
    parts: list[RenderableType] = []
    if title:
        parts.append(text(title, settings, "bold"))
    styled = settings.styled
    gap = 3 if styled else 2
    room = None if settings.width is None else max(settings.width, MIN_WIDTH) - (4 if styled else 0)
    widths = _fit_widths(columns, room, gap)
    needs = 0
    if widths is None:
        parts.extend(_blocks(settings, columns))
    else:
        table = Table(
            box=box.ROUNDED if styled else None,
            show_edge=styled,
            pad_edge=styled,
            header_style="bold" if styled else "",
            # Rows span several lines: ruled in a terminal, blank-separated in plain text.
            show_lines=styled,
            collapse_padding=False,
        )
        for column, width in zip(columns, widths, strict=True):
            table.add_column(
                column.heading, width=width, no_wrap=column.fit == "fixed", overflow="fold"
            )
        rows = list(zip(*(c.cells for c in columns), strict=True))
        for i, row in enumerate(rows):
            table.add_row(*row)
            if not styled and i < len(rows) - 1 and len(columns) > 1:
                # A blank line after a row that spans several lines.
                tall = any(
                    cell_len(line) > width or "\n" in cell.plain
                    for cell, width in zip(row, widths, strict=True)
                    for line in cell.plain.split("\n")
                )
                if tall:
                    table.add_row()
        parts.append(table)
        needs = sum(widths) + gap * (len(columns) - 1) + (4 if styled else 0)
    if caption:
        parts.append(text(caption, settings, "dim"))
    return Block(Group(*parts), needs)


def _blocks(settings: OutputSettings, columns: Sequence[Column]) -> list[RenderableType]:
    """Rows as blocks: the first column's lines, then ``heading: value`` lines."""
    width = _width(settings)
    blocks: list[RenderableType] = []
    for r in range(len(columns[0].cells)):
        block = Text()
        for i, column in enumerate(columns):
            cell = column.cells[r]
            if not cell.plain:
                continue
            if i == 0:
                block.append_text(_rewrap_ids(cell, column.ids, width))
            else:
                block.append(f"{column.heading}: ", style="bold" if settings.styled else "")
                block.append_text(cell)
            block.append("\n")
        blocks.append(block)
    return blocks


def _rewrap_ids(cell: Text, ids: Sequence[str], width: int) -> Text:
    """Break the id lines of a cell after '.' or '-' when they are wider than the screen."""
    lines = cell.split("\n")
    out = Text()
    for n, line in enumerate(lines):
        if n:
            out.append("\n")
        if line.plain in ids and cell_len(line.plain) > width:
            out.append("\n".join(wrap_id(line.plain, width)), style=line.style)
        else:
            out.append_text(line)
    return out


# -- facts ----------------------------------------------------------------------


def fact_value(fact: Fact, settings: OutputSettings) -> Text:
    if not isinstance(fact, Figure):
        return text(words(settings, "statement"), settings, "dim")
    return value_text(fact.value, fact.unit, fact.qualifier, fact.basis, settings)


def value_text(
    value: float, unit: str, qualifier: str, basis: str, settings: OutputSettings
) -> Text:
    """A value with its qualifier and unit, and its basis when not simply reported."""
    lang = settings.language
    shown = format_value(value, unit, qualifier, lang)
    if lang == "zh" and unit not in UNIT_WORDS["zh"] and shown.endswith(unit):
        # A unit without a Chinese word stays English, a word apart from the number.
        shown = f"{shown.removesuffix(unit)} {unit}"
    out = text(shown, settings, "bold cyan")
    if basis != "reported":
        out.append_text(text(f" ({BASIS_WORDS[lang][basis]})", settings, "yellow"))
    return out


def fact_label(fact: Fact, settings: OutputSettings) -> str:
    return fact.label_zh if settings.language == "zh" else fact.label


def source_line(sources: Sequence[Source], settings: OutputSettings) -> str:
    zh = settings.language == "zh"
    parts = [
        f"{s.title if zh else s.title_en} ({s.publisher}, {s.date.isoformat()})" for s in sources
    ]
    return words(settings, "caption.source", sources="; ".join(parts)) if parts else ""


def fact_columns(facts: Sequence[Fact], settings: OutputSettings) -> list[Column]:
    """The columns every table of facts starts with: id over label, value, period."""
    names = [
        Text.assemble(text(f.id, settings, "green"), "\n", text(fact_label(f, settings), settings))
        for f in facts
    ]
    return [
        Column(words(settings, "label"), names, "id", ids=[f.id for f in facts]),
        Column(words(settings, "value"), [fact_value(f, settings) for f in facts], "value"),
        Column(words(settings, "period"), [text(f.period, settings) for f in facts], "fixed"),
    ]


def facts_table(view: FactsTable, settings: OutputSettings) -> Block:
    """Facts as rows: id over label, value, period (and an extra column, e.g. why it matched)."""
    columns = fact_columns(view.facts, settings)
    if view.extra is not None:
        heading, cells = view.extra
        columns.append(Column(heading, [text(c, settings, "dim") for c in cells], "value"))
    caption = source_line(view.sources, settings)
    return table_view(settings, columns, title=view.title, caption=caption)


def fact_card(fact: Fact, registry: Registry, settings: OutputSettings) -> RenderableType:
    """One fact in full: what a writer needs to cite it."""
    lang = settings.language
    source = registry.sources[fact.source]
    topic = registry.topics.get(fact.topic)
    rows: list[tuple[Text, Text]] = []
    first, second = (fact.label_zh, fact.label) if lang == "zh" else (fact.label, fact.label_zh)

    def row(key: str, value: Text | str | None) -> None:
        if value is None or value == "":
            return
        rows.append(
            (
                text(words(settings, key), settings, "bold"),
                value if isinstance(value, Text) else text(value, settings),
            )
        )

    row("id", text(fact.id, settings, "green"))
    if topic is not None:
        row("topic", f"{topic.name_zh if lang == 'zh' else topic.name} ({topic.id})")
    row("kind", words(settings, "figure" if fact.kind == "figure" else "statement"))
    row("label", text(first, settings, "bold"))
    row("label_zh", second)
    if isinstance(fact, Figure):
        row("value", fact_value(fact, settings))
        row("stated", fact.stated)
        row("qualifier", QUALIFIER_WORDS[lang][fact.qualifier] or words(settings, "exact"))
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
    if source.url:
        row("read_at", link(source.url, settings))
    if fact.corroborated_by:
        others = [registry.sources[s] for s in fact.corroborated_by if s in registry.sources]
        named = [f"{s.publisher if lang == 'zh' else s.publisher_en}, {s.date}" for s in others]
        row("also_in", "; ".join(named))
    if fact.baseline is not None:
        baseline = registry.get_fact(fact.baseline)
        shown = fact.baseline
        if isinstance(baseline, Figure):
            shown = f"{fact.baseline}: {fact_value(baseline, settings).plain}"
        row("baseline", shown)
    row("tags", ", ".join(fact.tags))
    width = _width(settings)
    if width < MIN_CARD_WIDTH:
        # Too narrow for two columns: each value on the lines after its name.
        rows[0] = (rows[0][0], text("\n".join(wrap_id(fact.id, width)), settings, "green"))
        return Group(*(Text.assemble(key, "\n", value, "\n") for key, value in rows))
    key_width = max(cell_len(key.plain) for key, _ in rows)
    value_width = width - key_width - 2
    # The id stays whole while it fits; narrower, it breaks only after '.' or '-'.
    rows[0] = (rows[0][0], text("\n".join(wrap_id(fact.id, value_width)), settings, "green"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, width=key_width)
    grid.add_column(overflow="fold", width=value_width)
    for key, value in rows:
        grid.add_row(key, value)
    return grid


def link(url: str, settings: OutputSettings) -> Text:
    """An address: a hyperlink in a terminal that shows them, the plain address elsewhere."""
    shown = text(url, settings, "blue underline")
    if settings.styled and url.startswith(("https://", "http://")):
        shown.stylize(f"link {url}")
    return shown


# -- topics, sources, records -----------------------------------------------------


def _id_column(heading: str, records: Sequence[Record], settings: OutputSettings) -> Column:
    """The records' ids, green, kept whole while they can be."""
    ids = [str(r["id"]) for r in records]
    return Column(heading, [text(i, settings, "green") for i in ids], "id", ids=ids)


def _count_column(key: str, records: Sequence[Record], settings: OutputSettings) -> Column:
    return Column(
        words(settings, key).capitalize(), [text(r[key], settings) for r in records], "fixed"
    )


def topics_table(view: TopicsTable, settings: OutputSettings) -> Block:
    zh = settings.language == "zh"
    records = view.records

    def name(r: Record) -> str:
        if zh or r["name"] == r["name_zh"]:
            return str(r["name_zh"])
        return f"{r['name']} {r['name_zh']}"

    columns = [
        _id_column(words(settings, "topic"), records, settings),
        Column(words(settings, "name"), [text(name(r), settings) for r in records]),
        _count_column("facts", records, settings),
        _count_column("figures", records, settings),
        Column(
            words(settings, "aliases"),
            [text(", ".join(r["aliases"]), settings, "dim") for r in records],
        ),
    ]
    return table_view(settings, columns)


def sources_table(view: SourcesTable, settings: OutputSettings) -> Block:
    zh = settings.language == "zh"
    records = view.records
    titles = []
    for r in records:
        title = text(r["title"] if zh else r["title_en"], settings)
        if r.get("url"):
            title.append("\n")
            title.append_text(link(str(r["url"]), settings))
        titles.append(title)
    # An address is copied whole or not at all: the title column is never narrower than
    # the longest one (the table turns into blocks first).
    addresses = [str(r["url"]) for r in records if r.get("url")]
    columns = [
        _id_column(words(settings, "id"), records, settings),
        Column(words(settings, "title"), titles, ids=addresses),
        Column(
            words(settings, "publisher"),
            [
                text(r["publisher"] if zh else f"{r['publisher']} ({r['publisher_en']})", settings)
                for r in records
            ],
        ),
        Column(words(settings, "date"), [text(r["date"], settings) for r in records], "fixed"),
        _count_column("facts", records, settings),
        Column(
            words(settings, "attribution"),
            [text(r["attribution"], settings, "dim") for r in records],
        ),
    ]
    return table_view(settings, columns)


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(map(_plain, value))
    return str(value)


# Fields that are ids, values or periods: kept whole, never wrapped inside.
_WHOLE_FIELDS = {"id", "a", "b", "period", "date", "baseline", "source", "topic", "ref"}


def _record_cell(record: Record, name: str, settings: OutputSettings) -> Text:
    """One field of a record as a person reads it: values keep their qualifier, unit, basis."""
    lang = settings.language
    value = record.get(name)
    if name == "value" and record.get("unit") and record.get("qualifier") and value is not None:
        return value_text(
            value,
            record["unit"],
            record["qualifier"],
            record.get("basis") or "reported",
            settings,
        )
    if name == "value" and value is None and record.get("kind") == "statement":
        return text(words(settings, "statement"), settings, "dim")
    if lang == "zh":  # English keeps the names the field takes in JSON
        if name == "qualifier" and value in QUALIFIER_WORDS[lang]:
            return text(QUALIFIER_WORDS[lang][value] or words(settings, "exact"), settings)
        if name == "basis" and value in BASIS_WORDS[lang]:
            return text(BASIS_WORDS[lang][value], settings)
        if name == "kind" and value in ("figure", "statement"):
            return text(words(settings, value), settings)
    if name == "difference" and "difference_unit" in record:
        return text(_difference_text(record, settings), settings, "bold cyan")
    if name == "ratio" and "ratio_qualifier" in record:
        return text(_ratio_text(record, settings), settings, "bold cyan")
    if name == "label" and lang == "zh" and "label_zh" in record:
        return text(record["label_zh"], settings)
    return text(_plain(value), settings)


def _heading(name: str, settings: OutputSettings) -> str:
    """A field's heading: its name as typed in --fields, or its Chinese name."""
    from miitfacts.messages import MESSAGES

    if settings.language == "zh" and name in MESSAGES and name != "label_zh":
        return words(settings, name)
    return name


def records_table(view: RecordsTable, settings: OutputSettings) -> Block:
    """Any records as a table of the chosen fields (``--fields`` in table format)."""
    columns = []
    for name in view.fields:
        cells = [_record_cell(r, name, settings) for r in view.records]
        fit: Fit = "id" if name in _WHOLE_FIELDS else "value" if name != "quote" else "prose"
        if name in ("label", "label_zh", "title", "title_en", "attribution", "aliases"):
            fit = "prose"
        ids = [c.plain for c in cells] if fit == "id" else []
        columns.append(Column(_heading(name, settings), cells, fit, ids=ids))
    return table_view(settings, columns)


# -- comparisons ----------------------------------------------------------------


def _decimals(*values: float) -> int:
    return max((len(repr(v).partition(".")[2]) if isinstance(v, float) else 0) for v in values)


def _number_text(
    value: Decimal | float | None,
    qualifier: str,
    unit: str,
    settings: OutputSettings,
    digits: int = 1,
) -> str:
    lang = settings.language
    if qualifier == "indeterminate" or value is None:
        return words(settings, "indeterminate")
    if unit in ("percent", "percentage_points"):
        points = words(settings, "percentage_points")
        if lang == "en" and abs(value) == 1:
            points = words(settings, "percentage_point")
        # A bound at zero has no sign: "less than 0", not "less than +0".
        sign = "+" if value != 0 or qualifier in ("exact", "approximately") else ""
        body = f"{float(value):{sign}.{digits}f} {points}"
        if lang == "zh":
            body = body.replace(" ", "")
    else:
        body = format_value(value, unit, "exact", lang)
        bounded_zero = value == 0 and qualifier not in ("exact", "approximately")
        body = body if value < 0 or bounded_zero else f"+{body}"
    qualifier_words = QUALIFIER_WORDS[lang].get(qualifier, "")
    if not qualifier_words:
        return body
    return f"{qualifier_words}{body}" if lang == "zh" else f"{qualifier_words} {body}"


def format_difference(comparison: Comparison, settings: OutputSettings) -> str:
    result = comparison.difference
    a, b = comparison.a.value, comparison.b.value
    assert a is not None and b is not None
    return _number_text(
        result.value(),
        result.qualifier(),
        comparison.unit,
        settings,
        digits=max(_decimals(a, b), 1),
    )


def _difference_text(record: Record, settings: OutputSettings) -> str:
    value = record.get("difference")
    digits = max(_decimals(value), 1) if isinstance(value, float) else 1
    return _number_text(
        value, record.get("qualifier") or "exact", record["difference_unit"], settings, digits
    )


def _ratio_number(value: Decimal | None, qualifier: str | None, settings: OutputSettings) -> str:
    if qualifier is None:
        return "—"
    if qualifier == "indeterminate" or value is None:
        return words(settings, "indeterminate")
    # Round towards the bound, so that "more than 7.95×" stays true of 7.9545….
    rounding = ROUND_FLOOR if qualifier in ("more_than", "at_least") else ROUND_CEILING
    if qualifier in ("exact", "approximately"):
        rounding = ROUND_HALF_EVEN
    shown = value.quantize(Decimal("0.01"), rounding=rounding).normalize()
    number = words(settings, "ratio_times", ratio=f"{shown:f}")
    qualifier_words = QUALIFIER_WORDS[settings.language].get(qualifier, "")
    if not qualifier_words:
        return number
    return (
        f"{qualifier_words}{number}" if settings.language == "zh" else f"{qualifier_words} {number}"
    )


def format_ratio(comparison: Comparison, settings: OutputSettings) -> str:
    if comparison.ratio is None:
        return "—"
    return _ratio_number(comparison.ratio.value(), comparison.ratio.qualifier(), settings)


def _ratio_text(record: Record, settings: OutputSettings) -> str:
    ratio = record.get("ratio")
    value = None if ratio is None else Decimal(repr(ratio))
    return _ratio_number(value, record.get("ratio_qualifier"), settings)


def bar_chart(unit: str, facts: Sequence[Figure], settings: OutputSettings) -> RenderableType:
    """Horizontal bars for figures of one unit; a log scale when they span over 100×."""
    values = [float(f.value) for f in facts if f.value > 0]
    if len(values) < 2:
        return Text("")
    width = _width(settings)
    low, high = min(values), max(values)
    logarithmic = high / low > 100
    # One indicator may stand for several periods: then each bar names its period.
    repeated = len({f.id for f in facts}) < len(facts)
    names = [f.ref if repeated else f.id for f in facts]
    label_width = max(cell_len(n) for n in names)
    value_texts = [fact_value(f, settings).plain for f in facts]
    value_width = max(cell_len(v) for v in value_texts)
    # Ids, bars and values side by side while they fit with a bar of 8; else stacked.
    stacked = label_width + value_width + 6 + 8 > width
    room = width if stacked else width - label_width - value_width - 6
    bar_width = max(room, 8) if not stacked else max(width - 2, 8)
    start = math.floor(math.log10(low)) if logarithmic else 0.0
    scale_name = words(settings, "scale.log" if logarithmic else "scale.linear")
    unit_name = unit if settings.language == "en" else UNIT_WORDS["zh"].get(unit, unit)
    title = text(f"{unit_name} ({scale_name})", settings, "bold")
    grid = Table.grid(padding=(0, 1))
    if not stacked:
        grid.add_column(no_wrap=True, width=label_width)
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
        if stacked:
            ident = text("\n".join(wrap_id(name, width)), settings, "green")
            lines.append(
                Text.assemble(ident, "\n", text(bar, settings, "cyan"), "\n", text(shown, settings))
            )
        else:
            grid.add_row(
                text(name, settings, "green"),
                text(bar, settings, "cyan"),
                text(shown, settings),
            )
    return Group(*lines) if stacked else Group(title, grid)


def compare_view(result: ComparisonResult, settings: OutputSettings) -> Block:
    zh = settings.language == "zh"
    title = None
    if result.topic is not None:
        title = topic_names(result.topic.name, result.topic.name_zh, settings.language)
    facts = facts_table(FactsTable(result.facts, title=title), settings)
    parts: list[RenderableType] = [facts]
    needs = facts.needs
    if result.comparisons:
        pairs, differences, ratios, bases, ids = [], [], [], [], []
        # Ids alone while each stands for one period; refs once periods meet.
        repeated = len({f.id for f in result.facts}) < len(result.facts)
        for c in result.comparisons:
            a, b = (c.a.ref, c.b.ref) if repeated or c.a.period != c.b.period else (c.a.id, c.b.id)
            if c.a.ref == c.b.ref:  # a revision: the vintages tell the two apart
                a, b = f"{a} ({c.a.published})", f"{b} ({c.b.published})"
            versus = words(settings, "versus", id=b)
            pair = Text.assemble(text(a, settings, "green"), "\n", text(versus, settings, "green"))
            ids += [a, versus]
            if c.reason == "baseline":
                pair.append_text(text("\n" + words(settings, "baseline_mark"), settings, "dim"))
            pairs.append(pair)
            differences.append(text(format_difference(c, settings), settings, "bold cyan"))
            ratios.append(text(format_ratio(c, settings), settings, "bold cyan"))
            bases.append(text(BASIS_WORDS[settings.language][c.basis], settings))
        table = table_view(
            settings,
            [
                Column(words(settings, "comparison"), pairs, "id", ids=ids),
                Column(words(settings, "difference"), differences, "value"),
                Column(words(settings, "ratio"), ratios, "value"),
                Column(words(settings, "basis"), bases, "fixed"),
            ],
        )
        parts += [Text(""), table]
        needs = max(needs, table.needs)
    for unit, group in result.unit_groups().items():
        if len(group) >= 2:
            parts += [Text(""), bar_chart(unit, group, settings)]
    if result.notes:
        parts.append(Text(""))
        for note in result.notes:
            shown = words(settings, "compare.note", text=note.text("zh" if zh else "en"))
            parts.append(text(shown, settings, "dim"))
    return Block(Group(*parts), needs)


# -- drawing ----------------------------------------------------------------------


def view_block(view: View, settings: OutputSettings) -> Block:
    match view:
        case FactsTable():
            return facts_table(view, settings)
        case FactCard():
            return Block(fact_card(view.fact, view.registry, settings))
        case TopicsTable():
            return topics_table(view, settings)
        case SourcesTable():
            return sources_table(view, settings)
        case CompareView():
            return compare_view(view.result, settings)
        case RecordsTable():
            return records_table(view, settings)
        case IndicatorHistory():
            from miitfacts.output.series import history_view

            return history_view(view, settings)
        case TopicTrends():
            from miitfacts.output.series import trends_view

            return trends_view(view, settings)


def draw(settings: OutputSettings, views: Sequence[View]) -> str:
    """The views as finished text, a blank line between them."""
    blocks = [view_block(view, settings) for view in views]
    width = _width(settings)
    if settings.width is None:
        width = max([width, *(b.needs for b in blocks)])
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="standard" if settings.styled else None,
        force_terminal=settings.styled,
        no_color=not settings.styled,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        force_jupyter=False,
    )
    for i, block in enumerate(blocks):
        if i:
            console.print()
        console.print(block.renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    if not settings.styled:
        # Plain text is for pipes and files: no padding at line ends.
        output = "\n".join(line.rstrip() for line in output.split("\n"))
    if settings.lang.simplified:
        output = _simplify()(output)
    return output
