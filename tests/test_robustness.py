"""Bad input never gets through and never crashes: packs, paths, arguments."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import miitfacts
from miitfacts import registry as registry_module
from miitfacts.errors import PackError
from miitfacts.models import FACT_FIELDS
from miitfacts.registry import load_packs
from tests.conftest import Invoke, WritePack, minimal_pack

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_the_example_pack_loads_through_the_environment(invoke: Invoke) -> None:
    result = invoke("show", "example-province", "--json", env={"MIITFACTS_DATA": str(EXAMPLES)})
    facts = json.loads(result.stdout)
    assert [f["id"] for f in facts][:2] == [
        "example-province.value-added-growth",
        "example-province.little-giants",
    ]
    assert invoke("validate", str(EXAMPLES)).stdout == "ok: 1 pack, 4 facts\n"
    compared = json.loads(
        invoke(
            "compare", "example-province", "--json", env={"MIITFACTS_DATA": str(EXAMPLES)}
        ).stdout
    )
    assert compared["comparisons"][0]["difference"] == pytest.approx(0.3)


def test_validate_reports_every_problem_one_line_each(
    invoke: Invoke, write_pack: WritePack
) -> None:
    pack = minimal_pack()
    pack["facts"][0]["unit"] = "bananas"
    pack["facts"][1]["quote"] = "not in the text"
    pack["facts"][2]["topic"] = "nowhere"
    bad = write_pack(pack, name="bad.json")
    broken = write_pack(b'{"format": 1,,}', name="broken.json")
    result = invoke("validate", str(bad), str(broken))
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:facts[0].unit: Input should be")
    assert lines[1] == f"{bad}:facts[1]: Value error, stated '同比增長3.5%' is not in the quote"
    assert lines[2].startswith(
        f"{bad}:facts[2]: Value error, id 'example.plan' must start with its topic"
    )
    assert lines[3] == f"{broken}:1:14: invalid JSON: key must be a string"
    assert lines[-1] == "miitfacts: 4 problems found"


def test_validate_cross_checks_quotes_and_baselines(invoke: Invoke, write_pack: WritePack) -> None:
    pack = minimal_pack()
    pack["facts"][1]["quote"] = "同比增長9.9%"
    pack["facts"][1]["stated"] = "同比增長9.9%"
    pack["facts"][0]["baseline"] = "example.nothing"
    result = invoke("validate", str(write_pack(pack)))
    assert "facts[1].quote: quote is not in test-source.txt" in result.stderr
    assert "facts[0].baseline: unknown baseline 'example.nothing'" in result.stderr


def test_verify_names_a_fact_changed_by_hand(invoke: Invoke, write_pack: WritePack) -> None:
    pack = minimal_pack()
    pack["facts"][0]["value"] = 1300
    pack["facts"][1]["qualifier"] = "at_least"
    result = invoke("verify", "--data", str(write_pack(pack)))
    assert result.exit_code == 2
    assert "example.enterprises@2025: value 1300 but '超過1200家' says 1200" in result.stderr
    assert "example.growth@2025: qualifier at_least but '同比增長3.5%' says exact" in result.stderr
    figures = sum(f.kind == "figure" for f in miitfacts.load(use_env=False).vintages)
    assert invoke("verify").stdout == f"ok: {figures} figures agree with their stated text\n"


def test_schema_is_the_pack_json_schema(invoke: Invoke) -> None:
    schema = json.loads(invoke("schema").stdout)
    assert schema["title"] == "Pack" and "facts" in schema["properties"]
    assert "percent" in json.dumps(schema)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.json", "no such file or folder"),
        (lambda tmp: tmp, "folder holds no .json pack files"),
        (lambda tmp: _loop(tmp), "symbolic link to nothing (broken or looping)"),
        (
            lambda tmp: _write(tmp / "t.json", b'{"format": 1, "source": {"id": "x"'),
            "invalid JSON: EOF",
        ),
        (lambda tmp: _write(tmp / "t.json", "\ufeff[]".encode()), "Input should be an object"),
        (lambda tmp: _write(tmp / "t.json", "{}".encode("utf-16")), "not UTF-8"),
        (lambda tmp: _write(tmp / "t.json", b'{"format": "1"}'), "format: Input should be 1"),
    ],
)
def test_bad_paths_and_files_give_one_clear_line(
    invoke: Invoke, tmp_path: Path, make: Any, message: str
) -> None:
    path = make(tmp_path)
    result = invoke("list", "--data", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"miitfacts: error: invalid data pack: {path}")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _loop(tmp: Path) -> Path:
    (tmp / "a.json").symlink_to(tmp / "b.json")
    (tmp / "b.json").symlink_to(tmp / "a.json")
    return tmp / "a.json"


def test_an_oversized_pack_is_refused_before_reading(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry_module, "MAX_PACK_BYTES", 1000)
    path = write_pack(b" " * 2000)
    with pytest.raises(PackError) as caught:
        load_packs([path])
    assert "the limit is" in str(caught.value)


def test_a_100_mb_pack_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as out:
        out.write(b'{"format": 1, "padding": "')
        out.write(b"x" * (100 * 2**20))
        out.write(b'"}')
    with pytest.raises(PackError) as caught:
        load_packs([path])
    messages = [p.message for p in caught.value.problems]
    assert "unknown field" in messages and "Field required" in messages


def test_skip_invalid_warns_and_loads_the_rest(invoke: Invoke, write_pack: WritePack) -> None:
    good = write_pack(name="good.json")
    bad = write_pack(b"nope", name="bad.json")
    result = invoke(
        "show",
        "example.growth",
        "--json",
        "--data",
        str(bad),
        "--data",
        str(good),
        "--skip-invalid",
    )
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["id"] == "example.growth"
    assert result.stderr.startswith(
        f"miitfacts: warning: skipped invalid pack: {bad}:1:2: invalid JSON"
    )
    stopped = invoke("show", "example.growth", "--data", str(bad), "--data", str(good))
    assert stopped.exit_code == 2 and str(bad) in stopped.stderr


def test_a_non_utf8_terminal_gets_one_clear_line() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "MIITFACTS_DATA": ""}
    table = subprocess.run(
        [sys.executable, "-m", "miitfacts", "show", "sme"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert table.returncode == 2 and table.stdout == b""
    assert (
        table.stderr.decode().count("\n") == 1 and "cannot show the text" in table.stderr.decode()
    )
    machine = subprocess.run(
        [sys.executable, "-m", "miitfacts", "show", "sme", "--json"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert machine.returncode == 0 and "小巨人" in machine.stdout.decode("utf-8")


# -- property tests -------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = list(FACT_FIELDS)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(FIELDS), json_values), min_size=1, max_size=4
    )
)
def test_random_packs_never_crash(
    tmp_path: Path, invoke: Invoke, changes: list[tuple[int, str, Any]]
) -> None:
    pack = minimal_pack()
    for index, name, value in changes:
        pack["facts"][index][name] = value
    folder = tmp_path / "random"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "test-source.txt").write_text(
        "2025年示例企業數量超過1200家,同比增長3.5%。將推進示例工作 李四", encoding="utf-8"
    )
    path = folder / "pack.json"
    path.write_text(json.dumps(pack, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    with contextlib.suppress(PackError):  # the one error loading may raise
        miitfacts.load([path], use_env=False)
    result = invoke("show", "example", "--json", "--data", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)
    else:
        assert result.stdout == "" and result.stderr.count("\n") >= 1


WORDS = [
    "show",
    "list",
    "search",
    "compare",
    "cite",
    "topics",
    "sources",
    "verify",
    "--json",
    "--format",
    "csv",
    "jsonl",
    "--fields",
    "id,value",
    "--lang",
    "zh",
    "--topic",
    "sme",
    "6g",
    "sme.little-giants",
    "人形機器人",
    "--limit",
    "0",
    "--kind",
    "figure",
    "--style",
    "bibtex",
    "-n",
    "3",
    "--data",
    "/nonexistent",
    "\x00",
    "[bold]x",
    "",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), min_size=1, max_size=6))
def test_random_arguments_never_crash(args: list[str]) -> None:
    from typer.testing import CliRunner

    from miitfacts.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    if (
        result.exit_code == 0
        and "--json" in args
        and "--fields" not in args
        and args[0] != "verify"
    ):
        json.loads(result.stdout)


def test_escapes_in_paths_are_shown_not_obeyed(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[31m.json"
    result = invoke("list", "--data", str(path))
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "\\x1b[31m" in result.stderr
    validated = invoke("validate", str(path))
    assert validated.exit_code == 2 and "\x1b" not in validated.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["show", "\udcff"],
        ["search", "\udcff\udcfe"],
        ["list", "--topic", "\udcff"],
        ["cite", "x\udcff"],
    ],
)
def test_odd_bytes_on_the_command_line_are_a_usage_error(invoke: Invoke, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert "is not valid UTF-8 text" in result.stderr and result.stderr.count("\n") == 1


def test_odd_text_through_the_python_api(registry: miitfacts.Registry) -> None:
    from miitfacts.search import search

    assert registry.lookup("\udcff") is None
    assert registry.lookup("人形機器人\udcff") is None
    assert search(registry, "人形機器人\udcff")[0].fact.topic == "humanoid-robots"
