"""Find facts however a person asks: either Chinese script, English in any order, typos.

Query and facts are folded alike (NFKC, casefold, Traditional→Simplified). The
facts' folded fields are kept as one string per field, one line per fact, so
that matching runs in C (regular expressions, ``str.find``) rather than in a
Python loop per fact; that corpus is derived once and cached by content.

Latin tokens match words exactly, as a prefix, or within a small edit distance
(``rapidfuzz`` over the vocabulary); runs of Chinese characters match as
substrings or, where no fact holds the run as typed, by the share of its
character pairs that a fact holds. A fact scores by how many query tokens it
matches and where: id, then labels, then topic names, then quote and tags.
"""

from __future__ import annotations

import bisect
import itertools
import marshal
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from miitfacts import cache
from miitfacts.errors import UsageError
from miitfacts.models import Figure
from miitfacts.registry import Registry
from miitfacts.text import fold, fold_lines

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from miitfacts.core import TimeFilter
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
FACT_FIELDS = ("id", "label", "label_zh", "stated", "tags", "quote")
FUZZY_FIELDS = ("label_zh", "stated", "quote")  # where partial Chinese phrases are sought
EXACT_ID_BONUS = 1000.0
EXACT_LABEL_BONUS = 500.0
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) for a misspelt latin word
STOPWORDS = frozenset(
    {"a", "an", "and", "the", "of", "in", "on", "for", "to", "by", "with", "as", "at"}
)
CORPUS_FORMAT = 1

_WORD = r"[a-z0-9]+(?:\.[0-9]+)?"
_WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_TOKEN = re.compile(rf"{_WORD}|[\u2e80-\u9fff\uf900-\ufaff]+")


def tokens(text: str) -> list[str]:
    """Words and numbers, and runs of Chinese characters, of already folded text."""
    return _TOKEN.findall(text)


def _is_cjk(token: str) -> bool:
    return ord(token[0]) >= 0x2E80


@dataclass(frozen=True)
class SearchHit:
    fact: Fact
    score: float
    matched: str  # the field that contributed most
    tokens_matched: int


class _Field:
    """One folded field of every fact: a single string, a line per fact."""

    def __init__(self, joined: str) -> None:
        self.joined = joined
        lengths = [len(line) + 1 for line in joined.split("\n")]
        self.starts = [0, *itertools.accumulate(lengths)]

    def fact_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def length(self, index: int) -> int:
        return self.starts[index + 1] - self.starts[index] - 1

    def line(self, index: int) -> str:
        return self.joined[self.starts[index] : self.starts[index + 1] - 1]


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
    fields = {name: fold_lines(values) for name, values in sources.items()}
    vocabulary = sorted({word for text in fields.values() for word in re.findall(_WORD, text)})
    return {"format": CORPUS_FORMAT, "fields": fields, "vocabulary": vocabulary}


def _corpus(registry: Registry) -> dict[str, object]:
    """The folded corpus, from the cache when the packs are unchanged."""
    cached = cache.read("search", registry.digest)
    if cached is not None:
        try:
            corpus = marshal.loads(cached)
            if isinstance(corpus, dict) and corpus.get("format") == CORPUS_FORMAT:
                return corpus
        except (ValueError, EOFError, TypeError):
            pass  # a damaged entry is rebuilt below
    corpus = _build_corpus(registry)
    cache.write("search", registry.digest, marshal.dumps(corpus))
    return corpus


def _best(by_field: dict[str, float]) -> tuple[float, str]:
    """A token's value for one fact: its best field, plus a little for each other field."""
    name = max(by_field, key=by_field.__getitem__)
    others = sum(by_field.values()) - by_field[name]
    return by_field[name] + 0.1 * others, name


class SearchIndex:
    def __init__(self, registry: Registry) -> None:
        self.facts = registry.facts
        corpus = _corpus(registry)
        fields = corpus["fields"]
        assert isinstance(fields, dict)
        self.fields = {name: _Field(text) for name, text in fields.items()}
        vocabulary = corpus["vocabulary"]
        assert isinstance(vocabulary, list)
        self.vocabulary: list[str] = vocabulary
        self.topics = {
            t.id: fold(" ".join((t.id, t.name, t.name_zh, *t.aliases)))
            for t in registry.topics.values()
        }
        self.by_topic: dict[str, list[int]] = defaultdict(list)
        for i, fact in enumerate(self.facts):
            self.by_topic[fact.topic].append(i)

    # -- one token --------------------------------------------------------------
    def _latin_words(self, token: str) -> list[tuple[str, float]]:
        """Words a latin token stands for: itself (or words it begins), and near misspellings."""
        words = [(token, 1.0)]
        if len(token) >= 4:
            from rapidfuzz import fuzz, process

            near = process.extract(
                token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
            )
            words += [(w, 0.9 * score / 100) for w, score, _ in near if not w.startswith(token)]
        return words

    @staticmethod
    def _word_hits(word: str, text: str, prefixes: bool) -> Iterator[tuple[int, float]]:
        """Where ``word`` stands as a whole word (1.0) or begins one (0.9) in ``text``.

        A plain literal search (fast, in C); word edges are checked only at hits.
        """
        for match in re.finditer(re.escape(word), text):
            start, end = match.span()
            if start and text[start - 1] in _WORD_CHARACTERS:
                continue
            if end < len(text) and text[end] in _WORD_CHARACTERS:
                if prefixes:
                    yield start, 0.9
                continue
            yield start, 1.0

    def _matches(self, token: str, allowed: set[int] | None) -> dict[int, dict[str, float]]:
        """For each fact the token matches: the value of the match in each field."""
        found: dict[int, dict[str, float]] = defaultdict(dict)

        def add(index: int, name: str, value: float) -> None:
            if (allowed is None or index in allowed) and value > found[index].get(name, 0.0):
                found[index][name] = value

        if _is_cjk(token):
            for name, field in self.fields.items():
                for match in re.finditer(re.escape(token), field.joined):
                    index = field.fact_at(match.start())
                    # A run that fills most of the field is nearly an exact match.
                    add(
                        index,
                        name,
                        WEIGHTS[name] * (0.8 + 0.2 * len(token) / max(field.length(index), 1)),
                    )
            topic_value = {
                t: WEIGHTS["topic"] * 0.8 for t, text in self.topics.items() if token in text
            }
            if not found and not topic_value:
                self._partial_phrase(token, add)
        else:
            words = self._latin_words(token)
            for name, field in self.fields.items():
                for word, quality in words:
                    for start, edge in self._word_hits(
                        word, field.joined, word == token and len(token) >= 3
                    ):
                        add(field.fact_at(start), name, WEIGHTS[name] * quality * edge)
            topic_value = {}
            for topic, text in self.topics.items():
                values = [
                    quality * edge
                    for word, quality in words
                    for _, edge in self._word_hits(word, text, word == token and len(token) >= 3)
                ]
                if values:
                    topic_value[topic] = WEIGHTS["topic"] * max(values)
        for topic, value in topic_value.items():
            for index in self.by_topic.get(topic, []):
                add(index, "topic", value)
        return {i: by_field for i, by_field in found.items() if by_field}

    def _partial_phrase(self, run: str, add: Callable[[int, str, float], None]) -> None:
        """Chinese that is not in any fact as typed (a word changed, one missing): facts
        holding at least half of its character pairs, valued by the share they hold."""
        pairs = {run[k : k + 2] for k in range(len(run) - 1)}
        if len(pairs) < 2:
            return
        for name in FUZZY_FIELDS:
            field = self.fields[name]
            held: dict[int, set[str]] = defaultdict(set)
            for pair in pairs:
                for match in re.finditer(re.escape(pair), field.joined):
                    held[field.fact_at(match.start())].add(pair)
            for index, found in held.items():
                share = len(found) / len(pairs)
                if share >= 0.5:
                    add(index, name, WEIGHTS[name] * 0.7 * share)

    # -- a whole query -----------------------------------------------------------
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
        allowed = None if topic is None else set(self.by_topic.get(topic, []))

        scores: dict[int, float] = defaultdict(float)
        counts: dict[int, int] = defaultdict(int)
        fields: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for token in dict.fromkeys(meaningful):
            for i, by_field in self._matches(token, allowed).items():
                value, name = _best(by_field)
                scores[i] += value
                counts[i] += 1
                fields[i][name] += value

        whole = " ".join(words)
        for i in scores:
            if self.facts[i].id == whole:
                scores[i] += EXACT_ID_BONUS
                fields[i]["id"] += EXACT_ID_BONUS
            elif any(
                self.fields[name].length(i) == len(folded) and self.fields[name].line(i) == folded
                for name in ("label", "label_zh")
            ):
                scores[i] += EXACT_LABEL_BONUS
        # Matching more of the query comes first; then field quality; figures before
        # statements; then source order, so ties always break the same way.
        ranked = sorted(
            scores,
            key=lambda i: (-counts[i], -round(scores[i], 6), self.facts[i].kind != "figure", i),
        )
        if limit is not None:
            ranked = ranked[:limit]
        return [
            SearchHit(
                self.facts[i],
                round(scores[i], 3),
                max(fields[i], key=fields[i].__getitem__),
                counts[i],
            )
            for i in ranked
        ]


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
    index = _INDEXES.get(registry)
    if index is None:
        index = _INDEXES[registry] = SearchIndex(registry)
    if time is None or not time.periods:
        return index.search(query, topic=topic, limit=limit)
    hits = [h for h in index.search(query, topic=topic, limit=None) if time.matches(h.fact)]
    return hits if limit is None else hits[:limit]
