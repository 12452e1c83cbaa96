"""Validation of pack files with pydantic, into the dataclasses of ``models``.

Imported only when a pack has to be checked (a cache miss, ``validate``,
``schema``), so that everyday commands never pay for building validators.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import TypeAdapter, ValidationError

from miitfacts.errors import Problem
from miitfacts.models import LINKABLE, PATTERN_MESSAGES, Pack

PACK_ADAPTER: TypeAdapter[Pack] = TypeAdapter(Pack)
MAX_PROBLEMS_PER_FILE = 200

_JSON_PLACE = re.compile(r"^Invalid JSON: (.*) at line (\d+) column (\d+)$")
# Pydantic's error types in a pack author's words (its own wording never reaches them).
_MESSAGES = {
    "unexpected_keyword_argument": "unknown field",
    "extra_forbidden": "unknown field",
    "missing_keyword_only_argument": "is required",
    "missing": "is required",
    "missing_argument": "is required",
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be an object",
    "dataclass_type": "must be an object",
    "dataclass_args_type": "must be an object",
    "date_type": "must be a date, YYYY-MM-DD",
    "date_parsing": "must be a date, YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a real date, YYYY-MM-DD",
    "date_from_datetime_inexact": "must be a date, YYYY-MM-DD",
    "union_tag_invalid": "kind must be 'figure' or 'statement'",
    "union_tag_not_found": "needs a kind: 'figure' or 'statement'",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
}


def _message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return PATTERN_MESSAGES.get(ctx.get("pattern", ""), "is not written as it should be")
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}".replace("'", "")
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return _MESSAGES.get(kind, str(error["msg"]))


def parse_pack(name: str, data: bytes) -> tuple[Pack | None, list[Problem]]:
    """A pack from the bytes of its file, or the problems that stop it."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        pack = PACK_ADAPTER.validate_json(data)
    except ValidationError as exc:
        return None, _problems(name, data, exc)
    duplicate = _duplicate_key(data.decode("utf-8"))
    if duplicate is not None:
        return None, [Problem(name, duplicate[0], f"duplicate key {duplicate[1]!r}")]
    return pack, []


class _DuplicateKey(Exception):
    pass


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _DuplicateKey
    return dict(pairs)


def _duplicate_key(text: str) -> tuple[str, str] | None:
    """``(line:column, key)`` of the first key written twice in one object, if any.

    JSON parsers keep the last of two equal keys; a pack that says ``value``
    twice says two things, so it is refused. The fast check runs on every
    validated pack; the scan for the place only when there is a duplicate.
    """
    try:
        json.loads(text, object_pairs_hook=_refuse_duplicates)
        return None
    except _DuplicateKey:
        pass
    decoder = json.JSONDecoder()
    stack: list[set[str]] = []
    index, expect_key = 0, False
    while index < len(text):
        char = text[index]
        if char == '"':
            key, end = decoder.raw_decode(text, index)
            rest = text[end:].lstrip()
            if stack and expect_key and rest.startswith(":"):
                if key in stack[-1]:
                    return _line_column(text, index), key
                stack[-1].add(key)
            index, expect_key = end, False
            continue
        if char == "{":
            stack.append(set())
            expect_key = True
        elif char == "}":
            stack.pop()
        elif char == "[":
            stack.append(set())  # keys never stand directly in an array
            expect_key = False
        elif char == "]":
            stack.pop()
        elif char == ",":
            expect_key = True
        index += 1
    return _line_column(text, 0), "?"


# What ``validate`` checks beyond any JSON Schema: rules across fields, files and packs.
_BEYOND_SCHEMA = (
    "Checked by 'miitfacts validate' beyond this schema: a fact's id starts with its "
    "topic and a dot; a period is a real date and a span does not end before it starts; "
    "a figure's stated text is inside its quote; a fact of a source whose text is bundled "
    "(text_file) has a quote found verbatim in that text, and a fact of a cited source has "
    "none; a fact names one of its pack's sources; keys are not repeated in an object; "
    "across all packs: source ids are unique, a topic is defined once and no two topics "
    "share a name after folding case and Chinese script, each indicator keeps one kind "
    "and unit, one source states an observation (id and period) once, two sources never "
    "disagree on the same date, and topics and baselines exist."
)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a pack: the same types the loader validates with, plus the
    rules that JSON Schema can state (one of source/sources, addresses only for
    official or major sources)."""
    document = PACK_ADAPTER.json_schema()
    definitions = document["$defs"]
    for kind in ("Figure", "Statement"):
        # Derived from the source's date; a pack never states it.
        definitions[kind]["properties"].pop("published", None)
    document["oneOf"] = [
        {"required": ["source"], "properties": {"source": {"$ref": "#/$defs/Source"}}},
        {"required": ["sources"], "properties": {"sources": {"minItems": 1}}},
    ]
    document["not"] = {
        "required": ["source", "sources"],
        "properties": {"source": {"type": "object"}, "sources": {"minItems": 1}},
    }
    definitions["Source"]["if"] = {"required": ["url"], "properties": {"url": {"type": "string"}}}
    definitions["Source"]["then"] = {
        "required": ["reliability"],
        "properties": {"reliability": {"enum": sorted(LINKABLE)}},
    }
    document["description"] = f"{document.get('description', '')}\n\n{_BEYOND_SCHEMA}".strip()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return document


def _line_column(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{column}"


# pydantic names the member of a tagged union in the path (facts.0.figure.value);
# a pack's author knows the place as facts[0].value.
_UNION_TAGS = frozenset({"figure", "statement", "constrained-int", "constrained-float"})
_VALUE_MESSAGE = "must be a number (not true/false or text), finite, and less than 10^18 in size"


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if part in _UNION_TAGS:
            continue
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
            message = _message(error)
            where = _field_path(error["loc"])
            if error["type"].startswith("union_tag"):
                where += ".kind"
            if {"constrained-int", "constrained-float"} & set(map(str, error["loc"])):
                message = _VALUE_MESSAGE
        problem = Problem(name, where, message)
        if problem not in problems:  # the int and float members of a value say the same
            problems.append(problem)
    return problems
