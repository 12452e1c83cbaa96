"""A derived cache: data computed from the packs, stored under a digest of their content.

An entry's name includes the digest of every loaded pack and source text, the
miitfacts version and the Python version, so a changed pack simply misses and
is rebuilt: the cache can never serve stale data. ``MIITFACTS_CACHE=off``
disables it; ``MIITFACTS_CACHE=DIR`` puts it elsewhere. Any failure to read or
write it is ignored: the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

CACHE_ENV = "MIITFACTS_CACHE"
MAX_ENTRIES = 8  # per kind; the oldest go first


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


def _path(kind: str, key: str) -> Path | None:
    from miitfacts import __version__

    folder = cache_dir()
    if folder is None:
        return None
    python = f"py{sys.version_info.major}{sys.version_info.minor}"
    return folder / f"{kind}-{__version__}-{python}-{key[:32]}.bin"


def read(kind: str, key: str) -> bytes | None:
    path = _path(kind, key)
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(kind: str, key: str, data: bytes) -> None:
    path = _path(kind, key)
    if path is None:
        return
    import tempfile  # only a cache miss writes

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half an entry.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(path)
        entries = sorted(path.parent.glob(f"{kind}-*.bin"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink()
