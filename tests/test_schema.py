"""`miitfacts schema` accepts what the loader accepts, and refuses what it refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from miitfacts.errors import PackError
from miitfacts.registry import bundled_data_dir, load_packs
from tests.conftest import Invoke, WritePack, minimal_pack

ROOT = Path(__file__).parent.parent
VALID_PACKS = sorted(
    [
        *bundled_data_dir().glob("*.json"),
        *(ROOT / "examples").glob("*.json"),
        *(ROOT / "examples" / "series").glob("*.json"),
    ]
)


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    from typer.testing import CliRunner

    from miitfacts.cli import app

    printed = CliRunner().invoke(app, ["schema"])
    schema = json.loads(printed.stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("path", VALID_PACKS, ids=lambda p: p.name)
def test_every_shipped_pack_passes_the_schema(validator: Draft202012Validator, path: Path) -> None:
    errors = [e.message for e in validator.iter_errors(json.loads(path.read_text("utf-8")))]
    assert errors == []


def test_the_shipped_packs_load(invoke: Invoke) -> None:
    series = str(ROOT / "examples" / "series")
    result = invoke("validate", str(bundled_data_dir()), str(ROOT / "examples"), series)
    assert result.exit_code == 0, result.stderr


def _figure(**changes: Any) -> dict[str, Any]:
    pack = minimal_pack()
    pack["facts"][0].update(changes)
    return pack


def _without(field: str) -> dict[str, Any]:
    pack = minimal_pack()
    del pack["facts"][0][field]
    return pack


def _statement_with_value() -> dict[str, Any]:
    pack = minimal_pack()
    pack["facts"][2]["value"] = 3
    return pack


def _two_source_forms() -> dict[str, Any]:
    pack = minimal_pack()
    pack["sources"] = [dict(pack["source"], id="other-source")]
    return pack


def _no_source() -> dict[str, Any]:
    pack = minimal_pack()
    del pack["source"]
    return pack


def _source(**changes: Any) -> dict[str, Any]:
    pack = minimal_pack()
    pack["source"].update(changes)
    return pack


INVALID = {
    "figure without value": _without("value"),
    "figure without unit": _without("unit"),
    "figure without stated": _without("stated"),
    "statement with a value": _statement_with_value(),
    "value true": _figure(value=True),
    "value as text": _figure(value="1200"),
    "value of 10^18": _figure(value=10**18),
    "unknown unit": _figure(unit="bananas"),
    "unknown qualifier": _figure(qualifier="roughly"),
    "unknown kind": _figure(kind="opinion"),
    "month 13": _figure(period="2025-13-01"),
    "not a period": _figure(period="last year"),
    "published written in a pack": _figure(published="2020-01-01"),
    "unknown field": _figure(colour="red"),
    "control character": _figure(label="a\x1b[31mred"),
    "line separator": _figure(label="a\u2028b"),
    "bidi override": _figure(label="a\u202eb"),
    "zero-width space": _figure(label="a\u200bb"),
    "both source and sources": _two_source_forms(),
    "neither source nor sources": _no_source(),
    "url of a source that is not official or major": _source(url="https://example.org/"),
    "url of a mirror": _source(url="https://example.org/", reliability="mirror"),
}


@pytest.mark.parametrize("name", list(INVALID))
def test_schema_and_loader_both_refuse(
    validator: Draft202012Validator, write_pack: WritePack, name: str
) -> None:
    pack = INVALID[name]
    assert list(validator.iter_errors(pack)), f"the schema accepts: {name}"
    path = write_pack(pack)
    with pytest.raises(PackError):
        load_packs([path])


def test_the_schema_says_what_only_validate_checks(validator: Draft202012Validator) -> None:
    schema = validator.schema
    assert isinstance(schema, dict)
    description = schema["description"]
    assert "real date" in description and "verbatim" in description
