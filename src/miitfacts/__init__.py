"""miitfacts: official Chinese industrial-policy figures, exact, citable and comparable.

The Python API is the same core the CLI uses::

    import miitfacts
    registry = miitfacts.load()
    registry.fact("sme.little-giants").value          # 17600
    [f.id for f in registry.facts_in("6g")]
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from miitfacts.errors import ExitStatus, MiitfactsError, NotFoundError, PackError, Problem
    from miitfacts.models import Fact, Pack, Source, Topic
    from miitfacts.registry import Registry

__version__ = "0.1.0"
__all__ = [
    "ExitStatus",
    "Fact",
    "MiitfactsError",
    "NotFoundError",
    "Pack",
    "PackError",
    "Problem",
    "Registry",
    "Source",
    "Topic",
    "__version__",
    "load",
]


# The API's names are imported on first use, so that ``import miitfacts`` (the
# first step of the ``miitfacts`` command, before its Ctrl-C handling is in
# place) imports nothing else.
_LAZY = {
    "ExitStatus": "miitfacts.errors",
    "MiitfactsError": "miitfacts.errors",
    "NotFoundError": "miitfacts.errors",
    "PackError": "miitfacts.errors",
    "Problem": "miitfacts.errors",
    "Fact": "miitfacts.models",
    "Pack": "miitfacts.models",
    "Source": "miitfacts.models",
    "Topic": "miitfacts.models",
    "Registry": "miitfacts.registry",
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
    data: Sequence[Path | str] = (),
    *,
    use_env: bool = True,
    skip_invalid: bool = False,
    warnings: list[Problem] | None = None,
    use_cache: bool = True,
) -> Registry:
    """The bundled packs, then ``MIITFACTS_DATA`` (if ``use_env``), then ``data``.

    ``use_cache=False`` checks every pack from its file, without the derived cache.
    """
    from pathlib import Path

    from miitfacts.registry import Registry, bundled_data_dir, env_data_paths, load_packs

    paths = [bundled_data_dir(), *(env_data_paths() if use_env else []), *map(Path, data)]
    packs = load_packs(paths, skip_invalid=skip_invalid, warnings=warnings, use_cache=use_cache)
    return Registry(packs)
