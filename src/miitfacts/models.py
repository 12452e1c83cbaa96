"""Typed data model of a fact pack: a source, its topics and its facts.

Plain frozen dataclasses, so that loading a pack the cache has already checked
never imports pydantic. ``miitfacts.schema`` validates JSON into these same
classes with pydantic: the constraints below (``Constrained``) and the rules in
``__post_init__`` are what it checks, and what ``miitfacts schema`` prints.
Cross-pack and source-text checks live in ``registry``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any, Literal, get_args

Kind = Literal["figure", "statement"]
Qualifier = Literal["exact", "more_than", "at_least", "approximately", "at_most", "less_than"]
Basis = Literal["reported", "estimated", "projected"]
# The controlled unit vocabulary. Counts name what is counted, so that only
# like is compared with like (300 technologies are not 300 products).
Unit = Literal[
    "percent",
    "CNY",
    "years",
    "enterprises",
    "factories",
    "products",
    "models",
    "technologies",
    "items",
]
UNITS: tuple[str, ...] = get_args(Unit)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
FACT_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$"
PERIOD_PATTERN = r"^\d{4}(?:-\d{4}|-\d{2}-\d{2})?$"
CLEAN_TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
# What a failed pattern means, in words, for validate's messages.
PATTERN_MESSAGES = {
    SLUG_PATTERN: "must be lower-case letters and digits joined by '-' (e.g. humanoid-robots)",
    FACT_ID_PATTERN: "must be <topic>.<slug>, lower-case words joined by '-' (sme.little-giants)",
    PERIOD_PATTERN: "must be a year (2025), a span of years (2026-2030) or a date (2026-01-21)",
    CLEAN_TEXT_PATTERN: "contains control characters",
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


Slug = Annotated[str, Constrained(SLUG_PATTERN, max_length=64)]
FactId = Annotated[str, Constrained(FACT_ID_PATTERN, max_length=129)]
# A year, a span of years (a five-year plan) or a date (a stock "as of").
Period = Annotated[str, Constrained(PERIOD_PATTERN)]
# Text shown to people or written to machine formats: no control characters
# (ANSI escapes included), wherever in a pack it stands.
Text = Annotated[str, Constrained(CLEAN_TEXT_PATTERN)]
TextFile = Annotated[str, Constrained(r"^[^/\\]+\.txt$")]

# Read by pydantic when it validates a pack: unknown fields are mistakes.
_STRICT = {"extra": "forbid"}


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
    __pydantic_config__ = _STRICT

    id: Slug
    publisher: Text
    publisher_en: Text
    title: Text
    title_en: Text
    date: dt.date
    event: Text
    event_en: Text
    url: Text | None = None
    text_file: TextFile
    language: Text = "zh-Hant"
    attribution: Text
    speakers: tuple[Speaker, ...] = ()

    def record(self) -> dict[str, Any]:
        row = {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "speakers"
        }
        row["date"] = self.date.isoformat()
        return row


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    __pydantic_config__ = _STRICT

    id: Slug
    name: Text
    name_zh: Text
    aliases: tuple[Text, ...] = ()


_READINGS = ("value", "unit", "qualifier", "stated")


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    __pydantic_config__ = _STRICT

    id: FactId
    topic: Slug
    kind: Kind
    label: Text
    label_zh: Text
    value: int | float | None = None
    unit: Unit | None = None
    qualifier: Qualifier | None = None
    basis: Basis = "reported"
    period: Period
    stated: Text | None = None
    quote: Text
    # Filled from the pack's source when the pack leaves it out.
    source: str = ""
    speaker: Text | None = None
    baseline: FactId | None = None
    tags: tuple[Slug, ...] = ()

    def __post_init__(self) -> None:
        # Runs once per fact: plain attribute tests, no lists, keep it cheap.
        if (
            not self.id.startswith(self.topic)
            or self.id[len(self.topic) : len(self.topic) + 1] != "."
        ):
            raise ValueError(f"id {self.id!r} must start with its topic {self.topic!r} and a dot")
        readings = (self.value, self.unit, self.qualifier, self.stated)
        if self.kind == "figure":
            if None in readings:
                missing = [n for n, v in zip(_READINGS, readings, strict=True) if v is None]
                raise ValueError(f"a figure needs {', '.join(missing)}")
            if self.stated not in self.quote:  # type: ignore[operator]
                raise ValueError(f"stated {self.stated!r} is not in the quote")
        elif readings != (None, None, None, None):
            present = [n for n, v in zip(_READINGS, readings, strict=True) if v is not None]
            raise ValueError(f"a statement has no {', '.join(present)}")
        if self.value is not None and (
            self.value != self.value or self.value in (float("inf"), float("-inf"))
        ):
            raise ValueError("value must be a finite number")
        if isinstance(self.value, float) and self.value.is_integer():
            # 17600.0 and 17600 are the same figure; 1.2e12 is a whole number.
            object.__setattr__(self, "value", int(self.value))
        if self.baseline == self.id:
            raise ValueError("a fact cannot be its own baseline")

    def record(self) -> dict[str, Any]:
        """The fact as JSON output has it (the contract's fields, in order)."""
        row = {name: getattr(self, name) for name in FACT_FIELDS}
        row["tags"] = list(self.tags)
        return row


FACT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Fact))


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Pack:
    """One source with its topics and facts: the unit a data maintainer writes."""

    __pydantic_config__ = _STRICT

    format: Literal[1]
    source: Source
    topics: tuple[Topic, ...] = ()
    facts: tuple[Fact, ...]

    def __post_init__(self) -> None:
        source_id = self.source.id
        for fact in self.facts:
            if not fact.source:
                # The facts were made for this pack and nothing else holds them yet.
                object.__setattr__(fact, "source", source_id)
            elif fact.source != source_id:
                raise ValueError(f"fact {fact.id} names source {fact.source!r}, not {source_id!r}")

    def data(self) -> dict[str, Any]:
        """Plain data (what the pack file says, sources filled in), for the load cache."""
        source = dataclasses.asdict(self.source)
        source["date"] = self.source.date.isoformat()
        return {
            "format": self.format,
            "source": source,
            "topics": [dataclasses.asdict(t) for t in self.topics],
            "facts": [{name: getattr(f, name) for name in FACT_FIELDS} for f in self.facts],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Pack:
        """Rebuild a pack that was validated before (from ``data``), without pydantic."""
        source = dict(data["source"])
        source["date"] = dt.date.fromisoformat(source["date"])
        source["speakers"] = tuple(Speaker(**s) for s in source["speakers"])
        return cls(
            format=data["format"],
            source=Source(**source),
            topics=tuple(Topic(**t) for t in data["topics"]),
            facts=tuple(Fact(**f) for f in data["facts"]),
        )
