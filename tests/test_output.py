"""Every format, fed to a real consumer; tables at 80 and 40 columns; citations; completion."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from miitfacts.cli.common import complete_targets
from miitfacts.registry import Registry
from tests.conftest import Invoke, WritePack, minimal_pack

SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_jsonl_is_one_fact_object_per_line(invoke: Invoke, registry: Registry) -> None:
    lines = invoke("list", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == len(registry.facts)
    assert all(json.loads(line)["id"] for line in lines)


@pytest.mark.parametrize(("fmt", "dialect"), [("csv", "excel"), ("tsv", "excel-tab")])
def test_csv_and_tsv_round_trip(invoke: Invoke, fmt: str, dialect: str) -> None:
    expected = json.loads(invoke("list", "--json").stdout)
    rows = list(csv.reader(io.StringIO(invoke("list", "--format", fmt).stdout), dialect=dialect))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["id", "topic", "kind", "label"]
    assert len(body) == len(expected)
    for row, fact in zip(body, expected, strict=True):
        record = dict(zip(header, row, strict=True))
        # Commas, quotes and Chinese survive; a cited figure has no quote (an empty cell).
        assert record["quote"] == (fact["quote"] or "")
        assert record["label"] == fact["label"]
        assert record["value"] == ("" if fact["value"] is None else str(fact["value"]))
        assert record["tags"] == ";".join(fact["tags"])


def test_csv_quotes_newlines_and_commas(invoke: Invoke, write_pack: WritePack) -> None:
    pack = minimal_pack()
    pack["facts"][2]["label"] = 'Push, "example" work | now'
    path = write_pack(pack)
    out = invoke(
        "show", "example.plan", "--format", "csv", "--fields", "id,label", "--data", str(path)
    ).stdout
    assert list(csv.reader(io.StringIO(out))) == [
        ["id", "label"],
        ["example.plan", 'Push, "example" work | now'],
    ]
    markdown = invoke(
        "show", "example.plan", "--format", "markdown", "--fields", "id,label", "--data", str(path)
    )
    assert markdown.stdout.splitlines()[2] == '| example.plan | Push, "example" work \\| now |'


def test_markdown_is_a_pipe_table(invoke: Invoke) -> None:
    lines = invoke(
        "show", "6g", "--format", "markdown", "--fields", "id,stated,value"
    ).stdout.splitlines()
    assert lines[:3] == [
        "| id | stated | value |",
        "|---|---|---|",
        "| 6g.phase-one-key-technologies | 超300項 | 300 |",
    ]
    assert len(lines) == 2 + 5


def test_fields_select_and_order(invoke: Invoke) -> None:
    facts = json.loads(
        invoke("show", "sme.little-giants@2025", "--json", "--fields", "value,id").stdout
    )
    assert facts == [{"value": 17600, "id": "sme.little-giants"}]
    table = invoke("list", "--topic", "6g", "--fields", "id,period").stdout
    assert "6g.accelerate-rd" in table and "period" in table


def test_unknown_field_lists_the_available_ones(invoke: Invoke) -> None:
    result = invoke("list", "--fields", "id,colour")
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown field 'colour'" in result.stderr and "available: id,topic,kind" in result.stderr


def test_empty_results_are_an_empty_array_or_header(invoke: Invoke) -> None:
    assert invoke("search", "zzzz", "--json").stdout == "[]\n"
    assert invoke("search", "zzzz", "--format", "jsonl").stdout == ""
    assert (
        invoke("search", "zzzz", "--format", "csv", "--fields", "id,value").stdout == "id,value\n"
    )


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_jq_reads_every_json_command(registry: Registry) -> None:
    for args in (
        ["list", "--json"],
        ["topics", "--json"],
        ["sources", "--json"],
        ["compare", "sme", "--json"],
    ):
        produced = subprocess.run(
            [sys.executable, "-m", "miitfacts", *args], capture_output=True, check=True
        )
        jq = subprocess.run(
            ["jq", "-c", "."], input=produced.stdout, capture_output=True, check=True
        )
        assert jq.stdout.strip()
    produced = subprocess.run(
        [sys.executable, "-m", "miitfacts", "list", "--json"], capture_output=True, check=True
    )
    length = subprocess.run(
        ["jq", "length"], input=produced.stdout, capture_output=True, check=True
    )
    assert length.stdout.strip() == str(len(registry.facts)).encode()


def test_chinese_output_reads_in_chinese(invoke: Invoke) -> None:
    out = invoke("show", "sme", "--lang", "zh", env={"COLUMNS": "100"}).stdout
    assert "中小企業 (sme): " in out and " 條, 其中 " in out
    assert "1.76萬家" in out and "超過14萬家" in out and "陳述" in out
    card = invoke("show", "ai.enterprises", env={"MIITFACTS_LANG": "zh", "COLUMNS": "100"}).stdout
    assert "超過6000家 (測算)" in card and "依據" in card
    # Machine output keeps both labels whatever the language.
    fact = json.loads(invoke("show", "ai.enterprises@2025", "--json", "--lang", "zh").stdout)[0]
    assert fact["label"].startswith("Number of") and fact["label_zh"] == "我國人工智能企業數量"


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; UPDATE_SNAPSHOTS=1 to accept"


@pytest.mark.parametrize("columns", [80, 40])
def test_table_snapshots(invoke: Invoke, columns: int) -> None:
    result = invoke("show", "sme", env={"COLUMNS": str(columns)})
    check_snapshot(f"show-sme-{columns}.txt", result.stdout)
    assert all(len(line) <= columns for line in result.stdout.splitlines())
    compared = invoke("compare", "sme", "--lang", "zh", env={"COLUMNS": str(columns)})
    check_snapshot(f"compare-sme-zh-{columns}.txt", compared.stdout)


def test_text_from_data_is_shown_literally(invoke: Invoke, write_pack: WritePack) -> None:
    pack = minimal_pack()
    pack["facts"][2]["label"] = "[bold red]not markup[/] and [link=x]y[/link]"
    result = invoke("show", "example", "--data", str(write_pack(pack)), env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[bold red]not markup[/] and [link=x]y[/link]" in result.stdout


@pytest.mark.parametrize("field", ["name", "name_zh"])
def test_control_characters_anywhere_in_a_pack_are_refused(
    invoke: Invoke, write_pack: WritePack, field: str
) -> None:
    pack = minimal_pack()
    pack["topics"][0][field] = "Example \x1b[31mred\x1b[0m"
    result = invoke("topics", "--format", "csv", "--data", str(write_pack(pack)))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"topics[0].{field}: contains control, line-break" in result.stderr


def test_printable_makes_escapes_visible() -> None:
    from miitfacts.text import printable, printable_lines

    # One line out, whatever comes in: a newline or carriage return in a file name
    # must not forge a second "miitfacts: error:" line or overwrite this one.
    assert printable("a\x1b[31mb\tc\nd\x9b\re") == "a\\x1b[31mb\tc\\x0ad\\x9b\\x0de"
    assert printable("x\u2028y\u202ez") == "x\\u2028y\\u202ez"
    assert "\n" not in printable("".join(map(chr, range(0x20))))
    # Blocks (citations, table cells) keep their line breaks and nothing else.
    assert printable_lines("a\x1b[0m\nb\r") == "a\\x1b[0m\nb\\x0d"


def test_citations(invoke: Invoke) -> None:
    text = invoke("cite", "sme.little-giants").stdout
    for expected in (
        "17,600 enterprises (as stated: 1.76萬家)",
        "「累計培育專精特新",
        "紅星資本局",
        "2026-01-21",
        "SCIO",
    ):
        assert expected in text
    speaker = invoke("cite", "sme.difficulties", "--style", "markdown").stdout
    assert (
        speaker.startswith("**Many SMEs")
        and "> 張云明提到" in speaker
        and "Zhang Yunming" in speaker
    )
    bibtex = invoke("cite", "ai.core-industry-scale", "--style", "bibtex").stdout
    assert bibtex.startswith("@misc{miitfacts:ai.core-industry-scale:2025,") and bibtex.count(
        "{"
    ) == bibtex.count("}")
    assert "projected" in bibtex
    missing = invoke("cite", "sme.little-giant")
    assert missing.exit_code == 1 and "did you mean sme.little-giants" in missing.stderr


def test_sources_lists_attribution_and_counts(invoke: Invoke) -> None:
    sources = json.loads(invoke("sources", "--json").stdout)
    seed = next(s for s in sources if s["id"] == "scio-2026-01-21")
    assert seed["facts"] == 58 and seed["bundled"]
    # Newest first.
    assert [s["date"] for s in sources] == sorted((s["date"] for s in sources), reverse=True)
    assert "網易號" in seed["attribution"]


def test_completion_offers_topics_ids_and_aliases() -> None:
    assert "sme.little-giants" in complete_targets("sme.l")
    assert complete_targets("hum")[0] == "humanoid-robots"
    assert "人形機器人" in complete_targets("人形")
    assert all(" " not in key for key in complete_targets(""))


def test_completion_through_the_shell_protocol() -> None:
    env = {
        **os.environ,
        "_MIITFACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "miitfacts show sme.li",
        "COMP_CWORD": "2",
    }
    result = subprocess.run(
        [sys.executable, "-m", "miitfacts"], env=env, capture_output=True, text=True, check=False
    )
    assert "sme.little-giants" in result.stdout.split()
    assert all(word.startswith("sme.little-g") for word in result.stdout.split())


@pytest.mark.parametrize(
    "command",
    [
        "topics",
        "list",
        "show",
        "search",
        "compare",
        "cite",
        "sources",
        "validate",
        "verify",
        "schema",
    ],
)
def test_every_command_help_shows_an_example(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "miitfacts " in result.stdout and "Example" in result.stdout


@pytest.mark.parametrize("columns", ["1", "20", "31", "45"])
def test_narrow_terminals_lose_no_value(invoke: Invoke, columns: str) -> None:
    card = invoke("show", "sme.little-giants", env={"COLUMNS": columns}).stdout
    for expected in ("sme.little-giants", "1.76萬家", "exact", "2025", "Red Star"):
        assert expected in card.replace("\n", ""), (columns, expected)
    compared = invoke("compare", "sme", env={"COLUMNS": columns}).stdout.replace("\n", " ")
    assert "…" not in compared
    for expected in ("17,600 enterprises", "more than 600,000", "7.95×"):
        assert expected in compared, (columns, expected)
