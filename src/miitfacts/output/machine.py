"""JSON, JSON Lines, CSV, TSV and Markdown writers: plain strings, UTF-8, no Rich.

Each format is safe where it lands:

- CSV (RFC 4180, via ``csv``): a text cell that a spreadsheet would run as a
  formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
  and is not simply a number such as ``-3.5``) is written with a leading ``'``,
  as OWASP advises; numbers are never changed.
- TSV follows the convention ``cut`` and ``awk`` expect: no quoting; a tab,
  newline, carriage return or backslash inside a cell is written ``\\t``,
  ``\\n``, ``\\r``, ``\\\\``.
- Markdown escapes HTML, link and emphasis syntax, and the pipe.
"""

from __future__ import annotations

import csv
import io
import json
import re
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


_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?%?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell that no spreadsheet runs as a formula."""
    cell = _cell(value)
    if isinstance(value, str) and cell.startswith(_FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(value: Any) -> str:
    return _cell(value).translate(_TSV_ESCAPES)


def render_records(
    records: Sequence[Record],
    fmt: Format,
    fields: Sequence[str] | None,
    default_fields: Sequence[str],
    headers: bool = True,
) -> str:
    """Records in a machine format; ``[]`` (or a header alone) when there are none."""
    rows = project(records, fields)
    if fmt is Format.json:
        return to_json(rows)
    if fmt is Format.jsonl:
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    columns = _columns(rows, fields, default_fields)
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect="excel", lineterminator="\n")
        if headers:
            writer.writerow(columns)
        writer.writerows([csv_cell(row.get(c)) for c in columns] for row in rows)
        return buffer.getvalue()
    if fmt is Format.tsv:
        lines = [[tsv_cell(c) for c in columns]] if headers else []
        lines += [[tsv_cell(row.get(c)) for c in columns] for row in rows]
        return "".join("\t".join(line) + "\n" for line in lines)
    if fmt is Format.markdown:
        return markdown_table(columns, [[_cell(row.get(c)) for c in columns] for row in rows])
    raise ValueError(f"not a machine format: {fmt}")


_MARKDOWN_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "[": "\\[",
        "]": "\\]",
        "`": "\\`",
        "*": "\\*",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)


def markdown_text(text: str) -> str:
    """Data as literal Markdown text: no HTML, links or emphasis; newlines as <br>."""
    escaped = text.translate(_MARKDOWN_ESCAPES)
    return escaped.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(map(markdown_text, columns)) + " |"]
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    lines.extend("| " + " | ".join(map(markdown_text, row)) + " |" for row in rows)
    return "\n".join(lines) + "\n"
