"""Start-up shortcuts: the lazy command table and Typer's coercion without pydantic.

No timings here (see benchmarks/): these check that the shortcuts change nothing.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click import Context
from typer._coercion import build_runtime_param

from miitfacts.cli import COMMAND_MODULES, Group, _QuickCoercion, app


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
