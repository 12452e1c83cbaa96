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


_READINGS = ("value", "unit", "qualifier", "stated")


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
        # Runs once per fact: plain attribute tests, no lists, keep it cheap.
        if not self.id.startswith(self.topic) or self.id[len(self.topic)] != ".":
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
        source_id = self.source.id
        for fact in self.facts:
            if not fact.source:
                # The facts were made by this validation and nothing else holds
                # them yet: filling in place avoids copying 100,000 models.
                fact.__dict__["source"] = source_id
            elif fact.source != source_id:
                raise ValueError(f"fact {fact.id} names source {fact.source!r}, not {source_id!r}")
        return self
