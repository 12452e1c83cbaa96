"""Errors the core raises, and the one table that maps them to exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitStatus(IntEnum):
    """Every exit code the command uses: the README's table lists these, and only these."""

    OK = 0  # success, including a search or list that matched nothing
    NOT_FOUND = 1  # show/compare/cite (or --topic) named an id or topic that does not exist
    USAGE = 2  # bad arguments, an invalid data pack, or output that could not be written
    INTERNAL = 70  # a bug (EX_SOFTWARE): reported in one line, never as a traceback
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), quietly


# A not-found error with nothing to suggest lists at most this many topics.
MAX_LISTED_TOPICS = 20


class MiitfactsError(Exception):
    """Base of every error that the CLI reports as one line on stderr."""

    exit_status = ExitStatus.USAGE

    def lines(self) -> list[str]:
        return [str(self)]


class NotFoundError(MiitfactsError, LookupError):
    """An id, ref or topic that does not exist; a ``LookupError``, as ``dict`` lookups raise."""

    exit_status = ExitStatus.NOT_FOUND

    def __init__(
        self,
        what: str,
        target: str,
        suggestions: list[str],
        known: list[str],
        *,
        context: str = "",
    ) -> None:
        self.suggestions = suggestions
        if suggestions:
            hint = f"; did you mean {' or '.join(suggestions)}?"
        elif not known:
            hint = ""
        else:
            listed = ", ".join(known[:MAX_LISTED_TOPICS])
            if len(known) > MAX_LISTED_TOPICS:
                listed += f" and {len(known) - MAX_LISTED_TOPICS} more"
            hint = f"; the topics are {listed} (see 'miitfacts topics')"
        super().__init__(f"no {what} {target!r}{context}{hint}")


class UsageError(MiitfactsError):
    exit_status = ExitStatus.USAGE


class WriteError(MiitfactsError):
    """A file that cannot be written (full disk, no such folder): exit 2, with no hint
    to read --help, since the command line itself was right."""

    exit_status = ExitStatus.USAGE


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: ``FILE:WHERE: message``."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        where = f":{self.where}" if self.where else ""
        return f"{self.file}{where}: {self.message}"


class PackError(MiitfactsError):
    exit_status = ExitStatus.USAGE

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(f"invalid data pack: {problems[0]}{more}")

    def lines(self) -> list[str]:
        return [f"invalid data pack: {p}" for p in self.problems]
