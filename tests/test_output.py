"""Every format, fed to a real consumer; tables at 80 and 40 columns; citations; completion."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from miitfacts import core
from miitfacts.cli import COMMAND_MODULES, app
from miitfacts.cli.common import complete_targets
from miitfacts.models import FACT_FIELDS, Fact
from miitfacts.output import Lang, OutputSettings
from miitfacts.output.environment import Environment
from miitfacts.output.human import MIN_WIDTH, fact_value
from miitfacts.registry import Registry
from tests.conftest import Invoke, WritePack, minimal_pack

SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_jsonl_is_one_fact_object_per_line(invoke: Invoke, registry: Registry) -> None:
    lines = invoke("list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(invoke("list", "--json").stdout)
    assert all(json.loads(line)["id"] for line in lines)


@pytest.mark.parametrize(("fmt", "dialect"), [("csv", "excel"), ("tsv", "excel-tab")])
def test_csv_and_tsv_round_trip(invoke: Invoke, fmt: str, dialect: str) -> None:
    expected = json.loads(invoke("list", "--json").stdout)
    out = invoke("list", "--format", fmt).stdout
    if fmt == "tsv":  # no quoting: tab, newline and backslash are escaped
        unescape = {"\\t": "\t", "\\n": "\n", "\\r": "\r", "\\\\": "\\"}
        rows = [
            [re.sub(r"\\[tnr\\]", lambda m: unescape[m[0]], cell) for cell in line.split("\t")]
            for line in out.splitlines()
        ]
    else:
        rows = list(csv.reader(io.StringIO(out), dialect=dialect))
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
    assert re.search(r"中小企業 \(sme\): \d+ 條, 其中 \d+ 個數字", out)
    assert "1.76萬家" in out and "超過14萬家" in out and "陳述" in out
    card = invoke(
        "show", "ai.enterprises@2025", env={"MIITFACTS_LANG": "zh", "COLUMNS": "100"}
    ).stdout
    assert "超過6000家 (測算)" in card and "依據" in card
    # Machine output keeps both labels whatever the language.
    fact = json.loads(invoke("show", "ai.enterprises@2025", "--json", "--lang", "zh").stdout)[0]
    assert fact["label"].startswith("Number of") and fact["label_zh"] == "我國人工智能企業數量"


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; UPDATE_SNAPSHOTS=1 to accept"


@pytest.mark.parametrize("columns", [120, 80, 40])
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


@pytest.mark.parametrize("command", list(COMMAND_MODULES))
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


# -- the terminal, replaced: every width, styled and plain -------------------------

WIDTHS = [20, 40, 60, 80, 100, 120, 200]
ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


def run_in(env: Environment, *args: str, environ: dict[str, str] | None = None) -> Result:
    """Run the CLI with ``env`` as its terminal (as the click context's obj)."""
    return CliRunner().invoke(app, list(args), obj=env, env=environ)


def visible(text: str) -> str:
    return ANSI.sub("", text)


def lines_of(text: str) -> list[str]:
    return visible(text).split("\n")


def id_is_whole(out: str, identifier: str, width: int) -> bool:
    """Whole on one line; or, narrower than the id, broken only after '.' or '-'."""
    plain = visible(out)
    if identifier in plain:
        return True
    if width >= len(identifier):
        return False
    joined = re.sub(r"(?<=[.-]) *\n *", "", plain)
    return identifier in joined


def check_whole(out: str, registry: Registry, facts: Sequence[Fact], width: int, lang: str) -> None:
    settings = OutputSettings(lang=Lang(lang))
    plain = visible(out)
    tokens = set(plain.split())
    for fact in facts:
        assert id_is_whole(out, fact.id, width), (width, fact.id)
        assert fact.period in tokens, (width, fact.period)
        for token in fact_value(fact, settings).plain.split():
            assert token in tokens, (width, fact.id, token)
    for line in lines_of(out):
        assert cell_len(line) <= max(width, MIN_WIDTH), (width, line)


@pytest.mark.parametrize("tty", [False, True], ids=["plain", "styled"])
@pytest.mark.parametrize("width", WIDTHS)
def test_list_keeps_every_id_value_and_period_whole(
    registry: Registry, width: int, tty: bool
) -> None:
    env = Environment.test(width=width, tty=tty)
    assert run_in(env, "list").exit_code == 0
    out = env.output()
    assert ("\x1b[" in out) is tty
    check_whole(out, registry, registry.facts, width, "en")


@pytest.mark.parametrize("width", WIDTHS)
def test_show_every_topic_keeps_everything_whole(registry: Registry, width: int) -> None:
    for topic in registry.topics:
        changes = core.trends(core.select(registry, [topic])[0].facts)
        shown = [c.observation for c in changes]
        before = [c.previous for c in changes if c.previous is not None]
        for lang in ("en", "zh"):
            env = Environment.test(width=width, tty=True)
            assert run_in(env, "show", topic, "--lang", lang).exit_code == 0
            out = env.output()
            check_whole(out, registry, shown, width, lang)
            for fact in before:  # the period before, beside the latest
                assert f"({fact.period})" in visible(out).split(), (width, fact.ref)
                for token in fact_value(fact, OutputSettings(lang=Lang(lang))).plain.split():
                    assert token in visible(out).split(), (width, fact.ref, token)


@pytest.mark.parametrize("width", WIDTHS)
def test_search_keeps_every_column(registry: Registry, width: int) -> None:
    from miitfacts.search import search

    for query in ("robot", "小巨人", "factories", "6g"):
        env = Environment.test(width=width)
        assert run_in(env, "search", query).exit_code == 0
        out = env.output()
        hits = search(registry, query, limit=10)
        check_whole(out, registry, [h.fact for h in hits], width, "en")
        assert "Matched" in out  # the column (or its name in blocks) is never dropped


@pytest.mark.parametrize("width", WIDTHS)
def test_cards_and_comparisons_keep_ids_and_values(registry: Registry, width: int) -> None:
    longest = max(registry.facts, key=lambda f: len(f.id))
    env = Environment.test(width=width)
    assert run_in(env, "show", longest.id, "sme.little-giants").exit_code == 0
    out = env.output()
    assert id_is_whole(out, longest.id, max(width, MIN_WIDTH) - 11)
    assert "17,600 enterprises" in visible(out).replace("\n", " ")
    env = Environment.test(width=width, tty=True)
    assert run_in(env, "compare", "sme").exit_code == 0
    out = visible(env.output())
    assert "…" not in out
    for expected in ("600,000", "7.95×"):
        assert expected in out, (width, expected)
    assert id_is_whole(out, "sme.tech-innovative-smes", width)


def test_ids_stay_whole_from_50_columns(registry: Registry) -> None:
    for width in range(50, 201, 7):
        env = Environment.test(width=width)
        assert run_in(env, "list").exit_code == 0
        lines = lines_of(env.output())
        for fact in registry.facts:
            if len(fact.id) <= width:  # an id wider than the screen can only wrap
                assert any(fact.id in line for line in lines), (width, fact.id)


def test_piped_tables_are_not_squeezed_to_80(invoke: Invoke, registry: Registry) -> None:
    # Not a terminal and no COLUMNS: the table takes its natural width.
    out = invoke("search", "robot").stdout
    assert out.splitlines()[1].split() == ["Fact", "Value", "Period", "Matched", "in"]
    longest = max(registry.facts, key=lambda f: len(f.id))
    listed = invoke("list").stdout
    assert any(line.startswith(longest.id + " ") for line in listed.splitlines())
    assert "Period" in listed.splitlines()[1]


def test_wide_terminals_wrap_labels_at_a_readable_width() -> None:
    env = Environment.test(width=300)
    assert run_in(env, "show", "6g").exit_code == 0
    label_lines = [
        line for line in env.output().splitlines() if line.startswith("Key technologies")
    ]
    assert label_lines and all(len(line) <= 60 for line in label_lines)


def test_styled_path_has_boxes_colour_and_links(write_pack: WritePack) -> None:
    env = Environment.test(width=80, tty=True)
    assert run_in(env, "show", "6g").exit_code == 0
    out = env.output()
    assert "\x1b[" in out and "╭" in out and "│" in out
    pack = minimal_pack()
    pack["source"]["url"] = "https://example.org/briefing"
    pack["source"]["reliability"] = "official"
    path = write_pack(pack)
    env = Environment.test(width=100, tty=True)
    assert run_in(env, "show", "example.enterprises", "--data", str(path)).exit_code == 0
    assert "\x1b]8;" in env.output() and "https://example.org/briefing" in visible(env.output())


@pytest.mark.parametrize(
    ("settings", "args", "styled"),
    [
        ({"no_color": True}, (), False),
        ({"dumb": True}, (), False),
        ({"no_color": True}, ("--color", "always"), True),
        ({}, ("--color", "never"), False),
    ],
)
def test_colour_follows_the_conventions(
    settings: dict[str, bool], args: tuple[str, ...], styled: bool
) -> None:
    env = Environment.test(width=80, tty=True, **settings)
    assert run_in(env, "show", "6g", *args).exit_code == 0
    assert ("\x1b[" in env.output()) is styled


def test_environment_reads_the_process() -> None:
    env = Environment.from_os({"FORCE_COLOR": "1", "COLUMNS": "55", "PAGER": "more"})
    assert env.styled and env.width == 55  # piped, yet forced
    assert not Environment.from_os({"COLUMNS": ""}).styled
    assert Environment.from_os({}).width is None  # not a terminal: no width to fit
    assert Environment.from_os({"MIITFACTS_PAGER": "most", "PAGER": "more"}).pager == "most"
    assert Environment.from_os({"PAGER": "more"}).pager == "more"
    assert Environment.from_os({}).pager == "less -FRX"


def test_long_tables_go_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"sh -c 'cat > {paged}'"
    env = Environment.test(width=80, tty=True, height=10, pager=pager)
    assert run_in(env, "list").exit_code == 0
    assert env.output() == "" and "industry.value-added-growth" in paged.read_text()
    paged.unlink()
    for args in (("list", "--no-pager"), ("list", "--json"), ("topics",)):
        env = Environment.test(width=80, tty=True, height=10 if args[0] == "list" else 100)
        env = dataclasses.replace(env, pager=pager)
        assert run_in(env, *args).exit_code == 0
        assert env.output() and not paged.exists(), args
    # Never when piped.
    env = dataclasses.replace(Environment.test(width=80, tty=False, height=10), pager=pager)
    assert run_in(env, "list").exit_code == 0 and not paged.exists()


def test_empty_fields_lists_the_commands_fields(invoke: Invoke) -> None:
    result = invoke("search", "x", "--fields", "")
    assert result.exit_code == 0
    assert result.stdout.split() == [*FACT_FIELDS, "matched", "score"]
    assert invoke("compare", "sme", "--fields", "").stdout.split()[:2] == ["a", "b"]


def test_fields_complete_in_the_shell() -> None:
    env = {
        **os.environ,
        "_MIITFACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "miitfacts list --fields id,va",
        "COMP_CWORD": "3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "miitfacts"], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == ["id,value"]


def test_fields_in_a_table_keep_qualifier_unit_and_basis(invoke: Invoke) -> None:
    out = invoke("show", "ai.enterprises@2025", "--fields", "id,value").stdout
    assert "more than 6,000 enterprises (estimated)" in out
    zh = invoke("show", "ai.enterprises@2025", "--fields", "id,value,basis", "--lang", "zh").stdout
    assert "超過6000家 (測算)" in zh and "數值" in zh
    raw = invoke("show", "ai.enterprises@2025", "--fields", "id,value", "--format", "csv").stdout
    assert raw.splitlines()[1] == "ai.enterprises,6000"


def test_sources_show_their_address(invoke: Invoke, write_pack: WritePack) -> None:
    pack = minimal_pack()
    pack["source"]["url"] = "https://example.org/briefing"
    pack["source"]["reliability"] = "official"
    path = write_pack(pack)
    table = invoke("sources", "--data", str(path), env={"COLUMNS": "250"}).stdout
    assert "https://example.org/briefing" in table
    # Narrower, an address may fold (it is no figure); a terminal still links it whole.
    env = Environment.test(width=80, tty=True)
    assert run_in(env, "sources", "--data", str(path)).exit_code == 0
    assert "\x1b]8;id=" in env.output() and ";https://example.org/briefing\x1b\\" in env.output()
    card = invoke("show", "example.plan", "--data", str(path), env={"COLUMNS": "120"}).stdout
    assert "https://example.org/briefing" in card


def test_show_separates_its_cards(invoke: Invoke) -> None:
    out = invoke(
        "show", "sme.little-giants@2025", "ai.enterprises@2025", env={"COLUMNS": "100"}
    ).stdout
    lines = out.splitlines()
    second = next(i for i, line in enumerate(lines) if line.startswith("ID") and i > 0)
    assert lines[second - 1] == ""


def test_topics_name_each_topic_once(invoke: Invoke) -> None:
    rows = invoke("topics", env={"COLUMNS": "120"}).stdout.splitlines()
    six_g = next(line for line in rows if line.startswith("6g "))
    assert six_g.split()[:2] == ["6g", "6G"] and "6G 6G" not in six_g


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [("zh-CN", "中小企业", "中小企業"), ("zh-Hans", "中小企业", None), ("zh-TW", "中小企業", None)],
)
def test_lang_accepts_regional_tags(
    invoke: Invoke, lang: str, expected: str, absent: str | None
) -> None:
    out = invoke("show", "sme", env={"MIITFACTS_LANG": lang, "COLUMNS": "100"}).stdout
    assert expected in out and ("條" in out or "条" in out)
    if absent:
        assert absent not in out
    assert invoke("show", "sme", "--lang", "en-US").exit_code == 0


def test_chinese_search_output_is_chinese(invoke: Invoke) -> None:
    out = invoke("search", "小巨人", "--lang", "zh", env={"COLUMNS": "100"}).stdout
    assert "個結果" in out and "匹配" in out and "中文名稱" in out
    missing = invoke("search", "zzzz", "--lang", "zh")
    assert "沒有與" in missing.stderr


def test_tsv_follows_cut_and_awk(invoke: Invoke, write_pack: WritePack) -> None:
    pack = minimal_pack()
    pack["facts"][2]["label"] = "back\\slash"
    path = write_pack(pack)
    out = invoke(
        "show", "example.plan", "--format", "tsv", "--fields", "id,label", "--data", str(path)
    ).stdout
    assert out == "id\tlabel\nexample.plan\tback\\\\slash\n"
    from miitfacts.output.machine import tsv_cell

    assert tsv_cell("a\tb\nc\\d") == "a\\tb\\nc\\\\d"
    bare = invoke("show", "6g", "--format", "tsv", "--fields", "id", "--no-headers").stdout
    assert bare.splitlines()[0] == "6g.phase-one-key-technologies"
    csv_bare = invoke("show", "6g", "--format", "csv", "--fields", "id", "--no-headers").stdout
    assert csv_bare.splitlines()[0] == "6g.phase-one-key-technologies"


def test_csv_cells_never_run_as_formulas() -> None:
    from miitfacts.output.machine import csv_cell

    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert csv_cell("-3.5%") == "-3.5%" and csv_cell(-3.5) == "-3.5"
    assert csv_cell("超過1200家") == "超過1200家"


def test_markdown_escapes_html_and_links() -> None:
    from miitfacts.output.machine import markdown_table

    out = markdown_table(["a"], [["<script>x</script> [t](http://e) *b* `c`"]])
    row = out.splitlines()[2]
    assert "<script>" not in row and "&lt;script&gt;" in row
    assert "\\[t\\](http://e)" in row and "\\*b\\*" in row and "\\`c\\`" in row


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_styled_snapshots(columns: int) -> None:
    """What a terminal shows: colour, boxes and links, at 40, 80 and 120 columns."""
    env = Environment.test(width=columns, tty=True)
    assert run_in(env, "show", "6g").exit_code == 0
    check_snapshot(f"show-6g-styled-{columns}.txt", env.output())
    assert all(cell_len(line) <= columns for line in lines_of(env.output()))


def test_messages_are_keyed_in_both_languages() -> None:
    from miitfacts.messages import MESSAGES, note_text, say

    assert all(english and chinese for english, chinese in MESSAGES.values())
    assert (
        say("title.list", "en", count=1) == "1 fact" and say("title.list", "zh", count=2) == "2 條"
    )
    # Ready for compare's notes: the article agrees with its word.
    assert note_text("basis", "en", a="x", b="y", basis="estimated").endswith("an estimated figure")
    assert note_text("basis", "en", a="x", b="y", basis="projected").endswith("a projected figure")
    assert note_text("basis", "zh", a="x", b="y", basis="estimated").endswith("測算數字")
