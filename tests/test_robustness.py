"""Bad input never gets through and never crashes: packs, paths, arguments."""

from __future__ import annotations

import dataclasses
import datetime
import json
import marshal
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import miitfacts
from miitfacts import cache, files
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
    assert lines[0].startswith(f"{bad}:facts[0].unit: must be one of")
    assert lines[1] == f"{bad}:facts[1]: stated '同比增長3.5%' is not in the quote"
    assert lines[2].startswith(f"{bad}:facts[2]: id 'example.plan' must start with its topic")
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
        (lambda tmp: _write(tmp / "t.json", "\ufeff[]".encode()), "must be an object"),
        (lambda tmp: _write(tmp / "t.json", "{}".encode("utf-16")), "not UTF-8"),
        (lambda tmp: _write(tmp / "t.json", b'{"format": "1"}'), "format: must be one of 1"),
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


def test_a_100_mb_pack_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as out:
        out.write(b'{"format": 1, "padding": "')
        out.write(b"x" * (100 * 2**20))
        out.write(b'"}')
    with pytest.raises(PackError) as caught:
        load_packs([path])
    messages = [p.message for p in caught.value.problems]
    assert "unknown field" in messages and "is required" in messages


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

# Numbers at and past every edge a figure has: 64-bit, float range, 400 digits.
EDGE_NUMBERS = st.sampled_from(
    [
        10**400,
        -(10**400),
        10**40 + 1,
        10**18,
        10**18 - 1,
        2**63,
        -(2**63) - 1,
        1e308,
        -1e308,
        5e-324,
        123456789.123456789,
        0,
        -0.0,
    ]
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | EDGE_NUMBERS
    | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = list(FACT_FIELDS)
# Commands that print a loaded pack's figures each their own way.
RENDERINGS = [
    ("show", "example"),
    ("list", "--topic", "example", "--format", "csv"),
    ("cite", "example.enterprises"),
    ("compare", "example", "--json"),
    ("search", "示例", "--json"),
    ("verify",),
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(FIELDS), json_values), min_size=1, max_size=4
    )
    | st.tuples(st.sampled_from([0, 1]), st.just("value"), EDGE_NUMBERS).map(lambda c: [c])
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
    try:
        loaded: miitfacts.Registry | None = miitfacts.load([path], use_env=False)
    except PackError as exc:  # the one error loading may raise
        loaded, refused = None, exc
    result = invoke("show", "example", "--json", "--data", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if loaded is None:
        # Refused: exit 2, nothing on stdout, and the first problem named on stderr.
        assert (result.exit_code, result.stdout) == (2, ""), result.stderr
        assert str(refused.problems[0]).split(":")[-1].strip()[:40] in result.stderr
        return
    # Accepted: what the command prints is what was loaded, value for value.
    assert result.exit_code == 0, result.stderr
    printed = {(f["id"], f["period"], f["value"]) for f in json.loads(result.stdout)}
    held = {(f.id, f.period, getattr(f, "value", None)) for f in loaded.facts_in("example")}
    assert printed == held
    for args in RENDERINGS:  # and every way of printing it works (no exit 70)
        rendered = invoke(*args, "--data", str(path))
        assert rendered.exception is None or isinstance(rendered.exception, SystemExit)
        assert rendered.exit_code in (0, 1, 2), (args, rendered.stderr)


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


# -- helpers for real processes ---------------------------------------------------


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 15,
    **options: Any,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m miitfacts ARGS`` in a real process, never allowed to hang the suite."""
    options.setdefault("capture_output", "stdout" not in options and "stderr" not in options)
    return subprocess.run(
        [sys.executable, "-m", "miitfacts", *args],
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
        **options,
    )


def one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert text.count("\n") == 1 and text.endswith("\n"), text
    assert "Traceback" not in text
    return text


# -- the derived cache cannot lie ---------------------------------------------------


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own, with no warnings given yet."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MIITFACTS_CACHE", str(folder))
    monkeypatch.setattr(cache, "_refused", set())
    return folder


def only_entry(folder: Path, kind: str) -> Path:
    entries = [p for p in folder.iterdir() if cache.is_entry_name(kind, p.name)]
    assert len(entries) == 1, entries
    return entries[0]


def split_entry(raw: bytes) -> tuple[bytes, bytes]:
    header = len(cache._MAGIC) + cache._CHECK_BYTES
    return raw[:header], raw[header:]


def rewrite_entry(entry: Path, kind: str, payload: bytes, *, recheck: bool) -> None:
    """Replace an entry's payload, keeping its old check or (``recheck``) a matching one."""
    header, _ = split_entry(entry.read_bytes())
    if recheck:  # a well-formed entry with a valid check: only its shape can betray it
        key = _key_of(entry, kind, payload)
        header = cache._MAGIC + cache._check(kind, key, payload)
    entry.write_bytes(header + payload)


def tamper_first_value(folder: Path) -> tuple[Path, dict[str, Any]]:
    """Set the last pack's first value to 1300 in the only load-cache entry, keeping a
    valid check (a well-formed, re-hashed entry): the entry and what it now holds."""
    entry = only_entry(folder, "packs")
    stored = marshal.loads(split_entry(entry.read_bytes())[1])
    stored["packs"][-1]["pack"]["facts"][0]["value"] = 1300
    rewrite_entry(entry, "packs", marshal.dumps(stored), recheck=True)
    return entry, stored


_KEYS: dict[str, str] = {}


def _key_of(entry: Path, kind: str, payload: bytes) -> str:
    return _KEYS[entry.name]


@pytest.fixture
def remember_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Note each entry's full key as it is written (the file name holds only a digest of it)."""
    real = cache.write

    def write(kind: str, key: str, data: bytes) -> None:
        _KEYS[cache.entry_name(kind, key)] = key
        real(kind, key, data)

    monkeypatch.setattr(cache, "write", write)


def test_tests_never_write_the_home_cache(registry: miitfacts.Registry, invoke: Invoke) -> None:
    from tests.conftest import SESSION_CACHE, STAND_IN_HOME

    # The session-scoped registry fixture has loaded (and cached) the bundled packs.
    assert registry.facts
    assert invoke("search", "小巨人", "--json").exit_code == 0
    assert run_cli("show", "6g", "--json").returncode == 0
    assert Path.home() == STAND_IN_HOME and "XDG_CACHE_HOME" not in os.environ
    assert any(p.name.startswith("packs-") for p in SESSION_CACHE.iterdir())
    # Nothing fell back to the default folder under HOME.
    assert not (STAND_IN_HOME / ".cache").exists()


def test_a_tampered_entry_is_a_miss_and_is_rebuilt(
    write_pack: WritePack, own_cache: Path, remember_keys: None
) -> None:
    path = write_pack()
    miitfacts.load([path], use_env=False)
    entry = only_entry(own_cache, "packs")
    pristine = entry.read_bytes()
    stored = marshal.loads(split_entry(pristine)[1])
    stored["packs"][-1]["pack"]["facts"][0]["value"] = 99999  # sme.little-giants -> 99,999
    rewrite_entry(entry, "packs", marshal.dumps(stored), recheck=False)
    assert miitfacts.load([path], use_env=False).figure("example.enterprises").value == 1200
    assert entry.read_bytes() == pristine  # rebuilt
    # A single flipped bit anywhere is a miss too.
    for bit in (0, 8 * 20 + 3, 8 * 60, 8 * len(pristine) - 1):
        flipped = bytearray(pristine)
        flipped[bit // 8] ^= 1 << (bit % 8)
        entry.write_bytes(bytes(flipped))
        assert miitfacts.load([path], use_env=False).figure("example.enterprises").value == 1200
        assert entry.read_bytes() == pristine


def _set_fact(name: str, value: Any) -> Any:
    def change(stored: dict[str, Any]) -> None:
        stored["packs"][-1]["pack"]["facts"][0][name] = value

    return change


WRONG_SHAPES = {
    "an int id": _set_fact("id", 7),
    "a string value": _set_fact("value", "1200"),
    "a bool value": _set_fact("value", True),
    "an unknown qualifier": _set_fact("qualifier", "roughly"),
    "an unknown unit": _set_fact("unit", "bananas"),
    "a list for tags": _set_fact("tags", ["a"]),
    "an extra field": _set_fact("extra", 1),
    "a missing pack": lambda stored: stored["packs"].pop(),
    "an extra pack": lambda stored: stored["packs"].append(stored["packs"][-1]),
    "a foreign format": lambda stored: stored.update(format=99),
    "not a dict": lambda stored: stored.clear(),
    "a wrong digest": lambda stored: stored["packs"][-1].update(digest="0" * 64),
    "a text file elsewhere": lambda stored: stored["packs"][-1].update(text_file="../x.txt"),
}


@pytest.mark.parametrize("change", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_well_formed_wrong_entry_is_a_miss(
    write_pack: WritePack, own_cache: Path, remember_keys: None, change: Any
) -> None:
    path = write_pack()
    expected = miitfacts.load([path], use_env=False, skip_invalid=True).facts
    entry = only_entry(own_cache, "packs")
    stored = marshal.loads(split_entry(entry.read_bytes())[1])
    change(stored)
    rewrite_entry(entry, "packs", marshal.dumps(stored), recheck=True)
    assert miitfacts.load([path], use_env=False).facts == expected
    assert miitfacts.load([path], use_env=False, skip_invalid=True).facts == expected


def test_the_search_cache_checks_itself(
    invoke: Invoke, own_cache: Path, remember_keys: None
) -> None:
    def top() -> str:
        result = invoke("search", "小巨人", "--json", "--limit", "1")
        assert result.exit_code == 0, result.stderr
        return str(json.loads(result.stdout)[0]["id"])

    assert top() == "sme.little-giants"
    entry = only_entry(own_cache, "search")
    corpus = marshal.loads(split_entry(entry.read_bytes())[1])
    lines = corpus["fields"]["label_zh"].split("\n")
    swapped = dict(corpus, fields=dict(corpus["fields"]))
    at = next(i for i, line in enumerate(lines) if "小巨人" in line)
    lines[at], lines[at + 1] = lines[at + 1], lines[at]
    swapped["fields"]["label_zh"] = "\n".join(lines)
    for fields, recheck in ((swapped["fields"], False), ({"label_zh": "x"}, True)):
        changed = dict(corpus, fields={**corpus["fields"], **fields})
        rewrite_entry(entry, "search", marshal.dumps(changed), recheck=recheck)
        assert top() == "sme.little-giants"
    extra = dict(corpus, fields={k: v + "\nextra" for k, v in corpus["fields"].items()})
    rewrite_entry(entry, "search", marshal.dumps(extra), recheck=True)
    assert top() == "sme.little-giants"


def test_an_unsafe_cache_folder_is_refused_once(
    write_pack: WritePack,
    own_cache: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_pack()
    own_cache.mkdir()
    own_cache.chmod(0o777)
    for _ in range(3):
        assert miitfacts.load([path], use_env=False).figure("example.growth").value == 3.5
        miitfacts.load([path], use_env=False, skip_invalid=True)
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"not using the cache folder {own_cache}: others can write to it" in err
    assert "running without the cache" in err and list(own_cache.iterdir()) == []
    # Another user's folder is refused the same way (ownership simulated).
    own_cache.chmod(0o700)
    monkeypatch.setattr(cache, "_refused", set())
    monkeypatch.setattr(os, "getuid", lambda: own_cache.stat().st_uid + 1)
    miitfacts.load([path], use_env=False)
    miitfacts.load([path], use_env=False)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "it is owned by another user" in err
    assert list(own_cache.iterdir()) == []


def test_the_cache_folder_is_made_private(write_pack: WritePack, own_cache: Path) -> None:
    miitfacts.load([write_pack()], use_env=False)
    assert own_cache.stat().st_mode & 0o777 == 0o700
    assert only_entry(own_cache, "packs").stat().st_mode & 0o077 == 0


def test_pruning_deletes_only_what_the_cache_wrote(write_pack: WritePack, own_cache: Path) -> None:
    own_cache.mkdir(mode=0o700)
    mine = ["packs-my-backup.bin", "packs-notes.txt", "search-0.1.0-py311-x.bin", ".tmp-keep"]
    for name in mine:
        (own_cache / name).write_bytes(b"user data")
    old = [f"packs-0.0.{i}-py311-{i:032x}.bin" for i in range(12)]
    for age, name in enumerate(old):
        (own_cache / name).write_bytes(b"old entry")
        os.utime(own_cache / name, (1000 + age, 1000 + age))
    stale, fresh = own_cache / ".tmp-packs-abcd1234.bin", own_cache / ".tmp-packs-efgh5678.bin"
    stale.write_bytes(b"left by a killed run")
    os.utime(stale, (1000, 1000))
    fresh.write_bytes(b"another run writing now")
    miitfacts.load([write_pack()], use_env=False)
    names = {p.name for p in own_cache.iterdir()}
    assert set(mine) <= names and fresh.name in names and stale.name not in names
    entries = [n for n in names if cache.is_entry_name("packs", n)]
    assert len(entries) == cache.MAX_ENTRIES
    assert set(old[-(cache.MAX_ENTRIES - 1) :]) <= names  # the newest old ones stay


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_no_temporary_file(
    own_cache: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    def fail(self: Path, target: Any) -> Path:
        raise failure

    monkeypatch.setattr(Path, "replace", fail)
    if isinstance(failure, KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            cache.write("packs", "k" * 64, b"x" * 100_000)
    else:
        cache.write("packs", "k" * 64, b"x" * 100_000)
    assert list(own_cache.iterdir()) == []


def test_a_full_disk_leaves_no_temporary_file(own_cache: Path) -> None:
    own_cache.mkdir(mode=0o700)
    real_fdopen = os.fdopen

    def full(fd: int, *args: Any, **kwargs: Any) -> Any:
        os.close(fd)
        return real_fdopen(os.open("/dev/full", os.O_WRONLY), *args, **kwargs)

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fdopen", full)
        cache.write("packs", "k" * 64, b"x" * 100_000)
    assert list(own_cache.iterdir()) == []


def test_load_without_the_cache_reads_the_packs(
    write_pack: WritePack, own_cache: Path, remember_keys: None
) -> None:
    path = write_pack()
    miitfacts.load([path], use_env=False)
    entry, stored = tamper_first_value(own_cache)
    assert miitfacts.load([path], use_env=False).figure("example.enterprises").value == 1300
    packs = load_packs([registry_module.bundled_data_dir(), path], use_cache=False)
    assert packs[-1].pack.facts[0].value == 1200  # type: ignore[union-attr]
    assert marshal.loads(split_entry(entry.read_bytes())[1]) == stored  # nor written


def test_verify_blames_nothing_when_only_the_cache_changed(
    invoke: Invoke, write_pack: WritePack, own_cache: Path, remember_keys: None
) -> None:
    path = write_pack()
    assert invoke("verify", "--data", str(path)).exit_code == 0
    assert not own_cache.exists() or not list(own_cache.iterdir())  # verify writes no cache
    assert invoke("show", "example.plan", "--data", str(path)).exit_code == 0
    tamper_first_value(own_cache)
    shown = invoke("show", "example.enterprises", "--json", "--data", str(path))
    assert json.loads(shown.stdout)[0]["value"] == 1300  # what the cache says ...
    result = invoke("verify", "--data", str(path))
    assert result.exit_code == 0, result.stderr  # ... is not what verify judges


# -- special files never hang it --------------------------------------------------


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


@needs_fifo
def test_a_fifo_as_a_pack_or_in_a_folder_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "f.json"
    os.mkfifo(fifo)
    for target in (fifo, tmp_path):
        result = run_cli("show", "6g", "--data", str(target), timeout=10)
        assert result.returncode == 2
        line = one_line(result.stderr)
        assert f"{fifo}: a FIFO, not a regular file" in line


@needs_fifo
def test_a_fifo_as_a_source_text_is_refused(write_pack: WritePack) -> None:
    path = write_pack()
    text = path.parent / "test-source.txt"
    text.unlink()
    os.mkfifo(text)
    result = run_cli("show", "example", "--data", str(path), timeout=10)
    assert result.returncode == 2
    assert "source.text_file: cannot read" in one_line(result.stderr)
    assert "a FIFO, not a regular file" in result.stderr.decode()


@needs_fifo
def test_a_fifo_as_a_cache_entry_is_a_miss(tmp_path: Path) -> None:
    env = {"MIITFACTS_CACHE": str(tmp_path / "cache")}
    first = run_cli("show", "sme.little-giants", "--json", env=env)
    assert first.returncode == 0
    for entry in (tmp_path / "cache").iterdir():
        entry.unlink()
        os.mkfifo(entry)
    again = run_cli("show", "sme.little-giants", "--json", env=env, timeout=10)
    assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, b"")


def test_a_socket_as_a_pack_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    if len(os.fsencode(path)) > 100 or not hasattr(socket, "AF_UNIX"):
        pytest.skip("no short enough path for a unix socket")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        result = run_cli("show", "6g", "--data", str(path), timeout=10)
    assert result.returncode == 2
    assert "a socket, not a regular file" in one_line(result.stderr)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_as_data_or_source_text_is_refused(write_pack: WritePack) -> None:
    result = run_cli("show", "6g", env={"MIITFACTS_DATA": "/dev/zero"}, timeout=10)
    assert result.returncode == 2
    assert "/dev/zero: a character device, not a regular file" in one_line(result.stderr)
    path = write_pack()
    text = path.parent / "test-source.txt"
    text.unlink()
    text.symlink_to("/dev/zero")
    result = run_cli("show", "example", "--data", str(path), timeout=10)
    assert result.returncode == 2
    assert "a character device, not a regular file" in one_line(result.stderr)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_the_size_cap_holds_while_reading_not_from_st_size() -> None:
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0  # a regular file that says it is empty ...
    with pytest.raises(files.TooLarge):
        files.read_regular(status, 100)  # ... and is not
    assert len(files.read_regular(status, 1 << 20)) > 100


def test_an_oversized_pack_is_refused_before_reading(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry_module, "MAX_PACK_BYTES", 1000)
    path = write_pack(b" " * 2000)
    real_read = os.read

    def read(fd: int, size: int) -> bytes:
        if os.path.samefile(f"/proc/self/fd/{fd}", path):  # noqa: PTH121
            raise AssertionError("the oversized pack was read")
        return real_read(fd, size)

    if not Path("/proc/self/fd").exists():
        pytest.skip("no /proc/self/fd")
    monkeypatch.setattr(os, "read", read)
    with pytest.raises(PackError) as caught:
        load_packs([path])
    assert "pack is 2000 bytes; the limit is 1000 bytes" in str(caught.value)


def test_a_non_utf8_file_name_in_a_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "test-source.txt").write_text(
        "2025年示例企業數量超過1200家,同比增長3.5%。將推進示例工作 李四", encoding="utf-8"
    )
    odd = os.fsencode(folder) + b"/\xff\xfe-pack.json"
    with open(odd, "wb") as out:  # noqa: PTH123 - a name pathlib cannot spell
        out.write(json.dumps(minimal_pack(), ensure_ascii=False).encode())
    env = {"MIITFACTS_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then from the cache
        result = run_cli("show", "example.growth", "--json", "--data", str(folder), env=env)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)[0]["value"] == 3.5
    assert any(p.name.startswith("packs-") for p in (tmp_path / "cache").iterdir())
    broken = odd.replace(b"-pack.json", b"-broken.json")
    with open(broken, "wb") as out:  # noqa: PTH123
        out.write(b"{")
    result = run_cli("list", "--data", str(folder), env=env)
    assert result.returncode == 2 and "invalid JSON" in one_line(result.stderr)


def test_skip_invalid_caches_the_valid_set(
    write_pack: WritePack, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_pack(name="good.json")
    bad = write_pack(b"nope", name="bad.json")
    paths = [registry_module.bundled_data_dir(), bad, good, good.parent / "missing.json"]
    cold: list[miitfacts.Problem] = []
    first = load_packs(paths, skip_invalid=True, warnings=cold)
    assert [str(p.file) for p in cold] == [str(good.parent / "missing.json"), str(bad)]

    def no_checking(path: Path, data: bytes) -> Any:
        raise AssertionError(f"{path} was checked again instead of coming from the cache")

    with monkeypatch.context() as patch:
        patch.setattr(registry_module, "read_pack", no_checking)
        warm: list[miitfacts.Problem] = []
        assert load_packs(paths, skip_invalid=True, warnings=warm) == first
        assert warm == cold
    with pytest.raises(PackError):  # without --skip-invalid the bad pack still stops it
        load_packs(paths)


def test_a_pack_skipped_for_its_text_is_checked_again_when_the_text_changes(
    write_pack: WritePack, own_cache: Path
) -> None:
    path = write_pack(text="nothing of use here")
    warnings: list[miitfacts.Problem] = []
    paths = [registry_module.bundled_data_dir(), path]
    bundled = len(registry_module.expand_paths(paths[:1])[0])
    assert len(load_packs(paths, skip_invalid=True, warnings=warnings)) == bundled
    assert "quote is not in test-source.txt" in str(warnings[0])
    (path.parent / "test-source.txt").write_text(
        "2025年示例企業數量超過1200家,同比增長3.5%。將推進示例工作 李四", encoding="utf-8"
    )
    warnings.clear()
    assert len(load_packs(paths, skip_invalid=True, warnings=warnings)) == bundled + 1
    assert not warnings


# -- process edges ----------------------------------------------------------------


@pytest.mark.parametrize("args", [["show", "6g"], ["show", "6g", "--json"]])
def test_closed_stdout_is_one_line_and_exit_2(args: list[str]) -> None:
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "miitfacts", *args],
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=15,
        check=False,
    )
    assert result.returncode == 2
    assert "miitfacts: error: cannot write the output: Bad file descriptor" in one_line(
        result.stderr
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("args", [["show", "6g"], ["list", "--json"], ["cite", "6g"]])
def test_a_full_stdout_is_one_line_and_exit_2(args: list[str]) -> None:
    with Path("/dev/full").open("wb") as full:
        result = run_cli(*args, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert "cannot write the output: No space left on device" in one_line(result.stderr)


@pytest.mark.parametrize(
    ("args", "status"),
    [(["--help"], 0), (["show", "--help"], 0), (["--version"], 0), (["show", "nothing-here"], 1)],
)
def test_a_closed_stdout_pipe_ends_quietly_with_the_code(args: list[str], status: int) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -c 0`: the reader is gone before anything is written
    try:
        result = run_cli(*args, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert result.returncode == status
    assert result.stderr == b"" or status == 1


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["show", "nothing-here"], 1),
        (["list", "--data", "/nonexistent.json"], 2),
        (["show", "6g", "--json"], 0),
        (["show", "--no-such-option"], 2),
    ],
)
def test_a_closed_stderr_pipe_keeps_the_exit_code(args: list[str], status: int) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read stderr: every write to it fails (EPIPE)
    try:
        result = run_cli(*args, stdout=subprocess.DEVNULL, stderr=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == status
    closed = subprocess.run(  # stderr closed outright (2>&-): the same codes
        ["sh", "-c", 'exec "$@" 2>&-', "sh", sys.executable, "-m", "miitfacts", *args],
        stdout=subprocess.DEVNULL,
        timeout=15,
        check=False,
    )
    assert closed.returncode == status


INTERRUPT_AT_IMPORT = """
import builtins, sys
real_import = builtins.__import__
target, wrapped = sys.argv[1], len(sys.argv) > 2
def interrupted(name, *args, **kwargs):
    if name == target or name.split(".")[0] == target:
        if wrapped:  # a library that turns the interrupt into an ImportError
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise ImportError(f"{target} not found") from None
        raise KeyboardInterrupt
    return real_import(name, *args, **kwargs)
builtins.__import__ = interrupted
sys.argv = ["miitfacts", "search", "小巨人"]
from miitfacts.__main__ import main
main()
"""


@pytest.mark.parametrize(
    "module", ["typer", "rich", "pydantic", "opencc", "miitfacts.registry", "miitfacts.models"]
)
def test_ctrl_c_during_start_up_exits_130_quietly(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPT_AT_IMPORT, module],
        env={**os.environ, "MIITFACTS_CACHE": "off"},  # so that pydantic is imported too
        capture_output=True,
        timeout=15,
        check=False,
    )
    assert (result.returncode, result.stderr) == (130, b"")


def test_an_interrupt_a_library_turned_into_an_import_error_is_still_130() -> None:
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPT_AT_IMPORT, "opencc", "wrapped"],
        env={**os.environ, "MIITFACTS_CACHE": "off"},
        capture_output=True,
        timeout=15,
        check=False,
    )
    assert (result.returncode, result.stderr) == (130, b"")


READY_THEN_RUN = """
import runpy, sys
sys.argv = ["miitfacts", "search", "小巨人"]
sys.stderr.write("ready\\n"); sys.stderr.flush()
runpy.run_module("miitfacts", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_at_any_moment_of_start_up_is_quiet() -> None:
    # Python's own start-up (site, .pth files) is not ours to guard: the signal
    # comes once the interpreter is running, from just before the package import on.
    env = {**os.environ, "MIITFACTS_CACHE": "off"}
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1, 0.2):
        process = subprocess.Popen(
            [sys.executable, "-c", READY_THEN_RUN],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert process.stderr is not None
        assert process.stderr.readline() == b"ready\n"
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=15)
        # 130 from our handling, 0 if it had finished; -SIGINT (a shell shows 130)
        # only with a traceback confined to the few lines before our entry point.
        assert process.returncode in (130, 0, -signal.SIGINT), (delay, process.returncode)
        # Allowed: the import system itself (and finders the environment installs in
        # it, such as setuptools' _distutils_hack) finding the package, before the
        # entry point runs. Not allowed: any module the entry point imports.
        frames = re.findall(r'File "([^"]+)"', stderr.decode(errors="replace"))
        ours = [
            f for f in frames if re.search(r"[/\\](miitfacts|typer|rich|pydantic|opencc)[/\\]", f)
        ]
        entry = r"[/\\]miitfacts[/\\](__init__|__main__)\.py$"
        assert all(re.search(entry, f) for f in ours if "miitfacts" in f), (delay, stderr.decode())
        assert not [f for f in ours if "miitfacts" not in f], (delay, stderr.decode())
        assert frames or stderr == b"", (delay, stderr.decode(errors="replace"))


def test_importing_the_package_imports_nothing_else() -> None:
    code = "import sys; import miitfacts; print(sorted(m for m in sys.modules if 'miitfacts' in m))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=15, check=True
    )
    assert result.stdout == "['miitfacts']\n"


def test_the_console_script_is_the_tiny_entry_point() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "miitfacts"]
    assert script.value == "miitfacts.__main__:main"
    source = Path(miitfacts.__file__).with_name("__main__.py").read_text(encoding="utf-8")
    # Tiny: before the command's own import, only sys (so Ctrl-C is handled from the start).
    imports = [line.strip() for line in source.splitlines() if "import " in line]
    assert imports == ["import sys", "from miitfacts.cli import main as run_command"], imports
    assert len(source.splitlines()) < 45


def test_exit_codes_are_one_enum_and_one_readme_table() -> None:
    from miitfacts.errors import ExitStatus

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| exit code | meaning |") :].split("\n\n")[0]
    codes = {int(line.split("|")[1]) for line in table.splitlines()[2:]}
    assert codes == {int(s) for s in ExitStatus} == {0, 1, 2, 70, 130}


def test_a_locale_that_cannot_carry_chinese_says_so() -> None:
    env = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    result = run_cli("search", "小巨人", env=env)
    assert result.returncode == 2 and result.stdout == b""
    line = one_line(result.stderr)
    assert "this locale (ascii) cannot carry" in line and "not valid UTF-8" not in line
    assert "PYTHONUTF8=1" in line and "UTF-8 locale" in line
    bad = run_cli("search", "\udcff", env=env)
    assert bad.returncode == 2 and "is not valid UTF-8 text" in one_line(bad.stderr)


def test_not_found_without_a_suggestion_lists_topics_capped() -> None:
    from miitfacts.errors import MAX_LISTED_TOPICS, NotFoundError

    known = [f"topic-{i}" for i in range(10_000)]
    message = str(NotFoundError("topic", "zzz", [], known))
    assert len(message) < 100 + 12 * MAX_LISTED_TOPICS
    assert f"topic-{MAX_LISTED_TOPICS - 1} and {10_000 - MAX_LISTED_TOPICS} more" in message
    assert f"topic-{MAX_LISTED_TOPICS}," not in message
    few = str(NotFoundError("topic", "zzz", [], ["a", "b"]))
    assert "the topics are a, b (see 'miitfacts topics')" in few


def test_an_error_line_cannot_be_forged_by_a_file_name(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "x.json\nmiitfacts: error: forged"
    result = invoke("list", "--data", str(path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "x.json\\x0amiitfacts: error: forged" in result.stderr


# -- property: whatever happens to the cache, the output is the packs' -------------

COMMANDS = [
    ("show", "example", "--json"),
    ("show", "example.enterprises", "--format", "csv"),
    ("search", "示例 企業", "--json"),
    ("search", "小巨人", "--json", "--limit", "3"),
]
WRONG_VALUES = st.sampled_from(
    [0, 1201, -1, 1e300, 99999, "1200", True, None, "", "x" * 40, "exact", "roughly", (), [1]]
)


@pytest.fixture
def pristine(
    write_pack: WritePack, own_cache: Path, remember_keys: None, invoke: Invoke
) -> tuple[Path, dict[Path, bytes], list[str]]:
    """A pack, the cache entries it makes, and each command's output with the cache off."""
    path = write_pack()
    off = [
        invoke(*args, "--data", str(path), env={"MIITFACTS_CACHE": "off"}).stdout
        for args in COMMANDS
    ]
    warm = [invoke(*args, "--data", str(path)).stdout for args in COMMANDS]
    assert warm == off
    entries = {p: p.read_bytes() for p in own_cache.iterdir()}
    assert len(entries) == 2  # one packs entry, one search entry
    return path, entries, off


@st.composite
def mutations(draw: st.DrawFn, entry: Path, raw: bytes) -> bytes:
    """An entry damaged (bits, truncation) or rewritten with wrong values.

    Rewritten entries keep their old check, or get a valid one (``rechecked``):
    then only a wrong shape can give them away, so the rewrite always makes one
    for the search corpus (a line added) and may or may not for the packs.
    """
    kind = "packs" if entry.name.startswith("packs-") else "search"
    how = draw(st.sampled_from(["bits", "truncate", "rewrite", "rewrite-rechecked"]))
    if how == "bits":
        flips = draw(st.lists(st.integers(0, 8 * len(raw) - 1), min_size=1, max_size=3))
        mutated = bytearray(raw)
        for bit in flips:
            mutated[bit // 8] ^= 1 << (bit % 8)
        return bytes(mutated)
    if how == "truncate":
        return raw[: draw(st.integers(0, len(raw) - 1))]
    header, payload = split_entry(raw)
    stored = marshal.loads(payload)
    if kind == "packs":
        facts = stored["packs"][-1]["pack"]["facts"]
        fact = facts[draw(st.integers(0, len(facts) - 1))]
        fact[draw(st.sampled_from(FIELDS))] = draw(WRONG_VALUES)
    else:
        fields = stored["fields"]
        name = draw(st.sampled_from(sorted(fields)))
        lines = fields[name].split("\n")
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        if how == "rewrite-rechecked" or draw(st.booleans()):
            lines.insert(i, draw(st.sampled_from(["示例", "小巨人", "", "example"])))
        fields[name] = "\n".join(lines)
    payload = marshal.dumps(stored)
    if how == "rewrite-rechecked":
        header = cache._MAGIC + cache._check(kind, _KEYS[entry.name], payload)
    return header + payload


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.data())
def test_a_mutated_cache_never_changes_the_output(
    pristine: tuple[Path, dict[Path, bytes], list[str]], invoke: Invoke, data: st.DataObject
) -> None:
    path, entries, expected = pristine
    for entry, raw in entries.items():
        entry.write_bytes(raw)
    entry = data.draw(st.sampled_from(sorted(entries)))
    entry.write_bytes(data.draw(mutations(entry, entries[entry])))
    if entry.name.startswith("packs-") and _rechecked_same_shape(entry):
        return  # a right-shaped value under a valid check is not a corruption the cache can see
    for args, output in zip(COMMANDS, expected, strict=True):
        result = invoke(*args, "--data", str(path))
        assert result.exit_code == 0, result.stderr
        assert result.stdout == output, args


def _rechecked_same_shape(entry: Path) -> bool:
    """Whether a packs entry passes its check and decodes into well-typed packs."""
    raw = entry.read_bytes()
    header, payload = split_entry(raw)
    if header != cache._MAGIC + cache._check("packs", _KEYS[entry.name], payload):
        return False
    from miitfacts.models import Pack

    try:
        stored = marshal.loads(payload)
        return all(
            item is None or cache.conforms(Pack.from_data(item["pack"])) for item in stored["packs"]
        )
    except (ValueError, TypeError, KeyError, EOFError, AttributeError, IndexError):
        return False


def test_the_api_loads_without_the_cache(
    write_pack: WritePack, own_cache: Path, remember_keys: None
) -> None:
    path = write_pack()
    miitfacts.load([path], use_env=False)
    tamper_first_value(own_cache)
    fresh = miitfacts.load([path], use_env=False, use_cache=False)
    assert fresh.figure("example.enterprises").value == 1200


def test_a_pack_skipped_for_an_unreadable_text_is_cached_until_the_text_appears(
    write_pack: WritePack, own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_pack(name="good.json")
    orphan = minimal_pack()
    orphan["source"] = dict(orphan["source"], id="orphan", text_file="missing.txt")
    for fact in orphan["facts"]:
        fact["id"] = fact["id"].replace("example.", "orphan.")
        fact["topic"] = "orphan"
        fact["baseline"] = None
    orphan["topics"] = [{"id": "orphan", "name": "Orphan", "name_zh": "孤兒", "aliases": []}]
    bad = write_pack(orphan, name="orphan.json")
    paths = [registry_module.bundled_data_dir(), good, bad]
    cold: list[miitfacts.Problem] = []
    first = load_packs(paths, skip_invalid=True, warnings=cold)
    assert len(cold) == 1 and "missing.txt: No such file" in str(cold[0])
    with monkeypatch.context() as patch:
        patch.setattr(registry_module, "read_pack", _must_not_check)
        warm: list[miitfacts.Problem] = []
        assert load_packs(paths, skip_invalid=True, warnings=warm) == first and warm == cold
    (bad.parent / "missing.txt").write_text(
        "2025年示例企業數量超過1200家,同比增長3.5%。將推進示例工作 李四", encoding="utf-8"
    )
    found: list[miitfacts.Problem] = []
    assert len(load_packs(paths, skip_invalid=True, warnings=found)) == len(first) + 1
    assert found == []


def _must_not_check(path: Path, data: bytes) -> Any:
    raise AssertionError(f"{path} was checked again instead of coming from the cache")


@dataclasses.dataclass(frozen=True)
class _Inner:
    name: str
    kind: Literal["a", "b"] = "a"


@dataclasses.dataclass(frozen=True)
class _Outer:
    format: Literal[1]
    value: int | float | None
    inner: _Inner
    items: tuple[_Inner, ...] = ()
    tags: tuple[str, ...] = ()
    when: datetime.date | None = None


@pytest.mark.parametrize(
    ("changes", "ok"),
    [
        ({}, True),
        ({"value": 2.5, "when": datetime.date(2025, 1, 1)}, True),
        ({"format": True}, False),  # True == 1, but it is not the format
        ({"value": True}, False),
        ({"value": "1"}, False),
        ({"inner": "x"}, False),
        ({"inner": _Inner(7)}, False),  # type: ignore[arg-type]
        ({"inner": _Inner("x", "c")}, False),  # type: ignore[arg-type]
        ({"items": (_Inner("x"), 1)}, False),
        ({"items": [_Inner("x")]}, False),
        ({"tags": ("a", None)}, False),
        ({"when": "2025-01-01"}, False),
    ],
)
def test_the_shape_test_of_decoded_entries(changes: dict[str, Any], ok: bool) -> None:
    outer = _Outer(format=1, value=1, inner=_Inner("x"))
    for name, value in changes.items():
        object.__setattr__(outer, name, value)
    assert cache.conforms(outer) is ok
    assert cache.conforms(object()) is False


def test_a_ctrl_c_that_python_wrapped_is_still_an_interrupt() -> None:
    from miitfacts.__main__ import interrupted

    # Python reports a KeyboardInterrupt inside a class body's __set_name__ as this.
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as cause:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance") from cause
    except RuntimeError as wrapped:
        assert interrupted(wrapped)
    assert not interrupted(RuntimeError("a bug"))
