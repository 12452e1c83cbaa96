"""Search finds a figure however a person asks for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from miitfacts.errors import UsageError
from miitfacts.registry import Registry
from miitfacts.search import search
from tests.conftest import Invoke

# query -> the id that must rank first
FIRST = [
    ("小巨人", "sme.little-giants"),
    ("专精特新小巨人", "sme.little-giants"),
    ("little giant", "sme.little-giants"),
    ("LITTLE GIANTS", "sme.little-giants"),
    ("litle giant", "sme.little-giants"),
    ("ｌｉｔｔｌｅ ｇｉａｎｔ", "sme.little-giants"),
    ("humnoid robot", "humanoid-robots.makers"),
    ("humanoid robot products", "humanoid-robots.products-released"),
    ("perovskit", "innovation.perovskite-magnets-batteries"),
    ("人形机器人整机企业", "humanoid-robots.makers"),
    ("人形機器人整機企業", "humanoid-robots.makers"),
    ("垂直领域模型", "smart-factories.pioneer-vertical-models"),
    ("国家人工智能产业投资基金", "ai.investment-fund-size"),
    ("AI 企业数量", "ai.enterprises"),
    ("sme.little-giants", "sme.little-giants"),
    ("著力攻技术", "humanoid-robots.key-technologies"),
    ("6G key technologies", "6g.phase-one-key-technologies"),
    ("brain computer", "innovation.brain-computer-interfaces"),
    ("1.76", "sme.little-giants"),
    # Chinese phrased differently from the source: the character pairs still lead there.
    ("人形机器人整机公司", "humanoid-robots.makers"),
    ("领航工厂垂直模型", "smart-factories.pioneer-vertical-models"),
]


@pytest.mark.parametrize(("query", "expected"), FIRST)
def test_best_match_comes_first(registry: Registry, query: str, expected: str) -> None:
    hits = search(registry, query)
    assert hits, query
    assert hits[0].fact.id == expected, [h.fact.id for h in hits[:3]]


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


def test_the_table_covers_every_figure(registry: Registry) -> None:
    seed = {f.id for f in registry.vintages if f.source == "scio-2026-01-21" and f.kind == "figure"}
    assert set(EVERY_FIGURE) == seed


@pytest.mark.parametrize(
    ("fact_id", "query"),
    [(fact_id, q) for fact_id, queries in EVERY_FIGURE.items() for q in queries],
)
def test_every_figure_is_in_the_top_three(registry: Registry, fact_id: str, query: str) -> None:
    top = [h.fact.id for h in search(registry, query, limit=3)]
    assert fact_id in top, top


def test_word_order_and_case_do_not_matter(registry: Registry) -> None:
    ranked = [h.fact.id for h in search(registry, "robots humanoid")]
    assert ranked == [h.fact.id for h in search(registry, "Humanoid ROBOTS")]
    assert ranked[0].startswith("humanoid-robots.")


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
