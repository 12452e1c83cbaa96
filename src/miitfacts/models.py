"""Typed data model of a fact pack: a source, its topics and its facts.

A pack is one JSON file per source; its verbatim text sits beside it. Pydantic
checks everything that can be checked inside one file; cross-pack and
source-text checks live in ``registry.check_pack``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

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

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
FactId = Annotated[str, StringConstraints(pattern=FACT_ID_PATTERN, max_length=129)]
# A year, a span of years (a five-year plan) or a date (a stock "as of").
Period = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
# Text shown to people: no control characters (ANSI escapes included). A pattern
# is checked in pydantic's Rust core, which matters at 100,000 facts.
CleanText = Annotated[
    str, StringConstraints(min_length=1, max_length=10_000, pattern=CLEAN_TEXT_PATTERN)
]

# defer_build: the validators are built on first validation, so a start-up that
# loads packs from the cache never pays for building them.
_STRICT = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Speaker(BaseModel):
    """A person the source quotes, named as the source writes the name."""

    model_config = _STRICT

    name: Text
    name_en: Text
    title: Text
    title_zh: Text


class Source(BaseModel):
    model_config = _STRICT

    id: Slug
    publisher: Text
    publisher_en: Text
    title: Text
    title_en: Text
    date: dt.date
    event: Text
    event_en: Text
    url: str | None = None
    text_file: Annotated[str, StringConstraints(pattern=r"^[^/\\]+\.txt$")]
    language: str = "zh-Hant"
    attribution: Text
    speakers: list[Speaker] = []


class Topic(BaseModel):
    model_config = _STRICT

    id: Slug
    name: Text
    name_zh: Text
    aliases: list[Text] = []


class Fact(BaseModel):
    model_config = _STRICT

    id: FactId
    topic: Slug
    kind: Kind
    label: CleanText
    label_zh: CleanText
    value: int | Annotated[float, Field(allow_inf_nan=False)] | None = None
    unit: Unit | None = None
    qualifier: Qualifier | None = None
    basis: Basis = "reported"
    period: Period
    stated: CleanText | None = None
    quote: CleanText
    # Filled from the pack's source when the pack leaves it out.
    source: Slug = ""
    speaker: CleanText | None = None
    baseline: FactId | None = None
    tags: list[Slug] = []

    @field_validator("value")
    @classmethod
    def _whole_numbers_stay_whole(cls, value: float | None) -> float | None:
        # 17600.0 and 17600 are the same figure; 1.2e12 is written as a whole number.
        return int(value) if isinstance(value, float) and value.is_integer() else value

    @model_validator(mode="after")
    def _kind_rules(self) -> Fact:
        if not self.id.startswith(self.topic + "."):
            raise ValueError(f"id {self.id!r} must start with its topic {self.topic!r} and a dot")
        if self.kind == "figure":
            missing = [
                f for f in ("value", "unit", "qualifier", "stated") if getattr(self, f) is None
            ]
            if missing:
                raise ValueError(f"a figure needs {', '.join(missing)}")
            assert self.stated is not None
            if self.stated not in self.quote:
                raise ValueError(f"stated {self.stated!r} is not in the quote")
        else:
            present = [
                f for f in ("value", "unit", "qualifier", "stated") if getattr(self, f) is not None
            ]
            if present:
                raise ValueError(f"a statement has no {', '.join(present)}")
        if self.baseline == self.id:
            raise ValueError("a fact cannot be its own baseline")
        return self


class Pack(BaseModel):
    """One source with its topics and facts: the unit a data maintainer writes."""

    model_config = _STRICT

    format: Literal[1] = Field(description="Pack format version; always 1 for now.")
    source: Source
    topics: list[Topic] = []
    facts: list[Fact]

    @model_validator(mode="after")
    def _fill_sources(self) -> Pack:
        filled = []
        for fact in self.facts:
            if fact.source and fact.source != self.source.id:
                raise ValueError(
                    f"fact {fact.id} names source {fact.source!r}, not {self.source.id!r}"
                )
            filled.append(
                fact if fact.source else fact.model_copy(update={"source": self.source.id})
            )
        object.__setattr__(self, "facts", filled)
        return self
