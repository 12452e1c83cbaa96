"""Load fact packs, check them against each other and their sources, and index them.

Packs come from the bundled ``facts/`` folder, then ``MIITFACTS_DATA`` (paths
separated by ``os.pathsep``), then ``--data`` paths. Every problem is reported as
a :class:`~miitfacts.errors.Problem` naming the file and the place in it.

A set of packs that passed every check is remembered in the derived cache under
the digest of its files, so the next load rebuilds it without pydantic.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from miitfacts import cache
from miitfacts.errors import NotFoundError, PackError, Problem
from miitfacts.files import TooLarge, read_regular
from miitfacts.models import Fact, Pack, Source, Speaker, Topic
from miitfacts.text import fold, has_cjk, normalize

DATA_ENV = "MIITFACTS_DATA"
# Large enough for a million-fact pack, small enough to refuse a stray disk image.
MAX_PACK_BYTES = 256 * 1024 * 1024
LOAD_CACHE_FORMAT = 2


def bundled_data_dir() -> Path:
    installed = Path(__file__).with_name("facts")
    if installed.is_dir():
        return installed
    # Editable installs and source checkouts import from src/, beside facts/.
    return Path(__file__).resolve().parents[2] / "facts"


@dataclass(frozen=True)
class LoadedPack:
    path: Path
    pack: Pack
    text: str
    digest: str  # of the pack file and its source text, for derived caches


def env_data_paths(environ: os._Environ[str] | dict[str, str] | None = None) -> list[Path]:
    value = (os.environ if environ is None else environ).get(DATA_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Pack files named by ``paths``: files as they are, folders by their ``*.json``.

    Whatever a name is (a FIFO, a device, bytes that are not UTF-8) it is listed
    here and judged by :func:`_read_file`, which reads regular files only.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            if path.is_dir():
                found = sorted(p for p in path.iterdir() if p.suffix == ".json" and not p.is_dir())
                if not found:
                    problems.append(Problem(str(path), "", "folder holds no .json pack files"))
                files.extend(found)
            elif path.exists():
                files.append(path)
            elif path.is_symlink():
                problems.append(
                    Problem(str(path), "", "symbolic link to nothing (broken or looping)")
                )
            else:
                problems.append(Problem(str(path), "", "no such file or folder"))
        except OSError as exc:  # symlink loops, permissions
            problems.append(Problem(str(path), "", _os_message(exc)))
    return files, problems


def _os_message(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def _read_file(path: Path) -> tuple[bytes | None, list[Problem]]:
    """A pack file's bytes: a regular file, refused before reading when over the limit."""
    name = str(path)
    try:
        return read_regular(path, MAX_PACK_BYTES), []
    except TooLarge as exc:
        limit = MAX_PACK_BYTES // 2**20
        size = f"{exc.size / 2**20:.0f} MiB" if exc.size >= 2**20 else f"{exc.size} bytes"
        more = "" if exc.size > exc.limit + 1 else "more than "
        return None, [Problem(name, "", f"pack is {more}{size}; the limit is {limit} MiB")]
    except OSError as exc:
        return None, [Problem(name, "", _os_message(exc))]


def _digest(*parts: bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def _read_text(name: str, text_path: Path) -> tuple[bytes | None, str, list[Problem]]:
    """A source text: a regular UTF-8 file within the size limit."""
    try:
        data = read_regular(text_path, MAX_PACK_BYTES)
        return data, data.decode("utf-8"), []
    except (OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, TooLarge):
            why = f"larger than the limit of {MAX_PACK_BYTES // 2**20} MiB"
        elif isinstance(exc, OSError):
            why = _os_message(exc)
        else:
            why = "not UTF-8"
        return None, "", [Problem(name, "source.text_file", f"cannot read {text_path}: {why}")]


def read_pack(path: Path, data: bytes) -> tuple[LoadedPack | None, list[Problem]]:
    """Validate one pack file's bytes and read its source text; problems, not exceptions."""
    from miitfacts.schema import parse_pack  # pydantic: only when a pack must be checked

    name = str(path)
    pack, problems = parse_pack(name, data)
    if pack is None:
        return None, problems
    text_bytes, text, problems = _read_text(name, path.parent / pack.source.text_file)
    if text_bytes is None:
        return None, problems
    return LoadedPack(path, pack, text, _digest(data, text_bytes)), []


class _QuoteChecker:
    """``quote in text`` for many quotes, fast when they come in reading order.

    Facts are usually written in the order of their source, so each search
    starts where the last match was and only falls back to the whole text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0

    def __contains__(self, quote: str) -> bool:
        at = self.text.find(quote, self.cursor)
        if at < 0:
            at = self.text.find(quote)
        if at < 0:
            return False
        self.cursor = at
        return True


@dataclass
class _Accumulator:
    """What the packs loaded so far define, for cross-pack checks."""

    sources: dict[str, Source] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    fact_ids: set[str] = field(default_factory=set)

    def check(self, loaded: LoadedPack) -> list[Problem]:
        name, pack = str(loaded.path), loaded.pack
        problems: list[Problem] = []
        if pack.source.id in self.sources:
            problems.append(
                Problem(name, "source.id", f"source {pack.source.id!r} is already loaded")
            )
        topics = dict(self.topics)
        for i, topic in enumerate(pack.topics):
            known = topics.get(topic.id)
            if known is not None and known != topic:
                where = f"topics[{i}].id"
                problems.append(
                    Problem(name, where, f"topic {topic.id!r} is already defined differently")
                )
            topics[topic.id] = topic
        ids = set(self.fact_ids)
        quotes = _QuoteChecker(loaded.text)
        for i, fact in enumerate(pack.facts):
            if fact.id in ids:
                problems.append(Problem(name, f"facts[{i}].id", f"duplicate fact id {fact.id!r}"))
            ids.add(fact.id)
            if fact.topic not in topics:
                problems.append(Problem(name, f"facts[{i}].topic", f"unknown topic {fact.topic!r}"))
            if fact.quote not in quotes:
                problems.append(
                    Problem(name, f"facts[{i}].quote", f"quote is not in {pack.source.text_file}")
                )
            if fact.speaker is not None and fact.speaker not in loaded.text:
                where, who = f"facts[{i}].speaker", fact.speaker
                problems.append(Problem(name, where, f"speaker {who!r} is not in the source text"))
        for i, fact in enumerate(pack.facts):
            if fact.baseline is not None and fact.baseline not in ids:
                where = f"facts[{i}].baseline"
                problems.append(Problem(name, where, f"unknown baseline {fact.baseline!r}"))
        if not problems:
            self.sources[pack.source.id] = pack.source
            self.topics = topics
            self.fact_ids = ids
        return problems


def _cache_key(files: Sequence[Path], contents: Sequence[bytes]) -> str:
    """The digest of the pack files, by name (as given and resolved) and content.

    Names are the bytes the OS gave (``os.fsencode``): any path, UTF-8 or not.
    """
    parts = [str(LOAD_CACHE_FORMAT).encode()]
    for path, data in zip(files, contents, strict=True):
        parts += [os.fsencode(path), os.fsencode(path.resolve()), data]
    return _digest(*parts)


@dataclass(frozen=True)
class _Cached:
    """A load as the cache remembers it: the packs that passed, the problems of the rest."""

    loaded: list[LoadedPack]
    skipped: list[Problem]
    complete: bool  # every file's pack was kept


def _from_cache(key: str, files: Sequence[Path], contents: Sequence[bytes]) -> _Cached | None:
    """The load as last checked, if every pack file and source text is unchanged.

    The entry checks itself (see :mod:`miitfacts.cache`); its decoded shape is
    checked here, and every source text is read again and compared. Anything
    amiss is a miss: the packs are checked again from their files.
    """
    entry = cache.read("packs", key)
    if entry is None:
        return None
    try:
        stored = marshal.loads(entry)
        if type(stored) is not dict or stored.get("format") != LOAD_CACHE_FORMAT:
            return None
        items, skipped_rows = stored["packs"], stored["skipped"]
        if type(items) is not list or len(items) != len(files) or type(skipped_rows) is not list:
            return None
        loaded: list[LoadedPack] = []
        for path, data, item in zip(files, contents, items, strict=True):
            if item is None:  # this file was left out (--skip-invalid)
                continue
            if type(item) is not dict or set(item) != {"digest", "text_file", "pack"}:
                return None
            text_file = item["text_file"]
            if type(text_file) is not str or "/" in text_file or "\\" in text_file:
                return None
            text_bytes, text, problems = _read_text(str(path), path.parent / text_file)
            digest = _digest(data, text_bytes) if text_bytes is not None else ""
            if problems or digest != item["digest"]:
                return None  # a source text changed: check everything again
            if item["pack"] is None:  # a pack skipped for what its text lacked
                continue
            pack = Pack.from_data(item["pack"])
            if not cache.conforms(pack) or pack.source.text_file != text_file:
                return None
            loaded.append(LoadedPack(path, pack, text, digest))
        if not all(
            type(row) is tuple and len(row) == 3 and all(type(x) is str for x in row)
            for row in skipped_rows
        ):
            return None
        return _Cached(loaded, [Problem(*row) for row in skipped_rows], len(loaded) == len(files))
    except (ValueError, EOFError, TypeError, KeyError, AttributeError, IndexError):
        return None  # a damaged or foreign entry is simply rebuilt


def _to_cache(
    key: str,
    outcomes: Sequence[tuple[LoadedPack | None, bool]],
    skipped: Sequence[Problem],
) -> None:
    """Remember a load: for each file, its pack (or None when left out) and if it was kept.

    A pack left out after its text was read is remembered with that text's
    digest (so a changed text is a miss); one left out before (bad JSON, bad
    schema) depends on its own bytes alone, which the key covers.
    """
    items: list[dict[str, Any] | None] = []
    for pack, kept in outcomes:
        if pack is None:
            items.append(None)
        else:
            items.append(
                {
                    "digest": pack.digest,
                    "text_file": pack.pack.source.text_file,
                    "pack": pack.pack.data() if kept else None,
                }
            )
    stored = {
        "format": LOAD_CACHE_FORMAT,
        "packs": items,
        "skipped": [(p.file, p.where, p.message) for p in skipped],
    }
    cache.write("packs", key, marshal.dumps(stored))


def load_packs(
    paths: Sequence[Path],
    *,
    skip_invalid: bool = False,
    warnings: list[Problem] | None = None,
    use_cache: bool = True,
) -> list[LoadedPack]:
    """Read and cross-check packs in order; raise :class:`PackError` on any problem.

    With ``skip_invalid`` a bad pack is left out and its problems go to ``warnings``.
    ``use_cache=False`` reads and checks every pack, neither reading nor writing
    the derived cache (what ``verify`` needs: it judges the packs themselves).
    """
    files, problems = expand_paths(paths)
    readable: list[Path] = []
    contents: list[bytes] = []
    for path in files:
        data, read_problems = _read_file(path)
        if data is None:
            problems.extend(read_problems)
        else:
            readable.append(path)
            contents.append(data)
    key = _cache_key(readable, contents)
    if use_cache and (skip_invalid or not problems):
        cached = _from_cache(key, readable, contents)
        if cached is not None and (skip_invalid or (cached.complete and not cached.skipped)):
            if warnings is not None:
                warnings.extend([*problems, *cached.skipped])
            return cached.loaded
    accumulator = _Accumulator()
    loaded: list[LoadedPack] = []
    skipped: list[Problem] = []
    outcomes: list[tuple[LoadedPack | None, bool]] = []
    cacheable = True
    for path, data in zip(readable, contents, strict=True):
        pack, pack_problems = read_pack(path, data)
        if pack is not None:
            pack_problems = accumulator.check(pack)
        if pack is not None and not pack_problems:
            loaded.append(pack)
        elif skip_invalid:
            skipped.extend(pack_problems)
        else:
            problems.extend(pack_problems)
        outcomes.append((pack, not pack_problems))
        if pack is None and any(p.where == "source.text_file" for p in pack_problems):
            cacheable = False  # its text could not be read: nothing to key the outcome on
    if problems and not skip_invalid:
        raise PackError(problems)
    if warnings is not None:
        warnings.extend([*problems, *skipped])
    if use_cache and cacheable:
        _to_cache(key, outcomes, skipped)
    return loaded


class Registry:
    """Facts, topics and sources of the loaded packs, with case- and script-insensitive lookup."""

    def __init__(self, packs: Sequence[LoadedPack]) -> None:
        self.packs = tuple(packs)
        self.sources: dict[str, Source] = {p.pack.source.id: p.pack.source for p in packs}
        self.topics: dict[str, Topic] = {}
        for p in packs:
            for topic in p.pack.topics:
                self.topics.setdefault(topic.id, topic)
        self.facts: tuple[Fact, ...] = tuple(f for p in packs for f in p.pack.facts)
        self._facts_by_id = {f.id: f for f in self.facts}
        self._texts = {p.pack.source.id: p.text for p in packs}
        self.digest = hashlib.sha256(" ".join(p.digest for p in packs).encode()).hexdigest()

    # -- indexes, built on first use ----------------------------------------
    @cached_property
    def _topic_keys(self) -> dict[str, str]:
        """normalize(id, name, Chinese name or alias) -> topic id."""
        keys: dict[str, str] = {}
        for topic in self.topics.values():
            for key in (topic.id, topic.name, topic.name_zh, *topic.aliases):
                keys.setdefault(normalize(key), topic.id)
        return keys

    @cached_property
    def _folded_topic_keys(self) -> dict[str, str]:
        return {fold(k): v for k, v in self._topic_keys.items()}

    @cached_property
    def _facts_by_topic(self) -> dict[str, list[Fact]]:
        grouped: dict[str, list[Fact]] = {t: [] for t in self.topics}
        for fact in self.facts:
            grouped.setdefault(fact.topic, []).append(fact)
        return grouped

    # -- lookups --------------------------------------------------------------
    def get_fact(self, fact_id: str) -> Fact | None:
        return self._facts_by_id.get(normalize(fact_id))

    def get_topic(self, key: str) -> Topic | None:
        norm = normalize(key)
        topic_id = self._topic_keys.get(norm)
        if topic_id is None and has_cjk(norm):
            topic_id = self._folded_topic_keys.get(fold(norm))
        return None if topic_id is None else self.topics[topic_id]

    def lookup(self, key: str) -> Fact | Topic | None:
        """A fact by id, else a topic by id, name or alias, in any case or Chinese script."""
        return self.get_fact(key) or self.get_topic(key)

    def fact(self, fact_id: str) -> Fact:
        found = self.get_fact(fact_id)
        if found is None:
            raise self._not_found("fact", fact_id)
        return found

    def topic(self, key: str) -> Topic:
        found = self.get_topic(key)
        if found is None:
            raise self._not_found("topic", key)
        return found

    def resolve(self, key: str) -> Fact | Topic:
        found = self.lookup(key)
        if found is None:
            raise self._not_found("fact or topic", key)
        return found

    def facts_in(self, topic_id: str) -> list[Fact]:
        return self._facts_by_topic.get(topic_id, [])

    def source_text(self, source_id: str) -> str:
        return self._texts[source_id]

    def speaker(self, fact: Fact) -> Speaker | None:
        if fact.speaker is None:
            return None
        source = self.sources[fact.source]
        return next((s for s in source.speakers if s.name == fact.speaker), None)

    def completion_keys(self) -> list[str]:
        """Every id and alias a person may type, for shell completion."""
        topics = [t.id for t in self.topics.values()]
        # Words with spaces would split into several shell words.
        aliases = [a for t in self.topics.values() for a in (t.name_zh, *t.aliases) if " " not in a]
        return [*topics, *(f.id for f in self.facts), *aliases]

    def _not_found(self, what: str, key: str) -> NotFoundError:
        return NotFoundError(what, key, self.suggest(key), list(self.topics))

    def suggest(self, key: str, limit: int = 3) -> list[str]:
        """The nearest topic and fact ids: the best match and any nearly as close."""
        import difflib  # only a miss needs suggestions

        norm = normalize(key)
        if not norm:
            return []
        candidates = {**self._topic_keys, **{i: i for i in self._facts_by_id}}
        matcher = difflib.SequenceMatcher(b=norm, autojunk=False)
        scored: dict[str, float] = {}
        for candidate, target in candidates.items():
            matcher.set_seq1(candidate)
            if norm not in candidate and matcher.quick_ratio() < 0.6:
                continue
            # A typed fragment of an id ("sme.little") counts as a fair match.
            score = max(matcher.ratio(), 0.6 if norm in candidate else 0.0)
            scored[target] = max(scored.get(target, 0.0), score)
        if not scored:
            return []
        best = max(scored.values())
        near = [t for t, score in scored.items() if score >= max(0.6, best - 0.05)]
        return sorted(near, key=lambda t: (-scored[t], t))[:limit]
