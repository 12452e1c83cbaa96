"""Find facts however a person asks: either Chinese script, English in any order, typos.

Query and text are folded alike (NFKC, casefold, Traditional→Simplified). English
and digit tokens match words of the facts through a vocabulary (exactly, as a
prefix, or within a small edit distance); runs of Chinese characters match as
substrings, with a fuzzy fallback. A fact scores by how many query tokens it
matches and in which field: id, then labels, then topic names, then quote and tags.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from miitfacts.errors import UsageError
from miitfacts.registry import Registry
from miitfacts.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from miitfacts.models import Fact

# Field weights: where a match is found says how good it is.
WEIGHTS = {
    "id": 5.0,
    "label": 4.0,
    "label_zh": 4.0,
    "stated": 3.0,
    "topic": 3.0,
    "tags": 2.0,
    "quote": 1.0,
}
EXACT_ID_BONUS = 1000.0
EXACT_LABEL_BONUS = 500.0
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) for a misspelt word or phrase
STOPWORDS = frozenset(
    {"a", "an", "and", "the", "of", "in", "on", "for", "to", "by", "with", "as", "at"}
)

_TOKEN = re.compile(r"[a-z0-9]+(?:[.][0-9]+)?|[\u2e80-\u9fff\uf900-\ufaff]+")


def tokens(text: str) -> list[str]:
    """Words and numbers, and runs of Chinese characters, of already folded text."""
    return _TOKEN.findall(text)


def _is_cjk(token: str) -> bool:
    return ord(token[0]) >= 0x2E80


def _best(by_field: dict[str, float]) -> tuple[float, str]:
    """A token's value for one fact: its best field, plus a little for each other field."""
    name = max(by_field, key=by_field.__getitem__)
    others = sum(by_field.values()) - by_field[name]
    return by_field[name] + 0.1 * others, name


@dataclass(frozen=True)
class SearchHit:
    fact: Fact
    score: float
    matched: str  # the field that contributed most
    tokens_matched: int


class SearchIndex:
    """Folded text of every fact, and a word → postings index for latin tokens."""

    def __init__(self, registry: Registry) -> None:
        self.facts = registry.facts
        topic_text = {
            t.id: fold(" ".join((t.id, t.name, t.name_zh, *t.aliases)))
            for t in registry.topics.values()
        }
        self.fields: list[dict[str, str]] = []
        self.postings: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for i, fact in enumerate(self.facts):
            fields = {
                "id": fact.id,
                "label": fold(fact.label),
                "label_zh": fold(fact.label_zh),
                "stated": fold(fact.stated or ""),
                "topic": topic_text.get(fact.topic, fact.topic),
                "tags": " ".join(fact.tags),
                "quote": fold(fact.quote),
            }
            self.fields.append(fields)
            for name, value in fields.items():
                for word in set(tokens(value)):
                    if not _is_cjk(word):
                        self.postings[word].append((i, name))
        self.vocabulary = list(self.postings)

    def _word_matches(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary words a latin token stands for, with a quality from 0 to 1."""
        from rapidfuzz import fuzz, process

        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = 1.0
        if len(token) >= 3:
            for word in self.vocabulary:
                if word != token and word.startswith(token):
                    found.setdefault(word, 0.9)
        if len(token) >= 4:
            for word, score, _ in process.extract(
                token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            ):
                found.setdefault(word, 0.9 * score / 100)
        return list(found.items())

    def _phrase_matches(
        self, run: str, candidates: range | Sequence[int]
    ) -> dict[int, tuple[float, str]]:
        """Facts whose fields contain a run of Chinese characters (best field each)."""
        found: dict[int, dict[str, float]] = defaultdict(dict)
        for i in candidates:
            for name, value in self.fields[i].items():
                if run in value:
                    # A run that fills most of the field is nearly an exact match.
                    found[i][name] = WEIGHTS[name] * (0.8 + 0.2 * len(run) / max(len(value), 1))
        return {i: _best(by_field) for i, by_field in found.items()}

    def _fuzzy_phrase_matches(
        self, run: str, candidates: range | Sequence[int]
    ) -> dict[int, tuple[float, str]]:
        from rapidfuzz import fuzz

        found: dict[int, dict[str, float]] = defaultdict(dict)
        for i in candidates:
            for name in ("label_zh", "stated", "topic", "quote"):
                score = fuzz.partial_ratio(run, self.fields[i][name], score_cutoff=FUZZY_CUTOFF)
                if score:
                    found[i][name] = WEIGHTS[name] * 0.7 * score / 100
        return {i: _best(by_field) for i, by_field in found.items()}

    def search(
        self, query: str, *, topic: str | None = None, limit: int | None = 20
    ) -> list[SearchHit]:
        folded = fold(query)
        words = tokens(folded)
        meaningful = [w for w in words if w not in STOPWORDS] or words
        if not meaningful:
            raise UsageError(
                f"nothing to search for in {query!r}; give a word, number or Chinese phrase"
            )
        candidates: range | list[int] = range(len(self.facts))
        if topic is not None:
            candidates = [i for i in candidates if self.facts[i].topic == topic]
        allowed = set(candidates)

        scores: dict[int, float] = defaultdict(float)
        counts: dict[int, int] = defaultdict(int)
        fields: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for token in dict.fromkeys(meaningful):
            per_fact: dict[int, tuple[float, str]] = {}
            if _is_cjk(token):
                per_fact = self._phrase_matches(token, candidates)
                if not per_fact:
                    per_fact = self._fuzzy_phrase_matches(token, candidates)
            else:
                by_fact: dict[int, dict[str, float]] = defaultdict(dict)
                for word, quality in self._word_matches(token):
                    for i, name in self.postings[word]:
                        if i in allowed:
                            by_fact[i][name] = max(
                                by_fact[i].get(name, 0.0), WEIGHTS[name] * quality
                            )
                per_fact = {i: _best(by_field) for i, by_field in by_fact.items()}
            for i, (value, name) in per_fact.items():
                scores[i] += value
                counts[i] += 1
                fields[i][name] += value

        whole = " ".join(words)
        for i in list(scores):
            if self.facts[i].id == whole:
                scores[i] += EXACT_ID_BONUS
                fields[i]["id"] += EXACT_ID_BONUS
            elif folded in (self.fields[i]["label"], self.fields[i]["label_zh"]):
                scores[i] += EXACT_LABEL_BONUS
        # Matching more of the query comes first; then field quality; figures before
        # statements; then source order, so ties always break the same way.
        ranked = sorted(
            scores,
            key=lambda i: (-counts[i], -round(scores[i], 6), self.facts[i].kind != "figure", i),
        )
        hits = [
            SearchHit(
                self.facts[i],
                round(scores[i], 3),
                max(fields[i], key=fields[i].__getitem__),
                counts[i],
            )
            for i in ranked
        ]
        return hits if limit is None else hits[:limit]


def search(
    registry: Registry, query: str, *, topic: str | None = None, limit: int | None = 20
) -> list[SearchHit]:
    """Search the registry (its index is built once, on first use)."""
    if not query.strip():
        raise UsageError("an empty query matches nothing; give a word, number or Chinese phrase")
    index = _INDEXES.get(registry)
    if index is None:
        index = _INDEXES[registry] = SearchIndex(registry)
    return index.search(query, topic=topic, limit=limit)


_INDEXES: weakref.WeakKeyDictionary[Registry, SearchIndex] = weakref.WeakKeyDictionary()
