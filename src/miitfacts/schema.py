"""Validation of pack files with pydantic, into the dataclasses of ``models``.

Imported only when a pack has to be checked (a cache miss, ``validate``,
``schema``), so that everyday commands never pay for building validators.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import TypeAdapter, ValidationError

from miitfacts.errors import Problem
from miitfacts.models import PATTERN_MESSAGES, Pack

PACK_ADAPTER: TypeAdapter[Pack] = TypeAdapter(Pack)
MAX_PROBLEMS_PER_FILE = 200

_JSON_PLACE = re.compile(r"^Invalid JSON: (.*) at line (\d+) column (\d+)$")
_MESSAGES = {
    "unexpected_keyword_argument": "unknown field",
    "missing_keyword_only_argument": "Field required",
}


def parse_pack(name: str, data: bytes) -> tuple[Pack | None, list[Problem]]:
    """A pack from the bytes of its file, or the problems that stop it."""
    try:
        return PACK_ADAPTER.validate_json(data.removeprefix(b"\xef\xbb\xbf")), []
    except ValidationError as exc:
        return None, _problems(name, data, exc)


def json_schema() -> dict[str, Any]:
    document = PACK_ADAPTER.json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return document


def _line_column(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{column}"


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(name: str, data: bytes, exc: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems with a place: line:column, or a field path."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        place = _line_column(data[: bad.start].decode("utf-8", "replace"), bad.start)
        return [Problem(name, place, f"not UTF-8 (byte 0x{data[bad.start]:02x})")]
    problems = []
    for error in exc.errors(include_url=False)[:MAX_PROBLEMS_PER_FILE]:
        match = _JSON_PLACE.match(error["msg"])
        if error["type"] == "json_invalid" and match:
            where, message = f"{match[2]}:{match[3]}", f"invalid JSON: {match[1]}"
        else:
            ctx = error.get("ctx") or {}
            pattern = ctx.get("pattern") if error["type"] == "string_pattern_mismatch" else None
            message = PATTERN_MESSAGES.get(pattern or "") or _MESSAGES.get(
                error["type"], error["msg"]
            )
            where = _field_path(error["loc"])
        problems.append(Problem(name, where, message))
    return problems
