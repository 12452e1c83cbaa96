"""JSON, JSON Lines, CSV, TSV and Markdown writers: plain strings, UTF-8, no Rich."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from miitfacts.output import Format, Record

if TYPE_CHECKING:
    from collections.abc import Sequence


def to_json(document: Any) -> str:
    """One JSON document, UTF-8 text (no \\u escapes), ending in a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def project(records: Sequence[Record], fields: Sequence[str] | None) -> list[Record]:
    if fields is None:
        return list(records)
    return [{name: record.get(name) for name in fields} for record in records]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(_cell, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _columns(
    records: Sequence[Record], fields: Sequence[str] | None, default: Sequence[str]
) -> list[str]:
    if fields is not None:
        return list(fields)
    return list(records[0]) if records else list(default)


def render_records(
    records: Sequence[Record],
    fmt: Format,
    fields: Sequence[str] | None,
    default_fields: Sequence[str],
) -> str:
    """Records in a machine format; ``[]`` (or a header alone) when there are none."""
    rows = project(records, fields)
    if fmt is Format.json:
        return to_json(rows)
    if fmt is Format.jsonl:
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    columns = _columns(rows, fields, default_fields)
    if fmt in (Format.csv, Format.tsv):
        buffer = io.StringIO()
        dialect = "excel-tab" if fmt is Format.tsv else "excel"
        writer = csv.writer(buffer, dialect=dialect, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        return buffer.getvalue()
    if fmt is Format.markdown:
        return markdown_table(columns, [[_cell(row.get(c)) for c in columns] for row in rows])
    raise ValueError(f"not a machine format: {fmt}")


def _markdown_cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
    )


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(map(_markdown_cell, columns)) + " |"]
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    lines.extend("| " + " | ".join(map(_markdown_cell, row)) + " |" for row in rows)
    return "\n".join(lines) + "\n"
