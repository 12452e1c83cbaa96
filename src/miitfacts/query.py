"""Filter and order facts: what ``list``, ``search`` and ``export`` share.

A :class:`Filters` names the values a fact must have (every filter given must
hold); :func:`apply` checks them against the registry, keeps the facts that
match, and sorts and cuts them as a :class:`Query` says. An unknown value is a
usage error that lists the valid ones. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from miitfacts.errors import UsageError
from miitfacts.models import UNITS, Basis, Figure, Kind, Qualifier

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from miitfacts.models import Fact
    from miitfacts.registry import Registry

KINDS: tuple[str, ...] = get_args(Kind)
BASES: tuple[str, ...] = get_args(Basis)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)
SORT_KEYS = ("id", "topic", "period", "value", "published")
T = TypeVar("T")


@dataclass(frozen=True)
class Filters:
    """Values a fact must have; ``None`` leaves that field free.

    ``topic`` is a topic id, name or alias (either Chinese script); ``tag`` is
    one of the fact's tags; ``source`` a source id (the fact's own source, or
    one that corroborates it).
    """

    topic: str | None = None
    kind: str | None = None
    unit: str | None = None
    basis: str | None = None
    qualifier: str | None = None
    tag: str | None = None
    source: str | None = None

    def active(self) -> bool:
        return any(getattr(self, f.name) is not None for f in dataclasses.fields(self))

    def checked(self, registry: Registry) -> Filters:
        """The same filters in canonical spelling; an unknown value is a :class:`UsageError`.

        Units, kinds, bases and qualifiers come from the pack format's vocabulary;
        tags and sources from the loaded packs. Case does not matter.
        """
        topic = None if self.topic is None else registry.topic(self.topic).id
        # Listing the known tags reads every vintage: only when a tag was asked for.
        tags = [] if self.tag is None else sorted({t for f in registry.vintages for t in f.tags})
        return Filters(
            topic=topic,
            kind=_choose("kind", self.kind, KINDS),
            unit=_choose("unit", self.unit, UNITS),
            basis=_choose("basis", self.basis, BASES),
            qualifier=_choose("qualifier", self.qualifier, QUALIFIERS),
            tag=_choose("tag", self.tag, tags),
            source=_choose("source", self.source, list(registry.sources)),
        )

    def matches(self, fact: Fact) -> bool:
        """Whether ``fact`` has every value given (call on :meth:`checked` filters)."""
        figure = fact if isinstance(fact, Figure) else None
        return (
            (self.topic is None or fact.topic == self.topic)
            and (self.kind is None or fact.kind == self.kind)
            and (self.unit is None or (figure is not None and figure.unit == self.unit))
            and (self.basis is None or fact.basis == self.basis)
            and (
                self.qualifier is None
                or (figure is not None and figure.qualifier == self.qualifier)
            )
            and (self.tag is None or self.tag in fact.tags)
            and (
                self.source is None
                or fact.source == self.source
                or self.source in fact.corroborated_by
            )
        )


def _choose(name: str, value: str | None, valid: Sequence[str]) -> str | None:
    """``value`` as ``valid`` spells it, matched without regard to case."""
    if value is None:
        return None
    wanted = value.strip().casefold()
    for choice in valid:
        if choice.casefold() == wanted:
            return choice
    import difflib  # only a miss needs suggestions

    listed = ", ".join(valid) if valid else "(none in the loaded packs)"
    near = difflib.get_close_matches(wanted, [c.casefold() for c in valid], n=1, cutoff=0.75)
    hint = f"did you mean {next(c for c in valid if c.casefold() == near[0])}? " if near else ""
    raise UsageError(f"--{name}: unknown value {value!r}; {hint}valid: {listed}")


@dataclass(frozen=True)
class Query:
    """Filters, then an order (``sort`` one of :data:`SORT_KEYS`), then at most ``limit``."""

    filters: Filters = Filters()
    sort: str | None = None
    reverse: bool = False
    limit: int | None = None

    def active(self) -> bool:
        """Whether the query changes anything (else the caller's own order stands)."""
        return self.filters.active() or self.sort is not None or self.limit is not None


def apply(registry: Registry, facts: Iterable[Fact], query: Query) -> list[Fact]:
    """The facts that pass ``query.filters``, in its order, at most ``query.limit`` of them.

    Without ``sort`` the given order stands (``reverse`` then reverses it). Sorting
    is stable: facts with equal keys keep their given order. Facts without a value
    (statements) come last when sorting by value, in either direction.
    """
    return apply_to(registry, facts, query, _itself)


def _itself(fact: Fact) -> Fact:
    return fact


def apply_to(
    registry: Registry, items: Iterable[T], query: Query, fact_of: Callable[[T], Fact]
) -> list[T]:
    """:func:`apply` for things that carry a fact (search hits): ``fact_of`` gives it."""
    if query.limit is not None and query.limit < 1:
        raise UsageError(f"--limit must be at least 1, not {query.limit}")
    filters = query.filters.checked(registry) if query.filters.active() else None
    chosen = [item for item in items if filters is None or filters.matches(fact_of(item))]
    if query.sort is not None:
        sort_key = _choose("sort", query.sort, SORT_KEYS)
        keyed = _KEYS[sort_key or "id"]
        keys = [(keyed(fact_of(item)), item) for item in chosen]
        present = [(k, item) for k, item in keys if k is not None]
        present.sort(key=lambda pair: pair[0], reverse=query.reverse)
        chosen = [item for _, item in present] + [item for k, item in keys if k is None]
    elif query.reverse:
        chosen.reverse()
    return chosen if query.limit is None else chosen[: query.limit]


_Key = tuple[Any, ...]
_KEYS: dict[str, Callable[[Fact], _Key | None]] = {
    # An indicator's periods in time order (a period's end, then its start).
    "id": lambda f: (f.id, f.span, f.published),
    "topic": lambda f: (f.topic,),
    "period": lambda f: (f.span,),
    "value": lambda f: (f.value,) if isinstance(f, Figure) else None,
    # The vintage: the date its source published it (ISO dates sort as text).
    "published": lambda f: (f.published,),
}
