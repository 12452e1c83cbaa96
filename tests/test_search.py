"""Search finds a figure however a person asks for it."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import miitfacts
from miitfacts import search as search_module
from miitfacts.errors import UsageError
from miitfacts.query_numbers import read_numbers
from miitfacts.registry import Registry, bundled_data_dir
from miitfacts.search import MAX_QUERY_CHARS, SearchHit, search
from miitfacts.text import fold
from tests.conftest import Invoke, WritePack, minimal_pack

# query -> the indicator that must rank first (its latest observation: see below), over
# the bundled data: the seed briefing and the 2023-2025 record.
FIRST = [
    # The issue's own examples.
    ("AI industry size", "ai.core-industry-scale"),
    ("how big is the AI industry", "ai.core-industry-scale"),
    ("humanoid robots", "humanoid-robots.makers"),
    ("how many little giant firms", "sme.little-giants"),
    ("多少家小巨人企业", "sme.little-giants"),
    ("小巨人企业有多少家", "sme.little-giants"),
    ("領航工廠", "smart-factories.pioneer-first-batch"),
    ("17600", "sme.little-giants"),
    ("17,600", "sme.little-giants"),
    ("1.76万", "sme.little-giants"),
    ("artificial intelligence industry scale", "ai.core-industry-scale"),
    # Numbers, however written.
    ("1.76萬", "sme.little-giants"),
    ("17.6k", "sme.little-giants"),
    ("1.2万亿", "ai.core-industry-scale"),
    ("1.2 trillion", "ai.core-industry-scale"),
    ("1.2萬億元", "ai.core-industry-scale"),
    ("5.9%", "industry.value-added-growth"),
    ("600亿元", "ai.investment-fund-size"),
    ("60 billion yuan", "ai.investment-fund-size"),
    ("CNY 60 billion", "ai.investment-fund-size"),
    ("6.9%", "sme.value-added-growth"),
    ("483.8万", "telecom.5g-base-stations"),
    ("4.838 million base stations", "telecom.5g-base-stations"),
    ("12.04亿", "telecom.5g-users"),
    ("1.75万亿", "telecom.revenue"),
    ("330", "humanoid-robots.products-released"),
    ("1.46万", "sme.little-giants"),
    ("超過6000家", "ai.enterprises"),
    # English questions and phrasings.
    ("what is the growth of industrial value added", "industry.value-added-growth"),
    ("industrial value added growth", "industry.value-added-growth"),
    ("how many AI companies are there in China", "ai.enterprises"),
    ("number of AI enterprises", "ai.enterprises"),
    ("how many humanoid robot makers", "humanoid-robots.makers"),
    ("how many humanoid robot products were released", "humanoid-robots.products-released"),
    ("how many 5G base stations", "telecom.5g-base-stations"),
    ("5G base stations", "telecom.5g-base-stations"),
    ("how many 5G users", "telecom.5g-users"),
    ("mobile phone users", "telecom.mobile-users"),
    ("how big is the AI investment fund", "ai.investment-fund-size"),
    ("SME value added growth", "sme.value-added-growth"),
    ("small and medium-sized enterprises value added", "sme.value-added-growth"),
    ("VA growth of SMEs", "sme.value-added-growth"),
    ("how many specialized SMEs", "sme.specialized-smes"),
    ("tech-based innovative SMEs", "sme.tech-innovative-smes"),
    (
        "how many years has manufacturing been the world's largest",
        "industry.manufacturing-world-first-years",
    ),
    ("6G key technologies", "6g.phase-one-key-technologies"),
    ("fifth-generation factories", "smart-factories.high-level-5g-factories"),
    ("first batch of pioneer factories", "smart-factories.pioneer-first-batch"),
    ("share of scenarios AI has penetrated", "smart-factories.pioneer-ai-scenario-share"),
    ("vertical domain models", "smart-factories.pioneer-vertical-models"),
    ("gigabit broadband users", "telecom.gigabit-broadband-users"),
    ("telecom revenue", "telecom.revenue"),
    ("new energy vehicle sales", "industry.nev-sales"),
    ("high-tech manufacturing growth", "industry.high-tech-manufacturing-growth"),
    ("little giant", "sme.little-giants"),
    # Chinese, Simplified and Traditional, as questions.
    ("人工智能企业有多少家", "ai.enterprises"),
    ("人工智能核心產業規模是多少", "ai.core-industry-scale"),
    ("人工智能产业规模", "ai.industry-scale-caict"),
    ("人形机器人整机企业有几家", "humanoid-robots.makers"),
    ("5G基站有多少个", "telecom.5g-base-stations"),
    ("5G基站", "telecom.5g-base-stations"),
    ("5G用户", "telecom.5g-users"),
    ("移動電話用戶", "telecom.mobile-users"),
    ("規模以上工業增加值增長多少", "industry.value-added-growth"),
    ("规上工业增加值增速", "industry.value-added-growth"),
    ("中小企业增加值", "sme.value-added-growth"),
    ("專精特新中小企業有多少", "sme.specialized-smes"),
    ("制造业连续多少年全球第一", "industry.manufacturing-world-first-years"),
    ("国家人工智能产业投资基金规模", "ai.investment-fund-size"),
    ("首批領航工廠", "smart-factories.pioneer-first-batch"),
    ("垂直领域模型有多少个", "smart-factories.pioneer-vertical-models"),
    ("新能源汽车销量", "industry.nev-sales"),
    ("千兆宽带用户", "telecom.gigabit-broadband-users"),
    # Typos.
    ("litle giants", "sme.little-giants"),
    ("humnoid robot makers", "humanoid-robots.makers"),
    ("artifical inteligence enterprises", "ai.enterprises"),
    ("perovskit", "innovation.perovskite-magnets-batteries"),
    ("base staions", "telecom.5g-base-stations"),
    ("how many AI compnies", "ai.enterprises"),
    ("What is China's AI industry size?", "ai.core-industry-scale"),
    ("中国有多少家人工智能企业", "ai.enterprises"),
    ("little gaint", "sme.little-giants"),
    # Mixed scripts and abbreviations.
    ("AI 企业数量", "ai.enterprises"),
    ("SME 小巨人", "sme.little-giants"),
    ("5G base stations 多少", "telecom.5g-base-stations"),
    ("little giant 企业", "sme.little-giants"),
    ("AI 产业规模", "ai.core-industry-scale"),
    ("sme.little-giants", "sme.little-giants"),
    # The 2023-2025 record: more indicators, several periods each.
    ("5G基站数量", "telecom.5g-base-stations"),
    ("5G基站總數", "telecom.5g-base-stations"),
    ("4.19 million base stations", "telecom.5g-base-stations"),
    ("IoT users", "telecom.iot-users"),
    ("物联网用户", "telecom.iot-users"),
    ("computing power", "ai.intelligent-computing-power"),
    ("green factories", "green.new-national-green-factories"),
    ("single champion enterprises", "sme.single-champions"),
    ("total industrial value added", "industry.total-value-added"),
    ("40.5 trillion", "industry.total-value-added"),
    ("9.1%", "telecom.business-volume-growth"),
    ("小巨人企业营业收入", "sme.little-giants-revenue"),
    ("裝備製造業增加值增速", "industry.equipment-manufacturing-growth"),
    ("NEV sales", "industry.nev-sales"),
    ("新能源汽车销量增长", "industry.nev-sales-growth"),
    ("telecom revenue growth", "telecom.revenue-growth"),
    ("high-tech enterprises", "innovation.high-tech-enterprises"),
    ("6G技术储备", "6g.phase-one-key-technologies"),
    ("how many AI standards were released", "ai.standards-released"),
    ("manufacturing innovation centres", "innovation.national-innovation-centres"),
    # Earlier cases: scripts, width, case, the source's own words.
    ("小巨人", "sme.little-giants"),
    ("专精特新小巨人", "sme.little-giants"),
    ("LITTLE GIANTS", "sme.little-giants"),
    ("litle giant", "sme.little-giants"),
    ("ｌｉｔｔｌｅ ｇｉａｎｔ", "sme.little-giants"),
    ("humnoid robot", "humanoid-robots.makers"),
    ("humanoid robot products", "humanoid-robots.products-released"),
    ("人形机器人整机企业", "humanoid-robots.makers"),
    ("人形機器人整機企業", "humanoid-robots.makers"),
    ("垂直领域模型", "smart-factories.pioneer-vertical-models"),
    ("国家人工智能产业投资基金", "ai.investment-fund-size"),
    ("著力攻技术", "humanoid-robots.key-technologies"),
    ("brain computer", "innovation.brain-computer-interfaces"),
    ("1.76", "sme.little-giants"),
    ("人形机器人整机公司", "humanoid-robots.makers"),
    ("领航工厂垂直模型", "smart-factories.pioneer-vertical-models"),
]


@pytest.mark.parametrize(("query", "expected"), FIRST)
def test_best_match_comes_first(registry: Registry, query: str, expected: str) -> None:
    hits = search(registry, query)
    assert hits, query
    assert hits[0].fact.id == expected, [(h.fact.ref, h.score) for h in hits[:3]]


def test_the_table_is_large_and_varied() -> None:
    queries = [q for q, _ in FIRST]
    assert len(set(queries)) == len(queries) >= 60
    assert sum(q.isascii() for q in queries) >= 30  # English
    assert sum(fold(q) != q and not q.isascii() for q in queries) >= 8  # Traditional


@pytest.mark.parametrize("query", [q for q, _ in FIRST])
def test_the_score_shown_is_the_order(registry: Registry, query: str) -> None:
    scores = [h.score for h in search(registry, query, limit=None)]
    assert scores == sorted(scores, reverse=True)


# Every figure, by a short phrase from the source (Traditional, Simplified) and in English.
EVERY_FIGURE = {
    "industry.value-added-growth": (
        "規模以上工業增加值",
        "规模以上工业增加值",
        "industrial value added growth",
    ),
    "industry.manufacturing-world-first-years": (
        "連續16年保持全球第一",
        "连续16年",
        "manufacturing world's largest",
    ),
    "6g.phase-one-key-technologies": ("關鍵技術儲備", "关键技术储备", "6g key technologies"),
    "ai.enterprises": ("人工智能企業數量", "人工智能企业数量", "number of AI enterprises"),
    "ai.core-industry-scale": ("核心產業規模", "核心产业规模", "core AI industry scale"),
    "ai.investment-fund-size": (
        "資金規模達600億元",
        "投资基金资金规模",
        "AI investment fund capital",
    ),
    "smart-factories.high-level-5g-factories": ("5G工廠", "5G工厂", "5G factories"),
    "smart-factories.pioneer-first-batch": (
        "首批15家領航工廠",
        "首批领航工厂",
        "first batch pioneer factories",
    ),
    "smart-factories.pioneer-ai-scenario-share": (
        "業務場景",
        "业务场景",
        "AI share of business scenarios",
    ),
    "smart-factories.pioneer-vertical-models": (
        "垂直領域模型",
        "垂直领域模型",
        "vertical domain models",
    ),
    "smart-factories.pioneer-equipment-software": (
        "智能制造裝備與工業軟件",
        "工业软件",
        "industrial software",
    ),
    "sme.value-added-growth": (
        "規上工業中小企業增加值",
        "中小企业增加值",
        "SME value added growth",
    ),
    "sme.little-giants": ("小巨人", "小巨人企业", "little giants"),
    "sme.specialized-smes": ("專精特新中小企業", "专精特新中小企业", "specialized SMEs"),
    "sme.tech-innovative-smes": (
        "科技和創新型中小企業",
        "创新型中小企业",
        "tech-based innovative SMEs",
    ),
    "humanoid-robots.makers": ("人形機器人整機企業", "整机企业", "humanoid robot makers"),
    "humanoid-robots.products-released": (
        "人形機器人產品",
        "人形机器人产品",
        "humanoid robot products",
    ),
}


def test_the_table_covers_every_figure() -> None:
    seed = json.loads((bundled_data_dir() / "scio-2026-01-21.json").read_text("utf-8"))
    assert set(EVERY_FIGURE) == {f["id"] for f in seed["facts"] if f["kind"] == "figure"}


@pytest.mark.parametrize(
    ("fact_id", "query"),
    [(fact_id, q) for fact_id, queries in EVERY_FIGURE.items() for q in queries],
)
def test_every_figure_is_in_the_top_three(registry: Registry, fact_id: str, query: str) -> None:
    top = [h.fact.id for h in search(registry, query, limit=3)]
    assert fact_id in top, top


def test_word_order_and_case_do_not_matter(registry: Registry) -> None:
    ranked = [h.fact.id for h in search(registry, "robots humanoid")]
    assert ranked[:2] == [h.fact.id for h in search(registry, "Humanoid ROBOTS")][:2]
    assert ranked[0] == "humanoid-robots.makers"


def test_more_matched_words_rank_higher_but_not_all_are_required(registry: Registry) -> None:
    hits = search(registry, "little giants enterprises zebra")
    assert hits[0].fact.id == "sme.little-giants"
    assert hits[0].tokens_matched == 2  # "little giants" is one term, "zebra" is missing


def test_ranking_is_deterministic(registry: Registry, tmp_path: Path) -> None:
    # Separate processes with different string hashing, the corpus built fresh or
    # read from the cache: any dependence on set or dict order shows up as a diff.
    queries = ["enterprises", "机器人", "smart factory", "6g"]
    code = (
        "import json, sys, miitfacts\n"
        "from miitfacts.search import search\n"
        "registry = miitfacts.load(use_env=False)\n"
        "print(json.dumps([[(h.fact.id, h.score, h.matched) for h in search(registry, q, limit=None)]"
        " for q in sys.argv[1:]], ensure_ascii=False))\n"
    )
    runs = []
    for seed, cache in (("0", "off"), ("1", str(tmp_path)), ("2", str(tmp_path)), ("3", "off")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "MIITFACTS_CACHE": cache}
        result = subprocess.run(
            [sys.executable, "-c", code, *queries],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        runs.append(result.stdout)
    here = [
        [[h.fact.id, h.score, h.matched] for h in search(registry, q, limit=None)] for q in queries
    ]
    assert all(run == runs[0] for run in runs) and json.loads(runs[0]) == here


def test_topic_filter_and_limit(registry: Registry) -> None:
    hits = search(registry, "enterprises", topic="ai", limit=2)
    assert len(hits) <= 2 and {h.fact.topic for h in hits} == {"ai"}


@pytest.mark.parametrize("query", ["", "   ", "!!!", "the"])
def test_nothing_to_search_for_is_a_usage_error(registry: Registry, query: str) -> None:
    if query == "the":  # a lone stopword is still searched for
        assert isinstance(search(registry, query), list)
        return
    with pytest.raises(UsageError):
        search(registry, query)


def test_cli_search_json_and_no_match(invoke: Invoke) -> None:
    result = invoke("search", "小巨人", "--json")
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "sme.little-giants" and hits[0]["matched"] == "label_zh"
    none = invoke("search", "zzzqqq", "--json")
    assert (none.exit_code, none.stdout) == (0, "[]\n")
    table = invoke("search", "zzzqqq")
    assert table.exit_code == 0 and table.stdout == "" and "no facts match" in table.stderr
    empty = invoke("search", " ")
    assert empty.exit_code == 2 and "empty query" in empty.stderr
    assert invoke("search", "x", "--topic", "nowhere").exit_code == 1


def test_cli_search_table_shows_why_it_matched(invoke: Invoke) -> None:
    out = invoke("search", "little giant", env={"COLUMNS": "120"}).stdout
    assert "Matched in" in out and "sme.little-giants" in out


def test_show_and_list_do_not_import_the_converter_or_matcher() -> None:
    code = (
        "import sys; from miitfacts.cli import main; sys.argv=['miitfacts','show','6g','--json'];\n"
        "try: main()\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('opencc','rapidfuzz','rich') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[]"


def test_an_english_search_does_not_import_the_converter() -> None:
    code = (
        "import sys, miitfacts; from miitfacts.search import search\n"
        "registry = miitfacts.load(use_env=False)\n"
        "assert search(registry, 'how many little giant firms')[0].fact.id == 'sme.little-giants'\n"
        "print('opencc' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stderr.strip()) == (0, "False"), result.stderr


# -- the ranking rules (README, "How search ranks") ---------------------------------


def _latest(registry: Registry, fact_id: str) -> str:
    return registry.series(fact_id)[-1].period


@pytest.mark.parametrize(
    ("query", "fact_id"),
    [
        ("little giants", "sme.little-giants"),
        ("小巨人企业有多少家", "sme.little-giants"),
        ("5G base stations", "telecom.5g-base-stations"),
        ("5G基站", "telecom.5g-base-stations"),
        ("industrial value added growth", "industry.value-added-growth"),
        ("how many AI enterprises", "ai.enterprises"),
        ("5G users", "telecom.5g-users"),
        ("17600", "sme.little-giants"),
    ],
)
def test_an_indicators_latest_observation_ranks_above_its_older_periods(
    registry: Registry, query: str, fact_id: str
) -> None:
    assert len(registry.series(fact_id)) > 1
    hits = [h for h in search(registry, query, limit=None) if h.fact.id == fact_id]
    assert hits[0].fact.period == _latest(registry, fact_id)
    # Newest first all the way down, with the scores saying so.
    ends = [h.fact.span.key()[1] for h in hits]
    assert ends == sorted(ends, reverse=True)
    assert all(a.score > b.score for a, b in itertools.pairwise(hits))


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("little giants 2024", "sme.little-giants@2024"),
        ("1.46万", "sme.little-giants@2024"),
        ("12,000 little giants", "sme.little-giants@2024-06-30"),
        ("5G users 2023", "telecom.5g-users@2023-12-31"),
        ("805 million 5G users", "telecom.5g-users@2023-12-31"),
        ("industrial value added growth 2023", "industry.value-added-growth@2023"),
        ("4.6%", "industry.value-added-growth@2023"),
    ],
)
def test_a_query_that_names_an_older_period_or_value_finds_it(
    registry: Registry, query: str, ref: str
) -> None:
    assert search(registry, query)[0].fact.ref == ref


def test_exact_beats_every_weaker_match_in_any_field() -> None:
    weakest_exact = search_module.EXACT * min(search_module.FIELD_WEIGHTS.values())
    best = max(search_module.FIELD_WEIGHTS.values())
    for weaker in (search_module.PREFIX, search_module.PARTIAL, search_module.FUZZY):
        assert weakest_exact > weaker * best


def _registry(write_pack: WritePack, facts: list[dict[str, object]], text: str) -> Registry:
    pack = minimal_pack(facts=facts)
    return miitfacts.load([write_pack(pack, text=text)], use_env=False)


def _fact(slug: str, kind: str, label: str, label_zh: str, quote: str) -> dict[str, object]:
    fact: dict[str, object] = {
        "id": f"example.{slug}",
        "topic": "example",
        "kind": kind,
        "label": label,
        "label_zh": label_zh,
        "period": "2025",
        "quote": quote,
    }
    if kind == "figure":
        stated = quote[quote.index("超") :]
        fact.update(value=int(stated[1:-1]), unit="items", qualifier="more_than", stated=stated)
    return fact


def _ids(hits: list[SearchHit]) -> list[str]:
    return [h.fact.id for h in hits]


def test_label_beats_quote_at_equal_quality_and_exact_quote_beats_near_label(
    write_pack: WritePack,
) -> None:
    text = "甲。乙提到widget。丙。丁提到领航工厂。\n"
    registry = _registry(
        write_pack,
        [
            _fact("in-quote", "statement", "Second thing", "乙", "乙提到widget"),
            _fact("in-label", "statement", "Widget plan", "甲", "甲"),
            _fact("near-label", "statement", "Widgetry plan", "丙", "丙"),
            _fact("pairs-label", "statement", "Other", "领航级工厂", "丁提到领航工厂"),
            _fact("exact-label", "statement", "Another", "领航工厂", "丁提到领航工厂"),
        ],
        text,
    )
    # Exact in a label, then exact in a quote, then a longer word in a label.
    assert _ids(search(registry, "widget", topic="example")) == [
        "example.in-label",
        "example.in-quote",
        "example.near-label",
    ]
    assert _ids(search(registry, "领航工厂", topic="example"))[0] == "example.exact-label"


def test_a_quantity_question_prefers_figures(write_pack: WritePack) -> None:
    text = "计划推进示例机器人。共有示例机器人超500台。\n"
    registry = _registry(
        write_pack,
        [
            _fact(
                "plan", "statement", "Example robots plan", "示例机器人计划", "计划推进示例机器人"
            ),
            _fact("count", "figure", "Count", "数量", "共有示例机器人超500台"),
        ],
        text,
    )
    assert (
        _ids(search(registry, "示例机器人", topic="example"))[0] == "example.plan"
    )  # its label says it
    assert _ids(search(registry, "示例机器人有多少", topic="example"))[0] == "example.count"
    assert _ids(search(registry, "example robots", topic="example"))[0] == "example.plan"
    assert _ids(search(registry, "how many example robots", topic="example"))[0] == "example.count"


@pytest.mark.parametrize(
    "query",
    [
        "how many humanoid robots",
        "how big is the AI industry",
        "人形机器人有多少",
        "人工智能规模",
        "how much is the AI fund",
    ],
)
def test_quantity_questions_over_the_bundled_data_put_figures_first(
    registry: Registry, query: str
) -> None:
    hits = search(registry, query, limit=None)
    kinds = [h.fact.kind for h in hits]
    assert kinds[0] == "figure"
    statements = [h for h in hits if h.fact.kind == "statement"]
    figures = [h for h in hits if h.fact.kind == "figure"]
    # A statement above a figure matches more of the question than that figure, or
    # the figure is a percentage and the question asked for an amount or a count.
    for statement in statements:
        for figure in figures:
            if statement.score > figure.score:
                rate = getattr(figure.fact, "unit", "") in search_module.RATE_UNITS
                assert statement.tokens_matched > figure.tokens_matched or rate


@pytest.mark.parametrize(
    ("question", "plain"),
    [
        ("how many little giant firms", "little giant firms"),
        ("what is the growth of industrial value added?", "industrial value added growth"),
        ("How many 5G base stations are there?", "5G base stations"),
        ("小巨人企业有多少家", "小巨人企业"),
        ("多少家小巨人企业", "小巨人企业"),
        ("小巨人企业一共有几家呢", "小巨人企业"),
        ("累计培育的小巨人企业是多少", "小巨人企业"),
        ("5G基站有多少个", "5G基站"),
        ("人形機器人整機企業有幾家?", "人形机器人整机企业"),
        ("人工智能企业数量是多少呢", "人工智能企业数量"),
    ],
)
def test_question_and_filler_words_do_not_stop_a_match(
    registry: Registry, question: str, plain: str
) -> None:
    asked, said = search(registry, question), search(registry, plain)
    assert asked and said
    assert asked[0].fact.id == said[0].fact.id


@pytest.mark.parametrize(
    ("query", "value", "low", "high", "units"),
    [
        ("17600", 17600, 17550, 17650, set()),
        ("17,600", 17600, 17550, 17650, set()),
        ("1.76万", 17600, 17550, 17650, set()),
        ("1.76萬家", 17600, 17550, 17650, {"enterprises", "factories"}),
        ("17.6k", 17600, 17550, 17650, set()),
        ("1.2万亿", 1.2e12, 1.15e12, 1.25e12, set()),
        ("1.2 trillion", 1.2e12, 1.15e12, 1.25e12, set()),
        ("CNY 60 billion", 6e10, 5.95e10, 6.05e10, {"CNY"}),
        ("5.9%", 5.9, 5.85, 5.95, {"percent", "percentage-points"}),
        ("5.9 percent", 5.9, 5.85, 5.95, {"percent", "percentage-points"}),
        ("300", 300, 299.5, 300.5, set()),
        ("2025", 2025, 2024.5, 2025.5, set()),
    ],
)
def test_query_numbers_carry_the_rounding_their_writing_implies(
    query: str, value: float, low: float, high: float, units: set[str]
) -> None:
    ((number, _),) = read_numbers(fold(query))
    assert number.value == pytest.approx(value)
    assert number.low == pytest.approx(low) and number.high == pytest.approx(high)
    assert number.units == units


@pytest.mark.parametrize("query", ["5G", "6g技术", "sme.little-giants", "10G-PON"])
def test_names_with_digits_are_not_numbers(query: str) -> None:
    assert read_numbers(fold(query)) == []


def test_a_number_finds_figures_within_its_rounding_and_only_those(registry: Registry) -> None:
    for query in ("17600", "17,600", "1.76万", "1.76萬", "17.6k"):
        hits = search(registry, query)
        assert hits[0].fact.id == "sme.little-giants" and hits[0].matched == "value"
        assert {h.fact.id for h in hits if h.matched == "value"} == {"sme.little-giants"}
    # 1.8万 is 17,500 to 18,500: it may stand for 17,600; 17,700 may not.
    assert search(registry, "1.8万")[0].fact.id == "sme.little-giants"
    assert not [h for h in search(registry, "17,700") if h.fact.id == "sme.little-giants"]


@pytest.mark.parametrize(
    "queries",
    [
        ("AI enterprises", "artificial intelligence enterprises", "人工智能企业"),
        ("SME value added growth", "small and medium-sized enterprises VA growth"),
        ("little giant", "小巨人", "little giants"),
        ("5G base stations", "fifth-generation base stations", "5G基站"),
        ("5G users", "5G用户", "5G subscribers"),
        ("VA growth", "value added growth", "增加值增长"),
    ],
)
def test_synonyms_and_abbreviations_find_the_same_figure(
    registry: Registry, queries: tuple[str, ...]
) -> None:
    assert len({search(registry, q)[0].fact.id for q in queries}) == 1


def test_the_synonym_table_is_written_folded() -> None:
    from miitfacts.synonyms import SYNONYMS

    for group in SYNONYMS:
        assert len(group) >= 2
        for form in group:
            assert fold(form) == form, form  # Simplified, lower case, single spaces


def test_ai_facts_of_other_topics_are_tagged_and_found(registry: Registry) -> None:
    tagged = {f.id for f in registry.facts if "ai" in f.tags and f.topic != "ai"}
    assert "smart-factories.pioneer-ai-scenario-share" in tagged
    assert "humanoid-robots.fund-support" in tagged
    found = {h.fact.id for h in search(registry, "artificial intelligence", limit=None)}
    assert tagged <= found


def test_a_long_query_is_a_usage_error(registry: Registry, invoke: Invoke) -> None:
    search(registry, "人" * MAX_QUERY_CHARS)  # at the limit: searched
    with pytest.raises(UsageError, match="limit"):
        search(registry, "x" * (MAX_QUERY_CHARS + 1))
    result = invoke("search", "little giant " * 40)
    assert result.exit_code == 2 and "characters long" in result.stderr


def test_an_older_registry_as_of_a_date_has_its_own_index(registry: Registry) -> None:
    import datetime as dt

    earlier = registry.at(dt.date(2024, 12, 1))
    then = earlier.series("sme.little-giants")[-1]
    assert then.period != _latest(registry, "sme.little-giants")
    assert search(earlier, "little giants")[0].fact.ref == then.ref
    assert search(registry, "little giants")[0].fact.period == _latest(
        registry, "sme.little-giants"
    )


# -- a search over the cache's index reads only its hits ------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
INDEXED_QUERIES = [
    ("little giants", 3),
    ("小巨人企业有多少家", 10),
    ("17600", 5),
    ("5G基站", None),
    ("enterprises", None),
    ("industrial value added growth", 2),
]


def _results(registry: Registry, query: str, limit: int | None) -> list[object]:
    hits = search(registry, query, limit=limit)
    return [(registry.record(h.fact), h.score, h.matched, h.tokens_matched) for h in hits]


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Every load is indexed; the bundled packs and the example series (with revisions)."""
    from miitfacts import registry as registry_module

    monkeypatch.setattr(registry_module, "INDEX_MIN_FACTS", 0)
    monkeypatch.setenv("MIITFACTS_CACHE", str(tmp_path / "cache"))
    return [EXAMPLES / "series"]


def _expected(paths: list[Path]) -> dict[str, list[object]]:
    full = miitfacts.load(paths, use_env=False, use_cache=False)
    return {query: _results(full, query, limit) for query, limit in INDEXED_QUERIES}


def test_a_search_over_an_index_decodes_only_its_hits(indexed: list[Path]) -> None:
    expected = _expected(indexed)
    search(miitfacts.load(indexed, use_env=False), "warm")  # the index and the corpus
    registry = miitfacts.load(indexed, use_env=False)
    assert registry._index is not None
    assert _results(registry, "little giants", 3) == expected["little giants"]
    assert "facts" not in registry.__dict__
    assert 0 < len(registry._series) < len(registry._ids())
    for query, limit in INDEXED_QUERIES:
        assert _results(registry, query, limit) == expected[query], query
    assert "facts" not in registry.__dict__


def _rotated(corpus: dict[str, Any]) -> None:
    # Well formed, but the indicators are not the registry's order.
    indicators, firsts = corpus["indicators"], corpus["firsts"]
    sizes = [b - a for a, b in itertools.pairwise(firsts)]
    corpus["indicators"] = indicators[1:] + indicators[:1]
    corpus["firsts"] = list(itertools.accumulate(sizes[1:] + sizes[:1], initial=0))


def _unsigned(corpus: dict[str, Any]) -> None:
    # Well formed, but no observation is the one it describes.
    corpus["signatures"] = bytes(len(corpus["signatures"]))


@pytest.mark.parametrize("damage", [_rotated, _unsigned])
def test_a_corpus_that_does_not_describe_the_observations_is_never_searched(
    indexed: list[Path], damage: Callable[[dict[str, Any]], None]
) -> None:
    from miitfacts import cache

    expected = _expected(indexed)
    search(miitfacts.load(indexed, use_env=False), "warm")
    registry = miitfacts.load(indexed, use_env=False)
    key = hashlib.sha256(f"{registry.digest} {registry.as_of}".encode()).hexdigest()
    corpus = cache.load("search", key, lambda c: True)
    assert search_module._well_formed(corpus)
    damage(corpus)
    assert search_module._well_formed(corpus)  # its shape alone does not tell
    cache.store("search", key, corpus)
    for query, limit in INDEXED_QUERIES:
        assert _results(registry, query, limit) == expected[query], query
    # The corpus was built again from every observation and stored.
    again = miitfacts.load(indexed, use_env=False)
    assert _results(again, "little giants", 3) == expected["little giants"]
    assert "facts" not in again.__dict__


def test_a_corpus_of_other_observations_is_never_searched(
    indexed: list[Path], tmp_path: Path
) -> None:
    """A corpus built from packs that say something else, stored under these packs' key:
    its hits are not these observations, so it is built again before anything is shown."""
    from miitfacts import cache

    other = tmp_path / "other"
    shutil.copytree(indexed[0], other)
    changed = sorted(other.glob("*.json"))[-1]
    document = json.loads(changed.read_text(encoding="utf-8"))
    document["facts"][0]["label"] += " zebra"
    changed.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    expected = _results(miitfacts.load(indexed, use_env=False, use_cache=False), "zebra", None)
    assert expected == []
    stale = miitfacts.load([other], use_env=False)
    assert search(stale, "zebra")[0].fact.label.endswith(" zebra")
    registry = miitfacts.load(indexed, use_env=False)
    search(registry, "warm")
    registry = miitfacts.load(indexed, use_env=False)
    assert registry._index is not None

    def key(r: Registry) -> str:
        return hashlib.sha256(f"{r.digest} {r.as_of}".encode()).hexdigest()

    cache.store("search", key(registry), cache.load("search", key(stale), lambda c: True))
    assert _results(registry, "zebra", None) == expected
    assert _results(registry, "little giants", 3) == _results(
        miitfacts.load(indexed, use_env=False, use_cache=False), "little giants", 3
    )


@pytest.mark.parametrize(
    "query",
    ["工业增加值增速 2024", "2024年规上工业增加值增速是多少", "industrial value added growth 2024"],
)
def test_a_query_that_names_a_year_finds_that_year_first(registry: Registry, query: str) -> None:
    assert search(registry, query)[0].fact.ref == "industry.value-added-growth@2024"
