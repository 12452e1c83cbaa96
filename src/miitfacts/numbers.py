"""Figures as Chinese sources write them (超14萬家, 1.2萬億元) and as people read them.

``read_stated`` turns a stated figure into a value, qualifier and unit family for
``miitfacts verify``; the ``format_*`` functions write values for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from miitfacts.text import normalize

SCALES = {"萬億": 10**12, "万亿": 10**12, "億": 10**8, "亿": 10**8, "萬": 10**4, "万": 10**4}
# What a measure word or sign says about the unit. 家 counts enterprises and
# factories alike, 項 technologies and items, so these are families of units.
UNIT_FAMILIES: dict[str, frozenset[str]] = {
    "%": frozenset({"percent"}),
    "元": frozenset({"CNY"}),
    "年": frozenset({"years"}),
    "家": frozenset({"enterprises", "factories"}),
    "項": frozenset({"technologies", "items"}),
    "项": frozenset({"technologies", "items"}),
    "個": frozenset({"models"}),
    "个": frozenset({"models"}),
    "款": frozenset({"products"}),
}
_PREFIXES = {
    "超過": "more_than",
    "超过": "more_than",
    "突破": "more_than",
    "超": "more_than",
    "近": "approximately",
    "約": "approximately",
    "约": "approximately",
    "達": "exact",
    "达": "exact",
}
_STATED_PATTERN = (
    r"(?P<prefix>超過|超过|突破|超|近|約|约|達|达)?"
    r"(?P<number>\d+(?:\.\d+)?)"
    r"(?P<more1>多)?"
    r"(?P<scale>萬億|万亿|億|亿|萬|万)?"
    r"(?P<more2>多)?"
    r"(?P<unit>[%元年家項项個个款])?"
    r"(?P<suffix>以上)?"
)


@cache
def _stated() -> re.Pattern[str]:
    # Compiled on first use: only verify reads stated figures.
    return re.compile(_STATED_PATTERN)


@dataclass(frozen=True)
class StatedFigure:
    value: int | float
    qualifier: str
    units: frozenset[str]  # empty when the text names no unit


def read_stated(text: str) -> StatedFigure | None:
    """The figure in ``text`` (the first one with a number), or None."""
    match = _stated().search(normalize(text).replace(" ", ""))
    if match is None:
        return None
    number = Decimal(match["number"]) * SCALES.get(match["scale"] or "", 1)
    value: int | float = int(number) if number == number.to_integral_value() else float(number)
    qualifier = "exact"
    if match["prefix"]:
        qualifier = _PREFIXES[match["prefix"]]
    if match["more1"] or match["more2"]:
        qualifier = "more_than"
    if match["suffix"]:
        qualifier = "at_least"
    units = UNIT_FAMILIES.get(match["unit"] or "", frozenset())
    return StatedFigure(value, qualifier, units)


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
    },
}
BASIS_WORDS = {
    "en": {"reported": "reported", "estimated": "estimated", "projected": "projected"},
    "zh": {"reported": "公布", "estimated": "測算", "projected": "預計"},
}


def _trim(number: float, digits: int) -> str:
    text = f"{number:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: float, lang: str = "en", digits: int = 2) -> str:
    """17600 → '17,600' (en) or '1.76萬' (zh); 1.2e12 → '1.2 trillion' or '1.2萬億'."""
    magnitude = abs(value)
    if lang == "zh":
        for word, scale in (("萬億", 10**12), ("億", 10**8), ("萬", 10**4)):
            if magnitude >= scale:
                return _trim(value / scale, digits).replace(",", "") + word
        return _trim(value, digits).replace(",", "")
    for word, scale in (("trillion", 10**12), ("billion", 10**9)):
        if magnitude >= scale:
            return f"{_trim(value / scale, digits)} {word}"
    return _trim(value, digits)


def format_value(
    value: float, unit: str, qualifier: str = "exact", lang: str = "en", digits: int = 2
) -> str:
    """A value with its qualifier and unit, as a sentence would put it."""
    number = format_number(value, lang, digits)
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
