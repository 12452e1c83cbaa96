"""Output: the formats every command shares, the records they are written from,
and the views a table is drawn from.

Machine writers (``machine``) never touch Rich; human views (``human``) import
Rich only when a table is drawn. Neither decides what to show: the CLI hands
them data the core has already chosen. A command gives ``Run.output`` its
records (for the machine formats and ``--fields``) and its views (below: plain
data naming what to draw), and the one output path picks the writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from miitfacts.errors import UsageError
from miitfacts.messages import Language
from miitfacts.models import FACT_FIELDS as FACT_FIELDS
from miitfacts.models import Fact
from miitfacts.models import Record as Record

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.compare import ComparisonResult
    from miitfacts.core import Change, History
    from miitfacts.models import Source
    from miitfacts.registry import Registry


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"


class Lang(StrEnum):
    """What --lang and MIITFACTS_LANG accept (any case)."""

    en = "en"
    en_us = "en-US"
    zh = "zh"  # Chinese in the source's own script
    zh_hant = "zh-Hant"
    zh_tw = "zh-TW"
    zh_hans = "zh-Hans"  # Chinese converted to Simplified characters
    zh_cn = "zh-CN"

    @property
    def language(self) -> Language:
        return "zh" if self.value.startswith("zh") else "en"

    @property
    def simplified(self) -> bool:
        return self in (Lang.zh_hans, Lang.zh_cn)


@dataclass(frozen=True)
class OutputSettings:
    format: Format = Format.table
    fields: tuple[str, ...] | None = None
    lang: Lang = Lang.en
    styled: bool = False  # colour and box drawing: a terminal without NO_COLOR, or --color
    # Columns to fit; None = no limit (not a terminal, COLUMNS unset): tables take
    # their natural width and prose wraps at 80.
    width: int | None = 80
    headers: bool = True  # CSV/TSV header row (--no-headers)

    @property
    def machine(self) -> bool:
        return self.format is not Format.table

    @property
    def language(self) -> Language:
        return self.lang.language


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


# -- views: what a table shows, as data (drawn by ``output.human``) ----------------
# Plain classes, not dataclasses: they are made on every run, drawn only for tables,
# and a dataclass costs start-up time to define.


class FactsTable:
    """Facts as rows (id over label, value, period), with an optional extra column."""

    __slots__ = ("extra", "facts", "sources", "title")

    def __init__(
        self,
        facts: Sequence[Fact],
        title: str | None = None,
        sources: Sequence[Source] = (),
        extra: tuple[str, Sequence[str]] | None = None,
    ) -> None:
        self.facts = facts
        self.title = title
        self.sources = sources  # named in a caption under the table
        self.extra = extra  # a heading and one cell per fact


class FactCard:
    """One fact in full: what a writer needs to cite it."""

    __slots__ = ("fact", "registry")

    def __init__(self, fact: Fact, registry: Registry) -> None:
        self.fact = fact
        self.registry = registry


class TopicsTable:
    __slots__ = ("records",)

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records


class SourcesTable:
    __slots__ = ("records",)

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records


class CompareView:
    __slots__ = ("result",)

    def __init__(self, result: ComparisonResult) -> None:
        self.result = result


class RecordsTable:
    """Any records, the chosen fields (``--fields`` in a table)."""

    __slots__ = ("fields", "records")

    def __init__(self, records: Sequence[Record], fields: Sequence[str]) -> None:
        self.records = records
        self.fields = fields


class IndicatorHistory:
    """One indicator's periods with their changes, and its revisions."""

    __slots__ = ("history", "registry")

    def __init__(self, registry: Registry, history: History) -> None:
        self.registry = registry
        self.history = history


class TopicTrends:
    """A topic: each indicator at its latest period beside the one before."""

    __slots__ = ("changes", "sources", "title")

    def __init__(
        self, changes: Sequence[Change], title: str | None = None, sources: Sequence[Source] = ()
    ) -> None:
        self.changes = changes
        self.title = title
        self.sources = sources


View = (
    FactsTable
    | FactCard
    | TopicsTable
    | SourcesTable
    | CompareView
    | RecordsTable
    | IndicatorHistory
    | TopicTrends
)
