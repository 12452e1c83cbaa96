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
from miitfacts.models import Fact, Topic

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.registry import Registry

# Units whose ratio means something; a ratio of two rates or shares does not.
RATIO_UNITS = frozenset(
    {"CNY", "years", "enterprises", "factories", "products", "models", "technologies", "items"}
)
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
    def of(cls, fact: Fact) -> Interval:
        assert fact.value is not None and fact.qualifier is not None
        point = Decimal(repr(fact.value))
        match fact.qualifier:
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
                return cls(closed, closed, fact.qualifier == "approximately")

    def qualifier(self) -> str:
        """How a person would state this interval; ``indeterminate`` when unbounded both ways."""
        if self.low is not None and self.high is not None:
            if self.low.value == self.high.value:
                return "approximately" if self.approximate else "exact"
            return "between"
        if self.low is not None:
            return "more_than" if self.low.strict else "at_least"
        if self.high is not None:
            return "less_than" if self.high.strict else "at_most"
        return "indeterminate"

    def value(self) -> Decimal | None:
        """The one number that goes with the qualifier (the finite bound)."""
        bound = self.low or self.high
        return None if bound is None else bound.value

    def contains(self, x: Decimal) -> bool:
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
    whole = unit != "percent" and value == value.to_integral_value()
    return int(value) if whole else float(value)


@dataclass(frozen=True)
class Comparison:
    a: Fact
    b: Fact
    difference: Interval
    ratio: Interval | None  # None where a ratio means nothing (rates, shares)
    reason: str  # "baseline" or "same unit"

    @property
    def unit(self) -> str:
        assert self.a.unit is not None
        return self.a.unit

    @property
    def basis(self) -> str:
        bases = {self.a.basis, self.b.basis}
        return next((b for b in ("projected", "estimated") if b in bases), "reported")

    def record(self) -> dict[str, Any]:
        ratio_value = None if self.ratio is None else self.ratio.value()
        return {
            "a": self.a.id,
            "b": self.b.id,
            "unit": self.unit,
            "difference": _number(self.difference.value(), self.unit),
            "difference_unit": "percentage_points" if self.unit == "percent" else self.unit,
            "qualifier": self.difference.qualifier(),
            "ratio": None if ratio_value is None else float(ratio_value),
            "ratio_qualifier": None if self.ratio is None else self.ratio.qualifier(),
            "basis": self.basis,
            "reason": self.reason,
        }


# What a note says, in each language the output speaks; JSON carries the English.
NOTE_TEXT = {
    "en": {
        "statements": "statements have no value and are not compared: {ids}",
        "neighbours": "{count} figures in {unit}: each is compared with the next only",
        "units": "figures in different units ({units}) are shown side by side "
        "but never subtracted or divided",
        "indeterminate": "{a} and {b} are both bounds in the same direction: "
        "their difference and ratio are not determined",
        "basis": "{a} vs {b} rests on a {basis} figure",
    },
    "zh": {
        "statements": "陳述沒有數值, 不作比較: {ids}",
        "neighbours": "{unit} 共 {count} 個數字: 每個只與下一個比較",
        "units": "單位不同的數字 ({units}) 只並列顯示, 不相減也不相除",
        "indeterminate": "{a} 與 {b} 都是同一方向的界限: 差與倍數無法確定",
        "basis": "{a} 與 {b} 的比較基於{basis}數字",
    },
}
_BASIS_ZH = {"projected": "預計", "estimated": "測算"}


@dataclass(frozen=True)
class Note:
    kind: str
    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, kind: str, **values: object) -> Note:
        return cls(kind, tuple((k, str(v)) for k, v in values.items()))

    def text(self, lang: str = "en") -> str:
        values = dict(self.values)
        if lang == "zh" and "basis" in values:
            values["basis"] = _BASIS_ZH.get(values["basis"], values["basis"])
        return NOTE_TEXT[lang][self.kind].format(**values)


@dataclass
class ComparisonResult:
    facts: list[Fact]
    comparisons: list[Comparison]
    notes: list[Note] = field(default_factory=list)
    topic: Topic | None = None

    def document(self, fact_records: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "facts": fact_records,
            "comparisons": [c.record() for c in self.comparisons],
            "notes": [note.text() for note in self.notes],
        }

    def unit_groups(self) -> dict[str, list[Fact]]:
        groups: dict[str, list[Fact]] = {}
        for fact in self.facts:
            if fact.unit is not None:
                groups.setdefault(fact.unit, []).append(fact)
        return groups


def compare_pair(a: Fact, b: Fact, reason: str = "same unit") -> Comparison:
    if a.unit != b.unit:
        raise UsageError(f"{a.id} ({a.unit}) and {b.id} ({b.unit}) are in different units")
    ia, ib = Interval.of(a), Interval.of(b)
    can_divide = a.unit in RATIO_UNITS
    return Comparison(a, b, difference(ia, ib), ratio(ia, ib) if can_divide else None, reason)


def _pairs(figures: Sequence[Fact]) -> list[tuple[Fact, Fact]]:
    if len(figures) <= ALL_PAIRS_LIMIT:
        return [(a, b) for i, a in enumerate(figures) for b in figures[i + 1 :]]
    return list(pairwise(figures))


def compare(registry: Registry, targets: Sequence[str]) -> ComparisonResult:
    """Compare a topic's figures (one topic target) or the named facts (several targets)."""
    if not targets:
        raise UsageError("name a topic or at least two fact ids to compare")
    from miitfacts.core import select, unique_facts

    selections = select(registry, targets)
    topic = selections[0].topic if len(selections) == 1 else None
    chosen = unique_facts(selections)
    figures = [f for f in chosen if f.kind == "figure"]
    notes: list[Note] = []
    statements = [f.id for f in chosen if f.kind != "figure"]
    if statements and topic is None:
        notes.append(Note.of("statements", ids=", ".join(statements)))

    comparisons: list[Comparison] = []
    facts = list(figures)
    if topic is not None:
        # A topic's figures meet their baselines (which may lie in another topic).
        for fact in figures:
            baseline = registry.get_fact(fact.baseline) if fact.baseline else None
            if baseline is not None and baseline.kind == "figure" and baseline.unit == fact.unit:
                if baseline not in facts:
                    facts.append(baseline)
                comparisons.append(compare_pair(fact, baseline, "baseline"))
    if len(facts) < 2:
        what = f"topic {topic.id} has" if topic is not None else "the facts named include"
        shown = ", ".join(f.id for f in figures) or "none"
        raise UsageError(f"{what} fewer than two figures to compare (figures: {shown})")

    done = {(c.a.id, c.b.id) for c in comparisons} | {(c.b.id, c.a.id) for c in comparisons}
    groups: dict[str, list[Fact]] = {}
    for fact in figures:
        assert fact.unit is not None
        groups.setdefault(fact.unit, []).append(fact)
    for unit, members in groups.items():
        if topic is not None:
            # Largest first, so differences read as "more than N".
            members = sorted(members, key=lambda f: (-(f.value or 0), f.id))
        if len(members) > ALL_PAIRS_LIMIT:
            notes.append(Note.of("neighbours", count=len(members), unit=unit))
        for a, b in _pairs(members):
            if (a.id, b.id) not in done:
                comparisons.append(compare_pair(a, b))
    if len(groups) > 1:
        notes.append(Note.of("units", units=", ".join(groups)))
    for c in comparisons:
        if c.difference.qualifier() == "indeterminate":
            notes.append(Note.of("indeterminate", a=c.a.id, b=c.b.id))
        if c.basis != "reported":
            notes.append(Note.of("basis", a=c.a.id, b=c.b.id, basis=c.basis))
    return ComparisonResult(facts, comparisons, notes, topic)
