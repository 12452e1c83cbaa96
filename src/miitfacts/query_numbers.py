"""Numbers as people type them into a search: 17600, 17,600, 1.76万, 17.6k, 1.2 trillion, 5.9%.

Each number carries the rounding its writing implies: ``1.76万`` is 17,600 give
or take 50 (the last digit written is the hundreds), ``17600`` is the same
(trailing zeros may be rounding), ``5.9%`` is 5.9 give or take 0.05. A figure
matches when its value lies within that rounding. Text is expected folded
(NFKC, lower case, Simplified script), as ``miitfacts.text.fold`` leaves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from miitfacts.numbers import SCALES as STATED_SCALES
from miitfacts.numbers import alternatives

# The scales sources write (numbers.SCALES), and the shorter ones people type.
SCALES: dict[str, int] = {
    **STATED_SCALES,
    "千万": 10**7,
    "百万": 10**6,
    "千": 10**3,
    "k": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "tn": 10**12,
}
# A measure word or currency after a number says which units it can be.
UNIT_WORDS: dict[str, frozenset[str]] = {
    "%": frozenset({"percent", "percentage-points"}),
    "元": frozenset({"CNY"}),
    "yuan": frozenset({"CNY"}),
    "cny": frozenset({"CNY"}),
    "rmb": frozenset({"CNY"}),
    "年": frozenset({"years"}),
    "家": frozenset({"enterprises", "factories"}),
    "项": frozenset({"technologies", "items", "projects", "standards"}),
    "个": frozenset({"models", "items", "centres", "cities", "clusters", "ports", "sites"}),
    "款": frozenset({"products", "models"}),
}
_SCALE_WORDS = alternatives(SCALES)
NUMBER = re.compile(
    r"(?<![a-z0-9.])"
    r"(?P<currency>cny|rmb|¥)?\s?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    rf"(?:\s?(?P<scale>{_SCALE_WORDS}))?"
    r"(?:\s?(?P<unit>%|percent|per cent|pct|yuan|cny|rmb|元|年|家|项|个|款))?"
    r"(?![a-z0-9])"
)
YEARS = range(1949, 2101)


@dataclass(frozen=True)
class QueryNumber:
    value: float
    low: float  # the values the writing allows, inclusive
    high: float
    units: frozenset[str]  # empty: any unit
    year: int | None  # the number may also name a year (2025)
    text: str  # as written, folded, without thousands separators


def read_numbers(text: str) -> list[tuple[QueryNumber, tuple[int, int]]]:
    """Every number written in ``text`` (folded), with where it stands."""
    found = []
    for match in NUMBER.finditer(text):
        number = _read(match)
        if number is not None:
            found.append((number, match.span()))
    return found


def _read(match: re.Match[str]) -> QueryNumber | None:
    digits = match["int"].replace(",", "")
    frac = match["frac"] or ""
    try:
        mantissa = Decimal(digits + frac)
    except InvalidOperation:
        return None
    scale = SCALES[match["scale"]] if match["scale"] else 1
    if frac:
        step = Decimal(1).scaleb(-(len(frac) - 1))
    else:
        # Trailing zeros of a long number may be rounding: 17600 is 17,600 to
        # the nearest hundred. A short one (100, 600亿) is taken as written.
        zeros = len(digits) - len(digits.rstrip("0")) if mantissa >= 1000 else 0
        step = Decimal(1).scaleb(min(zeros, len(digits) - 2))
    value = mantissa * scale
    half = step * scale / 2
    unit = match["unit"] or ("元" if match["currency"] else "")
    if unit in ("percent", "per cent", "pct"):
        unit = "%"
    units = UNIT_WORDS.get(unit, frozenset())
    is_year = not frac and scale == 1 and unit in ("", "年") and int(digits) in YEARS
    if is_year:
        half = Decimal("0.5")  # 2030 is a year, not 2,030 to the nearest ten
    return QueryNumber(
        value=float(value),
        low=float(value - half),
        high=float(value + half),
        units=frozenset() if unit == "年" and is_year else units,
        year=int(digits) if is_year else None,
        text=match.group(0).replace(",", "").replace(" ", ""),
    )
