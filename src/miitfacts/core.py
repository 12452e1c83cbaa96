"""What each command shows, as data: resolution, selection, summaries, verification.

Nothing here prints; the CLI renders what these functions return.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from miitfacts.errors import Problem, UsageError
from miitfacts.models import Fact, Source, Topic
from miitfacts.numbers import read_basis, read_stated
from miitfacts.registry import bundled_data_dir

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from miitfacts.output import Record
    from miitfacts.registry import Registry


def figures_first(facts: Iterable[Fact]) -> list[Fact]:
    """Figures, then statements, each in source order."""
    facts = list(facts)
    return [f for f in facts if f.kind == "figure"] + [f for f in facts if f.kind != "figure"]


@dataclass(frozen=True)
class Selection:
    """One ``show`` target: a topic with its facts, or a single fact."""

    target: str
    topic: Topic | None
    facts: list[Fact]


def select(registry: Registry, targets: Sequence[str]) -> list[Selection]:
    """Resolve every target before anything is shown, so a bad one shows nothing."""
    selections = []
    for target in targets:
        if not target.strip():
            raise UsageError("an empty target names nothing; try 'miitfacts topics'")
        found = registry.resolve(target)
        if isinstance(found, Topic):
            selections.append(Selection(target, found, figures_first(registry.facts_in(found.id))))
        else:
            selections.append(Selection(target, None, [found]))
    return selections


def unique_facts(selections: Sequence[Selection]) -> list[Fact]:
    seen: set[str] = set()
    out = []
    for selection in selections:
        for fact in selection.facts:
            if fact.id not in seen:
                seen.add(fact.id)
                out.append(fact)
    return out


def list_facts(registry: Registry, topic: str | None = None, kind: str | None = None) -> list[Fact]:
    facts: Iterable[Fact] = registry.facts
    if topic is not None:
        facts = registry.facts_in(registry.topic(topic).id)
    return [f for f in facts if kind is None or f.kind == kind]


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
    for fact in registry.facts:
        counts[fact.source] = counts.get(fact.source, 0) + 1
    bundled_dir = bundled_data_dir().resolve()
    bundled = {p.pack.source.id for p in registry.packs if p.path.resolve().parent == bundled_dir}
    rows = []
    for source in registry.sources.values():
        row = source.record()
        row["facts"] = counts.get(source.id, 0)
        row["bundled"] = source.id in bundled
        rows.append(row)
    return rows


SOURCE_FIELDS = (
    *(f.name for f in dataclasses.fields(Source) if f.name != "speakers"),
    "facts",
    "bundled",
)


def verify(registry: Registry) -> list[Problem]:
    """Re-derive each figure's value, qualifier, unit and basis from its stated text and quote."""
    problems = []
    paths = {p.pack.source.id: str(p.path) for p in registry.packs}
    for fact in registry.facts:
        if fact.kind != "figure" or fact.stated is None or fact.value is None:
            continue
        where, file = fact.id, paths[fact.source]
        stated = read_stated(fact.stated)
        if stated is None:
            problems.append(
                Problem(file, where, f"no figure can be read from stated {fact.stated!r}")
            )
            continue
        if not math.isclose(stated.value, fact.value, rel_tol=1e-9):
            problems.append(
                Problem(file, where, f"value {fact.value} but {fact.stated!r} says {stated.value}")
            )
        if stated.qualifier != fact.qualifier:
            problems.append(
                Problem(
                    file,
                    where,
                    f"qualifier {fact.qualifier} but {fact.stated!r} says {stated.qualifier}",
                )
            )
        if stated.units and fact.unit not in stated.units:
            says = " or ".join(sorted(stated.units))
            problems.append(
                Problem(file, where, f"unit {fact.unit} but {fact.stated!r} says {says}")
            )
        basis = read_basis(fact.quote, fact.stated)
        if basis != fact.basis:
            problems.append(Problem(file, where, f"basis {fact.basis} but the quote says {basis}"))
    return problems
