"""Pack model rules and registry lookups."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import miitfacts
from miitfacts.errors import NotFoundError, PackError
from miitfacts.models import Pack
from miitfacts.registry import Registry, bundled_data_dir, load_packs
from miitfacts.schema import parse_pack
from tests.conftest import WritePack, minimal_pack


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_packs([bundled_data_dir(), path])
    return [str(p) for p in caught.value.problems]


def test_a_valid_extra_pack_loads_after_the_bundled_one(write_pack: WritePack) -> None:
    registry = miitfacts.load([write_pack()], use_env=False)
    assert registry.figure("example.enterprises").value == 1200
    assert registry.fact("example.enterprises").source == "test-source"
    assert registry.get_topic("sample") is not None
    assert registry.get_fact("sme.little-giants") is not None


def test_extra_packs_come_from_the_environment(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIITFACTS_DATA", str(write_pack().parent))
    assert miitfacts.load().get_fact("example.plan") is not None


def broken(path: str, value: Any, *more: Any) -> dict[str, Any]:
    """The minimal pack with fields (``facts.0.value``-style paths) replaced."""
    pack = minimal_pack()
    changes = [(path, value), *zip(more[::2], more[1::2], strict=True)]
    for dotted, new in changes:
        *parents, last = dotted.split(".")
        node: Any = pack
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = new
    return pack


@pytest.mark.parametrize(
    ("pack", "expected"),
    [
        (
            broken("facts.0.topic", "nowhere", "facts.0.id", "nowhere.x"),
            "facts[0].topic: unknown topic 'nowhere'",
        ),
        (
            broken("facts.1.id", "example.enterprises"),
            "facts[1].unit: example.enterprises is 'percent' here but 'enterprises'",
        ),
        (broken("facts.0.value", None), "facts[0].value: must be a number"),
        (broken("facts.0.value", True), "facts[0].value: must be a number (not true/false"),
        (broken("facts.0.value", 10**400), "facts[0].value: must be a number"),
        (broken("facts.0.value", 1e18), "facts[0].value: must be a number"),
        (broken("facts.2.value", 3), "facts[2].value: unknown field"),
        (broken("facts.0.period", "2025-99-99"), "facts[0].period: must be a year"),
        (broken("facts.0.period", "2025-02-30"), "period '2025-02-30' is not a real period"),
        (broken("facts.0.period", "2030-2026"), "ends before it starts"),
        (broken("source.url", "https://example.org/"), "url is given only for an official"),
        (broken("facts.0.quote", None), "facts[0] needs a quote: its source's text is bundled"),
        (
            broken("facts.0.quote", "超過1200家 not in text"),
            "facts[0].quote: quote is not in test-source.txt",
        ),
        (
            broken("facts.1.baseline", "industry.nothing"),
            "facts[1].baseline: unknown baseline 'industry.nothing'",
        ),
        (
            broken("facts.0.unit", "bananas"),
            "facts[0].unit: must be one of percent, percentage-points",
        ),
        (broken("facts.0.value", "many"), "facts[0].value"),
        (broken("facts.0.id", "example.bad id"), "facts[0].id: must be <topic>.<slug>"),
        (
            broken("facts.0.label", "bad\x1b[31mred"),
            "facts[0].label: contains control, line-break, bidirectional or invisible characters",
        ),
        (
            broken("facts.2.speaker", "王五"),
            "facts[2].speaker: speaker '王五' is not in the source text",
        ),
        (
            broken("source.id", "scio-2026-01-21"),
            "source.id: source 'scio-2026-01-21' is already loaded",
        ),
    ],
)
def test_bad_packs_are_rejected_naming_the_place(
    write_pack: WritePack, pack: dict[str, Any], expected: str
) -> None:
    path = write_pack(pack)
    assert any(p.startswith(f"{path}:") and expected in p for p in problems_of(path)), problems_of(
        path
    )


def test_json_syntax_errors_give_line_and_column(write_pack: WritePack) -> None:
    path = write_pack(b'{\n  "format": 1,\n  "source": ')
    assert problems_of(path) == [f"{path}:3:12: invalid JSON: EOF while parsing a value"]


def test_non_utf8_pack_names_the_byte(write_pack: WritePack) -> None:
    path = write_pack(b'{"format": 1,\n "x": "\xff"}')
    assert problems_of(path) == [f"{path}:2:8: not UTF-8 (byte 0xff)"]


def test_missing_and_empty_paths(tmp_path: Path) -> None:
    with pytest.raises(PackError) as caught:
        load_packs([tmp_path / "missing.json", tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'missing.json'}: no such file or folder",
        f"{tmp_path}: folder holds no .json pack files",
    ]


def test_skip_invalid_keeps_the_good_packs(write_pack: WritePack) -> None:
    good = write_pack(name="good.json")
    bad = write_pack(b"[]", name="bad.json")
    warnings: list[miitfacts.Problem] = []
    registry = miitfacts.load([bad, good], use_env=False, skip_invalid=True, warnings=warnings)
    assert registry.get_fact("example.growth") is not None
    assert [w.file for w in warnings] == [str(bad)]


def test_lookup_is_case_and_script_insensitive(registry: Registry) -> None:
    assert registry.lookup("SME.Little-Giants") == registry.fact("sme.little-giants")
    for key in (
        "humanoid-robots",
        "Humanoid Robots",
        "人形機器人",
        "人形机器人",
        "具身智能",
        "ＳＭＥ",
    ):
        found = registry.lookup(key)
        assert found is not None, key
    assert registry.get_topic("人形机器人") == registry.topics["humanoid-robots"]
    assert registry.get_topic("中小企业") == registry.topics["sme"]
    assert registry.get_topic("6G") == registry.topics["6g"]


def test_unknown_ids_suggest_the_nearest(registry: Registry) -> None:
    with pytest.raises(NotFoundError) as caught:
        registry.resolve("sme.litle-giants")
    assert caught.value.suggestions[0] == "sme.little-giants"
    assert "did you mean sme.little-giants" in str(caught.value)
    with pytest.raises(NotFoundError) as caught:
        registry.resolve("nothing-here")
    assert "see 'miitfacts topics'" in str(caught.value)


def test_pack_data_round_trips_through_validation_and_the_cache_form(registry: Registry) -> None:
    pack = registry.packs[0].pack
    again, problems = parse_pack("again", json.dumps(pack.data(), ensure_ascii=False).encode())
    assert problems == [] and again == pack
    assert Pack.from_data(pack.data()) == pack


def test_the_load_cache_never_serves_stale_data(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from miitfacts import registry as registry_module

    path = write_pack()
    assert miitfacts.load([path], use_env=False).figure("example.enterprises").value == 1200
    # The second load comes from the cache: checking a pack again would fail.
    with monkeypatch.context() as patch:
        patch.setattr(registry_module, "read_pack", _must_not_check)
        assert miitfacts.load([path], use_env=False).figure("example.enterprises").value == 1200
    # A changed pack is checked again (the cache entry for the old one is still there).
    pack = minimal_pack()
    pack["facts"][0]["label"] = "Changed label"
    path.write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    assert (
        miitfacts.load([path], use_env=False).fact("example.enterprises").label == "Changed label"
    )
    # A changed source text is checked again: the quote is gone, so the pack is invalid.
    (path.parent / "test-source.txt").write_text(
        "某部門消息。將推進示例工作 李四", encoding="utf-8"
    )
    with pytest.raises(PackError) as caught:
        miitfacts.load([path], use_env=False)
    assert "quote is not in test-source.txt" in str(caught.value)


def _must_not_check(path: Path, data: bytes) -> object:
    raise AssertionError(f"{path} was checked again: the cache was not used")


def test_a_damaged_cache_entry_is_rebuilt(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import marshal

    from miitfacts import cache

    monkeypatch.setenv("MIITFACTS_CACHE", str(tmp_path / "cache"))
    path = write_pack()
    miitfacts.load([path], use_env=False)
    folder = cache.cache_dir()
    assert folder is not None
    (entry,) = folder.glob("packs-*.bin")
    pristine = entry.read_bytes()
    header = len(cache._MAGIC) + cache._CHECK_BYTES
    stored = marshal.loads(pristine[header:])
    facts = stored["packs"][-1]["pack"]["facts"]
    damaged = [
        b"\x00garbage",
        pristine[: len(pristine) // 2],
        # Well-formed entries that decode to wrong data: a wrong value of the right
        # type, a string value, an int id, an unknown qualifier.
        *(
            pristine[:header] + marshal.dumps(_with(stored, facts, 1, field, value))
            for field, value in (("value", 9.9), ("value", "3.5"), ("id", 7), ("qualifier", "x"))
        ),
    ]
    for data in damaged:
        entry.write_bytes(data)
        assert miitfacts.load([path], use_env=False).figure("example.growth").value == 3.5
        assert entry.read_bytes() == pristine  # rebuilt
    monkeypatch.setenv("MIITFACTS_CACHE", "off")
    assert cache.cache_dir() is None
    assert miitfacts.load([path], use_env=False).figure("example.growth").value == 3.5


def _with(
    stored: dict[str, Any], facts: list[dict[str, Any]], i: int, field: str, value: object
) -> dict[str, Any]:
    changed = dict(facts[i], **{field: value})
    packs = [
        *stored["packs"][:-1],
        {
            **stored["packs"][-1],
            "pack": {
                **stored["packs"][-1]["pack"],
                "facts": [*facts[:i], changed, *facts[i + 1 :]],
            },
        },
    ]
    return {**stored, "packs": packs}


def test_a_warm_start_does_not_import_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "MIITFACTS_CACHE": str(tmp_path), "MIITFACTS_DATA": ""}
    code = "import sys, miitfacts; miitfacts.load(); print('pydantic' in sys.modules)"
    first = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    second = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert (first.stdout, second.stdout) == ("True\n", "False\n")
