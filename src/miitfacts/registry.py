"""Load fact packs, check them against each other and their sources, and index them.

Packs come from the bundled ``facts/`` folder, then ``MIITFACTS_DATA`` (paths
separated by ``os.pathsep``), then ``--data`` paths. Every problem is reported as
a :class:`~miitfacts.errors.Problem` naming the file and the place in it.

A set of packs that passed every check is remembered in the derived cache under
the digest of its files, so the next load rebuilds it without pydantic.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import marshal
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from miitfacts import cache
from miitfacts.errors import NotFoundError, PackError, Problem
from miitfacts.files import TooLarge, describe_size, read_regular
from miitfacts.models import (
    PACK_FIELDS,
    Fact,
    Figure,
    Pack,
    PeriodSpan,
    Source,
    Speaker,
    Statement,
    Topic,
    source_data,
    source_from_data,
    with_changes,
)
from miitfacts.text import fold, has_cjk, normalize

DATA_ENV = "MIITFACTS_DATA"
# Large enough for a million-fact pack, small enough to refuse a stray disk image.
MAX_PACK_BYTES = 256 * 1024 * 1024
LOAD_CACHE_FORMAT = 3
INDEX_CACHE_FORMAT = 2
# Packs with fewer observations than this load whole quickly enough: no index.
INDEX_MIN_FACTS = 20_000


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
        limit, size = describe_size(MAX_PACK_BYTES), describe_size(exc.size)
        more = "" if exc.size > exc.limit + 1 else "more than "
        return None, [Problem(name, "", f"pack is {more}{size}; the limit is {limit}")]
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
            why = f"larger than the limit of {describe_size(MAX_PACK_BYTES)}"
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
    if pack.text_file is None:  # a cited pack: no text of its own
        return LoadedPack(path, pack, "", _digest(data, b"")), []
    text_bytes, text, problems = _read_text(name, path.parent / pack.text_file)
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


def reading(fact: Fact) -> tuple[object, ...]:
    """What an observation says: two sources saying the same corroborate each other."""
    if isinstance(fact, Figure):
        return (fact.kind, fact.value, fact.unit, fact.qualifier, fact.basis)
    return (fact.kind, fact.basis)


def _text_problems(loaded: LoadedPack) -> list[Problem]:
    """Quotes and speakers of a quoted source must be in its bundled text."""
    name, pack = str(loaded.path), loaded.pack
    problems: list[Problem] = []
    quoted = {s.id for s in pack.all_sources if s.quoted}
    if not quoted:
        return problems
    quotes = _QuoteChecker(loaded.text)
    for i, fact in enumerate(pack.facts):
        if fact.source not in quoted:
            continue
        if fact.quote is not None and fact.quote not in quotes:
            text_file = next(s.text_file for s in pack.all_sources if s.id == fact.source)
            problems.append(Problem(name, f"facts[{i}].quote", f"quote is not in {text_file}"))
        if fact.speaker is not None and fact.speaker not in loaded.text:
            where, who = f"facts[{i}].speaker", fact.speaker
            problems.append(Problem(name, where, f"speaker {who!r} is not in the source text"))
    return problems


@dataclass
class _Accumulator:
    """What the packs accepted so far define, for checks across packs.

    Checked pack by pack in load order, so that ``--skip-invalid`` can leave out
    one pack; topics and baselines may be defined by any pack, so they are
    checked once all are in (:meth:`references`).
    """

    sources: dict[str, Source] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    topic_keys: dict[str, str] = field(default_factory=dict)  # folded name -> topic id
    # indicator id -> (kind, unit, where it was first defined)
    indicators: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)
    # (id, period key, vintage) -> (source, reading, where)
    observations: dict[tuple[str, object, str], tuple[str, tuple[object, ...], str]] = field(
        default_factory=dict
    )

    def check(self, loaded: LoadedPack) -> list[Problem]:
        name, pack = str(loaded.path), loaded.pack
        problems = _text_problems(loaded)
        sources = dict(self.sources)
        for i, source in enumerate(pack.all_sources):
            where = "source.id" if pack.source is not None else f"sources[{i}].id"
            if source.id in sources:
                problems.append(Problem(name, where, f"source {source.id!r} is already loaded"))
            sources[source.id] = source
        topics, topic_keys = dict(self.topics), dict(self.topic_keys)
        for i, topic in enumerate(pack.topics):
            where = f"topics[{i}]"
            known = topics.get(topic.id)
            if known is not None and known != topic:
                problems.append(
                    Problem(
                        name, f"{where}.id", f"topic {topic.id!r} is already defined differently"
                    )
                )
                continue
            for key in {fold(k) for k in (topic.id, topic.name, topic.name_zh, *topic.aliases)}:
                owner = topic_keys.setdefault(key, topic.id)
                if owner != topic.id:
                    problems.append(Problem(name, where, f"{key!r} already names topic {owner!r}"))
            topics[topic.id] = topic
        indicators, observations = dict(self.indicators), dict(self.observations)
        for i, fact in enumerate(pack.facts):
            where = f"facts[{i}]"
            place = f"{name}:{where}"
            unit = fact.unit if isinstance(fact, Figure) else None
            first = indicators.setdefault(fact.id, (fact.kind, unit, place))
            if first[:2] != (fact.kind, unit):
                what = "kind" if first[0] != fact.kind else "unit"
                mine, theirs = (fact.kind, first[0]) if what == "kind" else (unit, first[1])
                problems.append(
                    Problem(
                        name,
                        f"{where}.{what}",
                        f"{fact.id} is {mine!r} here but {theirs!r} at {first[2]}",
                    )
                )
            observed = (fact.id, fact.span.key(), fact.published)
            seen = observations.setdefault(observed, (fact.source, reading(fact), place))
            if seen[2] == place:
                continue
            if seen[0] == fact.source:
                problems.append(
                    Problem(name, where, f"{fact.ref} is stated twice by {fact.source} ({seen[2]})")
                )
            elif seen[1] != reading(fact):
                problems.append(
                    Problem(
                        name,
                        where,
                        f"{fact.ref} published {fact.published} disagrees with {seen[2]} "
                        "of the same date",
                    )
                )
        if not problems:
            self.sources, self.topics, self.topic_keys = sources, topics, topic_keys
            self.indicators, self.observations = indicators, observations
        return problems

    def references(self, loaded: LoadedPack) -> list[Problem]:
        """Topics and baselines that no accepted pack defines."""
        name, problems = str(loaded.path), []
        # A pack that was itself refused still knows its own topics and facts.
        topics = {*self.topics, *(t.id for t in loaded.pack.topics)}
        indicators = {*self.indicators, *(f.id for f in loaded.pack.facts)}
        for i, fact in enumerate(loaded.pack.facts):
            if fact.topic not in topics:
                problems.append(Problem(name, f"facts[{i}].topic", f"unknown topic {fact.topic!r}"))
            if fact.baseline is not None and fact.baseline not in indicators:
                where = f"facts[{i}].baseline"
                problems.append(Problem(name, where, f"unknown baseline {fact.baseline!r}"))
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
            if type(item) is dict and set(item) == {"unread", "why"}:
                # Left out because its text could not be read: a miss unless it still cannot.
                text_file = item["unread"]
                if type(text_file) is not str or "/" in text_file or "\\" in text_file:
                    return None
                readable, _, problems = _read_text(str(path), path.parent / text_file)
                if readable is not None or [p.message for p in problems] != item["why"]:
                    return None
                continue
            if type(item) is not dict or set(item) != {"digest", "text_file", "pack"}:
                return None
            text_file = item["text_file"]
            text_bytes: bytes | None = b""
            text, problems = "", list[Problem]()
            if text_file is not None:  # None: a cited pack, no text of its own
                if type(text_file) is not str or "/" in text_file or "\\" in text_file:
                    return None
                text_bytes, text, problems = _read_text(str(path), path.parent / text_file)
            digest = _digest(data, text_bytes) if text_bytes is not None else ""
            if problems or digest != item["digest"]:
                return None  # a source text changed: check everything again
            if item["pack"] is None:  # a pack skipped for what its text lacked
                continue
            pack = Pack.from_data(item["pack"])
            if not cache.conforms(pack) or pack.text_file != text_file:
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
    outcomes: Sequence[tuple[LoadedPack | _Unread | None, bool]],
    skipped: Sequence[Problem],
) -> None:
    """Remember a load: for each file, its pack (or why it has none) and if it was kept.

    A pack left out after its text was read is remembered with that text's
    digest (so a changed text is a miss); one whose text could not be read,
    with that text's name and why (so a text that appears is a miss); one left
    out before (bad JSON, bad schema) depends on its own bytes alone, which the
    key covers.
    """
    items: list[dict[str, Any] | None] = []
    for pack, kept in outcomes:
        if pack is None:
            items.append(None)
        elif isinstance(pack, _Unread):
            items.append({"unread": pack.text_file, "why": pack.why})
        else:
            items.append(
                {
                    "digest": pack.digest,
                    "text_file": pack.pack.text_file,
                    "pack": pack.pack.data() if kept else None,
                }
            )
    stored = {
        "format": LOAD_CACHE_FORMAT,
        "packs": items,
        "skipped": [(p.file, p.where, p.message) for p in skipped],
    }
    cache.write("packs", key, marshal.dumps(stored))


@dataclass(frozen=True)
class _Unread:
    """A pack left out because its source text could not be read."""

    text_file: str
    why: list[str]


def _unread_text(path: Path, data: bytes, problems: Sequence[Problem]) -> _Unread | None:
    """The text a pack failed on, if its problems are exactly that text's read failure.

    Read from the JSON itself (the pack passed the schema before its text was
    read); None when that cannot be told for sure, and the load is not cached.
    """
    import json

    try:
        document = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
        sources = [document["source"]] if document.get("source") else document["sources"]
        text_file = next(s["text_file"] for s in sources if s.get("text_file") is not None)
    except (ValueError, TypeError, KeyError, AttributeError, StopIteration):
        return None
    if type(text_file) is not str or "/" in text_file or "\\" in text_file:
        return None
    text_bytes, _, again = _read_text(str(path), path.parent / text_file)
    if text_bytes is not None or again != list(problems):
        return None
    return _Unread(text_file, [p.message for p in again])


def _cross_check(
    candidates: Sequence[LoadedPack], skip_invalid: bool
) -> tuple[list[LoadedPack], list[Problem]]:
    """The packs that agree with each other, and the problems of the others.

    Without ``skip_invalid`` every problem is reported. With it, a pack with a
    problem is left out and the rest are checked again, since a pack left out
    may have defined a topic or a baseline that another one uses.
    """
    remaining = list(candidates)
    problems: list[Problem] = []
    while True:
        accumulator = _Accumulator()
        accepted: list[LoadedPack] = []
        for pack in remaining:
            found = accumulator.check(pack)
            if found:
                problems.extend(found)
            else:
                accepted.append(pack)
        unresolved = {id(p): accumulator.references(p) for p in accepted}
        for found in unresolved.values():
            problems.extend(found)
        if not skip_invalid:
            for pack in remaining:
                if id(pack) not in unresolved:
                    problems.extend(accumulator.references(pack))
        if not skip_invalid or not any(unresolved.values()):
            return accepted, problems
        remaining = [p for p in accepted if not unresolved[id(p)]]


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
    return _load_read(
        *_read_all(paths), skip_invalid=skip_invalid, warnings=warnings, use_cache=use_cache
    )


def _read_all(paths: Sequence[Path]) -> tuple[list[Path], list[bytes], list[Problem]]:
    """The pack files that could be read, their bytes, and the problems of the rest."""
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
    return readable, contents, problems


def _load_read(
    readable: list[Path],
    contents: list[bytes],
    problems: list[Problem],
    *,
    skip_invalid: bool,
    warnings: list[Problem] | None,
    use_cache: bool,
    key: str | None = None,
) -> list[LoadedPack]:
    """:func:`load_packs` of files already read (``key``: their cache key, if known)."""
    if key is None and use_cache:  # hashing every pack is for the cache alone
        key = _cache_key(readable, contents)
    if key is not None and (skip_invalid or not problems):
        cached = _from_cache(key, readable, contents)
        if cached is not None and (skip_invalid or (cached.complete and not cached.skipped)):
            if warnings is not None:
                warnings.extend([*problems, *cached.skipped])
            return cached.loaded
    candidates: list[LoadedPack] = []
    skipped: list[Problem] = []
    outcomes: list[LoadedPack | _Unread | None] = []  # each file's pack, or why it has none
    cacheable = True
    for path, data in zip(readable, contents, strict=True):
        pack, pack_problems = read_pack(path, data)
        if pack is not None:
            candidates.append(pack)
        elif skip_invalid:
            skipped.extend(pack_problems)
        else:
            problems.extend(pack_problems)
        if pack is None and any(p.where == "source.text_file" for p in pack_problems):
            unread = _unread_text(path, data, pack_problems)
            cacheable = cacheable and unread is not None
            outcomes.append(unread)
        else:
            outcomes.append(pack)
    loaded, cross_problems = _cross_check(candidates, skip_invalid)
    if skip_invalid:
        skipped.extend(cross_problems)
    else:
        problems.extend(cross_problems)
    if problems and not skip_invalid:
        raise PackError(problems)
    if warnings is not None:
        warnings.extend([*problems, *skipped])
    if key is not None and cacheable:
        kept = {id(p) for p in loaded}
        _to_cache(key, [(p, id(p) in kept) for p in outcomes], skipped)
    return loaded


def load_registry(
    paths: Sequence[Path],
    *,
    skip_invalid: bool = False,
    warnings: list[Problem] | None = None,
    use_cache: bool = True,
) -> Registry:
    """The registry of the packs at ``paths`` (see :func:`load_packs`).

    A large load (``INDEX_MIN_FACTS`` observations or more) in which every pack
    passed is remembered in the derived cache as an index too: sources, topics
    and each indicator's chains of vintages, encoded one by one, so that a later
    run that looks up one indicator decodes only it (the packs themselves are
    read back only when asked for). The index checks itself as every cache entry
    does, each decoded observation is checked for shape (one that fails makes the
    registry build everything again from the packs), it is keyed like the load, by
    every pack file's name and content, and every source text is read and compared
    again before it is used.
    """
    readable, contents, problems = _read_all(paths)
    key = _cache_key(readable, contents) if use_cache and not problems else None
    if key is not None:
        indexed = _from_index(key, readable, contents)
        if indexed is not None:
            return indexed
    found: list[Problem] = []
    with _bulk():
        packs = _load_read(
            readable,
            contents,
            problems,
            skip_invalid=skip_invalid,
            warnings=found,
            use_cache=use_cache,
            key=key,
        )
    if warnings is not None:
        warnings.extend(found)
    registry = Registry(packs)
    if key is not None and not found and sum(len(p.pack.facts) for p in packs) >= INDEX_MIN_FACTS:
        _to_index(key, registry)
    return registry


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
    """Many objects made at once and kept: no cyclic garbage collection meanwhile
    (at 100,000 facts its passes cost a third of the time); none of them is a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _IndexMiss(Exception):
    """An index entry that does not decode to what this version writes."""


class _Index:
    """A registry as the cache remembers it: each indicator's vintages, still encoded."""

    def __init__(
        self,
        files: Sequence[Path],
        contents: Sequence[bytes],
        ids: list[str],
        offsets: array[int],
        blob: bytes,
    ) -> None:
        self._files, self._contents = list(files), list(contents)  # as read for the key
        self.order = ids  # indicator ids in registry order
        self._positions = dict(zip(ids, range(len(ids)), strict=True))
        self._offsets = offsets  # indicator i is blob[offsets[i]:offsets[i + 1]]
        self._blob = blob

    def packs(self) -> list[LoadedPack]:
        """The packs the index was built from (the bytes read for its key)."""
        return _load_read(
            self._files,
            self._contents,
            [],
            skip_invalid=False,
            warnings=None,
            use_cache=True,
        )

    def decode(self, fact_id: str) -> tuple[list[Fact], list[int], list[tuple[int, int]]] | None:
        """An indicator's vintages (oldest first), the positions of its series, and
        which vintage superseded which; None for an unknown id; :class:`_IndexMiss`
        when the entry does not hold what this version writes."""
        i = self._positions.get(fact_id)
        if i is None:
            return None
        try:
            start, end = self._offsets[i], self._offsets[i + 1]
            if not 0 <= start < end <= len(self._blob):
                raise _IndexMiss(fact_id)
            rows, series, links = marshal.loads(self._blob[start:end])
            history = [_fact_from_row(row) for row in rows]
            positions = range(len(history))
            if (
                not history
                or any(fact.id != fact_id for fact in history)
                or type(series) is not list
                or not all(type(i) is int and i in positions for i in series)
                or type(links) is not list
                or not all(
                    type(link) is tuple
                    and len(link) == 2
                    and all(type(i) is int and i in positions for i in link)
                    for link in links
                )
            ):
                raise _IndexMiss(fact_id)
            return history, series, links
        except (ValueError, EOFError, TypeError, KeyError, AttributeError, IndexError):
            raise _IndexMiss(fact_id) from None


def _fact_row(fact: Fact) -> tuple[Any, ...]:
    return (fact.kind, fact.published, tuple(getattr(fact, n) for n in PACK_FIELDS[fact.kind]))


def _fact_from_row(row: Any) -> Fact:
    if type(row) is not tuple or len(row) != 3:
        raise _IndexMiss("fact")
    kind, published, values = row
    names = PACK_FIELDS[kind]
    if type(values) is not tuple or len(values) != len(names):
        raise _IndexMiss("fact")
    fields = dict(zip(names, values, strict=True))
    fact: Fact = Figure(**fields) if kind == "figure" else Statement(**fields)
    if fact.kind != kind or type(published) is not str:
        raise _IndexMiss("fact")
    object.__setattr__(fact, "published", published)
    if not cache.conforms(fact):
        raise _IndexMiss(fact.id)
    return fact


def _to_index(key: str, registry: Registry) -> None:
    """Remember a registry built from packs that all passed (see :func:`load_registry`)."""
    ids = registry._ids()
    if any("\n" in fact_id for fact_id in ids):
        return
    blobs: list[bytes] = []
    for fact_id in ids:
        history = registry.history(fact_id)
        position = {id(fact): i for i, fact in enumerate(history)}
        series = [position[id(fact)] for fact in registry.series(fact_id)]
        links = [
            (i, position[id(newer)])
            for i, fact in enumerate(history)
            if (newer := registry.superseded_by(fact)) is not None
        ]
        blobs.append(marshal.dumps(([_fact_row(f) for f in history], series, links)))
    offsets = array("q", itertools.accumulate((len(b) for b in blobs), initial=0))
    stored = {
        "format": INDEX_CACHE_FORMAT,
        "packs": [
            (p.pack.text_file, p.digest, hashlib.sha256(p.text.encode()).hexdigest())
            for p in registry.packs
        ],
        "sources": [source_data(s) for s in registry.sources.values()],
        "topics": [dataclasses.asdict(t) for t in registry.topics.values()],
        # Which pack holds each quoted source's text (as Registry.__init__ finds it).
        "texts": {
            s.id: i for i, p in enumerate(registry.packs) for s in p.pack.all_sources if s.quoted
        },
        "ids": "\n".join(ids),
        "offsets": offsets.tobytes(),
        "blob": b"".join(blobs),
    }
    cache.write("index", key, marshal.dumps(stored))


def _from_index(key: str, files: Sequence[Path], contents: Sequence[bytes]) -> Registry | None:
    """The registry as last built from these packs, if every source text is unchanged."""
    entry = cache.read_view("index", key)
    if entry is None:
        return None
    try:
        stored = marshal.loads(entry)
        if type(stored) is not dict or stored.get("format") != INDEX_CACHE_FORMAT:
            return None
        items = stored["packs"]
        if type(items) is not list or len(items) != len(files):
            return None
        texts: list[str] = []
        digests: list[str] = []
        for path, item in zip(files, items, strict=True):
            text_file, digest, text_digest = item
            text_bytes: bytes | None = b""
            text, problems = "", list[Problem]()
            if text_file is not None:
                if type(text_file) is not str or "/" in text_file or "\\" in text_file:
                    return None
                text_bytes, text, problems = _read_text(str(path), path.parent / text_file)
            # The key covers the pack's bytes, this digest its text's: the pack's
            # digest (of both) is then the one stored.
            if (
                problems
                or text_bytes is None
                or type(digest) is not str
                or hashlib.sha256(text_bytes).hexdigest() != text_digest
            ):
                return None  # a source text changed: build everything again
            texts.append(text)
            digests.append(digest)
        sources = [source_from_data(row) for row in stored["sources"]]
        topics = [Topic(**row) for row in stored["topics"]]
        if not all(cache.conforms(x) for x in (*sources, *topics)):
            return None
        quoted, ids, blob = stored["texts"], stored["ids"], stored["blob"]
        offsets = array("q")
        offsets.frombytes(stored["offsets"])
        if (
            type(quoted) is not dict
            or set(quoted) != {s.id for s in sources if s.quoted}
            or not all(type(i) is int for i in quoted.values())
            or type(ids) is not str
            or type(blob) is not bytes
        ):
            return None
        order = ids.split("\n") if ids else []
        if len(offsets) != len(order) + 1 or len(set(order)) != len(order):
            return None
        return Registry._indexed(
            _Index(files, contents, order, offsets, blob),
            sources={s.id: s for s in sources},
            topics={t.id: t for t in topics},
            texts={source_id: texts[i] for source_id, i in quoted.items()},
            digests=digests,
        )
    except (ValueError, EOFError, TypeError, KeyError, AttributeError, IndexError):
        return None  # a damaged or foreign entry is simply rebuilt


class Registry:
    """Indicators, topics and sources of the loaded packs, with case- and script-insensitive lookup.

    Each (indicator, period) has a chain of vintages: the same reading from
    several sources is one observation (the earliest, corroborated by the
    rest); a different reading published later supersedes it. ``facts`` holds
    the latest vintage of every period, indicators in the order of the newest
    source that states them, periods oldest first. ``as_of`` keeps only what
    had been published by that date (what was known then).
    """

    def __init__(self, packs: Sequence[LoadedPack], *, as_of: dt.date | None = None) -> None:
        self._packs: tuple[LoadedPack, ...] | None = tuple(packs)
        self.as_of = as_of
        # Newest first, as people read a list of reports.
        self.sources: dict[str, Source] = {
            s.id: s
            for s in sorted(
                (s for p in packs for s in p.pack.all_sources), key=lambda s: s.date, reverse=True
            )
            if as_of is None or s.date <= as_of
        }
        # Topics and indicators come in the order of the newest source that names them.
        self._newest_first = sorted(
            range(len(packs)),
            key=lambda i: (-max(s.date for s in packs[i].pack.all_sources).toordinal(), i),
        )
        self.topics: dict[str, Topic] = {}
        for i in self._newest_first:
            for topic in packs[i].pack.topics:
                self.topics.setdefault(topic.id, topic)
        self._texts = {s.id: p.text for p in packs for s in p.pack.all_sources if s.quoted}
        self.digest = hashlib.sha256(" ".join(p.digest for p in packs).encode()).hexdigest()
        # The chains of vintages, built on first use: every indicator at once from
        # the packs, or one at a time from an index the cache kept (_Index).
        self._superseded: dict[int, Fact] = {}
        self._series: dict[str, list[Fact]] = {}
        self._history: dict[str, list[Fact]] = {}
        self._complete = False
        self._index: _Index | None = None

    @classmethod
    def _indexed(
        cls,
        index: _Index,
        *,
        sources: dict[str, Source],
        topics: dict[str, Topic],
        texts: dict[str, str],
        digests: Sequence[str],
    ) -> Registry:
        """A registry read back from the cache's index: packs and chains on first use."""
        self = cls.__new__(cls)
        self._packs = None
        self.as_of = None
        self.sources = sources
        self.topics = topics
        self._texts = texts
        self.digest = hashlib.sha256(" ".join(digests).encode()).hexdigest()
        self._superseded, self._series, self._history = {}, {}, {}
        self._complete = False
        self._index = index
        return self

    def _rebuild(self) -> None:
        """An index entry that failed its check: everything again, from the packs."""
        assert self._index is not None
        packs = self._index.packs()
        for name in ("facts", "vintages", "_topic_keys", "_folded_topic_keys", "_facts_by_topic"):
            self.__dict__.pop(name, None)
        self.__init__(packs)  # type: ignore[misc]
        self._all()

    @property
    def packs(self) -> tuple[LoadedPack, ...]:
        if self._packs is None:
            assert self._index is not None
            self._packs = tuple(self._index.packs())
        return self._packs

    def _build_chains(self) -> None:
        """Every indicator's chains of vintages, from the packs."""
        chains = self._chains()
        for (fact_id, _), chain in chains.items():
            for old, new in itertools.pairwise(chain):
                self._superseded[id(old)] = new
            self._series.setdefault(fact_id, []).append(chain[-1])
            self._history.setdefault(fact_id, []).extend(chain)
        for observations in (*self._series.values(), *self._history.values()):
            observations.sort(key=lambda f: (f.span.key(), f.published))

    def _all(self) -> None:
        if self._complete:
            return
        if self._index is None:
            with _bulk():
                self._build_chains()
        else:
            for fact_id in self._index.order:
                self._indicator(fact_id)
        self._complete = True

    def _ids(self) -> list[str]:
        """Every indicator id, in registry order."""
        if self._index is not None:
            return list(self._index.order)
        self._all()
        return list(self._series)

    def _indicator(self, fact_id: str) -> bool:
        """Whether the indicator is known, its chains built (from the index: it alone)."""
        if fact_id in self._series or self._complete:
            return fact_id in self._series
        if self._index is None:
            self._all()
            return fact_id in self._series
        try:
            decoded = self._index.decode(fact_id)
        except _IndexMiss:
            self._rebuild()
            return fact_id in self._series
        if decoded is None:
            return False
        history, series, links = decoded
        for old, new in links:
            self._superseded[id(history[old])] = history[new]
        self._series[fact_id] = [history[i] for i in series]
        self._history[fact_id] = history
        return True

    def _every(self, history: bool) -> tuple[Fact, ...]:
        while True:
            index = self._index
            with _bulk():
                found = tuple(
                    f
                    for i in self._ids()
                    if self._indicator(i)
                    for f in (self._history if history else self._series)[i]
                )
            if self._index is index:
                return found
            # The index failed a check on the way: the registry started over, again.

    @cached_property
    def facts(self) -> tuple[Fact, ...]:
        """The latest vintage of every period of every indicator."""
        return self._every(history=False)

    @cached_property
    def vintages(self) -> tuple[Fact, ...]:
        """Every vintage of every period of every indicator."""
        return self._every(history=True)

    def _chains(self) -> dict[tuple[str, object], list[Fact]]:
        """Every (id, period) with its vintages, oldest first, corroborations merged."""
        grouped: dict[tuple[str, object], list[tuple[tuple[object, ...], Fact]]] = {}
        for rank, i in enumerate(self._newest_first):
            pack = self.packs[i].pack
            for position, fact in enumerate(pack.facts):
                if fact.source not in self.sources:
                    continue  # published after as_of
                quoted = self.sources[fact.source].quoted
                order = (fact.published, not quoted, rank, position)
                grouped.setdefault((fact.id, fact.span.key()), []).append((order, fact))
        chains: dict[tuple[str, object], list[Fact]] = {}
        for key, entries in grouped.items():
            entries.sort(key=lambda entry: entry[0])
            chain: list[Fact] = []
            for _, fact in entries:
                if chain and reading(chain[-1]) == reading(fact):
                    chain[-1] = self._corroborate(chain[-1], fact)
                else:
                    chain.append(self._known(fact))
            chains[key] = chain
        # Dict order is first appearance in newest-first packs, as promised above.
        first_seen = {key: min(e[0][2:] for e in entries) for key, entries in grouped.items()}
        return dict(sorted(chains.items(), key=lambda item: first_seen[item[0]]))

    def _known(self, fact: Fact) -> Fact:
        """The fact with only the corroborating sources published by ``as_of``."""
        known = tuple(s for s in fact.corroborated_by if s in self.sources)
        return fact if known == fact.corroborated_by else with_changes(fact, corroborated_by=known)

    def _corroborate(self, primary: Fact, other: Fact) -> Fact:
        extra = [s for s in (other.source, *other.corroborated_by) if s in self.sources]
        merged = tuple(dict.fromkeys([*primary.corroborated_by, *extra]))
        merged = tuple(s for s in merged if s != primary.source)
        return with_changes(primary, corroborated_by=merged)

    def at(self, as_of: dt.date | None) -> Registry:
        """What had been published by ``as_of`` (ALFRED's real-time period)."""
        return self if as_of == self.as_of else Registry(self.packs, as_of=as_of)

    @cached_property
    def bundled(self) -> frozenset[str]:
        """The sources that ship with miitfacts (their packs are in the bundled folder)."""
        folder = bundled_data_dir().resolve()
        return frozenset(
            s.id
            for p in self.packs
            if p.path.resolve().parent == folder
            for s in p.pack.all_sources
        )

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
    def series(self, fact_id: str) -> list[Fact]:
        """An indicator's latest vintage of every period, oldest period first."""
        fact_id = normalize(fact_id)
        return self._series[fact_id] if self._indicator(fact_id) else []

    def history(self, fact_id: str) -> list[Fact]:
        """Every vintage of every period of an indicator, oldest first."""
        fact_id = normalize(fact_id)
        return self._history[fact_id] if self._indicator(fact_id) else []

    def superseded_by(self, fact: Fact) -> Fact | None:
        """The later vintage that replaced this observation, if any."""
        self._indicator(fact.id)
        return self._superseded.get(id(fact))

    def get_fact(self, fact_id: str) -> Fact | None:
        """An indicator's latest observation (its latest period), or one ``ID@PERIOD``."""
        if "@" in fact_id:
            return self.get_observation(fact_id)
        series = self.series(fact_id)
        return series[-1] if series else None

    def get_observation(self, ref: str) -> Fact | None:
        fact_id, _, period = normalize(ref).partition("@")
        series = self.series(fact_id)
        exact = next((f for f in series if f.period == period), None)
        if exact is not None or not series:
            return exact
        try:
            key = PeriodSpan.parse(period).key()
        except ValueError:
            return None
        return next((f for f in series if f.span.key() == key), None)

    def get_topic(self, key: str) -> Topic | None:
        norm = normalize(key)
        topic_id = self._topic_keys.get(norm)
        if topic_id is None and has_cjk(norm):
            topic_id = self._folded_topic_keys.get(fold(norm))
        return None if topic_id is None else self.topics[topic_id]

    def lookup(self, key: str) -> Fact | Topic | None:
        """A fact by id or ref, else a topic by id, name or alias, in any case or Chinese script."""
        return self.get_fact(key) or self.get_topic(key)

    def fact(self, fact_id: str) -> Fact:
        found = self.get_fact(fact_id)
        if found is None:
            raise self._not_found("fact", fact_id)
        return found

    def figure(self, fact_id: str) -> Figure:
        """Like :meth:`fact`, for an indicator that is a figure (has a value)."""
        found = self.fact(fact_id)
        if not isinstance(found, Figure):
            raise NotFoundError("figure", fact_id, [], [])
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
        if self._index is not None and "facts" not in self.__dict__:
            # From the index, this topic's indicators alone: an id starts with its topic.
            prefix = f"{topic_id}."
            with _bulk():
                found = [
                    f
                    for i in self._index.order
                    if i.startswith(prefix) and self._indicator(i)
                    for f in self._series[i]
                ]
            if self._index is not None:  # (else a check failed on the way and it started over)
                return [f for f in found if f.topic == topic_id]
        return self._facts_by_topic.get(topic_id, [])

    def source_text(self, source_id: str) -> str:
        return self._texts[source_id]

    def speaker(self, fact: Fact) -> Speaker | None:
        if fact.speaker is None:
            return None
        source = self.sources[fact.source]
        return next((s for s in source.speakers if s.name == fact.speaker), None)

    def record(self, fact: Fact) -> dict[str, object]:
        """The fact as JSON output has it, with the date of the vintage that superseded it."""
        row = fact.record()
        newer = self.superseded_by(fact)
        row["superseded_by"] = None if newer is None else newer.published
        return row

    def completion_keys(self) -> list[str]:
        """Every id and alias a person may type, for shell completion, each once."""
        topics = [t.id for t in self.topics.values()]
        # Words with spaces would split into several shell words.
        aliases = [a for t in self.topics.values() for a in (t.name_zh, *t.aliases) if " " not in a]
        return list(dict.fromkeys([*topics, *self._ids(), *aliases]))

    def _not_found(self, what: str, key: str) -> NotFoundError:
        # What was known then: say so, rather than that it does not exist.
        context = "" if self.as_of is None else f" published by {self.as_of}"
        fact_id = normalize(key).partition("@")[0]
        if "@" in key and self.series(fact_id):
            # A known indicator with no such period: offer the periods it has.
            periods = [f.ref for f in self.series(fact_id)]
            return NotFoundError("observation", key, periods, [], context=context)
        topics = list(self.topics)
        return NotFoundError(what, key, self.suggest(key), topics, context=context)

    def suggest(self, key: str, limit: int = 3) -> list[str]:
        """The nearest topic and fact ids: the best match and any nearly as close."""
        import difflib  # only a miss needs suggestions

        norm = normalize(key)
        if not norm:
            return []
        candidates = {**self._topic_keys, **{i: i for i in self._ids()}}
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
