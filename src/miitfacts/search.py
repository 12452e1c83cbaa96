"""Find the figure a person means, however they ask: either Chinese script, English
questions in any order, numbers as people write them, abbreviations, typos.

Query and facts are folded alike (NFKC, casefold, Traditional→Simplified, quote
marks dropped). The facts' folded fields are kept as one string per field, one
line per fact, so that matching runs in C (regular expressions) rather than in
a Python loop per fact; that corpus is derived once and cached by content.

A query becomes *terms*: a latin word (words of its stem match exactly, longer
words it begins and near misspellings weakly), a phrase from the synonym table
(every way of writing it matches), a Chinese phrase (as written, else without
question words, split at synonyms, then by its character pairs), or a number
(figures whose value it can stand for). Question and filler words are dropped.
The ranking rules (README, "How search ranks"; docs-search-rules.md):

1. A term's match has a quality: exact (after folding) ~ synonym > a longer
   word it begins, character pairs or a misspelling. The tiers are far enough
   apart that an exact match in any field beats a weaker match in every field.
2. Within a quality, the field says how good it is: id, labels, value and the
   words the source writes beside the figure, then stated text and period,
   then topic names and tags, then the quote.
3. A fact's score is the sum over the terms it matches, plus a bonus for how
   much of its label or id the query matches exactly.
4. Figures get a bonus over statements, a large one when the query asks for a
   quantity (only a small one for percentages when it asks for an amount).
5. Newer figures get a small bonus; of one indicator's observations, the latest
   ranks first unless the query names an older period or value.
6. The score shown is the order: ties break by figures first, then newer
   observations, then the order of the packs.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import heapq
import re
import weakref
from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

from miitfacts import cache as derived_cache
from miitfacts.errors import UsageError
from miitfacts.models import Figure
from miitfacts.query_numbers import QueryNumber, read_numbers
from miitfacts.registry import Registry
from miitfacts.synonyms import SYNONYMS
from miitfacts.text import fold, fold_lines, normalize, squeeze

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from miitfacts.core import TimeFilter
    from miitfacts.models import Fact

MAX_QUERY_CHARS = 256

# Match quality: what kind of match a term found (rule 1).
EXACT = 10.0
SYNONYM = 9.9
NEAR_VALUE = 9.0  # a number within the rounding its writing implies
PREFIX = 6.5  # a longer word it begins: manufactur → manufacturing
PARTIAL = 6.0  # times the share of a Chinese phrase's character pairs a field holds
FUZZY = 6.0  # times the similarity of a misspelt word
# Where it was found (rule 2). EXACT x the lowest weight > PARTIAL or FUZZY x the highest.
FIELD_WEIGHTS = {
    "id": 1.0,
    "label": 1.0,
    "label_zh": 1.0,
    "name": 1.0,  # the words the quote writes right beside a figure: 首批15家领航工厂
    "value": 1.0,
    "stated": 0.9,
    "period": 0.9,
    "topic": 0.8,
    "tags": 0.8,
    "quote": 0.7,
}
TEXT_FIELDS = ("id", "label", "label_zh", "name", "stated", "tags", "quote")
PARTIAL_FIELDS = ("label_zh", "name", "stated", "quote")
# Where coverage is measured (the weights allow one field to count for less).
COVERAGE_WEIGHTS = {"label": 1.0, "label_zh": 1.0, "name": 1.0, "id": 1.0}
OTHER_FIELD_BONUS = 0.02  # per further field a term also matches exactly
COVERAGE_BONUS = 3.0  # times the share of a label or id the query explains
FIGURE_BONUS = 1.5
QUANTITY_FIGURE_BONUS = 8.0
EXACT_ID_BONUS = 1000.0
RECENCY_BONUS = 0.25  # per year, for figures of the latest years (ties between indicators)
RECENCY_YEARS = 4
OLDER_STEP = 0.001  # how far below its latest observation an older one is put
MAX_PAIRS = 24  # character pairs sought for one Chinese phrase not found as written
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) for a misspelt latin word
COVERAGE_CANDIDATES = 400  # facts whose coverage is measured, best first
CORPUS_FORMAT = 6
SIGNATURE_BYTES = 8

STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "by",
        "with",
        "as",
        "at",
        "or",
        "from",
        "into",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "there",
        "which",
        "who",
        "what",
        "whats",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "me",
        "tell",
        "show",
        "give",
        "find",
        "about",
        "please",
        # Every figure is China's: naming the country narrows nothing.
        "china",
        "chinese",
        "nationwide",
        "",
    }
)
# "how big" asks for a quantity; so do these.
_QUANTITY_EN = re.compile(
    r"\bhow\s+(?:many|much|big|large|high|fast)\b|\bnumber\s+of\b|\b(?:size|scale|total|amount)\b"
)
_QUANTITY_ZH = ("多少", "几", "规模", "多大", "数量")
# A quantity question about a rate (growth, share) wants percentages; any other wants
# an amount or a count, so percentages then get only the ordinary figure bonus.
_RATE_EN = re.compile(
    r"\b(?:grow|grew|growth|increase[sd]?|rise|rose|rate|share|percent(?:age)?|proportion|"
    r"yoy|year on year|change)\b|%"
)
_RATE_ZH = ("增速", "增长", "占比", "比重", "比例", "率", "同比", "百分")
RATE_UNITS = frozenset({"percent", "percentage-points"})
_QUESTION_EN = re.compile(r"\bhow\s+(?:many|much|big|large|high|fast)\b")
# Chinese question and filler words, dropped when a phrase is not found as written.
_FILLERS_LONG = (
    "是多少",
    "有多少",
    "多少家",
    "多少个",
    "多少项",
    "多少款",
    "多少",
    "几家",
    "几个",
    "几项",
    "几款",
    "一共",
    "总共",
    "累计",
    "请问",
    "什么",
    "哪些",
    "怎么样",
    "如何",
    "多大",
    "中国",
    "我国",
    "全国",
    "国内",
)
_FILLERS_SHORT = ("几", "有", "是", "吗", "呢", "了", "的", "共", "吧", "啊", "呀", "么")
_CONNECTORS = (
    "数量",
    "规模",
    "总量",
    "总数",
    "达到",
    "达",
    "超过",
    "超",
    "突破",
    "预计",
    "有望",
    "约",
    "近",
    "增长",
    "增速",
    "为",
    "共",
    "累计",
    "比例",
    "比重",
)

_CJK = "\u2e80-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[a-z0-9]+(?:\.[0-9]+)?|[{_CJK}]+")
_LATIN_GAP = rf"[^a-z0-9\n{_CJK}]{{1,3}}"
_POSSESSIVE = re.compile(r"(?<=[a-z])['\u2019]s\b")
_LATIN_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_NAME_AFTER = re.compile(rf"[{_CJK}]{{1,10}}")
_NAME_BEFORE = re.compile(rf"[{_CJK}]{{1,12}}$")


def _is_cjk(token: str) -> bool:
    return ord(token[0]) >= 0x2E80


@dataclass(frozen=True)
class SearchHit:
    fact: Fact
    score: float
    matched: str  # the field that contributed most
    tokens_matched: int  # how many of the query's terms the fact matches


# -- the corpus: folded fields and what ranking needs, cached by content -----------


def _check_length(query: str) -> None:
    """A bounded query keeps search time bounded: a usage error past the limit."""
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(
            f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS}: "
            "search for a few words, a number or a short Chinese phrase"
        )


def _name_beside(quote: str, stated: str) -> str:
    """The words a source writes right beside a figure, which name what it counts:
    after it (首批15家 → 领航工厂) or before it, ending in a linking word (企业数量 超过6000家)."""
    at = quote.find(stated) if stated else -1
    if at < 0:
        return ""
    after = quote[at + len(stated) :]
    after = after.removeprefix("的")
    found = _NAME_AFTER.match(after)
    before = _NAME_BEFORE.search(quote, 0, at)
    names = [found.group() if found else ""]
    if before and before.group().endswith(_CONNECTORS):
        names.append(before.group())
    return " ".join(n for n in names if n)


def _observation_order(registry: Registry) -> tuple[list[int], list[int]]:
    """For each fact: the index of its indicator's latest observation, and its age
    (0 = latest, 1 = the one before, ...): by period end, then vintage."""
    facts = registry.facts
    groups: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(facts):
        groups[fact.id].append(i)
    latest = list(range(len(facts)))
    age = [0] * len(facts)

    def recency(i: int) -> tuple[dt.date, str, int]:
        fact = facts[i]
        return fact.span.end, fact.published, i

    for members in groups.values():
        if len(members) > 1:
            ordered = sorted(members, key=recency, reverse=True)
            for rank, i in enumerate(ordered):
                latest[i], age[i] = ordered[0], rank
    return latest, age


def _build_corpus(registry: Registry) -> dict[str, object]:
    facts = registry.facts
    sources: dict[str, Iterable[str]] = {
        "id": (f.id for f in facts),
        "label": (f.label for f in facts),
        "label_zh": (f.label_zh for f in facts),
        "stated": (f.stated if isinstance(f, Figure) else "" for f in facts),
        "tags": (" ".join(f.tags) for f in facts),
        "quote": (f.quote or "" for f in facts),
    }
    fields = {name: squeeze(fold_lines(values)) for name, values in sources.items()}
    names = map(_name_beside, fields["quote"].split("\n"), fields["stated"].split("\n"))
    fields["name"] = "\n".join(names)
    starts = {}
    for name, text in fields.items():
        offsets = array("q", [0])
        at = text.find("\n")
        while at >= 0:
            offsets.append(at + 1)
            at = text.find("\n", at + 1)
        offsets.append(len(text) + 1)
        starts[name] = offsets.tobytes()
    vocabulary = sorted({w for text in fields.values() for w in re.findall(r"[a-z]{3,}", text)})
    # Which latin words each field holds, and whether it holds any Chinese: a term
    # that cannot be in a field is not looked for there.
    words_in = {name: sorted(set(_LATIN_TOKEN.findall(text))) for name, text in fields.items()}
    chinese_in = [name for name, text in fields.items() if _CJK_CHAR.search(text)]
    numbered = sorted((float(f.value), i) for i, f in enumerate(facts) if isinstance(f, Figure))
    years: dict[int, list[int]] = defaultdict(list)
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(facts):
        span = fact.span
        for year in range(span.start.year, span.end.year + 1):
            years[year].append(i)
        by_topic[fact.topic].append(i)
    latest, age = _observation_order(registry)
    # Each topic's id, names and aliases, one per line (a phrase never spans two).
    topics = {
        t.id: squeeze(fold("\n".join((t.id, t.name, t.name_zh, *t.aliases))))
        for t in registry.topics.values()
    }
    ends = [f.span.end.year for f in facts]
    figure_ends = [e for e, f in zip(ends, facts, strict=True) if isinstance(f, Figure)]
    newest_year = max(figure_ends or ends or [0])
    recency = [
        RECENCY_BONUS * max(0, RECENCY_YEARS - (newest_year - min(end, newest_year)))
        for end in ends
    ]
    # Where each indicator's observations are (registry.facts is their series, one
    # indicator after another), and a signature of each observation: a hit is read
    # back from its indicator alone and must be the very observation ranked.
    indicators: list[str] = []
    firsts: list[int] = []
    for i, fact in enumerate(facts):
        if not indicators or fact.id != indicators[-1]:
            indicators.append(fact.id)
            firsts.append(i)
    firsts.append(len(facts))
    return {
        "format": CORPUS_FORMAT,
        "count": len(facts),
        "indicators": indicators,
        "firsts": firsts,
        "signatures": b"".join(map(_signature, facts)),
        "fields": fields,
        "starts": starts,
        "vocabulary": vocabulary,
        "words_in": words_in,
        "chinese_in": chinese_in,
        "values": [v for v, _ in numbered],
        "value_facts": [i for _, i in numbered],
        "units": [f.unit if isinstance(f, Figure) else "" for f in facts],
        "figures": bytes(f.kind == "figure" for f in facts),
        "years": dict(years),
        "by_topic": dict(by_topic),
        "latest": latest,
        "heads": sorted({i for k, i in enumerate(latest) if i != k}),
        "recency": recency,
        "topics": topics,
        "age": age,
    }


def _signature(fact: Fact) -> bytes:
    """A digest of everything an observation holds (its repr names every field)."""
    return hashlib.blake2b(repr(fact).encode(), digest_size=SIGNATURE_BYTES).digest()


def _corpus(registry: Registry, *, fresh: bool = False) -> dict[str, object]:
    """The folded corpus, from the cache when the packs are unchanged (``fresh``: rebuilt).

    The cache checks each entry's digest; the shape is checked here (one line
    and one entry per fact everywhere, indexes in range), so a wrong entry is
    rebuilt, never searched. Reading it back decodes no observation: the
    registry's ``facts`` are only built when the corpus is (see ``SearchIndex.fact``
    for how a hit is read and checked).
    """
    # A registry as of a date holds fewer observations than its packs: key by both.
    key = hashlib.sha256(f"{registry.digest} {registry.as_of}".encode()).hexdigest()
    if not fresh:
        corpus = derived_cache.load("search", key, _well_formed)
        # Its indicators must be the registry's, in its order (from an index: no decoding).
        if corpus is not None and corpus["indicators"] == registry._ids():
            return cast(dict[str, object], corpus)
    corpus = _build_corpus(registry)
    derived_cache.store("search", key, corpus)
    return {**corpus, "built": True}


def _indexes(values: object, count: int) -> bool:
    # set(map(type, ...)), min and max run in C: this check must cost little next to a search.
    if type(values) is not list:
        return False
    return not values or (
        set(map(type, values)) == {int} and min(values) >= 0 and max(values) < count
    )


def _well_formed(corpus: object) -> bool:
    if type(corpus) is not dict or corpus.get("format") != CORPUS_FORMAT:
        return False
    count, indicators, firsts = corpus.get("count"), corpus.get("indicators"), corpus.get("firsts")
    if type(count) is not int or count < 0 or type(indicators) is not list:
        return False
    if not all(type(i) is str for i in indicators) or type(firsts) is not list:
        return False
    if len(firsts) != len(indicators) + 1 or not set(map(type, firsts)) <= {int}:
        return False
    if firsts[0] != 0 or firsts[-1] != count or any(a >= b for a, b in pairwise(firsts)):
        return False
    signatures = corpus.get("signatures")
    if type(signatures) is not bytes or len(signatures) != SIGNATURE_BYTES * count:
        return False
    fields, starts = corpus.get("fields"), corpus.get("starts")
    if type(fields) is not dict or type(starts) is not dict or set(fields) != set(starts):
        return False
    lines = max(count - 1, 0)
    if not all(type(t) is str and t.count("\n") == lines for t in fields.values()):
        return False
    if not all(type(b) is bytes and len(b) == 8 * (count + 1) for b in starts.values()):
        return False
    values, value_facts = corpus.get("values"), corpus.get("value_facts")
    if type(values) is not list or not set(map(type, values)) <= {float}:
        return False
    if not _indexes(value_facts, count) or len(values) != len(value_facts):  # type: ignore[arg-type]
        return False
    per_fact = ("units", "recency", "age", "latest")
    if not all(type(corpus.get(n)) is list and len(corpus[n]) == count for n in per_fact):
        return False
    figures, years, topics = corpus.get("figures"), corpus.get("years"), corpus.get("by_topic")
    return (
        type(figures) is bytes
        and len(figures) == count
        and _indexes(corpus["latest"], count)
        and _indexes(corpus.get("heads"), count)
        and type(years) is dict
        and all(type(y) is int and _indexes(v, count) for y, v in years.items())
        and type(topics) is dict
        and all(type(t) is str and _indexes(v, count) for t, v in topics.items())
        and type(corpus.get("vocabulary")) is list
        and type(corpus.get("words_in")) is dict
        and set(corpus["words_in"]) == set(fields)
        and type(corpus.get("chinese_in")) is list
        and type(corpus.get("topics")) is dict
        and all(type(k) is str and type(v) is str for k, v in corpus["topics"].items())
    )


class _Field:
    """One folded field of every fact: a single string, a line per fact."""

    def __init__(self, joined: str, starts: bytes) -> None:
        self.joined = joined
        self.starts = array("q")
        self.starts.frombytes(starts)

    def fact_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def line(self, index: int) -> str:
        return self.joined[self.starts[index] : self.starts[index + 1] - 1]


# -- the query: terms ----------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    """One way of writing a term, as a pattern, and the quality of matching it."""

    pattern: re.Pattern[str]
    quality: float
    exact_tails: frozenset[str]  # endings of the last word that still match exactly
    prefix: bool  # a longer word beginning with it matches at PREFIX quality
    lead: str  # the text every match begins with: a field without it is not searched


@dataclass
class _Term:
    text: str
    forms: list[_Form]
    partial: bool = False  # a Chinese phrase no fact holds as written
    number: QueryNumber | None = None


# A light stemmer: a word's last suffix is cut, and a word of the same stem with any
# of these endings matches exactly (industrial ~ industry, factories ~ factory).
_SUFFIXES = ("ies", "ial", "ing", "es", "ed", "al", "s", "y", "e")
_TAILS = frozenset({"", *_SUFFIXES, "ials", "als"})


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _form(text: str, quality: float, *, prefix: bool = False) -> _Form:
    """A pattern for folded ``text``: latin words whole (their plural too), Chinese as written;
    words may be joined by spaces or hyphens."""
    parts = _TOKEN.findall(text)
    pieces: list[str] = []
    tails = frozenset({""})
    for k, part in enumerate(parts):
        latin = not _is_cjk(part)
        if k:
            pieces.append(_LATIN_GAP if latin and not _is_cjk(parts[k - 1]) else r"[ \-]?")
        if k == len(parts) - 1 and latin and part.isalpha() and len(part) >= 3:
            part, tails = stem(part), _TAILS
        pieces.append(re.escape(part))
        if k == 0 and latin:
            # The word edge is checked after the first word, not before it: a pattern
            # that begins with a literal is found by a fast string search, in C.
            # A number is whole too: 0 is not the 0 of 1.0 or of 0.7.
            edge = "[a-z0-9.]" if part[0].isdigit() else "[a-z0-9]"
            pieces.append(rf"(?<!{edge}{re.escape(part)})")
    body = "".join(pieces)
    if parts and not _is_cjk(parts[-1]):
        body += r"([a-z0-9]*)"
        if parts[-1][-1].isdigit():
            body += r"(?!\.[0-9])"
    lead = stem(parts[0]) if len(parts) == 1 and parts[0].isalpha() else parts[0] if parts else ""
    return _Form(re.compile(body), quality, tails, prefix and len(parts) == 1, lead)


@cache
def _synonym_table() -> tuple[dict[tuple[str, ...], int], list[tuple[str, ...]], int]:
    """Token sequence of every written form -> its group; the groups' folded forms."""
    keys: dict[tuple[str, ...], int] = {}
    groups: list[tuple[str, ...]] = []
    for number, group in enumerate(SYNONYMS):
        # The table is written in Simplified script (a test checks): no converter needed.
        forms = tuple(dict.fromkeys(squeeze(normalize(form)) for form in group))
        groups.append(forms)
        for form in forms:
            keys.setdefault(tuple(_TOKEN.findall(form)), number)
    return keys, groups, max(len(k) for k in keys)


def _group_term(written: str, group: int) -> _Term:
    _, groups, _ = _synonym_table()
    typed = tuple(_TOKEN.findall(written))
    forms = [
        _form(form, EXACT if tuple(_TOKEN.findall(form)) == typed else SYNONYM)
        for form in groups[group]
    ]
    return _Term(written, forms)


@dataclass
class _Query:
    terms: list[_Term]
    quantity: bool
    rate: bool  # the query asks about a rate or share
    whole: str  # the folded query, for the exact-id rule


def _synonym_cut(run: str) -> tuple[list[str], list[str]]:
    """The synonym-table words in a Chinese run (longest first), and the pieces between."""
    words = _chinese_synonyms()
    found: list[str] = []
    rest: list[str] = []
    at = 0
    while at < len(run):
        key = next((k for k in words if run.startswith(k, at)), None)
        if key is None:
            rest.append(run[at])
            at += 1
        else:
            found.append(key)
            rest.append(" ")
            at += len(key)
    return found, "".join(rest).split()


@cache
def _chinese_synonyms() -> tuple[str, ...]:
    keys, _, _ = _synonym_table()
    return tuple(sorted((k[0] for k in keys if len(k) == 1 and _is_cjk(k[0])), key=len)[::-1])


def _chinese_candidates(run: str) -> Iterator[str]:
    """Every piece ``_chinese_terms`` may look for, so that one pass finds them all."""
    yield run
    for piece in _split(run, _FILLERS_LONG, keep=2):
        yield piece
        for part in _split(piece, _FILLERS_SHORT, keep=2):
            yield part
            yield from _synonym_cut(part)[1]


def _variants(phrase: str, limit: int = 8) -> list[str]:
    """The phrase with synonyms written the other ways: 规上工业增加值 → 规模以上工业增加值."""
    keys, groups, _ = _synonym_table()
    found = {phrase}
    for key in _chinese_synonyms():
        if key not in phrase:
            continue
        others = [f for f in groups[keys[(key,)]] if f != key and _CJK_CHAR.search(f)]
        for written in list(found):
            found.update(written.replace(key, other) for other in others)
    found.discard(phrase)
    return sorted(found, key=len)[:limit]


def _chinese_terms(run: str, held: set[str]) -> list[_Term]:
    """A run of Chinese: as written if some fact holds it; else without question and
    filler words, then split at synonyms, then by its character pairs."""
    keys, _, _ = _synonym_table()

    def whole(piece: str) -> _Term | None:
        if (piece,) in keys:
            return _group_term(piece, keys[(piece,)])
        if piece in held:
            variants = [_form(v, SYNONYM) for v in _variants(piece)]
            return _Term(piece, [_form(piece, EXACT), *variants])
        return None

    found = whole(run)
    if found is not None:
        return [found]
    terms: list[_Term] = []
    for piece in _split(run, _FILLERS_LONG, keep=2):
        found = whole(piece)
        if found is not None:
            terms.append(found)
            continue
        for part in _split(piece, _FILLERS_SHORT, keep=2):
            found = whole(part)
            if found is not None:
                terms.append(found)
            elif len(part) >= 2:
                words, rest = _synonym_cut(part)
                pieces = rest if words else [part]
                terms += [_group_term(w, keys[(w,)]) for w in words]
                for rest_piece in pieces:
                    found = whole(rest_piece)
                    if found is not None:
                        terms.append(found)
                    elif len(rest_piece) >= 3:
                        terms.append(_Term(rest_piece, [_form(rest_piece, EXACT)], partial=True))
    return terms


# -- the index ---------------------------------------------------------------------


class _StaleCorpus(Exception):
    """A hit read back from the registry is not the observation the corpus ranked."""


class SearchIndex:
    def __init__(self, registry: Registry, *, fresh: bool = False) -> None:
        # Weakly: the index is kept in a WeakKeyDictionary keyed by the registry.
        self._registry = weakref.ref(registry)
        corpus = _corpus(registry, fresh=fresh)
        self.count: int = cast(int, corpus["count"])
        self.indicators: list[str] = cast(Any, corpus["indicators"])
        self.firsts: list[int] = cast(Any, corpus["firsts"])
        self.signatures: bytes = cast(bytes, corpus["signatures"])
        # A corpus built just now was built from these very facts: hits are read there.
        self._facts = registry.facts if corpus.get("built") else None
        fields, starts = corpus["fields"], corpus["starts"]
        assert isinstance(fields, dict) and isinstance(starts, dict)
        self.fields = {name: _Field(text, starts[name]) for name, text in fields.items()}
        self.vocabulary: list[str] = cast(Any, corpus["vocabulary"])
        self.words_in: dict[str, list[str]] = cast(Any, corpus["words_in"])
        self.chinese_in: set[str] = set(cast(Any, corpus["chinese_in"]))
        self.values: list[float] = cast(Any, corpus["values"])
        self.value_facts: list[int] = cast(Any, corpus["value_facts"])
        self.units: list[str] = cast(Any, corpus["units"])
        self.figures: bytes = cast(Any, corpus["figures"])
        self.years: dict[int, list[int]] = cast(Any, corpus["years"])
        self.by_topic: dict[str, list[int]] = cast(Any, corpus["by_topic"])
        self.latest: list[int] = cast(Any, corpus["latest"])
        self.age: list[int] = cast(Any, corpus["age"])
        self.series: set[int] = set(cast(Any, corpus["heads"]))  # latest of several
        self.recency: list[float] = cast(Any, corpus["recency"])
        self.topics: dict[str, str] = cast(Any, corpus["topics"])

    # -- reading a query ----------------------------------------------------------
    def _held(self, phrases: Iterable[str]) -> set[str]:
        """Which of the Chinese ``phrases`` some fact or topic holds as written.

        One pass per field for all of them (a regular expression of alternatives,
        longest first); a phrase inside one that was found is found too.
        """
        ordered = sorted(set(phrases), key=len, reverse=True)
        if not ordered:
            return set()
        pattern = re.compile("|".join(map(re.escape, ordered)))
        found: set[str] = set()
        texts = [f.joined for name, f in self.fields.items() if name in self.chinese_in]
        for text in (*texts, *self.topics.values()):
            found.update(pattern.findall(text))
        return {p for p in ordered if any(p in f for f in found)}

    def _in_vocabulary(self, word: str) -> bool:
        at = bisect.bisect_left(self.vocabulary, word)
        return at < len(self.vocabulary) and self.vocabulary[at].startswith(word)

    def _word_term(self, word: str) -> _Term:
        term = _Term(word, [_form(word, EXACT, prefix=len(word) >= 3)])
        if len(word) >= 4 and word.isalpha() and not self._in_vocabulary(stem(word)):
            from rapidfuzz import fuzz, process

            keys, groups, _ = _synonym_table()
            known = [*self.vocabulary, *(k[0] for k in keys if len(k) == 1 and k[0].isalpha())]
            near = process.extract(
                word, known, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            )
            for written, score, _ in near:
                # A misspelt synonym (compnies) stands for its whole group.
                group = keys.get((written,))
                forms = groups[group] if group is not None else (written,)
                term.forms += [_form(form, FUZZY * score / 100) for form in forms]
        return term

    def _read_query(self, query: str) -> _Query:
        folded = squeeze(_POSSESSIVE.sub("", fold(query)))
        quantity = bool(_QUANTITY_EN.search(folded)) or any(w in folded for w in _QUANTITY_ZH)
        rate = bool(_RATE_EN.search(folded)) or any(w in folded for w in _RATE_ZH)
        terms: list[_Term] = []
        rest = list(folded)
        for number, (start, end) in read_numbers(folded):
            forms = [_form(number.text, EXACT)] if _TOKEN.search(number.text) else []
            terms.append(_Term(number.text, forms, number=number))
            rest[start:end] = " " * (end - start)
        text = _QUESTION_EN.sub(" ", "".join(rest))
        tokens = _TOKEN.findall(text)
        keys, _, longest = _synonym_table()
        runs = [t for t in tokens if _is_cjk(t)]
        held = self._held(p for run in runs for p in _chinese_candidates(run))
        # Chinese not found as written loses its question words first, so that what
        # is left can meet the words beside it: 5G基站有多少个 → 5G 基站.
        tokens = [
            piece
            for token in tokens
            for piece in (
                _split(token, _FILLERS_LONG, keep=2)
                if _is_cjk(token) and token not in held and (token,) not in keys
                else [token]
            )
        ]
        at = 0
        while at < len(tokens):
            for size in range(min(longest, len(tokens) - at), 0, -1):
                key = tuple(tokens[at : at + size])
                if key in keys and (size > 1 or not _is_cjk(key[0])):
                    terms.append(_group_term(" ".join(key), keys[key]))
                    at += size
                    break
            else:
                token = tokens[at]
                at += 1
                if _is_cjk(token):
                    terms += _chinese_terms(token, held)
                elif token not in STOPWORDS:
                    terms.append(self._word_term(token))
        if not terms:  # only question or filler words: search them after all
            terms = [
                _Term(t, [_form(t, EXACT)]) if _is_cjk(t) else self._word_term(t)
                for t in _TOKEN.findall(folded)
            ]
        unique = {(t.text, t.partial, t.number is not None): t for t in terms}
        return _Query(list(unique.values()), quantity, rate, " ".join(folded.split()))

    # -- matching one term ----------------------------------------------------------
    @staticmethod
    def _quality(form: _Form, match: re.Match[str]) -> float:
        if form.pattern.groups == 0:
            return form.quality
        tail = match.group(1)
        if tail in form.exact_tails:
            return form.quality
        return PREFIX if form.prefix else 0.0

    def _scan(
        self, form: _Form, name: str, found: dict[int, dict[str, float]], allowed: set[int] | None
    ) -> None:
        """Record the facts whose field ``name`` holds the form, with the match's value.

        The hot loop of a search: one regular-expression search per matching fact
        (after an exact hit the search moves on to the next fact's line).
        """
        if not self._may_hold(name, form.lead):
            return
        field = self.fields[name]
        text, starts, search = field.joined, field.starts, form.pattern.search
        weight = FIELD_WEIGHTS[name]
        exact = form.quality * weight
        prefix = PREFIX * weight if form.prefix else 0.0
        tails = form.exact_tails if form.pattern.groups else None
        match = search(text)
        while match is not None:
            index = bisect.bisect_right(starts, match.start()) - 1
            if tails is None or match.group(1) in tails:
                value, resume = exact, starts[index + 1]
            elif prefix:
                value, resume = prefix, match.end()
            else:
                match = search(text, match.end())
                continue
            if allowed is None or index in allowed:
                slot = found.get(index)
                if slot is None:
                    found[index] = {name: value}
                elif value > slot.get(name, 0.0):
                    slot[name] = value
            match = search(text, resume)

    def _may_hold(self, name: str, lead: str) -> bool:
        if not lead:
            return True
        if _is_cjk(lead):
            return name in self.chinese_in
        words = self.words_in[name]
        at = bisect.bisect_left(words, lead)
        return at < len(words) and words[at].startswith(lead)

    def _matches(self, term: _Term, allowed: set[int] | None) -> dict[int, dict[str, float]]:
        """For each fact the term matches: the value of the match in each field."""
        found: dict[int, dict[str, float]] = {}

        def add(index: int, name: str, value: float) -> None:
            if allowed is None or index in allowed:
                slot = found.setdefault(index, {})
                if value > slot.get(name, 0.0):
                    slot[name] = value

        if term.number is not None:
            self._number_matches(term.number, add)
        if term.partial:
            self._partial_phrase(term.text, add)
        else:
            for form in term.forms:
                for name in TEXT_FIELDS:
                    self._scan(form, name, found, allowed)
                for topic, text in self.topics.items():
                    quality = max(
                        (self._quality(form, m) for m in form.pattern.finditer(text)), default=0.0
                    )
                    if quality:
                        value = quality * FIELD_WEIGHTS["topic"]
                        for index in self.by_topic.get(topic, ()):
                            add(index, "topic", value)
        return found

    def _number_matches(self, number: QueryNumber, add: Callable[[int, str, float], None]) -> None:
        values = self.values
        low = bisect.bisect_left(values, number.low - 1e-9 * abs(number.low))
        high = bisect.bisect_right(values, number.high + 1e-9 * abs(number.high))
        for k in range(low, high):
            index = self.value_facts[k]
            if number.units and self.units[index] not in number.units:
                continue
            same = abs(values[k] - number.value) <= 1e-9 * max(1.0, abs(number.value))
            add(index, "value", (EXACT if same else NEAR_VALUE) * FIELD_WEIGHTS["value"])
        if number.year is not None:
            for index in self.years.get(number.year, ()):
                add(index, "period", EXACT * FIELD_WEIGHTS["period"])

    def _partial_phrase(self, run: str, add: Callable[[int, str, float], None]) -> None:
        """Chinese that no fact holds as written (a word changed, one missing): facts
        holding at least half of its character pairs, valued by the share they hold.
        The pairs are sought in one pass per field; a long phrase is represented by
        at most MAX_PAIRS of its pairs, spread along it (each pair costs time in that
        pass, for every character of the field)."""
        every = list(dict.fromkeys(run[k : k + 2] for k in range(len(run) - 1)))
        step = max(1, -(-len(every) // MAX_PAIRS))
        pairs = set(every[::step])
        if len(pairs) < 2:
            return
        pattern = re.compile("|".join(map(re.escape, sorted(pairs))))
        for name in PARTIAL_FIELDS:
            field = self.fields[name]
            held: dict[int, set[str]] = defaultdict(set)
            for match in pattern.finditer(field.joined):
                held[field.fact_at(match.start())].add(match.group())
            for index, found in held.items():
                share = len(found) / len(pairs)
                if share >= 0.5:
                    add(index, name, PARTIAL * share * FIELD_WEIGHTS[name])

    # -- a whole query -----------------------------------------------------------
    def search(
        self, query: str, *, topic: str | None = None, limit: int | None = 20
    ) -> list[SearchHit]:
        _check_length(query)
        parsed = self._read_query(query)
        if not parsed.terms:
            raise UsageError(
                f"nothing to search for in {query!r}; give a word, number or Chinese phrase"
            )
        allowed = None if topic is None else set(self.by_topic.get(topic, []))

        scores: dict[int, float] = defaultdict(float)
        per_term: list[dict[int, tuple[str, float]]] = []  # each term's best field per fact
        specific: dict[int, set[int]] = defaultdict(set)  # number terms matched by value
        for number, term in enumerate(parsed.terms):
            best: dict[int, tuple[str, float]] = {}
            for i, by_field in self._matches(term, allowed).items():
                if len(by_field) == 1:
                    ((name, value),) = by_field.items()
                else:
                    name = max(by_field, key=by_field.__getitem__)
                    others = sum(
                        1
                        for n, v in by_field.items()
                        if n != name and v / FIELD_WEIGHTS[n] >= PREFIX
                    )
                    value = by_field[name] + OTHER_FIELD_BONUS * others
                scores[i] += value
                best[i] = (name, value)
                if term.number is not None and name in ("value", "period"):
                    specific[i].add(number)
            per_term.append(best)

        figures, units, recency = self.figures, self.units, self.recency
        for i in scores:
            if figures[i]:
                wanted = parsed.quantity and (parsed.rate or units[i] not in RATE_UNITS)
                scores[i] += QUANTITY_FIGURE_BONUS if wanted else FIGURE_BONUS
            scores[i] += recency[i]
        exact_ids = [i for i in self._exact_ids(parsed.whole) if i in scores]
        for i in exact_ids:
            scores[i] += EXACT_ID_BONUS
        self._add_coverage(parsed, scores, limit)
        # An indicator's latest observation first, unless the query names an older one
        # (its period or value): among observations that match the query's numbers
        # alike, each older one goes just below the newest.
        latest, age = self.latest, self.age
        newer: dict[tuple[int, frozenset[int]], int] = {}
        older = sorted(
            (i for i in scores if latest[i] != i or i in self.series), key=age.__getitem__
        )
        for i in older:
            key = (latest[i], frozenset(specific.get(i, ())))
            before = newer.get(key)
            if before is not None:
                scores[i] = min(scores[i], scores[before] - OLDER_STEP)
            newer[key] = i
        # Sorted by the score as shown, so that the order is the score's order.
        shown = {i: round(score, 3) for i, score in scores.items()}

        def order(i: int) -> tuple[float, bool, int, int]:
            return -shown[i], not figures[i], age[i], i

        if limit is None:
            ranked = sorted(shown, key=order)
        else:
            ranked = heapq.nsmallest(limit, shown, key=order)
        hits = []
        for i in ranked:
            contributions: dict[str, float] = defaultdict(float)
            for best in per_term:
                if i in best:
                    name, value = best[i]
                    contributions[name] += value
            if i in exact_ids:
                contributions["id"] += EXACT_ID_BONUS
            matched = _shown_field(max(contributions, key=contributions.__getitem__))
            hits.append(SearchHit(self.fact(i), shown[i], matched, sum(i in b for b in per_term)))
        return hits

    def fact(self, i: int) -> Fact:
        """The registry's ``facts[i]``, read from its indicator alone (the registry
        decodes nothing else); :class:`_StaleCorpus` unless it is the observation
        the corpus was built from (same place in its series, same signature).
        A corpus built in this run was built from ``registry.facts``: read there."""
        if self._facts is not None:
            return self._facts[i]
        registry = self._registry()
        if registry is None:
            raise _StaleCorpus("the registry is gone")
        j = bisect.bisect_right(self.firsts, i) - 1
        series = registry.series(self.indicators[j])
        first, end = self.firsts[j], self.firsts[j + 1]
        if len(series) != end - first:
            raise _StaleCorpus(self.indicators[j])
        found = series[i - first]
        at = SIGNATURE_BYTES * i
        if _signature(found) != self.signatures[at : at + SIGNATURE_BYTES]:
            raise _StaleCorpus(found.id)
        return found

    def _exact_ids(self, whole: str) -> list[int]:
        if not re.fullmatch(r"[a-z0-9.\-]+", whole):
            return []
        field = self.fields["id"]
        pattern = re.compile(rf"^{re.escape(whole)}$", re.MULTILINE)
        return [field.fact_at(m.start()) for m in pattern.finditer(field.joined)]

    def _add_coverage(self, parsed: _Query, scores: dict[int, float], limit: int | None) -> None:
        """Add how much of each leading fact's label or id the query explains (rule 3)."""
        forms = [f for t in parsed.terms if not t.partial for f in t.forms if f.pattern.pattern]
        if not forms or not scores:
            return
        ordered = sorted(scores.values(), reverse=True)
        keep = ordered[min(len(ordered), limit or len(ordered)) - 1] - COVERAGE_BONUS
        candidates = sorted((i for i, s in scores.items() if s >= keep), key=lambda i: -scores[i])
        for i in candidates[:COVERAGE_CANDIDATES]:
            best = max(
                COVERAGE_WEIGHTS[n] * _coverage(self.fields[n].line(i), forms)
                for n in COVERAGE_WEIGHTS
            )
            scores[i] += COVERAGE_BONUS * best


def _split(text: str, words: tuple[str, ...], keep: int = 1) -> list[str]:
    """``text`` cut at every occurrence of ``words`` (longest first), the words removed.

    Pieces shorter than ``keep`` (a measure word left by 有多少个) are dropped when
    the text was cut.
    """
    pieces = [piece for piece in _alternatives(words).split(text) if piece]
    if len(pieces) == 1 and pieces[0] == text:
        return pieces
    return [piece for piece in pieces if len(piece) >= keep]


@cache
def _alternatives(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _coverage(line: str, forms: list[_Form]) -> float:
    """Share of a line's meaningful characters (stopwords aside) that the forms match
    exactly (a longer word a form only begins does not count)."""
    if not line:
        return 0.0
    covered = bytearray(len(line))
    for form in forms:
        for match in form.pattern.finditer(line):
            if form.pattern.groups and match.group(1) not in form.exact_tails:
                continue
            covered[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    total = hit = 0
    for token in _TOKEN.finditer(line):
        if token.group() in STOPWORDS:
            continue
        total += token.end() - token.start()
        hit += sum(covered[token.start() : token.end()])
    return hit / total if total else 0.0


def _shown_field(name: str) -> str:
    # The words beside a figure are part of its quote.
    return "quote" if name == "name" else name


_INDEXES: weakref.WeakKeyDictionary[Registry, SearchIndex] = weakref.WeakKeyDictionary()


def search(
    registry: Registry,
    query: str,
    *,
    topic: str | None = None,
    limit: int | None = 20,
    time: TimeFilter | None = None,
) -> list[SearchHit]:
    """Search the registry (its index is built once, on first use); ``time`` picks periods."""
    if not query.strip():
        raise UsageError("an empty query matches nothing; give a word, number or Chinese phrase")
    _check_length(query)
    index = _INDEXES.get(registry)
    if index is None:
        index = _INDEXES[registry] = SearchIndex(registry)
    try:
        return _search(index, query, topic, limit, time)
    except _StaleCorpus:
        # The cached corpus does not describe these observations: build it again
        # from every fact, and search that.
        index = _INDEXES[registry] = SearchIndex(registry, fresh=True)
        return _search(index, query, topic, limit, time)


def _search(
    index: SearchIndex, query: str, topic: str | None, limit: int | None, time: TimeFilter | None
) -> list[SearchHit]:
    if time is None or not time.periods:
        return index.search(query, topic=topic, limit=limit)
    hits = [h for h in index.search(query, topic=topic, limit=None) if time.matches(h.fact)]
    return hits if limit is None else hits[:limit]


def with_vintages(registry: Registry, hits: Sequence[SearchHit]) -> list[SearchHit]:
    """``--all-vintages``: each hit followed by the earlier vintages of its period that it
    superseded, newest first (they share the hit's match, since they are the same measure)."""
    out: list[SearchHit] = []
    for hit in hits:
        out.append(hit)
        key = hit.fact.span.key()
        older = [
            f
            for f in registry.history(hit.fact.id)
            if f.span.key() == key and registry.superseded_by(f) is not None
        ]
        out += [replace(hit, fact=f) for f in reversed(older)]
    return out
