"""The bundled data: every figure of the briefing, each with its verbatim quote."""

from __future__ import annotations

import pytest

from miitfacts.core import verify
from miitfacts.models import Figure
from miitfacts.registry import Registry

SEED = "scio-2026-01-21"

# Every figure the source states: id -> (value, unit, qualifier, basis, stated).
EXPECTED_FIGURES = {
    "industry.value-added-growth": (5.9, "percent", "exact", "reported", "同比增長5.9%"),
    "industry.manufacturing-world-first-years": (16, "years", "exact", "projected", "連續16年"),
    "6g.phase-one-key-technologies": (300, "technologies", "more_than", "reported", "超300項"),
    "ai.enterprises": (6000, "enterprises", "more_than", "estimated", "超過6000家"),
    "ai.core-industry-scale": (1.2e12, "CNY", "more_than", "projected", "突破1.2萬億元"),
    "ai.investment-fund-size": (6e10, "CNY", "exact", "reported", "達600億元"),
    "smart-factories.high-level-5g-factories": (100, "factories", "exact", "reported", "100家"),
    "smart-factories.pioneer-first-batch": (15, "factories", "exact", "reported", "首批15家"),
    "smart-factories.pioneer-ai-scenario-share": (70, "percent", "at_least", "reported", "70%以上"),
    "smart-factories.pioneer-vertical-models": (
        6000,
        "models",
        "more_than",
        "reported",
        "超6000個",
    ),
    "smart-factories.pioneer-equipment-software": (
        1700,
        "items",
        "more_than",
        "reported",
        "1700多項",
    ),
    "sme.value-added-growth": (6.9, "percent", "exact", "reported", "同比增長6.9%"),
    "sme.little-giants": (17600, "enterprises", "exact", "reported", "1.76萬家"),
    "sme.specialized-smes": (140000, "enterprises", "more_than", "reported", "超14萬家"),
    "sme.tech-innovative-smes": (600000, "enterprises", "more_than", "reported", "超60萬家"),
    "humanoid-robots.makers": (140, "enterprises", "more_than", "reported", "超140家"),
    "humanoid-robots.products-released": (330, "products", "more_than", "reported", "超330款"),
}


def test_every_figure_of_the_briefing_is_bundled_with_the_right_reading(registry: Registry) -> None:
    seed = next(p.pack for p in registry.packs if p.pack.source and p.pack.source.id == SEED)
    figures = {f.id: f for f in seed.facts if isinstance(f, Figure)}
    assert set(figures) == set(EXPECTED_FIGURES)
    for fact_id, (value, unit, qualifier, basis, stated) in EXPECTED_FIGURES.items():
        fact = figures[fact_id]
        assert (fact.value, fact.unit, fact.qualifier, fact.basis, fact.stated) == (
            value,
            unit,
            qualifier,
            basis,
            stated,
        ), fact_id


def test_every_quote_is_verbatim_in_the_bundled_source_text(registry: Registry) -> None:
    for fact in registry.vintages:
        if not registry.sources[fact.source].quoted:
            continue
        text = registry.source_text(fact.source)
        assert fact.quote is not None and fact.quote in text, fact.id
        if isinstance(fact, Figure):
            assert fact.stated in fact.quote, fact.id
        if fact.speaker is not None:
            assert fact.speaker in text, fact.id


def test_bundled_source_is_the_seed_report_with_its_attribution(registry: Registry) -> None:
    source = registry.sources["scio-2026-01-21"]
    text = registry.source_text(source.id)
    assert text.startswith("紅星資本局1月21日消息")
    assert "NetEase Hao" in text and "網易號" in source.attribution
    assert source.publisher == "紅星資本局"
    assert source.date.isoformat() == "2026-01-21"
    assert {s.name for s in source.speakers} == {"張云明", "謝存"}


def test_statements_cover_claims_and_announced_plans(registry: Registry) -> None:
    statements = [f for f in registry.facts if f.kind == "statement"]
    plans = [f for f in statements if "plan" in f.tags]
    assert len(statements) >= 35
    assert len(plans) >= 25
    # Each topic has something to show, and every announced plan named in the lead is present.
    assert all(registry.facts_in(topic) for topic in registry.topics)
    for fact_id in (
        "sme.development-plan",
        "sme.size-classification-standards",
        "humanoid-robots.standards-guide",
    ):
        assert registry.fact(fact_id).kind == "statement"


@pytest.mark.parametrize(
    "term",
    [
        "value added of industrial enterprises above designated size",
        "Specialized and sophisticated SMEs",
        '"little giant" enterprises',
        "Pioneer-level smart factories",
        "High-level 5G factories",
        "National AI Industry Investment Fund",
        "Tech-based and innovative SMEs",
        "15th Five-Year Plan (2026-2030)",
        "open competition mechanism for selecting the best candidates",
    ],
)
def test_english_labels_use_official_terms(registry: Registry, term: str) -> None:
    labels = " | ".join(f.label for f in registry.facts).casefold()
    assert term.casefold() in labels


def test_speakers_are_named_only_where_the_text_names_them(registry: Registry) -> None:
    assert registry.fact("sme.difficulties").speaker == "張云明"
    assert registry.fact("smart-factories.pioneer-first-batch").speaker == "謝存"
    # 據介紹 / 據悉 name nobody.
    assert registry.fact("smart-factories.pioneer-vertical-models").speaker is None
    assert registry.fact("ai.investment-fund-size").speaker is None


def test_sme_growth_has_its_baseline(registry: Registry) -> None:
    assert registry.fact("sme.value-added-growth").baseline == "industry.value-added-growth"


def test_bundled_data_verifies(registry: Registry) -> None:
    assert verify(registry) == []


def test_every_unit_has_words_in_both_languages() -> None:
    from miitfacts.models import UNITS
    from miitfacts.numbers import UNIT_WORDS

    for lang in ("en", "zh"):
        assert set(UNITS) <= set(UNIT_WORDS[lang]), lang


def test_addresses_are_given_only_for_official_or_major_sources(registry: Registry) -> None:
    linked = [s for s in registry.sources.values() if s.url is not None]
    assert linked, "some bundled sources give their address"
    assert all(s.reliability in ("official", "major") for s in linked)
    # A bundled source with a relay's, a secondary outlet's or a mirror's reliability
    # gives no address at all.
    assert all(
        s.url is None
        for s in registry.sources.values()
        if s.reliability in ("major-relay", "secondary", "mirror")
    )


def test_every_id_fits_a_50_column_terminal(registry: Registry) -> None:
    # Ids are never broken while the terminal is as wide as the longest one.
    assert max(len(f.id) for f in registry.vintages) <= 50


def test_each_bundled_indicator_has_one_label_in_each_language(registry: Registry) -> None:
    # One measure, one name: a search for its name finds every period of it.
    labels: dict[str, set[tuple[str, str]]] = {}
    for loaded in registry.packs:
        for fact in loaded.pack.facts:
            labels.setdefault(fact.id, set()).add((fact.label, fact.label_zh))
    assert {k: v for k, v in labels.items() if len(v) > 1} == {}
