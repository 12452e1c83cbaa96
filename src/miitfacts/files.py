"""Read regular files only, never more than a limit: nothing a path names can hang us.

A FIFO, a socket or a device named as a pack, a source text or a cache entry
would block or never end (``mkfifo f.json``; ``/dev/zero``). Files are opened
without blocking, checked with ``fstat`` on the open descriptor (so a swap
between a check and the open cannot fool it), and read up to a limit that is
enforced while reading, not taken from ``st_size`` (``/proc`` files say 0).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_CHUNK = 1 << 20


class NotRegularFile(OSError):
    """The path names something other than a regular file."""


class TooLarge(OSError):
    """The file holds more than the limit allows."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(errno.EFBIG, f"file is larger than the limit of {describe_size(limit)}")


def describe_size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.0f} MiB"
    return f"{size} bytes"


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "something else")


def read_regular(path: Path | str | bytes, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises :class:`NotRegularFile`, :class:`TooLarge` (before reading when the
    size is known, else as soon as the limit is passed) or another ``OSError``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket (or a FIFO's other end) cannot be opened
            raise NotRegularFile(errno.ENXIO, "a socket, not a regular file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, f"{kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        # A regular file usually comes in one read of its size (one copy, no join);
        # what else it holds (it grew, or /proc says 0) is read on in chunks.
        size = min(max(info.st_size + 1, _CHUNK), limit + 1)
        while True:
            chunk = os.read(fd, min(size, limit + 1 - total))
            size = _CHUNK
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(total, limit)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)
