"""Honest comparisons: like units only, bounds carried through, baselines first.

A figure stands for an interval: ``more than 140,000`` is (140000, ∞), ``17,600``
is [17600, 17600]. A difference or ratio is computed on the intervals, so what
is reported admits every value the bounds allow and nothing is invented: two
lower bounds have no determinate difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from miitfacts.errors import UsageError
from miitfacts.models import UNITS, Figure, Topic

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.core import TimeFilter
    from miitfacts.registry import Registry

# Units whose differences are in points: percent gives percentage points.
POINT_UNITS = {"percent": "percentage_points"}
# Units whose ratio means something: not rates or shares, whose ratio does not.
RATIO_UNITS = frozenset(UNITS) - {"percent", "percentage-points"}
# Beyond this many figures of one unit, compare neighbours only (n² pairs help nobody).
ALL_PAIRS_LIMIT = 8


@dataclass(frozen=True)
class Bound:
    value: Decimal
    strict: bool  # "more than" / "less than" rather than "at least" / "at most"


@dataclass(frozen=True)
class Interval:
    """The values a figure (or a result) may have; ``None`` is unbounded."""

    low: Bound | None
    high: Bound | None
    approximate: bool = False

    @classmethod
    def of(cls, figure: Figure) -> Interval:
        point = Decimal(repr(figure.value))
        match figure.qualifier:
            case "more_than":
                return cls(Bound(point, True), None)
            case "at_least":
                return cls(Bound(point, False), None)
            case "less_than":
                return cls(None, Bound(point, True))
            case "at_most":
                return cls(None, Bound(point, False))
            case _:
                closed = Bound(point, False)
                return cls(closed, closed, figure.qualifier == "approximately")

    def qualifier(self) -> str:
        """How a person would state this interval; ``indeterminate`` unless it has one bound.

        Results of figures with at most one bound each never have two different
        finite bounds, so "between" cannot arise.
        """
        if self.low is not None and self.high is not None and self.low.value == self.high.value:
            return "approximately" if self.approximate else "exact"
        if self.low is not None and self.high is None:
            return "more_than" if self.low.strict else "at_least"
        if self.high is not None and self.low is None:
            return "less_than" if self.high.strict else "at_most"
        return "indeterminate"

    def value(self) -> Decimal | None:
        """The one number that goes with the qualifier (the finite bound)."""
        if self.qualifier() == "indeterminate":
            return None
        bound = self.low or self.high
        return None if bound is None else bound.value

    def contains(self, x: Decimal) -> bool:
        """Whether ``x`` is a value the interval allows (the property tests' oracle)."""
        above = self.low is None or (x > self.low.value if self.low.strict else x >= self.low.value)
        below = self.high is None or (
            x < self.high.value if self.high.strict else x <= self.high.value
        )
        return above and below


def _combine(a: Bound | None, b: Bound | None, op: str) -> Bound | None:
    if a is None or b is None:
        return None
    if op == "-":
        return Bound(a.value - b.value, a.strict or b.strict)
    if b.value <= 0:
        return None
    return Bound(a.value / b.value, a.strict or b.strict)


def difference(a: Interval, b: Interval) -> Interval:
    """Every a − b the two intervals allow."""
    return Interval(
        _combine(a.low, b.high, "-"), _combine(a.high, b.low, "-"), a.approximate or b.approximate
    )


def ratio(a: Interval, b: Interval) -> Interval:
    """Every a / b the two (positive) intervals allow."""
    low = _combine(a.low, b.high, "/")
    if low is not None and low.value <= 0:
        low = None
    return Interval(low, _combine(a.high, b.low, "/"), a.approximate or b.approximate)


def _number(value: Decimal | None, unit: str) -> int | float | None:
    if value is None:
        return None
    # Counts stay whole; percentage points keep their decimal point (1.0, not 1).
    whole = unit not in POINT_UNITS and value == value.to_integral_value()
    return int(value) if whole else float(value)


COMPARISON_FIELDS = (
    "a",
    "b",
    "a_period",
    "b_period",
    "a_published",
    "b_published",
    "unit",
    "difference",
    "difference_unit",
    "qualifier",
    "ratio",
    "ratio_qualifier",
    "growth",
    "basis",
    "reason",
)


@dataclass(frozen=True)
class Comparison:
    a: Figure
    b: Figure
    difference: Interval
    ratio: Interval | None  # None where a ratio means nothing (rates, shares)
    # "baseline", "same unit", "previous period", "earlier period" (periods between
    # them left out by --period) or "revision" (a vintage against the one it replaced)
    reason: str

    @property
    def unit(self) -> str:
        return self.a.unit

    @property
    def basis(self) -> str:
        bases = {self.a.basis, self.b.basis}
        return next((b for b in ("projected", "estimated") if b in bases), "reported")

    def growth(self) -> Decimal | None:
        """Growth from b to a in percent (ratio − 1), for counts and money."""
        value = None if self.ratio is None else self.ratio.value()
        return None if value is None else (value - 1) * 100

    def record(self) -> dict[str, Any]:
        ratio_value = None if self.ratio is None else self.ratio.value()
        growth = self.growth()
        return {
            "a": self.a.ref,
            "b": self.b.ref,
            "a_period": self.a.period,
            "b_period": self.b.period,
            "a_published": self.a.published,
            "b_published": self.b.published,
            "unit": self.unit,
            "difference": _number(self.difference.value(), self.unit),
            "difference_unit": POINT_UNITS.get(self.unit, self.unit),
            "qualifier": self.difference.qualifier(),
            "ratio": None if ratio_value is None else float(ratio_value),
            "ratio_qualifier": None if self.ratio is None else self.ratio.qualifier(),
            "growth": None if growth is None else round(float(growth), 4),
            "basis": self.basis,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Note:
    kind: str
    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, kind: str, **values: object) -> Note:
        return cls(kind, tuple((k, str(v)) for k, v in values.items()))

    def text(self, lang: str = "en") -> str:
        """The note in ``lang`` (``en`` or ``zh``); the words live in ``messages``."""
        from miitfacts.messages import note_text

        return note_text(self.kind, lang, **dict(self.values))


@dataclass
class ComparisonResult:
    facts: list[Figure]
    comparisons: list[Comparison]
    notes: list[Note] = field(default_factory=list)
    topic: Topic | None = None

    def document(self, fact_records: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "facts": fact_records,
            "comparisons": [c.record() for c in self.comparisons],
            "notes": [note.text() for note in self.notes],
        }

    def unit_groups(self) -> dict[str, list[Figure]]:
        groups: dict[str, list[Figure]] = {}
        for fact in self.facts:
            groups.setdefault(fact.unit, []).append(fact)
        return groups


def compare_pair(a: Figure, b: Figure, reason: str = "same unit") -> Comparison:
    if a.unit != b.unit:
        raise UsageError(f"{a.ref} ({a.unit}) and {b.ref} ({b.unit}) are in different units")
    ia, ib = Interval.of(a), Interval.of(b)
    can_divide = a.unit in RATIO_UNITS
    return Comparison(a, b, difference(ia, ib), ratio(ia, ib) if can_divide else None, reason)


def _pairs(figures: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    if len(figures) <= ALL_PAIRS_LIMIT:
        return [(a, b) for i, a in enumerate(figures) for b in figures[i + 1 :]]
    return list(pairwise(figures))


@dataclass
class _Plan:
    """What a compare call puts side by side, gathered before any arithmetic."""

    topic: Topic | None = None
    figures: list[Figure] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    _shown: set[Figure] = field(default_factory=set)
    # Observations, not refs: two vintages of one period share a ref.
    _paired: set[tuple[int, int]] = field(default_factory=set)

    def show(self, figure: Figure) -> None:
        if figure not in self._shown:
            self._shown.add(figure)
            self.figures.append(figure)

    def add(self, a: Figure, b: Figure, reason: str) -> None:
        if a is b or (id(a), id(b)) in self._paired:
            return
        self._paired |= {(id(a), id(b)), (id(b), id(a))}
        self.show(a)
        self.show(b)
        self.comparisons.append(compare_pair(a, b, reason))


def compare(
    registry: Registry, targets: Sequence[str], time: TimeFilter | None = None
) -> ComparisonResult:
    """Compare figures: a topic's (same period, baselines, change since the previous
    period), one indicator's periods each against the one before, or the named ones."""
    if not targets:
        raise UsageError("name a topic or at least two fact ids to compare")
    from miitfacts.core import select

    selections = select(registry, targets, time)
    plan = _Plan()
    topics = [s.topic for s in selections if s.topic is not None]
    plan.topic = topics[0] if len(topics) == 1 else None
    named: list[Figure] = []
    for selection in selections:
        figures = [f for f in selection.facts if isinstance(f, Figure)]
        plan.statements += [f.id for f in selection.facts if not isinstance(f, Figure)]
        if selection.topic is not None:
            _topic_comparisons(registry, plan, figures)
        elif (selection.indicator or time_all_vintages(time)) and len(selections) == 1:
            for figure in figures:
                plan.show(figure)  # oldest period first
            _over_time(registry, plan, figures)
        elif figures:
            named.append(figures[-1])
    for figure in named:
        plan.show(figure)
    _same_unit_comparisons(plan, named, largest_first=False)
    if plan.statements and plan.topic is None:
        plan.notes.insert(0, Note.of("statements", ids=", ".join(dict.fromkeys(plan.statements))))
    if len(plan.figures) < 2:
        what = f"topic {plan.topic.id} has" if plan.topic is not None else "the facts named include"
        shown = ", ".join(f.ref for f in plan.figures) or "none"
        raise UsageError(f"{what} fewer than two figures to compare (figures: {shown})")
    units = list(dict.fromkeys(f.unit for f in plan.figures))
    if len(units) > 1:
        plan.notes.append(Note.of("units", units=", ".join(units)))
    for c in plan.comparisons:
        plan.notes += _pair_notes(registry, c)
    return ComparisonResult(plan.figures, plan.comparisons, plan.notes, plan.topic)


def time_all_vintages(time: TimeFilter | None) -> bool:
    return time is not None and time.all_vintages


def _over_time(registry: Registry, plan: _Plan, figures: Sequence[Figure]) -> None:
    """One indicator: each period against the one before; each revision against the
    vintage it replaced (with --all-vintages)."""
    latest = [f for f in figures if registry.superseded_by(f) is None]
    series = registry.series(figures[0].id) if figures else []
    position = {f.span.key(): i for i, f in enumerate(series)}
    for previous, current in pairwise(latest):
        adjacent = position[current.span.key()] - position[previous.span.key()] == 1
        plan.add(current, previous, "previous period" if adjacent else "earlier period")
    for old in figures:
        newer = registry.superseded_by(old)
        if isinstance(newer, Figure) and newer in figures:
            plan.add(newer, old, "revision")


def _topic_comparisons(registry: Registry, plan: _Plan, figures: Sequence[Figure]) -> None:
    """A topic: each indicator at its latest period against its baseline and the
    others of its unit and period, then against its own previous period."""
    from miitfacts.core import latest_and_previous

    pairs = latest_and_previous(figures)
    latest = [figure for figure, _ in pairs]
    for figure in latest:
        plan.show(figure)
    for _, previous in pairs:
        if previous is not None:
            plan.show(previous)
    for figure in latest:
        baseline = _baseline(registry, figure)
        if baseline is not None:
            plan.add(figure, baseline, "baseline")
    _same_unit_comparisons(plan, latest, largest_first=True)
    for figure, previous in pairs:
        if previous is not None:
            plan.add(figure, previous, "previous period")


def _baseline(registry: Registry, figure: Figure) -> Figure | None:
    """The baseline indicator's observation for the same period, in the same unit."""
    if figure.baseline is None:
        return None
    found = registry.get_observation(f"{figure.baseline}@{figure.period}")
    if isinstance(found, Figure) and found.unit == figure.unit:
        return found
    return None


def _same_unit_comparisons(plan: _Plan, figures: Sequence[Figure], *, largest_first: bool) -> None:
    groups: dict[tuple[str, str], list[Figure]] = {}
    for figure in figures:
        # Named observations of one unit are compared whatever their periods;
        # a topic's indicators only within one period.
        period = figure.period if largest_first else ""
        groups.setdefault((figure.unit, period), []).append(figure)
    for (unit, _), members in groups.items():
        if largest_first:
            # Largest first, so differences read as "more than N".
            members = sorted(members, key=lambda f: (-f.value, f.id))
        if len(members) > ALL_PAIRS_LIMIT:
            plan.notes.append(Note.of("neighbours", count=len(members), unit=unit))
        for a, b in _pairs(members):
            plan.add(a, b, "same unit")


def _pair_notes(registry: Registry, c: Comparison) -> list[Note]:
    a, b = c.a.ref, c.b.ref
    notes = []
    if c.difference.qualifier() == "indeterminate":
        notes.append(Note.of("indeterminate", a=a, b=b))
    if c.basis != "reported":
        notes.append(Note.of("basis", a=a, b=b, basis=c.basis))
    if c.a.source != c.b.source:
        source_a, source_b = (registry.sources[x.source] for x in (c.a, c.b))
        notes.append(
            Note.of(
                "sources",
                a=a,
                b=b,
                source_a=f"{source_a.publisher_en}, {source_a.date}",
                source_b=f"{source_b.publisher_en}, {source_b.date}",
                # The Chinese note names the outlets as they name themselves.
                source_a_zh=f"{source_a.publisher}, {source_a.date}",
                source_b_zh=f"{source_b.publisher}, {source_b.date}",
            )
        )
    if c.a.note != c.b.note:
        scope = "; ".join(f"{x.ref}: {x.note.rstrip('.')}" for x in (c.a, c.b) if x.note)
        notes.append(Note.of("scope", a=a, b=b, scope=scope))
    return notes
