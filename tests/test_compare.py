"""Comparisons respect units, carry bounds through and never invent a number."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from miitfacts.compare import Interval, compare, compare_pair
from miitfacts.errors import NotFoundError, UsageError
from miitfacts.models import Figure
from miitfacts.registry import Registry
from tests.conftest import Invoke

QUALIFIERS = ["exact", "more_than", "at_least", "approximately", "at_most", "less_than"]


def figure(
    value: float, qualifier: str = "exact", unit: str = "enterprises", name: str = "a"
) -> Figure:
    return Figure(
        id=f"t.{name}",
        topic="t",
        kind="figure",
        label=name,
        label_zh=name,
        value=value,
        unit=unit,  # type: ignore[arg-type]
        qualifier=qualifier,  # type: ignore[arg-type]
        period="2025",
        stated="x",
        quote="x",
    )


def test_sme_growth_against_all_industry_is_one_percentage_point(registry: Registry) -> None:
    result = compare(registry, ["sme"])
    baseline = result.comparisons[0].record()
    assert (
        baseline["a"] == "sme.value-added-growth@2025"
        and baseline["b"] == "industry.value-added-growth@2025"
        and (baseline["a_period"], baseline["b_period"]) == ("2025", "2025")
    )
    assert baseline["difference"] == 1.0 and baseline["difference_unit"] == "percentage_points"
    assert baseline["qualifier"] == "exact" and baseline["ratio"] is None
    assert baseline["reason"] == "baseline"


def test_bounds_are_carried_through(registry: Registry) -> None:
    records = {(c.a.id, c.b.id): c.record() for c in compare(registry, ["sme"]).comparisons}
    specialized = records["sme.specialized-smes", "sme.little-giants"]
    assert (specialized["qualifier"], specialized["difference"]) == ("more_than", 122400)
    assert specialized["ratio_qualifier"] == "more_than"
    assert specialized["ratio"] == pytest.approx(140000 / 17600)
    both_lower = records["sme.tech-innovative-smes", "sme.specialized-smes"]
    assert both_lower["difference"] is None and both_lower["qualifier"] == "indeterminate"
    assert both_lower["ratio"] is None


def test_percent_and_counts_are_never_subtracted(registry: Registry) -> None:
    result = compare(registry, ["sme.value-added-growth", "sme.little-giants"])
    assert result.comparisons == []
    assert any("never subtracted or divided" in n.text() for n in result.notes)
    assert any("不相減也不相除" in n.text("zh") for n in result.notes)
    with pytest.raises(UsageError):
        compare_pair(figure(5, unit="percent"), figure(5))


def test_projected_figures_are_marked(registry: Registry) -> None:
    result = compare(registry, ["ai.core-industry-scale", "ai.investment-fund-size"])
    record = result.comparisons[0].record()
    assert record["basis"] == "projected"
    assert (record["qualifier"], record["difference"]) == ("more_than", 1140000000000)
    assert any("projected" in n.text() for n in result.notes)


def test_explicit_ids_keep_their_order_across_topics(registry: Registry) -> None:
    result = compare(registry, ["humanoid-robots.makers", "sme.little-giants"])
    record = result.comparisons[0].record()
    assert (record["a"], record["b"]) == ("humanoid-robots.makers@2025", "sme.little-giants@2025")
    assert record["qualifier"] == "more_than" and record["difference"] == 140 - 17600


@pytest.mark.parametrize(
    "targets",
    [
        ["6g"],
        ["humanoid-robots.makers"],
        ["6g.phase-one-key-technologies"],
        ["sme.difficulties", "sme.three-systems"],
    ],
)
def test_too_few_figures_is_a_usage_error(registry: Registry, targets: list[str]) -> None:
    with pytest.raises(UsageError):
        compare(registry, targets)


def test_unknown_target_is_not_found(registry: Registry) -> None:
    with pytest.raises(NotFoundError):
        compare(registry, ["sme.little-giants", "sme.nope"])


# -- the bounds arithmetic, for any two figures -----------------------------------

values = st.decimals(min_value=1, max_value=10**9, places=1, allow_nan=False, allow_infinity=False)
offsets = st.decimals(min_value=0, max_value=10**6, places=1, allow_nan=False, allow_infinity=False)


def sample(value: Decimal, qualifier: str, offset: Decimal) -> Decimal | None:
    """A true value that the stated figure allows (None if the offset does not fit)."""
    if qualifier in ("exact", "approximately"):
        return value
    if qualifier in ("more_than", "less_than") and offset == 0:
        return None
    candidate = value + offset if qualifier in ("more_than", "at_least") else value - offset
    return candidate if candidate > 0 else None


def admits(record_value: float | None, qualifier: str, x: Decimal) -> bool:
    if qualifier == "indeterminate":
        return record_value is None
    assert record_value is not None
    bound = Interval.of(
        figure(record_value, "exact" if qualifier == "approximately" else qualifier)
    )
    return bound.contains(
        Decimal(repr(record_value)) if qualifier in ("exact", "approximately") else x
    )


@given(values, st.sampled_from(QUALIFIERS), offsets, values, st.sampled_from(QUALIFIERS), offsets)
def test_reported_interval_contains_every_allowed_difference_and_ratio(
    va: Decimal, qa: str, oa: Decimal, vb: Decimal, qb: str, ob: Decimal
) -> None:
    a, b = figure(float(va), qa, name="a"), figure(float(vb), qb, name="b")
    x, y = sample(va, qa, oa), sample(vb, qb, ob)
    if x is None or y is None:
        return
    comparison = compare_pair(a, b)
    assert comparison.difference.contains(x - y)
    assert comparison.ratio is not None and comparison.ratio.contains(x / y)
    record = comparison.record()
    if record["qualifier"] in ("exact", "approximately"):
        assert Decimal(repr(record["difference"])) == x - y
    elif record["qualifier"] != "indeterminate":
        assert admits(record["difference"], record["qualifier"], x - y)


def test_cli_compare_json_and_table(invoke: Invoke) -> None:
    result = invoke("compare", "sme", "--json")
    document = json.loads(result.stdout)
    assert list(document) == ["facts", "comparisons", "notes"]
    assert [f["id"] for f in document["facts"]][-1] == "industry.value-added-growth"
    assert document["comparisons"][0]["difference"] == 1.0
    table = invoke("compare", "sme", env={"COLUMNS": "100"}).stdout
    assert "+1.0 percentage point" in table
    pair = ("sme.specialized-smes", "sme.little-giants")
    bounded = invoke("compare", *pair, env={"COLUMNS": "100"}).stdout
    assert "more than 7.95×" in bounded and "more than +122,400 enterprises" in bounded
    assert "not determined" in table
    assert "enterprises (linear scale)" in table or "enterprises (log scale)" in table


def test_cli_chart_uses_a_log_scale_over_two_orders_of_magnitude(invoke: Invoke) -> None:
    out = invoke("compare", "humanoid-robots.makers", "sme.tech-innovative-smes").stdout
    assert "enterprises (log scale)" in out


def test_cli_compare_csv_has_one_row_per_comparison(invoke: Invoke) -> None:
    out = invoke("compare", "sme", "--format", "csv").stdout.splitlines()
    assert out[0].startswith("a,b,a_period,b_period,a_published,b_published,unit,difference")
    document = json.loads(invoke("compare", "sme", "--json").stdout)
    assert len(out) == 1 + len(document["comparisons"])


def test_cli_compare_errors(invoke: Invoke) -> None:
    assert invoke("compare", "6g").exit_code == 2
    assert invoke("compare", "6g.phase-one-key-technologies").exit_code == 2
    missing = invoke("compare", "sme.little-giants", "sme.little-giantz")
    assert missing.exit_code == 1 and "did you mean sme.little-giants" in missing.stderr


@pytest.mark.parametrize(
    ("qualifier", "inside", "outside"),
    [
        ("exact", ["10"], ["9.99", "10.01"]),
        ("approximately", ["10"], ["11"]),
        ("more_than", ["10.01", "1e9"], ["10", "9"]),
        ("at_least", ["10", "11"], ["9.99"]),
        ("less_than", ["9.99", "-5"], ["10"]),
        ("at_most", ["10", "0"], ["10.01"]),
    ],
)
def test_interval_contains_exactly_what_its_qualifier_allows(
    qualifier: str, inside: list[str], outside: list[str]
) -> None:
    # The oracle of the property test above, checked on its own.
    interval = Interval.of(figure(10, qualifier))
    assert all(interval.contains(Decimal(x)) for x in inside)
    assert not any(interval.contains(Decimal(x)) for x in outside)


def test_an_estimated_figure_reads_an_estimated(registry: Registry) -> None:
    result = compare(registry, ["ai.enterprises@2025", "humanoid-robots.makers@2025"])
    assert any("rests on an estimated figure" in n.text() for n in result.notes)


def test_a_topic_with_one_of_its_own_ids_compares_as_the_topic(registry: Registry) -> None:
    alone, with_id = compare(registry, ["sme"]), compare(registry, ["sme", "sme.little-giants"])
    assert [f.ref for f in with_id.facts] == [f.ref for f in alone.facts]
    assert [c.record() for c in with_id.comparisons] == [c.record() for c in alone.comparisons]
    assert with_id.comparisons[0].reason == "baseline"


def test_chinese_notes_name_the_outlets_in_chinese(registry: Registry) -> None:
    result = compare(registry, ["sme.little-giants@2025", "sme.little-giants@2024"])
    sources = next(n for n in result.notes if n.kind == "sources")
    assert "紅星資本局" in sources.text("zh") and "Red Star Capital Bureau" in sources.text("en")
