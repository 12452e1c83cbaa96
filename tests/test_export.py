"""export: SQLite (read back with sqlite3 and sqlite-utils), JSON Lines, CSV; never half a file."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from miitfacts import export as export_module
from miitfacts.errors import UsageError
from miitfacts.export import FIELDS, ExportFormat, export, format_for
from miitfacts.registry import Registry
from tests.conftest import Invoke, WritePack


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import miitfacts

    path = tmp_path_factory.mktemp("export") / "facts.db"
    result = export(miitfacts.load(use_env=False), path)
    assert result.tokenizer == "trigram"  # the SQLite of Python 3.11+ builds has it
    return path


def _fts_ids(connection: sqlite3.Connection, query: str) -> list[str]:
    rows = connection.execute(
        "SELECT facts.id FROM facts_fts JOIN facts ON facts.pk = facts_fts.rowid"
        " WHERE facts_fts MATCH ? ORDER BY rank",
        (query,),
    )
    return [row[0] for row in rows]


def _little_giants(ids: list[str]) -> bool:
    return "sme.little-giants" in ids and all(i.startswith("sme.little-giants") for i in ids)


def test_sqlite_tables_rows_and_keys(database: Path, registry: Registry) -> None:
    connection = sqlite3.connect(database)
    tables = {
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
        )
    }
    assert {"sources", "topics", "facts", "latest_facts", "facts_fts", "meta"} <= tables
    assert connection.execute("SELECT count(*) FROM facts").fetchone() == (len(registry.vintages),)
    assert connection.execute("SELECT count(*) FROM topics").fetchone() == (len(registry.topics),)
    assert connection.execute("SELECT count(*) FROM latest_facts").fetchone() == (
        len(registry.facts),
    )
    assert connection.execute("SELECT count(*) FROM sources").fetchone() == (len(registry.sources),)
    keys = {
        (row[2], row[3], row[4]) for row in connection.execute("PRAGMA foreign_key_list(facts)")
    }
    assert keys == {("sources", "source", "id"), ("topics", "topic", "id")}
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    indexed = {row[1] for row in connection.execute("PRAGMA index_list(facts)")}
    assert {"facts_id", "facts_topic", "facts_period", "facts_ref"} <= indexed
    row = connection.execute(
        "SELECT ref, value, unit, qualifier, stated, published, superseded_by, tags"
        " FROM facts WHERE ref = 'sme.little-giants@2025'"
    ).fetchone()
    assert row == (
        "sme.little-giants@2025",
        17600,
        "enterprises",
        "exact",
        "1.76萬家",
        "2026-01-21",
        None,
        '["cumulative", "specialized"]',
    )
    # Whole numbers stay integers, however large (CNY in yuan).
    big = connection.execute(
        "SELECT value, typeof(value) FROM facts WHERE unit = 'CNY' ORDER BY value DESC LIMIT 1"
    ).fetchone()
    assert big[0] >= 10**12 and big[1] == "integer"
    source = connection.execute(
        "SELECT publisher, date, speakers FROM sources WHERE id = 'scio-2026-01-21'"
    ).fetchone()
    assert source[0] == "紅星資本局" and source[1] == "2026-01-21"
    assert json.loads(source[2])[0]["name_en"] == "Zhang Yunming"


def test_full_text_in_chinese_and_english(database: Path) -> None:
    connection = sqlite3.connect(database)
    assert _fts_ids(connection, "小巨人")[0] == "sme.little-giants"
    # Simplified finds the Traditional text through the folded column.
    assert "humanoid-robots.makers" in _fts_ids(connection, "机器人")
    assert "humanoid-robots.makers" in _fts_ids(connection, "機器人")
    assert _little_giants(_fts_ids(connection, "little giant"))
    assert _fts_ids(connection, '"1.76萬家"')[0] == "sme.little-giants"  # quoted: has a dot
    tokenizer = connection.execute("SELECT value FROM meta WHERE key = 'fts_tokenizer'").fetchone()
    assert tokenizer == ("trigram",)


def test_sqlite_utils_reads_it(database: Path, registry: Registry) -> None:
    db = sqlite_utils.Database(database)
    facts = db.table("facts")
    assert facts.count == len(registry.vintages)
    assert facts.detect_fts() == "facts_fts"
    assert facts.pks == ["pk"]
    assert next(row["id"] for row in facts.search("小巨人")) == "sme.little-giants"
    english = [row["id"] for row in facts.search("humanoid robot")]
    assert english and all(i.startswith("humanoid-robots.") for i in english)
    assert next(row["id"] for row in facts.search("1.76萬家", quote=True)) == "sme.little-giants"
    assert {fk.other_table for fk in facts.foreign_keys} == {"sources", "topics"}
    assert db.view("latest_facts").count == len(registry.facts)
    assert "latest_facts" in db.view_names()


def test_the_index_follows_later_changes(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    export(registry, path)
    db = sqlite_utils.Database(path)
    facts = db.table("facts")
    row = next(facts.rows_where("ref = ?", ["sme.little-giants@2025"]))
    facts.update(row["pk"], {"label": "Renamed zebra crossing"})
    assert [r["ref"] for r in facts.search("zebra crossing")] == ["sme.little-giants@2025"]
    facts.delete(row["pk"])
    assert list(facts.search("zebra crossing")) == []
    new = {**row, "pk": None, "published": "2030-01-01", "label": "A later zebra"}
    db.execute("INSERT INTO facts_fts (facts_fts) VALUES ('integrity-check')")
    facts.insert(new)
    assert [r["published"] for r in facts.search("later zebra")] == ["2030-01-01"]
    db.execute("INSERT INTO facts_fts (facts_fts) VALUES ('integrity-check')")


def test_cli_export_and_refusal_to_overwrite(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    first = invoke("export", str(path))
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert first.stderr.startswith("wrote ") and " observations, " in first.stderr
    assert "full-text index: trigram" in first.stderr
    before = path.read_bytes()
    again = invoke("export", str(path), "--format", "jsonl")
    assert again.exit_code == 2
    assert again.stderr.startswith(
        f"miitfacts: error: {str(path)!r} exists; add --force to replace it"
    )
    assert again.stderr.count("\n") == 1
    assert path.read_bytes() == before
    forced = invoke("export", str(path), "--force", "--topic", "sme")
    assert forced.exit_code == 0, forced.stderr
    connection = sqlite3.connect(path)
    assert {row[0] for row in connection.execute("SELECT DISTINCT topic FROM facts")} == {"sme"}
    assert connection.execute("SELECT id FROM topics").fetchall() == [("sme",)]
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]  # nothing left beside it


def test_jsonl_and_csv(invoke: Invoke, tmp_path: Path, registry: Registry) -> None:
    jsonl = tmp_path / "facts.jsonl"
    assert invoke("export", str(jsonl)).exit_code == 0
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(registry.vintages)
    assert tuple(rows[0]) == FIELDS
    assert "\\u" not in jsonl.read_text(encoding="utf-8")
    giants = next(row for row in rows if row["ref"] == "sme.little-giants@2025")
    assert giants["value"] == 17600 and giants["tags"] == ["cumulative", "specialized"]

    table = tmp_path / "facts.csv"
    result = invoke("export", str(table), "--unit", "percent", "--sort", "value")
    assert result.exit_code == 0, result.stderr
    with table.open(encoding="utf-8", newline="") as stream:
        read = list(csv.DictReader(stream))
    assert {row["unit"] for row in read} == {"percent"}
    values = [float(row["value"]) for row in read]
    assert values == sorted(values)
    assert all(max(row["label_zh"]) >= "\u4e00" for row in read)  # Chinese intact
    assert any("同比增長" in row["quote"] for row in read)
    assert table.read_bytes()[:3] != b"\xef\xbb\xbf"  # no byte-order mark


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_export_is_what_list_all_vintages_writes(
    invoke: Invoke, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"facts.{fmt}"
    assert invoke("export", str(path), "--topic", "industry").exit_code == 0
    listed = invoke("list", "--all-vintages", "--topic", "industry", "--format", fmt)
    assert path.read_text(encoding="utf-8") == listed.stdout


def test_format_from_extension_or_option(invoke: Invoke, tmp_path: Path) -> None:
    assert format_for(Path("x.DB")) is ExportFormat.sqlite
    assert format_for(Path("x.sqlite")) is ExportFormat.sqlite
    assert format_for(Path("x.out"), "csv") is ExportFormat.csv
    unknown = invoke("export", str(tmp_path / "facts.txt"))
    assert unknown.exit_code == 2 and "--format sqlite|jsonl|csv" in unknown.stderr
    chosen = invoke("export", str(tmp_path / "facts.data"), "--format", "jsonl")
    assert chosen.exit_code == 0
    assert json.loads((tmp_path / "facts.data").read_text(encoding="utf-8").splitlines()[0])
    bad = invoke("export", str(tmp_path / "facts.db"), "--format", "xlsx")
    assert bad.exit_code == 2


def test_unwritable_places_are_usage_errors(invoke: Invoke, tmp_path: Path) -> None:
    missing = invoke("export", str(tmp_path / "no" / "facts.db"))
    assert missing.exit_code == 2 and "no folder" in missing.stderr
    folder = invoke("export", str(tmp_path))
    assert folder.exit_code == 2
    assert len(folder.stderr.splitlines()) == 1


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/null", "/proc/self/fd/1"])
def test_streams_and_devices_are_refused_before_anything_is_written(name: str) -> None:
    # destination() only decides; it writes nothing, so a wrong answer here harms no device.
    with pytest.raises(UsageError, match="device or a stream"):
        export_module.destination(Path(name), force=True)


def test_a_link_is_kept_and_its_file_replaced(
    invoke: Invoke, tmp_path: Path, registry: Registry
) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "facts.jsonl"
    link.symlink_to(real)
    assert invoke("export", str(link)).exit_code == 2  # taken: --force needed
    assert invoke("export", str(link), "--force").exit_code == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert len(real.read_text(encoding="utf-8").splitlines()) == len(registry.vintages)


def test_a_pipe_or_device_is_never_replaced(invoke: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    result = invoke("export", str(fifo), "--force")
    assert result.exit_code == 2 and "is not a regular file" in result.stderr
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_failed_export_leaves_nothing(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export_module, "write_sqlite", broken)
    with pytest.raises(RuntimeError):
        export(registry, tmp_path / "facts.db")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "facts.db").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        export(registry, tmp_path / "facts.db", force=True)
    assert (tmp_path / "facts.db").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]


def test_a_full_disk_is_one_line_and_leaves_nothing(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export_module, "fts_tokenizer", full)
    result = invoke("export", str(tmp_path / "facts.db"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"miitfacts: error: cannot write {str(tmp_path / 'facts.db')!r}: database or disk is full\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_without_trigram_the_index_falls_back_and_says_so(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "fts_tokenizer", lambda connection: "unicode61")
    result = export(registry, tmp_path / "a.db")
    assert result.tokenizer == "unicode61"
    assert "no trigram tokenizer" in result.notes[0]
    connection = sqlite3.connect(tmp_path / "a.db")
    assert _little_giants(_fts_ids(connection, "little giant"))

    monkeypatch.setattr(export_module, "fts_tokenizer", lambda connection: None)
    result = export(registry, tmp_path / "b.db")
    assert result.tokenizer is None and "no FTS5" in result.notes[0]
    names = {
        row[0]
        for row in sqlite3.connect(tmp_path / "b.db").execute("SELECT name FROM sqlite_master")
    }
    assert "facts_fts" not in names and "facts" in names


def test_export_of_an_extra_pack(invoke: Invoke, write_pack: WritePack, tmp_path: Path) -> None:
    pack = write_pack()
    path = tmp_path / "x.db"
    result = invoke("export", str(path), "--data", str(pack), "--source", "test-source")
    assert result.exit_code == 0, result.stderr
    connection = sqlite3.connect(path)
    assert [row[0] for row in connection.execute("SELECT id FROM sources")] == ["test-source"]
    assert _fts_ids(connection, "示例企業") == ["example.enterprises"]
    assert _fts_ids(connection, "示例企业") == ["example.enterprises"]


def test_an_existing_file_is_refused_by_the_core_too(registry: Registry, tmp_path: Path) -> None:
    (tmp_path / "facts.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="exists"):
        export(registry, tmp_path / "facts.csv")
    assert (tmp_path / "facts.csv").read_text(encoding="utf-8") == "mine"


def _revision(write_pack: WritePack, value: int, date: str, source_id: str) -> Path:
    """A cited pack that states example.enterprises for 2025 again, on ``date``."""
    pack = {
        "format": 1,
        "source": {
            "id": source_id,
            "publisher": "某報",
            "publisher_en": "A Paper",
            "title": "修訂",
            "title_en": "Revision",
            "date": date,
            "event": "示例發布會",
            "event_en": "Example briefing",
            "reliability": "major",
            "url": "https://example.org/r",
            "attribution": "Fictional, for tests.",
        },
        "facts": [
            {
                "id": "example.enterprises",
                "topic": "example",
                "kind": "figure",
                "label": "Example enterprises",
                "label_zh": "示例企業數量",
                "value": value,
                "unit": "enterprises",
                "qualifier": "more_than",
                "period": "2025",
                "stated": f"超過{value}家",
            }
        ],
    }
    return write_pack(pack, name=f"{source_id}.json")


def test_every_vintage_with_superseded_by(
    invoke: Invoke, write_pack: WritePack, tmp_path: Path
) -> None:
    first = write_pack()
    revised = _revision(write_pack, 1300, "2026-06-01", "revision")
    again = _revision(write_pack, 1300, "2026-07-01", "relay")
    data = ["--data", str(first), "--data", str(revised), "--data", str(again)]
    path = tmp_path / "v.db"
    assert invoke("export", str(path), "--topic", "example", *data).exit_code == 0
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT value, published, source, superseded_by, corroborated_by FROM facts"
        " WHERE ref = 'example.enterprises@2025' ORDER BY published"
    ).fetchall()
    assert rows == [
        (1200, "2026-03-01", "test-source", "2026-06-01", "[]"),
        (1300, "2026-06-01", "revision", None, '["relay"]'),
    ]
    latest = connection.execute(
        "SELECT value FROM latest_facts WHERE id = 'example.enterprises'"
    ).fetchall()
    assert latest == [(1300,)]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    sources = {row[0] for row in connection.execute("SELECT id FROM sources")}
    assert sources == {"test-source", "revision", "relay"}

    # What was known on 1 April: the first vintage, not yet superseded.
    then = tmp_path / "then.jsonl"
    assert invoke("export", str(then), "--as-of", "2026-04-01", *data).exit_code == 0
    known = [json.loads(line) for line in then.read_text(encoding="utf-8").splitlines()]
    enterprises = [r for r in known if r["id"] == "example.enterprises"]
    assert [(r["value"], r["superseded_by"]) for r in enterprises] == [(1200, None)]

    # --source matches a corroborating source too; --period picks periods.
    relay = tmp_path / "relay.csv"
    assert invoke("export", str(relay), "--source", "relay", *data).exit_code == 0
    with relay.open(encoding="utf-8", newline="") as stream:
        assert [r["source"] for r in csv.DictReader(stream)] == ["revision"]
    plans = tmp_path / "plans.jsonl"
    assert invoke("export", str(plans), "--period", "2026", *data).exit_code == 0
    periods = {
        json.loads(line)["period"] for line in plans.read_text(encoding="utf-8").splitlines()
    }
    assert periods <= {"2026", "2026-01-21"} and periods


def test_the_help_examples_run(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli import help_examples

    monkeypatch.chdir(tmp_path)
    examples = help_examples(invoke, "export")
    assert len(examples) == 2
    for example in examples:
        result = invoke(*example)
        assert result.exit_code == 0, (example, result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.db", "sme.csv"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("綠色工廠", "green."),  # Traditional query, Simplified source
        ("5G用戶", "telecom."),
        ("小巨人企業", "sme.little-giants"),  # across the quote marks of 专精特新“小巨人”企业
        ("小巨人企业", "sme.little-giants"),
    ],
)
def test_full_text_finds_chinese_as_people_write_it(
    database: Path, query: str, expected: str
) -> None:
    with sqlite3.connect(database) as connection:
        ids = _fts_ids(connection, f'"{query}"')
    assert any(i.startswith(expected) for i in ids), ids
