"""Export the registry to SQLite (for Datasette, sqlite-utils, DuckDB), JSON Lines or CSV.

Every observation is written, every vintage with it (``superseded_by`` says
which later one replaced it), so the export is the whole record; a view
``latest_facts`` holds what the CLI shows. The SQLite file has foreign keys from
``facts`` to ``sources`` and ``topics``, indexes on ``id``, ``ref``, ``topic``,
``period`` and ``source``, and an FTS5 index ``facts_fts`` over the labels, stated
text and quotes, and ``search_text``: the Chinese text, note and tags folded
(Simplified, lower-case), so that a query in either script finds a fact. The
``trigram`` tokenizer finds Chinese by any three characters or more.

A file is written beside its destination and renamed into place: a reader never
sees half a file, and a failed export leaves nothing behind. An existing file is
replaced only with ``force``. Nothing here prints: :func:`export` returns what it
wrote, with notes for anything the caller should tell the user.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from miitfacts.errors import UsageError, WriteError
from miitfacts.models import FACT_FIELDS, Figure
from miitfacts.text import fold_lines, squeeze

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator, Sequence

    from miitfacts.models import Fact, Source, Topic
    from miitfacts.registry import Registry


class ExportFormat(StrEnum):
    sqlite = "sqlite"
    jsonl = "jsonl"
    csv = "csv"


EXTENSIONS = {
    ".db": ExportFormat.sqlite,
    ".sqlite": ExportFormat.sqlite,
    ".sqlite3": ExportFormat.sqlite,
    ".jsonl": ExportFormat.jsonl,
    ".csv": ExportFormat.csv,
}

# The fields of an exported observation: the JSON contract's, in its order, so
# that JSON Lines and CSV exports are what ``list --all-vintages`` writes (the
# facts table adds ``pk`` and the folded ``search_text``).
FIELDS = FACT_FIELDS
# What the full-text index covers (and search_text, the folded copy).
FTS_COLUMNS = ("label", "label_zh", "stated", "quote")


@dataclass(frozen=True)
class ExportResult:
    """What was written: where, in which format, how many of each, and notes for the user."""

    path: Path
    format: ExportFormat
    facts: int
    sources: int
    topics: int
    tokenizer: str | None = None  # the FTS5 tokenizer used, None without full-text search
    notes: tuple[str, ...] = field(default=())


def format_for(path: Path, override: ExportFormat | str | None = None) -> ExportFormat:
    """The format ``override`` names, else the one ``path``'s extension implies."""
    if override is not None:
        try:
            return ExportFormat(str(override).lower())
        except ValueError:
            valid = ", ".join(f.value for f in ExportFormat)
            raise UsageError(f"--format: unknown value {override!r}; valid: {valid}") from None
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(EXTENSIONS)
        raise UsageError(
            f"cannot tell the format of {str(path)!r} from its extension ({known}); "
            "give --format sqlite|jsonl|csv"
        )
    return found


# -- rows -------------------------------------------------------------------------
def _source_row(source: Source) -> dict[str, Any]:
    row = source.record()
    row["speakers"] = [dataclasses.asdict(s) for s in source.speakers]
    return row


def _topic_row(topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.id,
        "name": topic.name,
        "name_zh": topic.name_zh,
        "aliases": list(topic.aliases),
    }


def _referenced(
    registry: Registry, facts: Sequence[Fact], everything: bool
) -> tuple[list[Source], list[Topic]]:
    """All sources and topics, or (for a filtered export) those the facts name."""
    if everything:
        return list(registry.sources.values()), list(registry.topics.values())
    source_ids = {s for f in facts for s in (f.source, *f.corroborated_by)}
    topic_ids = {f.topic for f in facts}
    sources = [s for s in registry.sources.values() if s.id in source_ids]
    topics = [t for t in registry.topics.values() if t.id in topic_ids]
    return sources, topics


# -- writing beside, then renaming ---------------------------------------------------
def destination(path: Path, force: bool) -> Path:
    """The regular file to write for ``path``: itself, or the file a symbolic link names.

    Raises for a folder, an existing file without ``force``, a missing folder, and
    anything that is not a regular file: devices, pipes and the ``/dev`` and
    ``/proc`` names of streams (``/dev/stdout``) are never replaced, even with
    ``force``. A link is kept and the file it names is replaced.
    """
    absolute = Path(os.path.normpath(path.absolute()))
    if absolute.parts[1:2] in (("dev",), ("proc",), ("sys",)):
        raise UsageError(
            f"{str(path)!r} is a device or a stream, not a file; export writes files "
            "(for a pipe, use 'miitfacts list --all-vintages --format jsonl')"
        )
    if path.is_dir():
        raise UsageError(f"{str(path)!r} is a folder; give a file name such as facts.db")
    if (path.exists() or path.is_symlink()) and not force:
        raise UsageError(f"{str(path)!r} exists; add --force to replace it")
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        raise UsageError(
            f"{str(path)!r} is not a regular file; export writes files "
            "(for a pipe, use 'miitfacts list --all-vintages --format jsonl')"
        )
    if not target.parent.is_dir():
        raise WriteError(f"cannot write {str(path)!r}: no folder {str(target.parent)!r}")
    return target


@contextlib.contextmanager
def _beside(path: Path, force: bool) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed onto it when the block ends well."""
    import sqlite3  # here, not at import: every command imports this module's CLI

    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield temporary
        if force:
            temporary.replace(path)
        else:
            try:
                # A hard link fails if the name was taken meanwhile: never clobber.
                os.link(temporary, path)
            except FileExistsError:
                raise UsageError(f"{str(path)!r} exists; add --force to replace it") from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise UsageError(f"{str(path)!r} exists; add --force to replace it") from None
                temporary.replace(path)
    except OSError as exc:
        raise WriteError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    except sqlite3.Error as exc:  # a full disk, a file system SQLite cannot lock
        raise WriteError(f"cannot write {str(path)!r}: {exc}") from None
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def export(
    registry: Registry,
    path: Path | str,
    facts: Sequence[Fact] | None = None,
    *,
    fmt: ExportFormat | str | None = None,
    force: bool = False,
    filtered: bool = False,
) -> ExportResult:
    """Write ``facts`` (default: every vintage of every observation) to ``path``.

    ``fmt`` overrides the format the extension implies. ``filtered`` says the
    facts are a selection, so that only the sources and topics they name are
    written. Raises :class:`~miitfacts.errors.UsageError` for an existing file
    without ``force``, an unknown format or a place that cannot be written.
    """
    path = Path(path)
    chosen = format_for(path, fmt)
    target = destination(path, force)
    facts = list(registry.vintages if facts is None else facts)
    sources, topics = _referenced(registry, facts, everything=not filtered)
    tokenizer: str | None = None
    notes: tuple[str, ...] = ()
    with _beside(target, force) as temporary:
        if chosen is ExportFormat.sqlite:
            tokenizer, notes = write_sqlite(temporary, registry, facts, sources, topics)
        else:
            with temporary.open("w", encoding="utf-8", newline="") as stream:
                if chosen is ExportFormat.jsonl:
                    write_jsonl(stream, registry, facts)
                else:
                    write_csv(stream, registry, facts)
                stream.flush()
                os.fsync(stream.fileno())
    return ExportResult(path, chosen, len(facts), len(sources), len(topics), tokenizer, notes)


# -- JSON Lines and CSV ---------------------------------------------------------------
def write_jsonl(stream: IO[str], registry: Registry, facts: Sequence[Fact]) -> None:
    """One JSON object per observation, UTF-8 (no escapes), keys in :data:`FIELDS` order."""
    import json

    for fact in facts:
        stream.write(json.dumps(registry.record(fact), ensure_ascii=False) + "\n")


def write_csv(stream: IO[str], registry: Registry, facts: Sequence[Fact]) -> None:
    """A header row and one row per observation; lists joined by ``;``, nulls empty."""
    import csv

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(FIELDS)
    for fact in facts:
        row = registry.record(fact)
        writer.writerow([_cell(row[name]) for name in FIELDS])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


# -- SQLite -----------------------------------------------------------------------------
SCHEMA = """
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    publisher TEXT NOT NULL,
    publisher_en TEXT NOT NULL,
    title TEXT NOT NULL,
    title_en TEXT NOT NULL,
    date TEXT NOT NULL,
    event TEXT,
    event_en TEXT,
    url TEXT,
    reliability TEXT,
    text_file TEXT,
    language TEXT,
    attribution TEXT,
    speakers TEXT  -- JSON array of {name, name_en, title, title_zh}
);
CREATE TABLE topics (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    aliases TEXT  -- JSON array
);
CREATE TABLE facts (
    pk INTEGER PRIMARY KEY,
    ref TEXT NOT NULL,  -- ID@PERIOD
    id TEXT NOT NULL,
    topic TEXT NOT NULL REFERENCES topics(id),
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    value NUMERIC,
    unit TEXT,
    qualifier TEXT,
    basis TEXT NOT NULL,
    period TEXT NOT NULL,
    published TEXT NOT NULL,  -- the vintage: the date its source published it
    stated TEXT,
    quote TEXT,
    source TEXT NOT NULL REFERENCES sources(id),
    corroborated_by TEXT,  -- JSON array of source ids
    speaker TEXT,
    note TEXT,
    baseline TEXT,
    tags TEXT,  -- JSON array
    superseded_by TEXT,  -- the later vintage that replaced this one, if any
    search_text TEXT,  -- label_zh, stated, quote, note, tags: lower-case, Simplified
    UNIQUE (id, period, published)
);
CREATE INDEX facts_id ON facts (id, period);
CREATE INDEX facts_ref ON facts (ref);
CREATE INDEX facts_topic ON facts (topic);
CREATE INDEX facts_period ON facts (period);
CREATE INDEX facts_source ON facts (source);
CREATE VIEW latest_facts AS
    SELECT * FROM facts WHERE superseded_by IS NULL;
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""


def fts_tokenizer(connection: sqlite3.Connection) -> str | None:
    """The best FTS5 tokenizer this SQLite has: ``trigram``, else ``unicode61``, else None."""
    import sqlite3

    for tokenizer in ("trigram", "unicode61"):
        try:
            connection.execute(
                f"CREATE VIRTUAL TABLE temp.probe USING fts5(x, tokenize={tokenizer})"
            )
        except sqlite3.OperationalError:
            continue
        connection.execute("DROP TABLE temp.probe")
        return tokenizer
    return None


def _fts_triggers(columns: str) -> list[str]:
    """Keep the index in step when rows are added, changed or deleted later (as sqlite-utils
    does with its ``create_triggers``): the export is a database people go on using."""
    new = ", ".join(f"new.{c}" for c in columns.split(", "))
    old = ", ".join(f"old.{c}" for c in columns.split(", "))
    delete = (
        f"INSERT INTO facts_fts (facts_fts, rowid, {columns}) VALUES ('delete', old.pk, {old});"
    )
    insert = f"INSERT INTO facts_fts (rowid, {columns}) VALUES (new.pk, {new});"
    return [
        f"CREATE TRIGGER facts_ai AFTER INSERT ON facts BEGIN {insert} END",
        f"CREATE TRIGGER facts_ad AFTER DELETE ON facts BEGIN {delete} END",
        f"CREATE TRIGGER facts_au AFTER UPDATE ON facts BEGIN {delete} {insert} END",
    ]


def _search_texts(facts: Sequence[Fact]) -> list[str]:
    """Each fact's Chinese text and tags folded (NFKC, lower-case, Simplified), in one pass.

    The English label is left out: the index itself ignores the case of latin letters.
    """
    if not facts:
        return []
    lines = (
        " ".join(
            filter(
                None,
                (
                    f.label_zh,
                    f.stated if isinstance(f, Figure) else None,
                    f.quote,
                    f.note,
                    *f.tags,
                ),
            )
        )
        for f in facts
    )
    # Quote marks split words (专精特新“小巨人”企业), so 小巨人企业 would not be found.
    simplified = squeeze(fold_lines(lines))
    # The index matches characters as written: a Traditional copy lets a query in
    # either script find a fact from a source in either script.
    import opencc

    traditional = opencc.OpenCC("s2t").convert(simplified)
    pairs = zip(simplified.split("\n"), traditional.split("\n"), strict=False)
    texts = [s if s == t else f"{s} {t}" for s, t in pairs]
    return texts if len(texts) == len(facts) else simplified.split("\n")


def write_sqlite(
    path: Path,
    registry: Registry,
    facts: Sequence[Fact],
    sources: Sequence[Source],
    topics: Sequence[Topic],
) -> tuple[str | None, tuple[str, ...]]:
    """Write the database at ``path`` (a new file); returns the FTS5 tokenizer and notes."""
    import sqlite3

    from miitfacts import __version__

    notes: list[str] = []
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = OFF")  # a new file, renamed only when complete
        connection.execute("PRAGMA cache_size = -131072")  # 128 MiB: the full-text index builds
        connection.execute("BEGIN")
        for statement in SCHEMA.split(";\n"):
            if statement.strip():
                connection.execute(statement)
        connection.executemany(
            "INSERT INTO sources VALUES (:id, :publisher, :publisher_en, :title, :title_en, :date,"
            " :event, :event_en, :url, :reliability, :text_file, :language, :attribution,"
            " :speakers)",
            [_sql_row(_source_row(s)) for s in sources],
        )
        connection.executemany(
            "INSERT INTO topics VALUES (:id, :name, :name_zh, :aliases)",
            [_sql_row(_topic_row(t)) for t in topics],
        )
        columns = ", ".join(FIELDS)
        placeholders = ", ".join(f":{name}" for name in FIELDS)
        # A generator: one row at a time, not the whole table in memory twice.
        rows = (
            _sql_row(registry.record(fact), search_text=text)
            for fact, text in zip(facts, _search_texts(facts), strict=True)
        )
        connection.executemany(
            f"INSERT INTO facts ({columns}, search_text) VALUES ({placeholders}, :search_text)",
            rows,
        )
        tokenizer = fts_tokenizer(connection)
        if tokenizer is None:
            notes.append(
                f"this SQLite ({sqlite3.sqlite_version}) has no FTS5: "
                "the export has no full-text index (LIKE still works)"
            )
        else:
            if tokenizer != "trigram":
                notes.append(
                    f"this SQLite ({sqlite3.sqlite_version}) has no trigram tokenizer "
                    "(3.34 or newer has it): the full-text index uses unicode61, which finds "
                    "English words but Chinese only as whole runs; use LIKE for Chinese"
                )
            fts_columns = ", ".join((*FTS_COLUMNS, "search_text"))
            connection.execute(
                f"CREATE VIRTUAL TABLE facts_fts USING fts5({fts_columns},"
                f' content="facts", content_rowid="pk", tokenize="{tokenizer}")'
            )
            connection.execute(
                f"INSERT INTO facts_fts (rowid, {fts_columns}) SELECT pk, {fts_columns} FROM facts"
            )
            for statement in _fts_triggers(fts_columns):
                connection.execute(statement)
        meta = {
            "miitfacts_version": __version__,
            "registry_digest": registry.digest,
            "fts_tokenizer": tokenizer or "",
            "facts": str(len(facts)),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return tokenizer, tuple(notes)


def _sql_row(row: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """Lists and dicts as JSON text, as Datasette and sqlite-utils expect."""
    import json

    out = {
        name: json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
        for name, value in row.items()
    }
    out.update(extra)
    return out
