"""A derived cache: data computed from the packs, stored under a digest of their content.

An entry's name includes the digest of every loaded pack and source text, the
miitfacts version and the Python version, so a changed pack simply misses and
is rebuilt: the cache can never serve stale data. ``MIITFACTS_CACHE=off``
disables it; ``MIITFACTS_CACHE=DIR`` puts it elsewhere. Any failure to read or
write it is ignored: the cache only ever saves time.

The cache cannot lie either:

- Every entry is self-checking: it holds a SHA-256 of its kind, its full key and
  its payload, and :func:`read` returns the payload only when that check holds.
  A flipped bit, a truncated or swapped entry, or one copied under another name
  is a miss, and the caller rebuilds it. :func:`load` also decodes the payload
  and lets the caller check its shape; anything that fails is a miss.
- A folder that is not the user's own, or that others can write to, is not
  used at all (as ``ssh`` treats its keys); that is said once on stderr.
- Entries are read as regular files only, without following links and up to a
  size limit, so nothing placed in the folder can hang or exhaust a run.
- Writing goes through a temporary file in the same folder that is removed on
  any failure; pruning removes only files this module names and writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from miitfacts.files import read_regular

CACHE_ENV = "MIITFACTS_CACHE"
MAX_ENTRIES = 8  # per kind; the oldest go first
MAX_ENTRY_BYTES = 2**30  # a 100,000-fact load entry is about 60 MiB
STALE_TEMPORARY_SECONDS = 3600  # a .tmp- file this old was left by a killed run
_MAGIC = b"miitfacts-cache\x01"  # the entry format; a new layout changes the last byte
_CHECK_BYTES = 32
_HEADER = len(_MAGIC) + _CHECK_BYTES
_KIND = re.compile(r"^[a-z][a-z0-9]*$")

# Folders already refused in this process: the warning is given once.
_refused: set[str] = set()


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() in ("off", "0", "false", "no"):
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder: run without a cache
            return None
    return Path(base) / "miitfacts"


def entry_name(kind: str, key: str) -> str:
    """The file name of an entry; :func:`is_entry_name` recognises exactly these."""
    from miitfacts import __version__

    if not _KIND.match(kind):
        raise ValueError(f"cache kind must be lower-case letters and digits: {kind!r}")
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    name = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"{kind}-{_safe_version(__version__)}-{python}-{name}.bin"


def _safe_version(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9.+]", "_", version)


def _entry_pattern(kind: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(kind)}-[A-Za-z0-9.+_]+-py\d+-[0-9a-f]{{32}}\.bin$")


def _temporary_pattern(kind: str) -> re.Pattern[str]:
    # tempfile.mkstemp's names: prefix, eight letters, digits or '_', suffix.
    return re.compile(rf"^\.tmp-{re.escape(kind)}-[a-z0-9_]{{8}}\.bin$")


def is_entry_name(kind: str, name: str) -> bool:
    return bool(_entry_pattern(kind).match(name))


def _check(kind: str, key: str, payload: bytes | memoryview) -> bytes:
    hasher = hashlib.sha256()
    for part in (kind.encode(), key.encode("utf-8", "surrogateescape")):
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    hasher.update(payload)
    return hasher.digest()


def _warn_once(folder: Path, why: str) -> None:
    name = os.fsdecode(folder)
    if name in _refused:
        return
    _refused.add(name)
    from miitfacts.text import printable

    with contextlib.suppress(OSError, ValueError):  # stderr itself may be gone
        warning = f"not using the cache folder {name}: {why}; running without the cache"
        sys.stderr.write(f"miitfacts: warning: {printable(warning)}\n")
        sys.stderr.flush()


def _refusal(folder: Path, info: os.stat_result) -> str | None:
    """Why a folder must not be trusted with the cache, or None when it may."""
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: folder permissions are ACLs, not modes
        return None
    if info.st_uid != getuid():
        return "it is owned by another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        quoted = os.fsdecode(folder)
        return f"others can write to it (fix with: chmod go-w '{quoted}')"
    return None


def _folder(*, create: bool) -> Path | None:
    """The cache folder when it exists (or was made) and is safe to use."""
    folder = cache_dir()
    if folder is None or os.fsdecode(folder) in _refused:
        return None
    try:
        info = folder.stat()
    except FileNotFoundError:
        if not create:
            return None
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.stat()
        except OSError:
            return None
    except (OSError, ValueError):
        return None
    why = _refusal(folder, info)
    if why is not None:
        _warn_once(folder, why)
        return None
    return folder


def read(kind: str, key: str) -> bytes | None:
    """The payload stored under ``key``, or None: no entry, or one that fails its check."""
    view = read_view(kind, key)
    return None if view is None else view.tobytes()


def read_view(kind: str, key: str) -> memoryview | None:
    """Like :func:`read`, without copying the payload out of the entry."""
    folder = _folder(create=False)
    if folder is None:
        return None
    try:
        raw = read_regular(
            folder / entry_name(kind, key), MAX_ENTRY_BYTES + _HEADER, follow_symlinks=False
        )
    except (OSError, ValueError):
        return None
    if len(raw) < _HEADER or not raw.startswith(_MAGIC):
        return None
    payload = memoryview(raw)[_HEADER:]
    check = raw[len(_MAGIC) : _HEADER]
    if check != _check(kind, key, payload):
        return None
    return payload


def write(kind: str, key: str, data: bytes) -> None:
    """Store ``data`` under ``key``, with its check; any failure leaves nothing behind."""
    folder = _folder(create=True)
    if folder is None:
        return
    import tempfile  # only a cache miss writes

    path = folder / entry_name(kind, key)
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".tmp-{kind}-", suffix=".bin")
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC)
            out.write(_check(kind, key, data))
            out.write(data)
        # Write then rename, so a reader never sees half an entry.
        Path(temporary).replace(path)
        temporary = None
        _prune(folder, kind)
    except OSError:
        pass
    finally:
        if temporary is not None:  # a full disk, or an interrupt: leave no .tmp- file
            with contextlib.suppress(OSError):
                Path(temporary).unlink()


def _prune(folder: Path, kind: str) -> None:
    """Keep the newest entries of ``kind``; delete nothing this module did not name."""
    entries: list[tuple[float, str]] = []
    now = time.time()
    pattern, temporary = _entry_pattern(kind), _temporary_pattern(kind)
    with os.scandir(folder) as listing:
        for item in listing:
            try:
                if not item.is_file(follow_symlinks=False):
                    continue
                if pattern.match(item.name):
                    entries.append((item.stat(follow_symlinks=False).st_mtime, item.name))
                elif temporary.match(item.name):
                    age = now - item.stat(follow_symlinks=False).st_mtime
                    if age > STALE_TEMPORARY_SECONDS:
                        Path(item.path).unlink()
            except OSError:
                continue
    entries.sort()
    for _, name in entries[:-MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def load(kind: str, key: str, check: Callable[[Any], bool]) -> Any:
    """A marshalled value stored under ``key`` that passes ``check``, or None (a miss).

    ``check`` sees the decoded value and says whether it has the shape the
    caller needs; a value that fails it, or makes it raise, is a miss.
    """
    payload = read(kind, key)
    if payload is None:
        return None
    try:
        value = marshal.loads(payload)
        return value if check(value) else None
    except (ValueError, EOFError, TypeError, KeyError, IndexError, AttributeError):
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Store a marshallable value under ``key`` (read back with :func:`load`)."""
    try:
        data = marshal.dumps(value)
    except ValueError:
        return
    write(kind, key, data)


# -- the shape of decoded dataclasses -------------------------------------------


def conforms(obj: Any) -> bool:
    """Whether a dataclass instance holds values of its declared types, recursively.

    Cheap by design (no patterns, no pydantic): exact types, ``Literal`` members,
    ``X | None``, ``tuple[X, ...]`` and nested dataclasses. Enough to refuse an
    entry that decodes but was never written by this version (an int id, a
    string value, an unknown qualifier). Each class's test is compiled once into
    one Python function (about 1 µs per fact).
    """
    try:
        test = _class_test(type(obj))
    except (TypeError, NameError, KeyError):
        return False
    return test(obj)


_class_tests: dict[type, Callable[[Any], bool]] = {}


_compiling: set[type] = set()


def _class_test(cls: type) -> Callable[[Any], bool]:
    test = _class_tests.get(cls)
    if test is None:
        _compiling.add(cls)
        try:
            test = _class_tests[cls] = _compile(cls)
        finally:
            _compiling.discard(cls)
    return test


def _nested_test(cls: type) -> Callable[[Any], bool]:
    """A nested class's test: compiled now, or on first use when the classes form a cycle."""
    return _LazyTest(cls) if cls in _compiling else _class_test(cls)


def _compile(cls: type) -> Callable[[Any], bool]:
    import dataclasses
    import typing

    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {"_MISSING": _MISSING}
    tests = [
        f"({_expression(hints[item.name], f'o.{item.name}', names, f'_{number}')})"
        for number, item in enumerate(dataclasses.fields(cls))
    ]
    source = (
        "def test(o):\n    try:\n        return bool("
        + "\n            and ".join(tests or ["True"])
        + ")\n    except AttributeError:\n        return False\n"
    )
    exec(compile(source, f"<shape test of {cls.__name__}>", "exec"), names)
    compiled: Callable[[Any], bool] = names["test"]
    return compiled


def _expression(hint: Any, v: str, names: dict[str, Any], tag: str) -> str:
    """A Python expression that is true when the value named ``v`` fits ``hint``."""
    import dataclasses
    import datetime
    import types
    import typing

    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        names[f"L{tag}"] = frozenset((type(a), a) for a in args)
        return f"(type({v}), {v}) in L{tag}"
    if origin in (typing.Union, types.UnionType):
        plain = [a for a in args if isinstance(a, type) and not dataclasses.is_dataclass(a)]
        if len(plain) == len(args):
            names[f"T{tag}"] = frozenset(plain)
            return f"type({v}) in T{tag}"
        if all(isinstance(a, type) and dataclasses.is_dataclass(a) for a in args):
            names[f"D{tag}"] = {a: _nested_test(a) for a in args}
            names["_refuse"] = _refuse
            return f"D{tag}.get(type({v}), _refuse)({v})"
        parts = [_expression(a, v, names, f"{tag}_{i}") for i, a in enumerate(args)]
        return " or ".join(f"({p})" for p in parts)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            names[f"E{tag}"] = _item_test(args[0], names, tag)
            return f"type({v}) is tuple and all(map(E{tag}, {v}))"
        tests = [_item_test(a, names, f"{tag}_{i}") for i, a in enumerate(args)]
        names[f"E{tag}"] = tests
        return (
            f"type({v}) is tuple and len({v}) == {len(tests)} and "
            f"all(t(x) for t, x in zip(E{tag}, {v}))"
        )
    if origin is list:
        names[f"E{tag}"] = _item_test(args[0], names, tag) if args else (lambda x: True)
        return f"type({v}) is list and all(map(E{tag}, {v}))"
    if hint is type(None):
        return f"{v} is None"
    if hint is typing.Any:
        return f"{v} is not _MISSING"
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        names[f"K{tag}"], names[f"C{tag}"] = hint, _nested_test(hint)
        return f"type({v}) is K{tag} and C{tag}({v})"
    if isinstance(hint, type) or hint is datetime.date:
        names[f"T{tag}"] = hint
        return f"type({v}) is T{tag}"
    raise TypeError(f"no shape test for {hint!r}")


def _item_test(hint: Any, names: dict[str, Any], tag: str) -> Callable[[Any], bool]:
    local: dict[str, Any] = {"_MISSING": _MISSING, "_refuse": _refuse}
    expression = _expression(hint, "x", local, tag)
    exec(f"def item(x):\n    return {expression}\n", local)
    item: Callable[[Any], bool] = local["item"]
    return item


class _LazyTest:
    """A nested dataclass's test, compiled on first use (classes may refer to each other)."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __call__(self, value: Any) -> bool:
        return _class_test(self.cls)(value)


_MISSING = object()


def _refuse(value: Any) -> bool:
    return False
