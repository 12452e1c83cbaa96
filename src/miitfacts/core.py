"""What each command shows, as data: resolution, selection, summaries, verification.

Nothing here prints; the CLI renders what these functions return.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from miitfacts.errors import NotFoundError, Problem, UsageError
from miitfacts.models import SOURCE_FIELDS as MODEL_SOURCE_FIELDS
from miitfacts.models import Fact, Figure, PeriodSpan, Record, Topic
from miitfacts.numbers import read_basis, read_stated

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from miitfacts.compare import Comparison
    from miitfacts.registry import Registry


# Any kind of fact, or figures alone: what goes in comes out.
F = TypeVar("F", bound=Fact)


def figures_first(facts: Iterable[Fact]) -> list[Fact]:
    """Figures, then statements, each in registry order."""
    facts = list(facts)
    return [f for f in facts if f.kind == "figure"] + [f for f in facts if f.kind != "figure"]


@dataclass(frozen=True)
class TimeFilter:
    """Which observations a command shows: periods, vintages, what was known when."""

    periods: tuple[str, ...] = ()
    all_vintages: bool = False

    def __post_init__(self) -> None:
        for period in self.periods:
            try:
                PeriodSpan.parse(period)
            except ValueError:
                raise UsageError(
                    f"--period {period!r} is not a year (2024), a date (2024-12-31) "
                    "or a span (2026-2030)"
                ) from None

    def matches(self, fact: Fact) -> bool:
        if not self.periods:
            return True
        for period in self.periods:
            if fact.period == period:
                return True
            wanted = PeriodSpan.parse(period)
            if fact.span.key() == wanted.key():
                return True
            # A year matches its dates (a stock as of any day of that year).
            if len(period) == 4 and not fact.span.is_span and fact.span.end.year == int(period):
                return True
        return False

    def observations(self, registry: Registry, fact_id: str) -> list[Fact]:
        found = registry.history(fact_id) if self.all_vintages else registry.series(fact_id)
        return [f for f in found if self.matches(f)]


@dataclass(frozen=True)
class Selection:
    """One target: a topic with its facts, an indicator's periods, or one observation."""

    topic: Topic | None
    facts: list[Fact]
    indicator: bool = False  # an id without a period: every period of the indicator


def select(
    registry: Registry, targets: Sequence[str], time: TimeFilter | None = None
) -> list[Selection]:
    """Resolve every target before anything is shown, so a bad one shows nothing."""
    time = time or TimeFilter()
    selections = []
    for target in targets:
        if not target.strip():
            raise UsageError("an empty target names nothing; try 'miitfacts topics'")
        found = registry.resolve(target)
        if isinstance(found, Topic):
            facts = [
                f
                for fact_id in dict.fromkeys(f.id for f in registry.facts_in(found.id))
                for f in time.observations(registry, fact_id)
            ]
            selections.append(Selection(found, figures_first(facts)))
        elif "@" in target:
            if not time.matches(found):
                raise NotFoundError(
                    "observation", f"{target} in period {', '.join(time.periods)}", [], []
                )
            chosen = [found]
            if time.all_vintages:
                chosen = [f for f in registry.history(found.id) if f.span.key() == found.span.key()]
            selections.append(Selection(None, chosen))
        else:
            facts = time.observations(registry, found.id)
            if not facts:
                periods = ", ".join(f.period for f in registry.series(found.id))
                raise NotFoundError(
                    "observation", f"{found.id} in {', '.join(time.periods)}", [periods], []
                )
            selections.append(Selection(None, facts, indicator=True))
    return selections


def unique_facts(selections: Sequence[Selection]) -> list[Fact]:
    seen: set[int] = set()
    out = []
    for selection in selections:
        for fact in selection.facts:
            if id(fact) not in seen:
                seen.add(id(fact))
                out.append(fact)
    return out


def list_facts(
    registry: Registry,
    topic: str | None = None,
    kind: str | None = None,
    time: TimeFilter | None = None,
) -> list[Fact]:
    time = time or TimeFilter()
    if topic is None:
        ids: Iterable[str] = dict.fromkeys(f.id for f in registry.facts)
    else:  # one topic's facts alone (a registry from the cache's index decodes no other)
        ids = dict.fromkeys(f.id for f in registry.facts_in(registry.topic(topic).id))
    return [
        f
        for fact_id in ids
        for f in time.observations(registry, fact_id)
        if kind is None or f.kind == kind
    ]


def topic_records(registry: Registry) -> list[Record]:
    rows = []
    for topic in registry.topics.values():
        facts = registry.facts_in(topic.id)
        figures = sum(f.kind == "figure" for f in facts)
        rows.append(
            {
                "id": topic.id,
                "name": topic.name,
                "name_zh": topic.name_zh,
                "aliases": list(topic.aliases),
                "facts": len(facts),
                "figures": figures,
                "statements": len(facts) - figures,
            }
        )
    return rows


TOPIC_FIELDS = ("id", "name", "name_zh", "aliases", "facts", "figures", "statements")


def source_records(registry: Registry) -> list[Record]:
    counts: dict[str, int] = {}
    for fact in registry.vintages:
        for source in (fact.source, *fact.corroborated_by):
            counts[source] = counts.get(source, 0) + 1
    rows = []
    for known in registry.sources.values():
        row = known.record()
        row["facts"] = counts.get(known.id, 0)
        row["bundled"] = known.id in registry.bundled
        rows.append(row)
    return rows


SOURCE_FIELDS = (*MODEL_SOURCE_FIELDS, "facts", "bundled")


def verify(registry: Registry) -> list[Problem]:
    """Re-derive each figure's value, qualifier, unit and basis from its stated text and quote.

    A figure of a cited source has no quote: its basis cannot be read from words
    around it, so only value, qualifier and unit are checked.
    """
    problems = []
    # Every entry of every pack: a report merged into another as corroboration
    # states its figure in its own words, and those are checked too.
    for loaded in registry.packs:
        for fact in loaded.pack.facts:
            if isinstance(fact, Figure):
                problems += _verify_figure(fact, str(loaded.path))
    return problems


def _verify_figure(fact: Figure, file: str) -> list[Problem]:
    where = fact.ref
    stated = read_stated(fact.stated)
    if stated is None:
        return [Problem(file, where, f"no figure can be read from stated {fact.stated!r}")]
    problems = []
    if not math.isclose(stated.value, fact.value, rel_tol=1e-9):
        problems.append(
            Problem(file, where, f"value {fact.value} but {fact.stated!r} says {stated.value}")
        )
    if stated.qualifier != fact.qualifier:
        says = f"{fact.stated!r} says {stated.qualifier}"
        problems.append(Problem(file, where, f"qualifier {fact.qualifier} but {says}"))
    if stated.units and fact.unit not in stated.units:
        says = " or ".join(sorted(stated.units))
        problems.append(Problem(file, where, f"unit {fact.unit} but {fact.stated!r} says {says}"))
    if fact.quote is not None:
        basis = read_basis(fact.quote, fact.stated)
        if basis != fact.basis:
            problems.append(Problem(file, where, f"basis {fact.basis} but the quote says {basis}"))
    return problems


# -- indicators over time ---------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """An observation beside the one of the period before, and what changed."""

    observation: Fact
    previous: Fact | None
    comparison: Comparison | None  # None for statements or a first period

    @classmethod
    def between(cls, observation: Fact, previous: Fact | None) -> Change:
        from miitfacts.compare import compare_pair

        comparison = None
        if isinstance(observation, Figure) and isinstance(previous, Figure):
            comparison = compare_pair(observation, previous, "previous period")
        return cls(observation, previous, comparison)


def latest_and_previous(facts: Sequence[F]) -> list[tuple[F, F | None]]:
    """Each indicator among ``facts`` at its latest period, and the period before it.

    ``facts`` hold every selected period of each indicator, oldest first (as
    ``select`` returns them); superseded vintages are passed over.
    """
    by_id: dict[str, list[F]] = {}
    for fact in facts:
        current = by_id.setdefault(fact.id, [])
        if current and current[-1].span.key() == fact.span.key():
            current[-1] = fact  # a later vintage of the same period
        else:
            current.append(fact)
    return [(obs[-1], obs[-2] if len(obs) > 1 else None) for obs in by_id.values()]


def trends(facts: Sequence[Fact]) -> list[Change]:
    """Each indicator among ``facts`` at its latest period, beside the period before it."""
    return [Change.between(latest, previous) for latest, previous in latest_and_previous(facts)]


@dataclass(frozen=True)
class History:
    """One indicator over time: each period's latest vintage with its change, and revisions."""

    changes: list[Change]
    revisions: list[tuple[Fact, Fact]]  # (earlier vintage, the one that superseded it)


def history(registry: Registry, facts: Sequence[Fact]) -> History:
    """The history of the observations selected for one indicator."""
    latest = [f for f in facts if registry.superseded_by(f) is None]
    changes = [Change.between(fact, latest[i - 1] if i else None) for i, fact in enumerate(latest)]
    keys = {f.span.key() for f in facts}
    revisions = []
    for old in registry.history(facts[0].id) if facts else []:
        newer = registry.superseded_by(old)
        if newer is not None and old.span.key() in keys:
            revisions.append((old, newer))
    return History(changes, revisions)
