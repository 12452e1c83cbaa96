"""The Python API as the README documents it: load, look up, series, search, compare."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

import miitfacts
from miitfacts.compare import ComparisonResult, compare
from miitfacts.errors import NotFoundError
from miitfacts.query import Filters, Query, apply
from miitfacts.registry import Registry
from miitfacts.search import SearchHit, search


def test_load_and_look_up(registry: Registry) -> None:
    fact = registry.fact("sme.little-giants")
    assert isinstance(fact, miitfacts.Figure)
    assert (fact.period, fact.value, fact.unit, fact.stated) == (
        "2025",
        17600,
        "enterprises",
        "1.76萬家",
    )
    assert fact.ref == "sme.little-giants@2025" and fact.published == "2026-01-21"
    assert registry.fact("SME.Little-Giants@2025") is fact
    assert registry.get_fact("no.such-fact") is None
    statement = registry.fact("6g.accelerate-rd")
    assert isinstance(statement, miitfacts.Statement) and not hasattr(statement, "value")
    assert registry.topic("中小企业").id == "sme"  # Simplified finds the Traditional name
    source = registry.sources[fact.source]
    assert isinstance(source, miitfacts.Source) and source.date == dt.date(2026, 1, 21)


def test_an_absent_id_raises_not_found(registry: Registry) -> None:
    with pytest.raises(NotFoundError, match=r"did you mean sme\.little-giants"):
        registry.fact("sme.little-giant")


def test_an_absent_id_is_a_lookup_error(registry: Registry) -> None:
    with pytest.raises(LookupError):
        registry.fact("sme.little-giant")


def test_an_indicator_in_period_order(registry: Registry) -> None:
    series = registry.series("industry.value-added-growth")
    values = [(f.period, f.value) for f in series if isinstance(f, miitfacts.Figure)]
    assert values[-3:] == [
        ("2023", 4.6),
        ("2024", 5.8),
        ("2025", 5.9),
    ]
    spans = [f.span for f in series]
    assert spans == sorted(spans)
    history = registry.history("industry.value-added-growth")
    revised = [f for f in history if registry.superseded_by(f) is not None]
    first = next(f for f in revised if f.period == "2024")
    assert getattr(first, "value", None) == 5.7
    newer = registry.superseded_by(first)
    assert isinstance(newer, miitfacts.Figure)
    assert (newer.value, newer.published) == (5.8, "2025-01-17")
    for old in revised:
        later = registry.superseded_by(old)
        assert later is not None and later.published > old.published and later.span == old.span


def test_as_of(registry: Registry) -> None:
    then = miitfacts.load(use_env=False, as_of="2024-12-31")
    assert then.figure("industry.value-added-growth").value == 5.7  # before the revision
    assert then.as_of == dt.date(2024, 12, 31)
    assert all(s.date <= dt.date(2024, 12, 31) for s in then.sources.values())


def test_search_returns_typed_hits(registry: Registry) -> None:
    hits = search(registry, "小巨人", limit=3)
    assert hits and all(isinstance(h, SearchHit) for h in hits)
    assert hits[0].fact.id == "sme.little-giants" and hits[0].matched == "label_zh"
    assert search(registry, "humnoid robot makers", limit=1)[0].fact.id == (
        "humanoid-robots.makers"
    )


def test_compare_returns_typed_results(registry: Registry) -> None:
    result = compare(registry, ["sme.value-added-growth", "industry.value-added-growth"])
    assert isinstance(result, ComparisonResult)
    comparison = result.comparisons[0]
    assert (comparison.a.ref, comparison.b.ref) == (
        "sme.value-added-growth@2025",
        "industry.value-added-growth@2025",
    )
    record = comparison.record()
    assert (record["difference"], record["difference_unit"], record["ratio"]) == (
        1.0,
        "percentage_points",
        None,
    )


def test_filters_and_order(registry: Registry) -> None:
    query = Query(Filters(unit="enterprises"), sort="value", reverse=True, limit=3)
    top = apply(registry, registry.facts, query)
    values = [f.value for f in top if isinstance(f, miitfacts.Figure)]
    assert len(values) == 3 and values == sorted(values, reverse=True)
    assert values[0] == max(
        f.value
        for f in registry.facts
        if isinstance(f, miitfacts.Figure) and f.unit == "enterprises"
    )


def test_types_at_the_package_root() -> None:
    assert miitfacts.SearchHit is SearchHit
    assert miitfacts.ComparisonResult is ComparisonResult
    assert miitfacts.Query is Query and miitfacts.Filters is Filters
    with pytest.raises(AttributeError):
        _ = miitfacts.no_such_name
    assert set(miitfacts.__all__) <= set(dir(miitfacts)) | {
        "Comparison",
        "ComparisonResult",
        "Filters",
        "Query",
        "SearchHit",
    }


def test_importing_the_package_imports_no_more_than_it_needs() -> None:
    code = (
        "import sys, miitfacts; "
        "print(','.join(m for m in ('miitfacts.search', 'miitfacts.compare', 'miitfacts.export',"
        " 'miitfacts.query', 'pydantic', 'rich', 'sqlite3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
