"""Filters and order on list and search: the core (miitfacts.query) and the options."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from miitfacts.errors import UsageError
from miitfacts.models import Figure, PeriodSpan
from miitfacts.query import Filters, Query, apply
from miitfacts.registry import Registry
from tests.conftest import Invoke, WritePack, minimal_pack


def _ids(invoke: Invoke, *args: str) -> list[str]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_filters_keep_what_matches_every_given_value(registry: Registry) -> None:
    facts = apply(registry, registry.facts, Query(Filters(unit="percent", basis="reported")))
    assert facts and all(
        isinstance(f, Figure) and f.unit == "percent" and f.basis == "reported" for f in facts
    )
    projected = apply(registry, registry.facts, Query(Filters(basis="projected")))
    assert projected and all(f.basis == "projected" for f in projected)
    tagged = apply(registry, registry.facts, Query(Filters(tag="cumulative", kind="figure")))
    assert tagged and all("cumulative" in f.tags and f.kind == "figure" for f in tagged)
    by_topic = apply(registry, registry.facts, Query(Filters(topic="中小企業")))
    assert {f.topic for f in by_topic} == {"sme"}


def test_a_near_miss_is_suggested(registry: Registry) -> None:
    with pytest.raises(UsageError, match=r"did you mean enterprises\? valid: percent"):
        Filters(unit="enterprise").checked(registry)
    with pytest.raises(UsageError, match=r"did you mean more_than\?"):
        Filters(qualifier="more-than").checked(registry)


def test_values_are_matched_without_regard_to_case(registry: Registry) -> None:
    checked = Filters(unit="cny", qualifier="MORE_THAN", kind="Figure").checked(registry)
    assert (checked.unit, checked.qualifier, checked.kind) == ("CNY", "more_than", "figure")


@pytest.mark.parametrize(
    ("filters", "listed"),
    [
        (Filters(unit="widgets"), "valid: percent, percentage-points, CNY"),
        (Filters(basis="guessed"), "valid: reported, estimated, projected"),
        (Filters(qualifier="about"), "valid: exact, more_than, at_least"),
        (Filters(kind="claim"), "valid: figure, statement"),
        (Filters(tag="nope"), "cumulative"),
        (Filters(source="nope"), "scio-2026-01-21"),
    ],
)
def test_an_unknown_value_lists_the_valid_ones(
    registry: Registry, filters: Filters, listed: str
) -> None:
    with pytest.raises(UsageError, match="unknown value") as info:
        apply(registry, registry.facts, Query(filters))
    assert listed in str(info.value)


def test_sort_is_stable_and_puts_missing_values_last(registry: Registry) -> None:
    ordered = apply(registry, registry.facts, Query(sort="value"))
    figures = [f for f in ordered if isinstance(f, Figure)]
    assert [f.value for f in figures] == sorted(f.value for f in figures)
    assert all(not isinstance(f, Figure) for f in ordered[len(figures) :])
    backwards = apply(registry, registry.facts, Query(sort="value", reverse=True))
    assert backwards[0].value == max(f.value for f in figures)  # type: ignore[union-attr]
    assert all(not isinstance(f, Figure) for f in backwards[len(figures) :])
    by_topic = apply(registry, registry.facts, Query(sort="topic"))
    sme = [f.id for f in by_topic if f.topic == "sme"]
    assert sme == [f.id for f in registry.facts if f.topic == "sme"]  # registry order within


def test_periods_sort_by_when_they_end() -> None:
    periods = ["2026-2030", "2026", "2025", "2025-11-30", "2026-01-21"]
    assert sorted(periods, key=PeriodSpan.parse) == [
        "2025-11-30",
        "2025",
        "2026-01-21",
        "2026",
        "2026-2030",
    ]


def test_reverse_without_sort_reverses_the_given_order(registry: Registry) -> None:
    facts = apply(registry, registry.facts, Query(reverse=True, limit=2))
    assert [f.id for f in facts] == [f.id for f in registry.facts[::-1][:2]]


def test_list_options(invoke: Invoke) -> None:
    args = ("list", "--unit", "enterprises", "--sort", "value", "--reverse", "-n", "3", "--json")
    top = json.loads(invoke(*args).stdout)
    assert len(top) == 3 and {row["unit"] for row in top} == {"enterprises"}
    assert [row["value"] for row in top] == sorted((row["value"] for row in top), reverse=True)
    every = json.loads(invoke("list", "--unit", "enterprises", "--json").stdout)
    assert top[0]["value"] == max(row["value"] for row in every)
    assert _ids(invoke, "list", "--qualifier", "more_than", "--kind", "statement") == []
    scio = json.loads(invoke("list", "--source", "scio-2024-02-01", "--json").stdout)
    assert scio and all(
        "scio-2024-02-01" in (row["source"], *row["corroborated_by"]) for row in scio
    )
    assert len(_ids(invoke, "list", "--source", "scio-2026-01-21", "--limit", "2")) == 2
    periods = [
        row["period"] for row in json.loads(invoke("list", "--sort", "period", "--json").stdout)
    ]
    assert periods == sorted(periods, key=PeriodSpan.parse)


def test_search_options(invoke: Invoke) -> None:
    args = ("search", "企業", "--unit", "enterprises", "--sort", "value", "--reverse", "--json")
    rows = json.loads(invoke(*args).stdout)
    values = [row["value"] for row in rows]
    assert rows and values == sorted(values, reverse=True)
    assert {row["unit"] for row in rows} == {"enterprises"}
    assert "sme.little-giants" in [row["id"] for row in rows]
    statements = json.loads(invoke("search", "robot", "--kind", "statement", "--json").stdout)
    assert statements and {row["kind"] for row in statements} == {"statement"}
    assert (
        _ids(invoke, "search", "企業", "--unit", "enterprises", "--limit", "2")
        == _ids(invoke, "search", "企業", "--unit", "enterprises")[:2]
    )


@pytest.mark.parametrize(
    ("args", "listed"),
    [
        (
            ("list", "--unit", "widgets"),
            "--unit: unknown value 'widgets'; valid: percent, percentage-points, CNY",
        ),
        (("list", "--sort", "size"), "--sort: unknown value 'size'; valid: id, topic, period"),
        (("search", "robot", "--basis", "x"), "valid: reported, estimated, projected"),
        (("search", "robot", "--kind", "x"), "valid: figure, statement"),
        (("list", "--tag", "x"), "valid: 15th-five-year-plan"),
    ],
)
def test_unknown_values_are_usage_errors(
    invoke: Invoke, args: tuple[str, ...], listed: str
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert listed in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_source_filter_names_an_extra_pack(invoke: Invoke, write_pack: WritePack) -> None:
    pack = minimal_pack()
    path = write_pack(pack)
    ids = _ids(invoke, "list", "--source", "test-source", "--data", str(path))
    assert ids == ["example.enterprises", "example.growth", "example.plan"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("miitfacts list --unit ent", ["enterprises"]),
        ("miitfacts search robot --sort pe", ["period"]),
        ("miitfacts list --qualifier more", ["more_than"]),
        ("miitfacts export f.db --tag cumul", ["cumulative"]),
    ],
)
def test_filter_values_complete_in_the_shell(words: str, expected: list[str]) -> None:
    env = {
        **os.environ,
        "_MIITFACTS_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    result = subprocess.run(
        [sys.executable, "-m", "miitfacts"], env=env, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == expected
