"""Typed data model of a fact pack: its sources, topics and observations.

A fact id names an **indicator** (``sme.little-giants``); each fact in a pack is
one **observation** of it: a value for one ``period``, published by one source
on that source's date (its vintage, ``published``). A fact is either a
:class:`Figure` (a value with unit, qualifier and the text as stated) or a
:class:`Statement` (a claim or plan, no value): a union tagged by ``kind``.

Plain frozen dataclasses, so that loading packs the cache has already checked
never imports pydantic. ``miitfacts.schema`` validates JSON into these same
classes with pydantic: the constraints below and the rules in ``__post_init__``
are what it checks, and what ``miitfacts schema`` prints. Rules across packs and
against source texts live in ``registry``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Annotated, Any, Literal, get_args

# A row of output: a fact, source, topic or comparison as JSON has it.
Record = dict[str, Any]
Kind = Literal["figure", "statement"]
Qualifier = Literal["exact", "more_than", "at_least", "approximately", "at_most", "less_than"]
Basis = Literal["reported", "estimated", "projected"]
Reliability = Literal["official", "major", "major-relay", "secondary", "mirror"]
# Sources whose address a pack may give: never a mirror's or a relay's.
LINKABLE = frozenset({"official", "major"})
# The controlled unit vocabulary. Counts name what is counted, so that only
# like is compared with like (300 technologies are not 300 products).
Unit = Literal[
    "percent",
    "percentage-points",
    "CNY",
    "years",
    "enterprises",
    "factories",
    "products",
    "models",
    "technologies",
    "items",
    "base-stations",
    "base-stations-per-10k-people",
    "categories",
    "centres",
    "cities",
    "clusters",
    "eflops",
    "gigabytes-per-user-month",
    "kilometres",
    "ports",
    "projects",
    "sites",
    "standards",
    "users",
    "vehicles",
]
UNITS: tuple[str, ...] = get_args(Unit)
# A figure is a quantity a report can state: finite, and well inside what
# float and Decimal arithmetic represent exactly enough (CNY 1e18 is 10^6 trillion).
VALUE_LIMIT = 10**18

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
FACT_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$"
_MONTH_DAY = r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
PERIOD_PATTERN = rf"^\d{{4}}(?:-\d{{4}}|{_MONTH_DAY})?$"
DATE_PATTERN = rf"^\d{{4}}{_MONTH_DAY}$"
# A web address a reader can follow, and nothing a terminal, Markdown or BibTeX could run.
URL_PATTERN = r"^https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$"
# Text shown to people or written to machine formats: no control characters
# (ANSI escapes included), no line or paragraph separators, no bidirectional
# overrides and no invisible format characters, wherever in a pack it stands:
# pack text must not be able to pose as output or hide what it says.
CLEAN_TEXT_PATTERN = (
    r"^[^\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]*$"
)
TEXT_FILE_PATTERN = r"^[^/\\]+\.txt$"
# What a failed pattern means, in words, for validate's messages.
PATTERN_MESSAGES = {
    SLUG_PATTERN: "must be lower-case letters and digits joined by '-' (e.g. humanoid-robots)",
    FACT_ID_PATTERN: "must be <topic>.<slug>, lower-case words joined by '-' (sme.little-giants)",
    PERIOD_PATTERN: "must be a year (2025), a span of years (2026-2030) or a date (2026-01-21)",
    DATE_PATTERN: "must be a date, YYYY-MM-DD",
    TEXT_FILE_PATTERN: "must be a .txt file name beside the pack (no folders)",
    URL_PATTERN: "must be an http:// or https:// address without spaces, quotes or braces",
    CLEAN_TEXT_PATTERN: "contains control, line-break, bidirectional or invisible characters",
}


class Constrained:
    """String constraints that pydantic applies when it validates, in its Rust core.

    Declared without importing pydantic: pydantic calls this hook itself.
    """

    def __init__(
        self, pattern: str | None = None, min_length: int | None = 1, max_length: int = 10_000
    ) -> None:
        self.constraints = {"pattern": pattern, "min_length": min_length, "max_length": max_length}

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = dict(handler(source))
        schema.update({k: v for k, v in self.constraints.items() if v is not None})
        return schema


class _FigureValue:
    """A JSON number, never a boolean or a string, finite and below ``VALUE_LIMIT``."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field, Strict

        bounds = Field(gt=-VALUE_LIMIT, lt=VALUE_LIMIT)
        whole = Annotated[int, Strict(), bounds]
        decimal = Annotated[float, Strict(), Field(allow_inf_nan=False), bounds]
        return handler(whole | decimal)


class _TaggedByKind:
    """Validate a union of fact types by its ``kind``, so errors name one type's fields."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler(Annotated[source, Field(discriminator="kind")])


Slug = Annotated[str, Constrained(SLUG_PATTERN, max_length=64)]
FactId = Annotated[str, Constrained(FACT_ID_PATTERN, max_length=129)]
# A year, a span of years (a five-year plan) or a date (a stock "as of").
Period = Annotated[str, Constrained(PERIOD_PATTERN)]
Text = Annotated[str, Constrained(CLEAN_TEXT_PATTERN)]
TextFile = Annotated[str, Constrained(TEXT_FILE_PATTERN)]
Url = Annotated[str, Constrained(URL_PATTERN, max_length=2000)]
Value = Annotated[int | float, _FigureValue()]

# Read by pydantic when it validates a pack: unknown fields are mistakes.
_STRICT = {"extra": "forbid"}


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` and nothing else (Python also reads ``2025-W01-1`` and ``20250101``)."""
    digits = text[:4] + text[5:7] + text[8:]
    if len(text) != 10 or text[4] + text[7] != "--" or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")
    return dt.date.fromisoformat(text)


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class PeriodSpan:
    """A period as dates: a year is 1 January to 31 December, a date is one day."""

    end: dt.date
    start: dt.date

    @classmethod
    def parse(cls, period: str) -> PeriodSpan:
        """``2024``, ``2024-12-31`` or ``2026-2030``; ``ValueError`` if not a real period.

        Remembered: loading, ordering and filtering ask for the same few periods
        hundreds of thousands of times (spans are frozen, so sharing one is safe).
        """
        return _parse_period(period)

    @classmethod
    def _parse(cls, period: str) -> PeriodSpan:
        if len(period) == 4 and period.isascii() and period.isdigit():
            year = int(period)
            return cls(dt.date(year, 12, 31), dt.date(year, 1, 1))
        first, dash, last = period[:4], period[4:5], period[5:]
        if (
            len(period) == 9
            and dash == "-"
            and (first + last).isascii()
            and (first + last).isdigit()
        ):
            if int(first) > int(last):
                raise ValueError(f"period {period!r} ends before it starts")
            return cls(dt.date(int(last), 12, 31), dt.date(int(first), 1, 1))
        if len(period) == 10:
            day = parse_date(period)  # ValueError for 2025-02-30
            return cls(day, day)
        raise ValueError(f"period {period!r} is not a year, a date or a span of years")

    @property
    def is_span(self) -> bool:
        return self.start.year != self.end.year

    def key(self) -> tuple[dt.date, dt.date]:
        """What makes two periods the same: a year and its 31 December are one stock."""
        if self.is_span:
            return (self.end, self.start)
        return (self.end, self.end)


@functools.lru_cache(maxsize=4096)
def _parse_period(period: str) -> PeriodSpan:
    return PeriodSpan._parse(period)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Speaker:
    """A person the source quotes, named as the source writes the name."""

    __pydantic_config__ = _STRICT

    name: Text
    name_en: Text
    title: Text
    title_zh: Text


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A publication. With ``text_file`` its text is bundled (a quoted source);
    without, we cite its figures and say where to read it (a cited source)."""

    __pydantic_config__ = _STRICT

    id: Slug
    publisher: Text
    publisher_en: Text
    title: Text
    title_en: Text
    date: dt.date
    event: Text
    event_en: Text
    url: Url | None = None
    reliability: Reliability | None = None
    text_file: TextFile | None = None
    language: Text = "zh-Hant"
    attribution: Text
    speakers: tuple[Speaker, ...] = ()

    def __post_init__(self) -> None:
        if self.url is not None and self.reliability not in LINKABLE:
            raise ValueError("url is given only for an official or major source (set reliability)")

    @property
    def quoted(self) -> bool:
        return self.text_file is not None

    def record(self) -> dict[str, Any]:
        row = {name: getattr(self, name) for name in SOURCE_FIELDS}
        row["date"] = self.date.isoformat()
        return row


SOURCE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Source) if f.name != "speakers"
)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    __pydantic_config__ = _STRICT

    id: Slug
    name: Text
    name_zh: Text
    aliases: tuple[Text, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Observation:
    """What every fact has: which indicator, when, from where, in whose words."""

    __pydantic_config__ = _STRICT

    id: FactId
    topic: Slug
    label: Text
    label_zh: Text
    basis: Basis = "reported"
    period: Period
    # Verbatim from the bundled text of a quoted source; cited sources have none.
    quote: Text | None = None
    # Filled from the pack's source when the pack has one and leaves it out.
    source: Slug | Literal[""] = ""
    corroborated_by: tuple[Slug, ...] = ()
    speaker: Text | None = None
    note: Text | None = None
    baseline: FactId | None = None
    tags: tuple[Slug, ...] = ()
    # The vintage: the date its source published it. Set by the pack, never written in one.
    published: str = dataclasses.field(default="", init=False)

    def _check(self) -> None:
        if (
            not self.id.startswith(self.topic)
            or self.id[len(self.topic) : len(self.topic) + 1] != "."
        ):
            raise ValueError(f"id {self.id!r} must start with its topic {self.topic!r} and a dot")
        try:
            PeriodSpan.parse(self.period)
        except ValueError as exc:
            raise ValueError(f"period {self.period!r} is not a real period: {exc}") from None
        if self.baseline == self.id:
            raise ValueError("a fact cannot be its own baseline")
        if self.source and self.source in self.corroborated_by:
            raise ValueError("corroborated_by repeats the fact's own source")

    @property
    def ref(self) -> str:
        """``ID@PERIOD``: one observation, wherever an id is accepted."""
        return f"{self.id}@{self.period}"

    @property
    def span(self) -> PeriodSpan:
        return PeriodSpan.parse(self.period)

    def record(self) -> dict[str, Any]:
        """The fact as JSON output has it (the contract's fields, in order)."""
        row = {name: getattr(self, name, None) for name in FACT_FIELDS}
        row["tags"] = list(self.tags)
        row["corroborated_by"] = list(self.corroborated_by)
        return row


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Figure(_Observation):
    """An observation with a value: ``超14萬家`` is 140000 enterprises, more than."""

    kind: Literal["figure"]
    value: Value
    unit: Unit
    qualifier: Qualifier
    stated: Text

    def __post_init__(self) -> None:
        self._check()
        # Checked here too (not only by pydantic), so that nothing rebuilt from a
        # cache can carry NaN, infinity or a number past the limit into output.
        value = self.value
        if type(value) not in (int, float) or not -VALUE_LIMIT < value < VALUE_LIMIT:
            raise ValueError(f"value {value!r} is not a finite number below 10^18")
        if self.quote is not None and self.stated not in self.quote:
            raise ValueError(f"stated {self.stated!r} is not in the quote")
        if isinstance(self.value, float) and self.value.is_integer():
            # 17600.0 and 17600 are the same figure; 1.2e12 is a whole number.
            object.__setattr__(self, "value", int(self.value))


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Statement(_Observation):
    """A claim or a plan, without a value of its own."""

    kind: Literal["statement"]

    def __post_init__(self) -> None:
        self._check()


Fact = Figure | Statement
PackFact = Annotated[Figure | Statement, _TaggedByKind()]

# The JSON contract's order; a statement has null value, unit, qualifier and stated.
FACT_FIELDS: tuple[str, ...] = (
    "id",
    "topic",
    "kind",
    "label",
    "label_zh",
    "value",
    "unit",
    "qualifier",
    "basis",
    "period",
    "stated",
    "quote",
    "source",
    "speaker",
    "baseline",
    "tags",
    "published",
    "ref",
    "note",
    "corroborated_by",
    "superseded_by",
)
# What a pack file holds of a fact (``published`` and ``ref`` are derived), in the
# order the derived caches store its values.
PACK_FIELDS = {
    "figure": tuple(f.name for f in dataclasses.fields(Figure) if f.init),
    "statement": tuple(f.name for f in dataclasses.fields(Statement) if f.init),
}


def source_data(source: Source) -> dict[str, Any]:
    """A source as plain data (dates as ISO text), for the derived caches."""
    row = dataclasses.asdict(source)
    row["date"] = source.date.isoformat()
    return row


def source_from_data(row: dict[str, Any]) -> Source:
    """The source :func:`source_data` stored, rebuilt without pydantic."""
    row = dict(row)
    row["date"] = dt.date.fromisoformat(row["date"])
    row["speakers"] = tuple(Speaker(**s) for s in row["speakers"])
    return Source(**row)


def with_changes(fact: Fact, **changes: Any) -> Fact:
    """``dataclasses.replace`` that keeps the vintage (an ``init=False`` field)."""
    new = dataclasses.replace(fact, **changes)
    object.__setattr__(new, "published", fact.published)
    return new


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Pack:
    """One source (or several reports of one event) with its topics and facts:
    the unit a data maintainer writes."""

    __pydantic_config__ = _STRICT

    format: Literal[1]
    source: Source | None = None
    sources: tuple[Source, ...] = ()
    topics: tuple[Topic, ...] = ()
    facts: tuple[PackFact, ...]

    def __post_init__(self) -> None:
        if (self.source is None) == (not self.sources):
            raise ValueError("a pack has either one 'source' or a list of 'sources'")
        if sum(s.quoted for s in self.all_sources) > 1:
            raise ValueError("a pack bundles the text of at most one source")
        by_id = {s.id: s for s in self.all_sources}
        if len(by_id) != len(self.all_sources):
            raise ValueError("two sources of the pack have the same id")
        default = self.source.id if self.source is not None else ""
        for i, fact in enumerate(self.facts):
            if not fact.source:
                if not default:
                    raise ValueError(f"facts[{i}] must name its source (the pack has several)")
                # The facts were made for this pack and nothing else holds them yet.
                object.__setattr__(fact, "source", default)
            source = by_id.get(fact.source)
            if source is None:
                raise ValueError(f"facts[{i}] names source {fact.source!r}, not one of this pack's")
            _check_against_source(i, fact, source)
            for other in fact.corroborated_by:
                _check_corroboration(i, other, source, by_id)
            object.__setattr__(fact, "published", source.date.isoformat())

    @property
    def all_sources(self) -> tuple[Source, ...]:
        return (self.source,) if self.source is not None else self.sources

    @property
    def text_file(self) -> str | None:
        """The bundled source text, if the pack quotes one (a pack bundles at most one)."""
        return next((s.text_file for s in self.all_sources if s.text_file is not None), None)

    def data(self) -> dict[str, Any]:
        """Plain data (what the pack file says, sources filled in), for the load cache."""

        return {
            "format": self.format,
            "source": None if self.source is None else source_data(self.source),
            "sources": [source_data(s) for s in self.sources],
            "topics": [dataclasses.asdict(t) for t in self.topics],
            "facts": [{n: getattr(f, n) for n in PACK_FIELDS[f.kind]} for f in self.facts],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Pack:
        """Rebuild a pack that was validated before (from ``data``), without pydantic."""

        return cls(
            format=data["format"],
            source=None if data["source"] is None else source_from_data(data["source"]),
            sources=tuple(source_from_data(s) for s in data["sources"]),
            topics=tuple(Topic(**t) for t in data["topics"]),
            facts=tuple(
                Figure(**f) if f["kind"] == "figure" else Statement(**f) for f in data["facts"]
            ),
        )


def _check_corroboration(i: int, other: str, source: Source, sources: dict[str, Source]) -> None:
    where = f"facts[{i}].corroborated_by"
    if other not in sources:
        raise ValueError(f"{where} names {other!r}, not one of this pack's sources")
    if sources[other].date < source.date:
        # The vintage is the date of the fact's source: it must be the first to publish.
        raise ValueError(
            f"{where}: {other!r} published on {sources[other].date}, before "
            f"{source.id!r} ({source.date}); name the earliest source as the fact's source"
        )


def _check_against_source(i: int, fact: Fact, source: Source) -> None:
    where = f"facts[{i}]"
    if source.quoted and fact.quote is None:
        raise ValueError(f"{where} needs a quote: its source's text is bundled")
    if not source.quoted and fact.quote is not None:
        raise ValueError(
            f"{where} has a quote, but the text of source {source.id!r} is not bundled"
        )
    if (
        not source.quoted
        and fact.speaker is not None
        and fact.speaker not in {s.name for s in source.speakers}
    ):
        raise ValueError(f"{where} speaker {fact.speaker!r} is not among its source's speakers")
