"""Figures as sources write them (超14萬家, 1.2萬億元, more than 4,500) and as people read them.

``read_stated`` turns a stated figure into a value, qualifier and unit family for
``miitfacts verify``; the ``format_*`` functions write values for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from miitfacts.text import normalize

if TYPE_CHECKING:
    from collections.abc import Iterable

SCALES = {
    "萬億": 10**12,
    "万亿": 10**12,
    "億": 10**8,
    "亿": 10**8,
    "萬": 10**4,
    "万": 10**4,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
# What a measure word, sign or unit word says about the unit. 家 counts enterprises,
# factories, centres and clusters alike, 個 nearly anything, so these are families.
# Keys are as read_stated sees them: NFKC, case-folded, without spaces.
_COUNTED_BY_GE = frozenset(
    {
        "models",
        "items",
        "technologies",
        "base-stations",
        "base-stations-per-10k-people",
        "categories",
        "centres",
        "cities",
        "clusters",
        "ports",
        "projects",
        "sites",
        "standards",
    }
)
UNIT_FAMILIES: dict[str, frozenset[str]] = {
    "%": frozenset({"percent"}),
    "percent": frozenset({"percent"}),
    "pct": frozenset({"percent"}),
    "成": frozenset({"percent"}),  # 四成: four tenths
    "個百分點": frozenset({"percentage-points"}),
    "个百分点": frozenset({"percentage-points"}),
    "百分點": frozenset({"percentage-points"}),
    "百分点": frozenset({"percentage-points"}),
    "percentagepoints": frozenset({"percentage-points"}),
    "percentagepoint": frozenset({"percentage-points"}),
    "元": frozenset({"CNY"}),
    "yuan": frozenset({"CNY"}),
    "年": frozenset({"years"}),
    "years": frozenset({"years"}),
    "year": frozenset({"years"}),
    "家": frozenset({"enterprises", "factories", "centres", "clusters"}),
    "項": frozenset({"technologies", "items", "standards", "projects"}),
    "项": frozenset({"technologies", "items", "standards", "projects"}),
    "個": _COUNTED_BY_GE,
    "个": _COUNTED_BY_GE,
    "款": frozenset({"products", "models"}),
    "戶": frozenset({"users", "enterprises"}),
    "户": frozenset({"users", "enterprises"}),
    "座": frozenset({"base-stations", "sites"}),
    "輛": frozenset({"vehicles"}),
    "辆": frozenset({"vehicles"}),
    "公里": frozenset({"kilometres"}),
    "千米": frozenset({"kilometres"}),
    "kilometres": frozenset({"kilometres"}),
    "kilometers": frozenset({"kilometres"}),
    "km": frozenset({"kilometres"}),
    "eflops": frozenset({"eflops"}),
    "gb": frozenset({"gigabytes-per-user-month"}),
    "enterprises": frozenset({"enterprises"}),
    "companies": frozenset({"enterprises"}),
    "firms": frozenset({"enterprises"}),
    "factories": frozenset({"factories"}),
    "basestations": frozenset({"base-stations"}),
    "users": frozenset({"users"}),
    "subscribers": frozenset({"users"}),
    "ports": frozenset({"ports"}),
    "projects": frozenset({"projects"}),
    "standards": frozenset({"standards"}),
    "cities": frozenset({"cities"}),
    "clusters": frozenset({"clusters"}),
    "vehicles": frozenset({"vehicles"}),
    "units": frozenset({"base-stations", "base-stations-per-10k-people", "vehicles", "products"}),
}
_PREFIXES = {
    "超過": "more_than",
    "超过": "more_than",
    "突破": "more_than",
    "多於": "more_than",
    "多于": "more_than",
    "逾": "more_than",
    "超": "more_than",
    "morethan": "more_than",
    "over": "more_than",
    "exceeding": "more_than",
    "exceeded": "more_than",
    "exceeds": "more_than",
    "exceed": "more_than",
    "above": "more_than",
    "surpassed": "more_than",
    "topped": "more_than",
    "atleast": "at_least",
    "不少於": "at_least",
    "不少于": "at_least",
    "不超過": "at_most",
    "不超过": "at_most",
    "upto": "at_most",
    "atmost": "at_most",
    "不足": "less_than",
    "不到": "less_than",
    "lessthan": "less_than",
    "under": "less_than",
    "大約": "approximately",
    "大约": "approximately",
    "將近": "approximately",
    "将近": "approximately",
    "近": "approximately",
    "約": "approximately",
    "约": "approximately",
    "nearly": "approximately",
    "about": "approximately",
    "around": "approximately",
    "approximately": "approximately",
    "almost": "approximately",
    "roughly": "approximately",
    "達到": "exact",
    "达到": "exact",
    "達": "exact",
    "达": "exact",
    "reached": "exact",
    "reach": "exact",
}
_SUFFIXES = {
    "以上": "at_least",
    "ormore": "at_least",
    "左右": "approximately",
    "上下": "approximately",
    "以下": "at_most",
    "以內": "at_most",
    "以内": "at_most",
}
_MORE = ("多", "余", "餘", "plus")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def alternatives(words: Iterable[str]) -> str:
    # Longest first, so that 個百分點 wins over 個 and 超過 over 超.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _stated() -> re.Pattern[str]:
    # Compiled on first use: only verify reads stated figures.
    return re.compile(
        rf"(?P<prefix>{alternatives(_PREFIXES)})?"
        r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        r"(?:st|nd|rd|th)?"
        rf"(?P<more1>{alternatives(_MORE)})?"
        rf"(?P<scale>{alternatives(SCALES)})?"
        rf"(?P<more2>{alternatives(_MORE)})?"
        r"(?:straight|consecutive|successive)?"
        rf"(?P<unit>{alternatives(UNIT_FAMILIES)})?"
        rf"(?P<suffix>{alternatives(_SUFFIXES)})?"
    )


@cache
def _chinese_number() -> re.Pattern[str]:
    digits = "".join(_CN_DIGITS) + "".join(_CN_UNITS)
    # A Chinese numeral counts only before a scale or measure word (四成, 十四萬家).
    return re.compile(rf"[{digits}]+(?=萬億|万亿|億|亿|萬|万|成|家|個|个|項|项|年|戶|户)")


def _arabic(numeral: str) -> str:
    """四 → 4, 十四 → 14, 二十 → 20, 三百五十 → 350 (numerals as figures write them)."""
    total, digit = 0, None
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
    return str(total + (digit or 0))


def _prepare(text: str) -> str:
    # English joins a figure into one word with hyphens: "a 60-billion-yuan fund".
    text = re.sub(r"(?<=[0-9a-z])-(?=[a-z])", "", normalize(text).replace(" ", ""))
    if not any(c.isdigit() for c in text):
        text = _chinese_number().sub(lambda m: _arabic(m.group()), text)
    if not any(c.isdigit() for c in text):
        # 超過萬億元: a scale word alone means one of it.
        text = re.sub(r"(萬億|万亿|億|亿|萬|万)", r"1\1", text, count=1)
    return text


@dataclass(frozen=True)
class StatedFigure:
    value: int | float
    qualifier: str
    units: frozenset[str]  # empty when the text names no unit


def read_stated(text: str) -> StatedFigure | None:
    """The figure in ``text`` (the first one with a number), or None."""
    match = _stated().search(_prepare(text))
    if match is None:
        return None
    number = Decimal(match["number"].replace(",", "")) * SCALES.get(match["scale"] or "", 1)
    unit = match["unit"] or ""
    if unit == "成":
        number *= 10
    value: int | float = int(number) if number == number.to_integral_value() else float(number)
    qualifier = "exact"
    if match["prefix"]:
        qualifier = _PREFIXES[match["prefix"]]
    if match["more1"] or match["more2"]:
        qualifier = "more_than"
    if match["suffix"]:
        qualifier = _SUFFIXES[match["suffix"]]
    return StatedFigure(value, qualifier, UNIT_FAMILIES.get(unit, frozenset()))


_PROJECTED = ("預計", "预计", "有望")
_ESTIMATED = ("測算", "测算", "估計", "估计")


def read_basis(quote: str, stated: str) -> str:
    """Basis from the words around a stated figure: 預計/有望 → projected, 測算 → estimated."""
    at = quote.find(stated)
    clause_start = max(quote.rfind(sep, 0, max(at, 0)) for sep in ",,;;。")
    clause = quote[clause_start + 1 : at + len(stated)]
    if any(word in clause for word in _PROJECTED):
        return "projected"
    sentence_start = max(quote.rfind(sep, 0, max(at, 0)) for sep in "。;;")
    if any(word in quote[sentence_start + 1 : at] for word in _ESTIMATED):
        return "estimated"
    return "reported"


# -- formatting for people ----------------------------------------------------

QUALIFIER_WORDS = {
    "en": {
        "exact": "",
        "more_than": "more than",
        "at_least": "at least",
        "approximately": "about",
        "at_most": "at most",
        "less_than": "less than",
    },
    "zh": {
        "exact": "",
        "more_than": "超過",
        "at_least": "不少於",
        "approximately": "約",
        "at_most": "不超過",
        "less_than": "少於",
    },
}
UNIT_WORDS = {
    "en": {
        "percent": "%",
        "CNY": "CNY",
        "years": "years",
        "enterprises": "enterprises",
        "factories": "factories",
        "products": "products",
        "models": "models",
        "technologies": "technologies",
        "items": "items",
        "percentage_points": "percentage points",
        "percentage-points": "percentage points",
        "base-stations": "base stations",
        "base-stations-per-10k-people": "base stations per 10,000 people",
        "categories": "categories",
        "centres": "centres",
        "cities": "cities",
        "clusters": "clusters",
        "eflops": "EFLOPS",
        "gigabytes-per-user-month": "GB per user per month",
        "kilometres": "km",
        "ports": "ports",
        "projects": "projects",
        "sites": "sites",
        "standards": "standards",
        "users": "users",
        "vehicles": "vehicles",
    },
    "zh": {
        "percent": "%",
        "CNY": "元",
        "years": "年",
        "enterprises": "家",
        "factories": "家",
        "products": "款",
        "models": "個",
        "technologies": "項",
        "items": "項",
        "percentage_points": "個百分點",
        "percentage-points": "個百分點",
        "base-stations": "個基站",
        "base-stations-per-10k-people": "個基站/萬人",
        "categories": "類",
        "centres": "個中心",
        "cities": "個城市",
        "clusters": "個集群",
        "eflops": "EFLOPS",
        "gigabytes-per-user-month": "GB/戶·月",
        "kilometres": "公里",
        "ports": "個端口",
        "projects": "個項目",
        "sites": "個",
        "standards": "項標準",
        "users": "戶",
        "vehicles": "輛",
    },
}
BASIS_WORDS = {
    "en": {"reported": "reported", "estimated": "estimated", "projected": "projected"},
    "zh": {"reported": "公布", "estimated": "測算", "projected": "預計"},
}


def _exact(number: Decimal, grouped: bool) -> str:
    """Every significant digit of ``number``, none invented (no float noise, no rounding)."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if not grouped:
        return text
    whole, dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}{dot}{fraction}"


def format_number(value: float | Decimal, lang: str = "en") -> str:
    """17600 → '17,600' (en) or '1.76萬' (zh); 1.2e12 → '1.2 trillion' or '1.2萬億'.

    Exact: a figure is shown with all its digits (1,828,000,000 → '1.828 billion'),
    never rounded to look tidy; a scale word is used only where it loses nothing.
    """
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    magnitude = abs(number)
    zh = lang == "zh"
    scales = (("萬億", 10**12), ("億", 10**8), ("萬", 10**4)) if zh else _EN_SCALES
    for word, scale in scales:
        scaled = number / scale
        # A scale word only where it reads shorter: 1.828 billion, not 999,999.999999 trillion.
        if magnitude >= scale and _decimals(scaled) <= (4 if zh else 3):
            return f"{_exact(scaled, grouped=not zh)}{word if zh else ' ' + word}"
    return _exact(number, grouped=not zh)


_EN_SCALES = (("trillion", 10**12), ("billion", 10**9))


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_value(
    value: float | Decimal, unit: str, qualifier: str = "exact", lang: str = "en"
) -> str:
    """A value with its qualifier and unit, as a sentence would put it (exact; see above)."""
    number = format_number(value, lang)
    words = QUALIFIER_WORDS[lang][qualifier]
    unit_word = UNIT_WORDS[lang].get(unit, unit)
    if lang == "zh":
        body = f"{number}{unit_word}"
        return f"{words}{body}" if words else body
    if unit == "percent":
        body = f"{number}%"
    elif unit == "CNY":
        body = f"CNY {number}"
    else:
        body = f"{number} {unit_word}"
    return f"{words} {body}" if words else body
