"""miitfacts: official Chinese industrial-policy figures, exact, citable and comparable.

The Python API is the same core the CLI uses::

    import miitfacts
    registry = miitfacts.load()
    registry.fact("sme.little-giants").value                # 17600 (its latest period)
    [f.period for f in registry.series("industry.value-added-growth")]
    registry.fact("no.such-fact")                            # NotFoundError (a LookupError)

    from miitfacts.search import search
    search(registry, "小巨人")[0].fact.id                    # 'sme.little-giants'
    from miitfacts.compare import compare
    compare(registry, ["sme"]).comparisons[0].record()

Every object is a frozen dataclass: :class:`Figure` (a value with unit, qualifier
and the text as stated) or :class:`Statement` (a claim or plan), their
:class:`Source` and :class:`Topic`; search returns :class:`SearchHit` and compare
a :class:`ComparisonResult`. Importing the package loads nothing else: search,
compare, query and export are imported when used.
"""

# No ``from __future__ import annotations``: it imports a module, and importing
# this package must import nothing (annotations below are strings instead).
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence
    from pathlib import Path

    from miitfacts.compare import Comparison, ComparisonResult
    from miitfacts.errors import ExitStatus, MiitfactsError, NotFoundError, PackError, Problem
    from miitfacts.models import Fact, Figure, Pack, PeriodSpan, Source, Statement, Topic
    from miitfacts.query import Filters, Query
    from miitfacts.registry import Registry
    from miitfacts.search import SearchHit

__version__ = "0.1.0"
__all__ = [
    "Comparison",
    "ComparisonResult",
    "ExitStatus",
    "Fact",
    "Figure",
    "Filters",
    "MiitfactsError",
    "NotFoundError",
    "Pack",
    "PackError",
    "PeriodSpan",
    "Problem",
    "Query",
    "Registry",
    "SearchHit",
    "Source",
    "Statement",
    "Topic",
    "__version__",
    "load",
]

# Every name is imported only when asked for, so that ``import miitfacts``
# imports nothing else: every CLI start stays cheap, and the command's Ctrl-C
# handling (in ``miitfacts.__main__``) is in place before any real import.
_LAZY = {
    "Comparison": "miitfacts.compare",
    "ComparisonResult": "miitfacts.compare",
    "ExitStatus": "miitfacts.errors",
    "Fact": "miitfacts.models",
    "Figure": "miitfacts.models",
    "Filters": "miitfacts.query",
    "MiitfactsError": "miitfacts.errors",
    "NotFoundError": "miitfacts.errors",
    "Pack": "miitfacts.models",
    "PackError": "miitfacts.errors",
    "PeriodSpan": "miitfacts.models",
    "Problem": "miitfacts.errors",
    "Query": "miitfacts.query",
    "Registry": "miitfacts.registry",
    "SearchHit": "miitfacts.search",
    "Source": "miitfacts.models",
    "Statement": "miitfacts.models",
    "Topic": "miitfacts.models",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'miitfacts' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def load(
    data: "Sequence[Path | str]" = (),
    *,
    use_env: bool = True,
    skip_invalid: bool = False,
    warnings: "list[Problem] | None" = None,
    as_of: "dt.date | str | None" = None,
    use_cache: bool = True,
) -> "Registry":
    """The bundled packs, then ``MIITFACTS_DATA`` (if ``use_env``), then ``data``.

    ``as_of`` (a date or ``YYYY-MM-DD``) keeps only what had been published by
    then, as ``--as-of`` does. Raises :class:`PackError` for an invalid pack
    (with ``skip_invalid`` it is left out and its problems go to ``warnings``).
    ``use_cache=False`` checks every pack from its file, without the derived cache.
    """
    from pathlib import Path

    from miitfacts.models import parse_date
    from miitfacts.registry import bundled_data_dir, env_data_paths, load_registry

    paths = [bundled_data_dir(), *(env_data_paths() if use_env else []), *map(Path, data)]
    registry = load_registry(
        paths, skip_invalid=skip_invalid, warnings=warnings, use_cache=use_cache
    )
    if isinstance(as_of, str):
        as_of = parse_date(as_of)
    return registry if as_of is None else registry.at(as_of)
