"""Text normalisation shared by lookup and search.

``normalize`` is cheap (NFKC + casefold + collapsed spaces). ``fold`` adds
Traditional→Simplified conversion; the converter is imported on first use, so
commands that never need it (``show 6g``) never pay for it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

# OpenCC's t2s keeps 著 (it is also a valid Simplified character); the sources
# write 著力 where Simplified text has 着力, so fold it too. Folding is one-way
# (Traditional→Simplified) because the sources mix scripts (制造業, 張云明) and
# the reverse conversion would not round-trip.
_EXTRA_FOLDS = str.maketrans({"著": "着"})


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits), casefold, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def has_cjk(text: str) -> bool:
    # max() runs in C and needs no regular expression compiled at import time.
    return bool(text) and max(text) >= "\u2e80"


@cache
def _t2s() -> Callable[[str], str]:
    import opencc

    converter: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return converter


def fold(text: str) -> str:
    """``normalize`` plus Traditional→Simplified, for script-insensitive matching."""
    text = normalize(text)
    if not has_cjk(text):
        return text
    # Lone surrogates (undecodable bytes from a command line) cannot reach the converter.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _t2s()(text).translate(_EXTRA_FOLDS)


def fold_lines(lines: Iterable[str]) -> str:
    """Fold many strings in one pass: the result has one folded line per input.

    One call to the converter for a whole corpus is far cheaper than one per string.
    """
    joined = "\n".join(line.replace("\n", " ") for line in lines)
    folded = unicodedata.normalize("NFKC", joined).casefold()
    if has_cjk(folded):
        folded = _t2s()(folded).translate(_EXTRA_FOLDS)
    return folded


# Characters that act instead of showing: C0 and C1 controls (ANSI escapes, a
# carriage return that overwrites the line), line and paragraph separators, and
# the bidirectional overrides that reorder what a terminal displays.
_CONTROL = {c: f"\\x{c:02x}" for c in range(32) if chr(c) != "\t"}
_CONTROL.update({c: f"\\x{c:02x}" for c in range(0x7F, 0xA0)})
_CONTROL.update(
    {c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)


def printable(text: str) -> str:
    """Make control characters visible instead of active: the result is one line.

    ``"a\\x1b[31mb\\nc"`` becomes ``a\\x1b[31mb\\x0ac``: a newline in a file
    name cannot start a forged second line of an error message. Tabs stay.
    """
    return text.translate(_CONTROL)


def printable_lines(text: str) -> str:
    """:func:`printable` for a block of text: each line made visible, the line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


@cache
def _quote_marks() -> re.Pattern[str]:
    # Compiled on first use (a start never needs it); a character class in C is far
    # faster than str.translate over a corpus.
    return re.compile("[\"'\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b]")


def squeeze(text: str) -> str:
    """Text without quote marks: 专精特新“小巨人”企业 reads 专精特新小巨人企业."""
    return _quote_marks().sub("", text)
