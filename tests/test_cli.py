"""The CLI contract: output on stdout, one-line errors on stderr, exit codes."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from miitfacts.cli import COMMAND_MODULES
from miitfacts.registry import Registry
from tests.conftest import Invoke, WritePack, minimal_pack

ROOT = Path(__file__).parent.parent

CONTRACT_KEYS = {
    "id",
    "topic",
    "kind",
    "label",
    "label_zh",
    "value",
    "unit",
    "qualifier",
    "basis",
    "period",
    "stated",
    "quote",
    "source",
    "speaker",
}


def test_show_topic_prints_a_table_figures_first(invoke: Invoke) -> None:
    result = invoke("show", "6g")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "6G (6g): 5 facts, 1 figure" in result.stdout
    assert result.stdout.index("6g.phase-one-key-technologies") < result.stdout.index(
        "6g.accelerate-rd"
    )
    assert "more than 300 technologies" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert "│" not in result.stdout and "─" not in result.stdout  # and no boxes


def test_show_fact_prints_the_whole_card(invoke: Invoke) -> None:
    result = invoke("show", "sme.little-giants")
    assert result.exit_code == 0
    out = result.stdout
    for expected in (
        "17,600 enterprises",
        "1.76萬家",
        "exact",
        "reported",
        "紅星資本局",
        "2026-01-21",
        "小巨人",
    ):
        assert expected in out, expected


def test_show_names_the_speaker_with_role(invoke: Invoke) -> None:
    out = invoke("show", "sme.difficulties", env={"COLUMNS": "200"}).stdout
    assert "張云明 (Zhang Yunming), Vice Minister of Industry and Information Technology" in out


def test_show_json_is_an_array_of_contract_objects(invoke: Invoke) -> None:
    result = invoke("show", "sme", "--json")
    facts = json.loads(result.stdout)
    assert [f["topic"] for f in facts] == ["sme"] * len(facts)
    assert all(set(f) >= CONTRACT_KEYS for f in facts)
    assert facts[0]["kind"] == "figure" and facts[-1]["kind"] == "statement"
    assert "\\u" not in result.stdout and "小巨人" in result.stdout
    assert result.stdout.endswith("]\n")


def test_show_accepts_chinese_in_either_script(invoke: Invoke) -> None:
    simplified = json.loads(invoke("show", "人形机器人", "--json").stdout)
    traditional = json.loads(invoke("show", "人形機器人", "--json").stdout)
    assert simplified == traditional
    assert {f["topic"] for f in simplified} == {"humanoid-robots"}


def test_show_several_targets_deduplicates(invoke: Invoke) -> None:
    facts = json.loads(invoke("show", "sme.little-giants", "sme", "--json").stdout)
    refs = [f["ref"] for f in facts]
    assert refs[0].startswith("sme.little-giants@") and len(refs) == len(set(refs))


def test_unknown_target_exits_1_with_a_suggestion(invoke: Invoke) -> None:
    result = invoke("show", "sme.litle-giants")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr
        == "miitfacts: error: no fact or topic 'sme.litle-giants'; did you mean sme.little-giants?\n"
    )
    nothing = invoke("show", "nothing-here", "--json")
    assert nothing.exit_code == 1 and nothing.stdout == ""
    assert "see 'miitfacts topics'" in nothing.stderr and len(nothing.stderr.splitlines()) == 1


def test_a_bad_target_among_good_ones_prints_nothing(invoke: Invoke) -> None:
    result = invoke("show", "6g", "nope")
    assert result.exit_code == 1 and result.stdout == ""


def test_list_json_counts_and_filters(invoke: Invoke, registry: Registry) -> None:
    everything = json.loads(invoke("list", "--json").stdout)
    assert [f["ref"] for f in everything] == [f.ref for f in registry.facts]
    figures = json.loads(invoke("list", "--kind", "figure", "--json").stdout)
    expected = [f.ref for f in registry.facts if f.kind == "figure"]
    assert [f["ref"] for f in figures] == expected and {f["kind"] for f in figures} == {"figure"}
    sme = json.loads(invoke("list", "--topic", "中小企业", "--kind", "figure", "--json").stdout)
    assert [f["ref"] for f in sme] == [
        f.ref for f in registry.facts_in("sme") if f.kind == "figure"
    ]
    little = [f for f in sme if f["ref"] == "sme.little-giants@2025"]
    assert little[0]["value"] == 17600 and isinstance(little[0]["value"], int)


def test_list_unknown_topic_is_exit_1(invoke: Invoke) -> None:
    result = invoke("list", "--topic", "smee")
    assert result.exit_code == 1 and "did you mean sme" in result.stderr


def test_topics_lists_every_topic(invoke: Invoke, registry: Registry) -> None:
    topics = json.loads(invoke("topics", "--json").stdout)
    # The newest briefing's topics first, in its order.
    assert [t["id"] for t in topics][:2] == ["industry", "innovation"]
    assert {t["id"] for t in topics} == set(registry.topics)
    sme = next(t for t in topics if t["id"] == "sme")
    facts = registry.facts_in("sme")
    figures = sum(f.kind == "figure" for f in facts)
    assert (sme["facts"], sme["figures"]) == (len(facts), figures)
    assert "6g" in invoke("topics").stdout


def test_bad_pack_is_exit_2_naming_file_and_place(invoke: Invoke, write_pack: WritePack) -> None:
    path = write_pack(b'{"format": 1, "source": {}, "facts": [}')
    result = invoke("show", "6g", "--data", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == f"miitfacts: error: invalid data pack: {path}:1:39: invalid JSON: expected value\n"
    )


def test_bad_pack_from_environment_is_exit_2(invoke: Invoke, write_pack: WritePack) -> None:
    path = write_pack(b"[]")
    result = invoke("list", env={"MIITFACTS_DATA": str(path)})
    assert result.exit_code == 2
    assert f"{path}: must be an object" in result.stderr


def test_usage_errors_are_exit_2(invoke: Invoke) -> None:
    assert invoke("show").exit_code == 2
    assert invoke("list", "--kind", "opinion").exit_code == 2
    assert invoke("show", "6g", "--json", "--format", "csv").exit_code == 2
    empty = invoke("show", "  ")
    assert empty.exit_code == 2 and "empty target" in empty.stderr


def test_version(invoke: Invoke) -> None:
    assert invoke("--version").stdout.startswith("miitfacts ")


def run_module(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "miitfacts", *args], capture_output=True, check=False
    )


def test_closed_pipe_ends_quietly() -> None:
    # The reader is gone before anything is written (as with `| head -c 0`), so
    # the first write fails with EPIPE: only the broken-pipe handling keeps it quiet.
    for args in (["list", "--format", "jsonl"], ["show", "sme"]):
        read_end, write_end = os.pipe()
        process = subprocess.Popen(
            [sys.executable, "-m", "miitfacts", *args], stdout=write_end, stderr=subprocess.PIPE
        )
        os.close(write_end)
        os.close(read_end)
        _, stderr = process.communicate(timeout=15)
        assert (stderr, process.returncode) == (b"", 0), args
    # | head -n 1: the reader leaves after one line, with output still to come.
    process = subprocess.Popen(
        [sys.executable, "-m", "miitfacts", "list", "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=15)
    assert (stderr, process.returncode) == (b"", 0)


def test_module_entry_point_and_no_traceback_on_bad_input() -> None:
    ok = run_module("show", "6g", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)
    bad = run_module("show", "\udcff")
    assert bad.returncode == 2 and bad.stdout == b""
    assert bad.stderr.count(b"\n") == 1 and bad.stderr.startswith(b"miitfacts: error: ")
    assert b"Traceback" not in bad.stderr


# -- usage errors: one line, a hint, exit 2 -----------------------------------------


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["show", "6g", "--format", "xml"], "show"),
        (["list", "--kind", "fig"], "list"),
        (["search", "x", "--limit", "0"], "search"),
        (["show"], "show"),
        (["list", "--lang", "fr"], "list"),
        (["show", "6g", "--json", "--format", "csv"], "show"),
        (["show", "6g", "--nope"], "show"),
        (["nope"], None),
    ],
)
def test_usage_errors_are_one_line_with_a_hint(
    invoke: Invoke, args: list[str], command: str | None
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("miitfacts: error: ")
    path = "miitfacts" if command is None else f"miitfacts {command}"
    assert lines[0].endswith(f"(try '{path} --help')")
    assert "Input should be" not in lines[0] and "Value error" not in lines[0]


def test_help_shows_argument_names_not_types(invoke: Invoke) -> None:
    out = invoke("show", "--help").stdout
    assert "Usage: miitfacts show [OPTIONS] TARGET..." in out
    assert "<list[str]>" not in out and "{TARGET}" not in out
    for command in ("compare", "cite", "validate"):
        assert "<list[str]>" not in invoke(command, "--help").stdout


def help_examples(invoke: Invoke, command: str) -> list[list[str]]:
    text = " ".join(invoke(command, "--help").stdout.split())
    found = re.search(r"Examples?: (.*?)(?: Arguments:| Options:)", text)
    assert found, command
    examples = []
    for example in found[1].split("; "):
        words = shlex.split(example.split(" > ")[0])
        assert words[0] == "miitfacts" and words[1] == command, example
        examples.append(words[1:])
    return examples


# Export's examples write files: tests/test_export.py runs them in a temporary folder.
@pytest.mark.parametrize("command", [c for c in COMMAND_MODULES if c != "export"])
def test_every_help_example_runs(
    invoke: Invoke, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    for example in help_examples(invoke, command):
        result = invoke(*example)
        assert result.exit_code == 0, (example, result.stderr)


def test_validate_agrees_whatever_the_order(invoke: Invoke, write_pack: WritePack) -> None:
    # B uses the topic A defines: checked together, the order of the files does not matter.
    first = write_pack(name="a.json")
    second = minimal_pack(topics=[])
    second["source"]["id"] = "test-source-b"
    for fact in second["facts"]:
        fact["id"] = fact["id"].replace("example.", "example.b-")
    other = write_pack(second, name="b.json")
    forward = invoke("validate", str(first), str(other))
    backward = invoke("validate", str(other), str(first))
    assert (forward.exit_code, forward.stdout) == (backward.exit_code, backward.stdout)
    assert forward.exit_code == 0, forward.stderr


def test_an_option_missing_its_value_hints_at_its_own_command_help(invoke: Invoke) -> None:
    for args, path in (
        (["list", "--sort"], "miitfacts list"),
        (["show", "6g", "-f"], "miitfacts show"),
    ):
        result = invoke(*args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1
        assert result.stderr.endswith(f"(try '{path} --help')\n"), result.stderr
