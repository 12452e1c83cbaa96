"""read_stated: every form in which the bundled sources state a figure.

The table lists the stated forms of the research notes' confirmed observations
(2023–2026 packs) and of the seed briefing: Chinese measure words and scales,
qualifier words before and after the number, English numbers with commas and
scale words. ``verify`` relies on these readings; the last test checks every
bundled observation against its own stated text.
"""

from __future__ import annotations

import math

import pytest

from miitfacts.models import Figure
from miitfacts.numbers import read_stated

# stated -> (value, qualifier, a unit the family must contain, or None for no unit)
STATED_FORMS: dict[str, tuple[float, str, str | None]] = {
    # English joins a figure into one word: "a 60-billion-yuan fund"
    "60-billion-yuan": (60_000_000_000, "exact", "CNY"),
    # percent, with qualifiers before and after
    "4.3%以上": (4.3, "at_least", "percent"),
    "5.7%左右": (5.7, "approximately", "percent"),
    "11%左右": (11, "approximately", "percent"),
    "超过5%": (5, "more_than", "percent"),
    "5.0%": (5, "exact", "percent"),
    "同比增長5.9%": (5.9, "exact", "percent"),
    "70%以上": (70, "at_least", "percent"),
    "超四成": (40, "more_than", "percent"),
    "exceed 4.3 percent": (4.3, "more_than", "percent"),
    "5.8 percent": (5.8, "exact", "percent"),
    "more than 40 percent": (40, "more_than", "percent"),
    "about 5.7 percent": (5.7, "approximately", "percent"),
    "more than 5%": (5, "more_than", "percent"),
    # percentage points
    "1个百分点": (1, "exact", "percentage-points"),
    "1.2个百分点": (1.2, "exact", "percentage-points"),
    "0.8個百分點": (0.8, "exact", "percentage-points"),
    "1 percentage point": (1, "exact", "percentage-points"),
    "0.6 percentage points": (0.6, "exact", "percentage-points"),
    # years
    "连续14年": (14, "exact", "years"),
    "連續16年": (16, "exact", "years"),
    "14th straight year": (14, "exact", "years"),
    "15 consecutive years": (15, "exact", "years"),
    # money: 万/亿/万亿 and English scales
    "40.5万亿元": (40.5e12, "exact", "CNY"),
    "突破1.2萬億元": (1.2e12, "more_than", "CNY"),
    "達600億元": (6e10, "exact", "CNY"),
    "1.75万亿元": (1.75e12, "exact", "CNY"),
    "4.84萬億元": (4.84e12, "exact", "CNY"),
    "超過萬億元": (1e12, "more_than", "CNY"),
    "1.86 trillion yuan": (1.86e12, "exact", "CNY"),
    "40.5 trillion yuan": (40.5e12, "exact", "CNY"),
    "exceeding 1 trillion yuan": (1e12, "more_than", "CNY"),
    "exceeded 900 billion yuan": (9e11, "more_than", "CNY"),
    "more than 578 billion yuan": (5.78e11, "more_than", "CNY"),
    "578.4 billion": (5.784e11, "exact", None),
    # enterprises, factories, centres, clusters (家)
    "1.46万家": (14600, "exact", "enterprises"),
    "1.46萬家": (14600, "exact", "enterprises"),
    "超过14万家": (140000, "more_than", "enterprises"),
    "超14萬家": (140000, "more_than", "enterprises"),
    "超1.76萬家": (17600, "more_than", "enterprises"),
    "46.3万家": (463000, "exact", "enterprises"),
    "51.2万家": (512000, "exact", "enterprises"),
    "1557家": (1557, "exact", "enterprises"),
    "421家": (421, "exact", "factories"),
    "1383家": (1383, "exact", "factories"),
    "首批15家": (15, "exact", "factories"),
    "500余家": (500, "more_than", "factories"),
    "8200余家": (8200, "more_than", "factories"),
    "27家": (27, "exact", "centres"),
    "80家": (80, "exact", "clusters"),
    "超十四万家": (140000, "more_than", "enterprises"),
    # counted with 個/个: clusters, categories, base stations, ports, cities, sites, projects
    "45个": (45, "exact", "clusters"),
    "42個": (42, "exact", "clusters"),
    "28个": (28, "exact", "categories"),
    "39个": (39, "exact", "categories"),
    "超过419万个": (4190000, "more_than", "base-stations"),
    "419.1万个": (4191000, "exact", "base-stations"),
    "483萬個": (4830000, "exact", "base-stations"),
    "483.8万个": (4838000, "exact", "base-stations"),
    "34.4个": (34.4, "exact", "base-stations-per-10k-people"),
    "3134萬個": (31340000, "exact", "ports"),
    "超330個": (330, "more_than", "cities"),
    "168个": (168, "exact", "sites"),
    "超2.3萬個": (23000, "more_than", "projects"),
    "超6000個": (6000, "more_than", "models"),
    # 座 (base stations), 户/戶 (users), 辆 (vehicles), 公里, 项/項, 款
    "483.8萬座": (4838000, "exact", "base-stations"),
    "超过2亿户": (200000000, "more_than", "users"),
    "10.02亿户": (1002000000, "exact", "users"),
    "11.93億戶": (1193000000, "exact", "users"),
    "超12億戶": (1200000000, "more_than", "users"),
    "逾12億戶": (1200000000, "more_than", "users"),
    "1649万辆": (16490000, "exact", "vehicles"),
    "7499万公里": (74990000, "exact", "kilometres"),
    "超300項": (300, "more_than", "technologies"),
    "1700多項": (1700, "more_than", "items"),
    "超330款": (330, "more_than", "products"),
    # computing power and traffic
    "超過1590EFLOPS": (1590, "more_than", "eflops"),
    "1,590 EFLOPS": (1590, "exact", "eflops"),
    "23GB": (23, "exact", "gigabytes-per-user-month"),
    # English counts: commas, million/billion, qualifier words
    "exceeded 3.28 million": (3280000, "more_than", None),
    "nearly 3.38 million": (3380000, "approximately", None),
    "3.647 million": (3647000, "exact", None),
    "4.838 million": (4838000, "exact", None),
    "805 million": (805000000, "exact", None),
    "1.002 billion": (1002000000, "exact", None),
    "over 1.2 billion": (1200000000, "more_than", None),
    "24.56 million": (24560000, "exact", None),
    "more than 10,000": (10000, "more_than", None),
    "more than 4,500": (4500, "more_than", None),
    "exceeding 5,300": (5300, "more_than", None),
    "over 140,000": (140000, "more_than", None),
    "more than 17,600": (17600, "more_than", None),
    "12,000": (12000, "exact", None),
    "504,000": (504000, "exact", None),
    "exceeded 60 million": (60000000, "more_than", None),
    "over 40": (40, "more_than", None),
    "421": (421, "exact", None),
    "8.4 units": (8.4, "exact", "base-stations-per-10k-people"),
}


@pytest.mark.parametrize(("stated", "expected"), sorted(STATED_FORMS.items()))
def test_read_stated_reads_every_supported_form(
    stated: str, expected: tuple[float, str, str | None]
) -> None:
    value, qualifier, unit = expected
    figure = read_stated(stated)
    assert figure is not None, stated
    assert math.isclose(figure.value, value, rel_tol=1e-12), (stated, figure.value)
    assert figure.qualifier == qualifier, (stated, figure.qualifier)
    if unit is None:
        assert figure.units == frozenset(), (stated, figure.units)
    else:
        assert unit in figure.units, (stated, figure.units)


def test_whole_numbers_come_back_as_ints() -> None:
    figure = read_stated("5.0%")
    assert figure is not None and figure.value == 5 and isinstance(figure.value, int)
    figure = read_stated("1.46万家")
    assert figure is not None and isinstance(figure.value, int)


@pytest.mark.parametrize("stated", ["", "加快推进", "没有数字"])
def test_text_without_a_figure_reads_as_none(stated: str) -> None:
    assert read_stated(stated) is None


def test_unit_families_keep_unlike_counts_apart() -> None:
    users = read_stated("超过2亿户")
    stations = read_stated("483.8萬座")
    money = read_stated("40.5万亿元")
    assert users is not None and "base-stations" not in users.units
    assert stations is not None and "users" not in stations.units
    assert money is not None and money.units == frozenset({"CNY"})


def test_every_bundled_observation_is_re_derived_from_its_stated_text() -> None:
    import miitfacts

    registry = miitfacts.load(use_env=False)
    checked = 0
    # Every entry of every pack: superseded vintages and corroborating reports too.
    for fact in (f for p in registry.packs for f in p.pack.facts):
        if not isinstance(fact, Figure):
            continue
        figure = read_stated(fact.stated)
        assert figure is not None, (fact.id, fact.stated)
        assert math.isclose(figure.value, fact.value, rel_tol=1e-9), (fact.id, fact.stated)
        assert figure.qualifier == fact.qualifier, (fact.id, fact.stated)
        assert not figure.units or fact.unit in figure.units, (fact.id, fact.stated)
        checked += 1
    assert checked >= 17 + 57  # the seed's figures and at least data1's cited packs'


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        (1_828_000_000, "1.828 billion users", "18.28億戶"),
        (1_002_000_000, "1.002 billion users", "10.02億戶"),
        (999_999_999, "999,999,999 users", "99999.9999萬戶"),
        (1_234_567_890, "1,234,567,890 users", "123456.789萬戶"),
        (12_345.678, "12,345.678 users", "12345.678戶"),
        (0.001, "0.001 users", "0.001戶"),
        (17_600, "17,600 users", "1.76萬戶"),
    ],
)
def test_values_are_shown_with_every_digit(value: float, english: str, chinese: str) -> None:
    from miitfacts.numbers import format_value

    # A tool for exact figures never rounds one to look tidy (1.828 billion, not 1.83).
    assert format_value(value, "users") == english
    assert format_value(value, "users", lang="zh") == chinese
