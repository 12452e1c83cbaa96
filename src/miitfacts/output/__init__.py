"""Output: the formats every command shares, and the records they are written from.

Machine writers (``machine``) never touch Rich; human views (``human``) import
Rich only when a table is drawn. Neither decides what to show: the CLI hands
them data the core has already chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from miitfacts.errors import UsageError
from miitfacts.models import FACT_FIELDS as FACT_FIELDS
from miitfacts.models import Fact

if TYPE_CHECKING:
    from collections.abc import Sequence

Record = dict[str, Any]


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


@dataclass(frozen=True)
class OutputSettings:
    format: Format = Format.table
    fields: tuple[str, ...] | None = None
    lang: Lang = Lang.en
    styled: bool = False  # colour and box-drawing: only on a terminal without NO_COLOR
    width: int = 80

    @property
    def machine(self) -> bool:
        return self.format is not Format.table


def fact_record(fact: Fact) -> Record:
    return fact.record()


def select_fields(requested: str | None, available: Sequence[str]) -> tuple[str, ...] | None:
    """Parse ``--fields a,b``; unknown names are a usage error that lists the known ones."""
    if requested is None:
        return None
    names = tuple(n.strip() for n in requested.split(",") if n.strip())
    unknown = [n for n in names if n not in available]
    if unknown or not names:
        what = f"unknown field {', '.join(map(repr, unknown))}" if unknown else "no fields named"
        raise UsageError(f"--fields: {what}; available: {','.join(available)}")
    return names


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"{count:,} {noun}"
    ending = "es" if noun.endswith(("s", "x", "ch", "sh")) else "s"
    return f"{count:,} {noun}{ending}"
