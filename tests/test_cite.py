"""Citations for reference managers: CSL-JSON and RIS, several ids in one document."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import Invoke, WritePack, minimal_pack


def _ris_records(text: str) -> list[dict[str, list[str]]]:
    """A small RIS reader: ``TAG  - value`` lines, records closed by ``ER``."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        tag, sep, value = line[:2], line[2:6], line[6:]
        assert sep == "  - " or (tag == "ER" and line.rstrip() == "ER  -"), line
        if tag == "ER":
            records.append(current)
            current = {}
        else:
            current.setdefault(tag, []).append(value)
    assert current == {}, "a record was not closed by ER"
    return records


def test_csl_json_is_one_array_of_items(invoke: Invoke) -> None:
    result = invoke("cite", "sme.little-giants@2025", "sme.difficulties", "--style", "csl-json")
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert [item["id"] for item in items] == [
        "miitfacts:sme.little-giants:2025",
        "miitfacts:sme.difficulties:2026-01-21",
    ]
    item = items[0]
    for key in ("type", "title", "container-title", "publisher", "issued", "language", "note"):
        assert item[key], key
    assert item["type"] == "article-newspaper"
    assert item["issued"] == {"date-parts": [[2026, 1, 21]]}
    assert item["language"] == "zh-Hant"
    assert "國新辦新聞發布會" in item["title"] and "SCIO press conference" in item["title"]
    assert "紅星資本局" in item["container-title"]
    assert "17,600 enterprises (as stated: 1.76萬家)" in item["note"]
    assert "「累計培育專精特新" in item["note"]
    assert "URL" not in item  # the seed source has no address
    assert "Zhang Yunming" in items[1]["note"]
    assert "\\u" not in result.stdout  # UTF-8, not escapes


def test_a_topic_cites_each_fact_once(invoke: Invoke) -> None:
    items = json.loads(invoke("cite", "sme", "sme.little-giants", "--style", "csl-json").stdout)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) and "miitfacts:sme.little-giants:2025" in ids


def test_ris_records(invoke: Invoke) -> None:
    result = invoke(
        "cite", "sme.little-giants@2025", "ai.core-industry-scale@2025", "--style", "ris"
    )
    assert result.exit_code == 0, result.stderr
    records = _ris_records(result.stdout)
    assert len(records) == 2
    first = records[0]
    assert first["TY"] == ["NEWS"]
    assert first["ID"] == ["miitfacts:sme.little-giants:2025"]
    assert first["PY"] == ["2026"] and first["DA"] == ["2026/01/21/"]
    assert first["LA"] == ["zh-Hant"]
    assert "紅星資本局" in first["PB"][0] and "國新辦" in first["TI"][0]
    assert "1.76萬家" in first["N1"][0]
    assert "projected" in records[1]["N1"][0]


def _cited_pack(write_pack: WritePack) -> Path:
    """A cited pack: an official source with an address, its text not bundled."""
    pack = minimal_pack()
    source = {k: v for k, v in pack["source"].items() if k not in ("text_file", "speakers")}
    source.update(url="https://example.org/briefing?id=1&x=2", reliability="official")
    source.update(title="Example briefing", language="en")  # an English source
    pack["source"] = source
    for fact in pack["facts"]:
        fact.pop("quote")
        fact.pop("speaker", None)
    return write_pack(pack)


def test_every_style_shows_the_url(invoke: Invoke, write_pack: WritePack) -> None:
    path = _cited_pack(write_pack)
    url = "https://example.org/briefing?id=1&x=2"
    for style in ("text", "markdown", "bibtex", "csl-json", "ris"):
        result = invoke("cite", "example.enterprises", "--style", style, "--data", str(path))
        assert result.exit_code == 0, (style, result.stderr)
        assert url in result.stdout, style
        assert "Quote" not in result.stdout and "「" not in result.stdout, style


def test_an_official_source_is_a_document(invoke: Invoke, write_pack: WritePack) -> None:
    path = _cited_pack(write_pack)
    out = invoke("cite", "example", "--style", "csl-json", "--data", str(path)).stdout
    items = json.loads(out)
    assert len(items) == 3
    assert {item["type"] for item in items} == {"document"}
    assert items[0]["URL"] == "https://example.org/briefing?id=1&x=2"
    assert items[0]["issued"] == {"date-parts": [[2026, 3, 1]]}
    assert items[0]["title"] == "Example briefing"  # not repeated in brackets
    assert '"date-parts": [[2026, 3, 1]]' in out
    ris = _ris_records(invoke("cite", "example", "--style", "ris", "--data", str(path)).stdout)
    assert [r["TY"] for r in ris] == [["GOVDOC"]] * 3
    assert ris[0]["UR"] == ["https://example.org/briefing?id=1&x=2"]


def test_csl_json_of_a_missing_id_is_exit_1(invoke: Invoke) -> None:
    result = invoke("cite", "sme.little-giant", "--style", "csl-json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "did you mean sme.little-giants" in result.stderr


HOSTILE = "50% & $1 #2 _x {y} ~z ^w \\cmd <script>alert(1)</script> [x](javascript:1) *b*"


def _hostile_pack(write_pack: WritePack) -> Path:
    pack = minimal_pack()
    pack["facts"][0]["label"] = HOSTILE
    return write_pack(pack)


def test_bibtex_escapes_what_tex_would_read_as_markup(
    invoke: Invoke, write_pack: WritePack
) -> None:
    path = _hostile_pack(write_pack)
    out = invoke("cite", "example.enterprises", "--style", "bibtex", "--data", str(path)).stdout
    note = next(line for line in out.splitlines() if line.strip().startswith("note"))
    for raw, escaped in [("%", "\\%"), ("&", "\\&"), ("$", "\\$"), ("#", "\\#"), ("_", "\\_")]:
        assert escaped in note and note.replace(escaped, "").count(raw) == 0, raw
    assert "\\textasciitilde{}z" in note and "\\textasciicircum{}w" in note
    assert "\\textbackslash{}cmd" in note and "\\{y\\}" in note
    # The bundled data's percent signs, too.
    growth = invoke("cite", "industry.value-added-growth@2024", "--style", "bibtex").stdout
    assert "5.8\\%" in growth and " 5.8%" not in growth


def test_markdown_citations_never_carry_html_or_links_from_data(
    invoke: Invoke, write_pack: WritePack
) -> None:
    path = _hostile_pack(write_pack)
    out = invoke("cite", "example.enterprises", "--style", "markdown", "--data", str(path)).stdout
    assert "<script>" not in out
    assert re.search(r"(?<!\\)\]\(", out) is None  # no link: every bracket escaped
    assert "&lt;script&gt;" in out and "\\[x\\]" in out and "\\*b\\*" in out


def test_every_vintage_cited_together_has_its_own_key(invoke: Invoke) -> None:
    args = ("cite", "industry.value-added-growth@2024", "--all-vintages")
    items = json.loads(invoke(*args, "--style", "csl-json").stdout)
    keys = [item["id"] for item in items]
    assert len(keys) == 2 and len(set(keys)) == 2
    bibtex = invoke(*args, "--style", "bibtex").stdout
    assert bibtex.count("@misc{miitfacts:industry.value-added-growth:2024,") == 1
    text = invoke(*args).stdout
    assert "Superseded: revised on 2025-01-17" in text


def test_only_web_addresses_are_accepted_as_a_source_url(
    invoke: Invoke, write_pack: WritePack
) -> None:
    for url in ("javascript:alert(1)", "not a url", "https://x.org/{y}"):
        pack = minimal_pack()
        pack["source"].update(url=url, reliability="official")
        result = invoke("validate", str(write_pack(pack)))
        assert (
            result.exit_code == 2 and "source.url: must be an http:// or https://" in result.stderr
        )
