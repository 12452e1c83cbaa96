"""The terminal a command writes to, as one object that tests can replace.

Like httpie's ``Environment`` or gh's ``iostreams``: the streams, whether stdout
is a terminal, its width, height and encoding, the colour choice and the pager
are read from the process once (``Environment.from_os``) and handed down; a test
builds its own (``Environment.test(width=40, tty=True)``) and reads what was
written. Nothing below this object looks at ``sys.stdout`` or ``os.environ``.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Mapping


class ColorChoice(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


DEFAULT_PAGER = "less -FRX"


def _columns(environ: Mapping[str, str]) -> int | None:
    value = environ.get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


@dataclass(frozen=True)
class Environment:
    """Where output goes and what that place can show."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    # Whether stdout is a terminal a person reads (a pipe or a file is not).
    is_tty: bool = False
    # Columns to lay tables out in; None = not a terminal and no COLUMNS: no limit.
    width: int | None = None
    height: int = 24
    encoding: str = "utf-8"
    color: ColorChoice = ColorChoice.auto
    no_color: bool = False  # NO_COLOR is set (https://no-color.org)
    force_color: bool = False  # FORCE_COLOR is set
    dumb: bool = False  # TERM=dumb
    # The pager command for long tables in a terminal ("" = none).
    pager: str = DEFAULT_PAGER
    use_pager: bool = True

    @classmethod
    def from_os(cls, environ: Mapping[str, str] | None = None) -> Environment:
        environ = os.environ if environ is None else environ
        stdout = sys.stdout
        try:
            is_tty = stdout.isatty()
        except (AttributeError, ValueError):
            is_tty = False
        width = _columns(environ)
        height = 24
        if is_tty:
            import shutil

            size = shutil.get_terminal_size((80, 24))
            width = width or size.columns
            height = size.lines
        pager = environ.get("MIITFACTS_PAGER")
        if pager is None:
            pager = environ.get("PAGER", DEFAULT_PAGER)
        return cls(
            stdout=stdout,
            stderr=sys.stderr,
            is_tty=is_tty,
            width=width,
            height=height,
            encoding=getattr(stdout, "encoding", None) or "utf-8",
            no_color=bool(environ.get("NO_COLOR")),
            force_color=bool(environ.get("FORCE_COLOR")),
            dumb=environ.get("TERM") == "dumb",
            pager=pager,
        )

    @classmethod
    def test(cls, *, width: int | None = 80, tty: bool = False, **settings: object) -> Environment:
        """An environment writing into memory (``output()`` / ``errors()`` read it)."""
        settings.setdefault("pager", "")  # tests page only when they ask to
        return cls(
            stdout=io.StringIO(),
            stderr=io.StringIO(),
            is_tty=tty,
            width=width,
            **settings,  # type: ignore[arg-type]
        )

    def output(self) -> str:
        """What a test environment's stdout received."""
        assert isinstance(self.stdout, io.StringIO)
        return self.stdout.getvalue()

    def errors(self) -> str:
        assert isinstance(self.stderr, io.StringIO)
        return self.stderr.getvalue()

    def with_choices(
        self, color: ColorChoice | None = None, pager: bool | None = None
    ) -> Environment:
        """This environment with the command line's --color / --no-pager applied."""
        changed = self
        if color is not None:
            changed = replace(changed, color=color)
        if pager is not None:
            changed = replace(changed, use_pager=pager)
        return changed

    @property
    def styled(self) -> bool:
        """Colour and box drawing: --color, then NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal."""
        if self.color is ColorChoice.always:
            return True
        if self.color is ColorChoice.never or self.no_color:
            return False
        if self.force_color:
            return True
        return self.is_tty and not self.dumb

    def pager_argv(self) -> list[str] | None:
        """The pager to run for ``lines`` of table output, or None to write directly."""
        if not (self.use_pager and self.is_tty and self.pager.strip()):
            return None
        import shlex

        try:
            argv = shlex.split(self.pager)
        except ValueError:
            return None
        if not argv or argv[0] == "cat":
            return None
        return argv

    def write_err(self, line: str) -> None:
        self.stderr.write(line + "\n")
        self.stderr.flush()

    def page(self, text: str) -> bool:
        """Show ``text`` through the pager when it is longer than the screen; False if not paged."""
        argv = self.pager_argv()
        if argv is None or text.count("\n") < self.height - 1:
            return False
        import subprocess

        env = dict(os.environ)
        # less: raw colour codes, quit on one screen, keep the text after quitting.
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        try:
            out: int | None = self.stdout.fileno()
        except (OSError, ValueError, io.UnsupportedOperation):
            out = None  # an in-memory stream: the pager writes where it likes
        try:
            self.stdout.flush()
            process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out, env=env)
        except (OSError, ValueError):
            return False
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):
            process.stdin.write(text.encode(self.encoding, "replace"))
            process.stdin.close()
        while True:
            try:
                process.wait()
                break
            except KeyboardInterrupt:  # as git does: the pager handles ^C itself
                continue
        return True
