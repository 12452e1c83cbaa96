"""Start-up shortcuts: the lazy command table and Typer's coercion without pydantic.

No timings here (see benchmarks/): these check that the shortcuts change nothing.
"""

from __future__ import annotations

import importlib
import itertools
import os
import subprocess
import sys
from array import array
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click import Context
from typer._coercion import build_runtime_param

import miitfacts
from miitfacts import cache
from miitfacts import registry as registry_module
from miitfacts.cli import COMMAND_MODULES, Group, _QuickCoercion, app
from miitfacts.models import PACK_FIELDS
from miitfacts.registry import Registry


def test_the_command_table_names_every_command_of_every_module() -> None:
    modules = dict.fromkeys(COMMAND_MODULES.values())
    registered = {}
    for module in modules:
        for info in importlib.import_module(f"miitfacts.cli.{module}").app.registered_commands:
            name = info.name or typer.main.get_command_name(info.callback.__name__)
            registered[name] = module
    assert registered == COMMAND_MODULES


def test_a_command_imports_only_its_own_module(tmp_path: Path) -> None:
    """With the cache warm, ``show`` imports neither the other commands nor pydantic."""
    code = (
        "import sys; from miitfacts.cli import main; sys.argv=['miitfacts','show','6g','--json'];\n"
        "try: main()\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('miitfacts.cli.search', 'miitfacts.cli.compare',"
        " 'miitfacts.cli.cite', 'miitfacts.cli.data', 'miitfacts.cli.export', 'pydantic',"
        " 'sqlite3') if m in sys.modules), file=sys.stderr)"
    )
    env = {**os.environ, "MIITFACTS_CACHE": str(tmp_path)}
    for _ in range(2):  # the first run fills the cache
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
    assert result.stderr.strip() == "[]"


def _params() -> list[tuple[str, Any]]:
    group = typer.main.get_command(app)
    assert isinstance(group, Group)
    ctx = Context(group)
    found = []
    for name in COMMAND_MODULES:
        command = group.commands[name]
        found += [(f"{name} {p.name}", p) for p in command.get_params(ctx) if p.name != "help"]
    return found


def _samples(param: Any) -> list[Any]:
    annotation = param.type_descriptor.annotation
    values: list[Any] = [None, "x", "", "JSON", ("a", "b"), ["a"], (), 3, b"x", True]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values += list(annotation)
    return values


@pytest.mark.parametrize(
    ("name", "param"), _params(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_the_quick_coercion_gives_what_typer_gives(name: str, param: Any) -> None:
    ctx = Context(typer.main.get_command(app))
    quick = _QuickCoercion(param)
    full = build_runtime_param(param.type_descriptor)
    for value in _samples(param):
        try:
            expected: Any = ("value", full.coerce(value, param=param, ctx=ctx))
        except Exception as exc:  # the same error, in the same words
            expected = ("error", type(exc), str(exc))
        try:
            got: Any = ("value", quick.coerce(value, param=param, ctx=ctx))
        except Exception as exc:
            got = ("error", type(exc), str(exc))
        assert got == expected, (name, value)
        if got[0] == "value":
            assert type(got[1]) is type(expected[1]), (name, value)


# -- the registry index: a large load read back one indicator at a time -------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _state(registry: Registry) -> Any:
    """Everything a command can see of a registry, as plain data."""
    by_topic = {t: [registry.record(f) for f in registry.facts_in(t)] for t in registry.topics}
    ids = [fact.id for fact in registry.vintages]
    return (
        by_topic,
        [registry.record(f) for f in registry.facts],
        [registry.record(f) for f in registry.vintages],
        {i: [f.ref for f in registry.series(i)] for i in ids},
        {i: [registry.record(f) for f in registry.history(i)] for i in ids},
        [s.record() for s in registry.sources.values()],
        list(registry.topics.values()),
        {s: registry.source_text(s) for s in registry.sources if registry.sources[s].quoted},
        registry.digest,
        registry.completion_keys(),
        registry.suggest("sme.litle-giants"),
    )


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Every load is indexed; the bundled packs and the example series (with revisions)."""
    monkeypatch.setattr(registry_module, "INDEX_MIN_FACTS", 0)
    monkeypatch.setenv("MIITFACTS_CACHE", str(tmp_path / "cache"))
    return [EXAMPLES / "series"]


def _entry(kind: str) -> Path:
    folder = cache.cache_dir()
    assert folder is not None
    (entry,) = folder.glob(f"{kind}-*.bin")
    return entry


def test_a_registry_read_from_its_index_is_the_one_built_from_the_packs(
    indexed: list[Path],
) -> None:
    expected = _state(miitfacts.load(indexed, use_env=False, use_cache=False))
    first = miitfacts.load(indexed, use_env=False)  # builds and stores the index
    assert first._index is None
    lookup = miitfacts.load(indexed, use_env=False)
    assert lookup._index is not None
    # One indicator alone, before anything else is decoded.
    some = first.vintages[len(first.vintages) // 2]
    assert [lookup.record(f) for f in lookup.history(some.id)] == [
        first.record(f) for f in first.history(some.id)
    ]
    assert _state(lookup) == expected
    assert [p.digest for p in lookup.packs] == [p.digest for p in first.packs]
    as_of = lookup.at(some.span.end)
    assert _state(as_of) == _state(first.at(some.span.end))


def test_a_damaged_index_is_never_served(indexed: list[Path]) -> None:
    expected = _state(miitfacts.load(indexed, use_env=False, use_cache=False))
    miitfacts.load(indexed, use_env=False)
    entry = _entry("index")
    raw = entry.read_bytes()
    for damaged in (raw[: len(raw) // 2], raw[:-1] + bytes([raw[-1] ^ 1]), b"x"):
        entry.write_bytes(damaged)
        registry = miitfacts.load(indexed, use_env=False)
        assert registry._index is None  # rebuilt from the packs
        assert _state(registry) == expected
        assert miitfacts.load(indexed, use_env=False)._index is not None  # stored again


@pytest.mark.parametrize("which", ["every", "last"])
def test_an_index_row_of_the_wrong_shape_makes_the_registry_start_over(
    indexed: list[Path], which: str
) -> None:
    """A wrong row under a valid check: in every indicator (found on the first
    lookup), or in the last alone (found half-way through listing them all)."""
    import marshal

    expected = _state(miitfacts.load(indexed, use_env=False, use_cache=False))
    miitfacts.load(indexed, use_env=False)
    entry = _entry("index")
    header = len(cache._MAGIC) + cache._CHECK_BYTES
    stored = marshal.loads(entry.read_bytes()[header:])
    ids = stored["ids"].split("\n")
    key = next(k for k in _keys(indexed) if cache.entry_name("index", k) == entry.name)
    # A value of the wrong type, under a valid check.
    offsets = array("q")
    offsets.frombytes(stored["offsets"])
    blobs = []
    for i in range(len(ids)):
        rows, series, links = marshal.loads(stored["blob"][offsets[i] : offsets[i + 1]])
        if which == "every" or i == len(ids) - 1:
            kind, published, values = rows[0]
            rows[0] = (
                kind,
                published,
                tuple(
                    "x" if n == "tags" else v
                    for n, v in zip(PACK_FIELDS[kind], values, strict=True)
                ),
            )
        blobs.append(marshal.dumps((rows, series, links)))
    stored["offsets"] = array("q", itertools.accumulate(map(len, blobs), initial=0)).tobytes()
    stored["blob"] = b"".join(blobs)
    cache.write("index", key, marshal.dumps(stored))
    registry = miitfacts.load(indexed, use_env=False)
    assert registry._index is not None
    assert _state(registry) == expected
    assert registry._index is None  # it started over from the packs


def test_a_changed_source_text_misses_the_index(
    write_pack: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(registry_module, "INDEX_MIN_FACTS", 0)
    monkeypatch.setenv("MIITFACTS_CACHE", str(tmp_path / "cache"))
    path = write_pack()
    miitfacts.load([path], use_env=False)
    assert miitfacts.load([path], use_env=False)._index is not None
    text = path.parent / "test-source.txt"
    text.write_text(text.read_text(encoding="utf-8") + "另有一句。\n", encoding="utf-8")
    registry = miitfacts.load([path], use_env=False)
    assert registry._index is None
    assert registry.source_text(next(iter(registry.sources))).endswith("另有一句。\n")


def _keys(paths: list[Path]) -> list[str]:
    """The cache key of a load of ``paths`` (with the bundled packs), as load_registry makes it."""
    files, _ = registry_module.expand_paths([registry_module.bundled_data_dir(), *paths])
    contents = [f.read_bytes() for f in files]
    return [registry_module._cache_key(files, contents)]
