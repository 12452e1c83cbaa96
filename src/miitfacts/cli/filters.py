"""The filter and order options of ``list``, ``search`` and ``export``, as one decorator.

``@query_options()`` adds ``--unit``, ``--basis``, ``--qualifier``, ``--tag``,
``--source``, ``--sort`` and ``--reverse`` (and ``--kind``, ``--limit`` when
asked) to a command's signature, so Typer shows them in ``--help``, and hands the
command one :class:`~miitfacts.query.Query` as ``criteria``. Values are checked by
the core (:func:`miitfacts.query.apply`), which lists the valid ones.
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from miitfacts.cli.common import completion_registry, keyword_option
from miitfacts.models import UNITS
from miitfacts.query import BASES, KINDS, QUALIFIERS, SORT_KEYS, Filters, Query

F = TypeVar("F", bound=Callable[..., Any])


def _registry_values(name: str) -> list[str]:
    registry = completion_registry()
    if registry is None:
        return []
    if name == "source":
        return list(registry.sources)
    return sorted({tag for fact in registry.facts for tag in fact.tags})


def _completer(name: str) -> Callable[[str], list[str]]:
    fixed = {"kind": KINDS, "unit": UNITS, "basis": BASES, "qualifier": QUALIFIERS}

    def complete(incomplete: str) -> list[str]:
        values = fixed[name] if name in fixed else _registry_values(name)
        return [v for v in values if v.casefold().startswith(incomplete.casefold())]

    return complete


def _value(name: str, what: str) -> inspect.Parameter:
    return keyword_option(
        name,
        str | None,
        None,
        f"--{name}",
        metavar=name.upper(),
        help=what,
        autocompletion=_completer(name),
    )


FILTER_PARAMS = [
    _value("unit", "Only figures in this unit (percent, CNY, enterprises, …)."),
    _value("basis", "Only reported, estimated or projected figures."),
    _value("qualifier", "Only this qualifier (exact, more_than, at_least, approximately, …)."),
    _value("tag", "Only facts with this tag."),
    _value("source", "Only facts stated (or corroborated) by this source id."),
    keyword_option(
        "sort",
        str | None,
        None,
        "--sort",
        metavar="|".join(SORT_KEYS),
        autocompletion=lambda incomplete: [k for k in SORT_KEYS if k.startswith(incomplete)],
        help="Order by this field (stable; facts without a value last).",
    ),
    keyword_option("reverse", bool, False, "--reverse", help="Reverse the order."),
]
KIND_PARAM = _value("kind", "Only figures or only statements.")
LIMIT_PARAM = keyword_option(
    "limit", int | None, None, "--limit", "-n", min=1, help="At most this many facts."
)


def query_options(*, kind: bool = False, limit: bool = False) -> Callable[[F], F]:
    """Give a command the filter and order options; it receives ``criteria: Query``.

    Apply it below ``@command(...)``, which then sees these options as the command's own.
    """
    extra = [*([KIND_PARAM] if kind else []), *FILTER_PARAMS, *([LIMIT_PARAM] if limit else [])]
    names = [p.name for p in extra]

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "criteria"]

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in names}
            filters = Filters(
                kind=values.get("kind"),
                unit=values["unit"],
                basis=values["basis"],
                qualifier=values["qualifier"],
                tag=values["tag"],
                source=values["source"],
            )
            query = Query(filters, values["sort"], values["reverse"], values.get("limit"))
            return fn(criteria=query, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=[*own, *extra])  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
