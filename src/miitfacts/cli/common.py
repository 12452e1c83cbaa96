"""What every command shares: the output and data options, loading, writing, errors.

``@command(...)`` adds the shared options to a command's signature (so Typer
shows them in ``--help``), builds a :class:`Run` from them, and turns every
``MiitfactsError`` into one line on stderr and its exit code, in one place.
"""

import contextlib
import datetime as dt
import functools
import inspect
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

import miitfacts
from miitfacts.core import TimeFilter
from miitfacts.errors import ExitStatus, MiitfactsError, Problem, UsageError
from miitfacts.models import parse_date
from miitfacts.output import Format, Lang, OutputSettings, Record, select_fields
from miitfacts.registry import Registry
from miitfacts.text import printable

F = TypeVar("F", bound=Callable[..., Any])


def _completion_keys(topics_only: bool) -> list[str]:
    try:
        registry = miitfacts.load(skip_invalid=True, warnings=[])
    except Exception:  # completion must never print a traceback into the shell
        return []
    return list(registry.topics) if topics_only else registry.completion_keys()


def complete_targets(incomplete: str) -> list[str]:
    """Topic ids, fact ids and aliases for shell completion; never fails."""
    needle = incomplete.casefold()
    return [key for key in _completion_keys(False) if key.casefold().startswith(needle)]


def complete_topics(incomplete: str) -> list[str]:
    needle = incomplete.casefold()
    return [key for key in _completion_keys(True) if key.startswith(needle)]


# --topic on list and search: any topic id, name or alias.
TopicOption = Annotated[
    str | None,
    typer.Option(
        "--topic", "-t", help="Only this topic (id, name or alias).", autocompletion=complete_topics
    ),
]


def _option(
    name: str, kind: Any, default: Any, *declarations: str, **settings: Any
) -> inspect.Parameter:
    """A keyword parameter with a Typer option, for the options every command shares."""
    option = typer.Option(*declarations, **settings)
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, option]
    )


DATA_PARAMS = [
    _option(
        "data",
        list[Path] | None,
        None,
        "--data",
        metavar="PATH",
        help="Extra pack file or folder (repeatable), read after the bundled data.",
    ),
    _option(
        "skip_invalid",
        bool,
        False,
        "--skip-invalid",
        help="Leave out invalid extra packs with a warning instead of stopping.",
    ),
]

OUTPUT_PARAMS = [
    _option(
        "format",
        Format | None,
        None,
        "--format",
        "-f",
        help="Output format (default: table).",
        case_sensitive=False,
    ),
    _option("json_", bool, False, "--json", help="Same as --format json."),
    _option(
        "fields",
        str | None,
        None,
        "--fields",
        metavar="A,B,...",
        help="Fields to output, in this order (e.g. id,value,unit).",
    ),
    _option(
        "lang",
        Lang,
        Lang.en,
        "--lang",
        envvar="MIITFACTS_LANG",
        help="Language of labels and numbers in tables.",
        case_sensitive=False,
    ),
]


TIME_PARAMS = [
    _option(
        "period",
        list[str] | None,
        None,
        "--period",
        "-p",
        metavar="PERIOD",
        help="Only this period (repeatable): 2024 (and its dates), 2024-12-31, 2026-2030.",
    ),
    _option(
        "as_of",
        str | None,
        None,
        "--as-of",
        metavar="DATE",
        help="Only what had been published by this date (YYYY-MM-DD).",
    ),
    _option(
        "all_vintages",
        bool,
        False,
        "--all-vintages",
        help="Also the values later revised, each with superseded_by.",
    ),
]


def time_filter(
    periods: list[str] | None, as_of: str | None, all_vintages: bool
) -> tuple[TimeFilter, dt.date | None]:
    """Parse the time options; a bad date or period is a usage error."""
    date = None
    if as_of is not None:
        try:
            date = parse_date(as_of)
        except ValueError:
            raise UsageError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    return TimeFilter(tuple(periods or ()), all_vintages), date


def targets_argument(metavar: str, help: str) -> Any:
    """The TARGET... argument of show, compare and cite, completed from the registry."""
    return typer.Argument(metavar=metavar, help=help, autocompletion=complete_targets)


@dataclass
class Run:
    """One invocation: its settings, and the registry loaded on first use."""

    settings: OutputSettings
    data: Sequence[Path] = ()
    skip_invalid: bool = False
    time: TimeFilter = field(default_factory=TimeFilter)
    as_of: dt.date | None = None
    _registry: Registry | None = field(default=None, repr=False)

    def registry(self) -> Registry:
        if self._registry is None:
            warnings: list[Problem] = []
            self._registry = miitfacts.load(
                self.data, skip_invalid=self.skip_invalid, warnings=warnings
            )
            for problem in warnings:
                typer.echo(
                    f"miitfacts: warning: skipped invalid pack: {printable(str(problem))}", err=True
                )
            self._registry = self._registry.at(self.as_of)
        return self._registry

    def emit(self, text: str) -> None:
        emit(text, utf8=self.settings.machine)

    def emit_records(self, records: Sequence[Record], default_fields: Sequence[str]) -> None:
        """Records in the chosen machine format, or a plain table of the chosen fields."""
        if self.settings.machine:
            from miitfacts.output.machine import render_records

            self.emit(
                render_records(records, self.settings.format, self.settings.fields, default_fields)
            )
        else:
            from miitfacts.output.human import records_view, render

            fields = self.settings.fields or tuple(default_fields)
            self.emit(render(self.settings, records_view(records, fields, self.settings)))


def output_settings(
    format: Format | None, json_: bool, fields: str | None, lang: Lang, available: Sequence[str]
) -> OutputSettings:
    if json_ and format not in (None, Format.json):
        raise UsageError(f"--json and --format {format.value} disagree; use one of them")
    chosen = Format.json if json_ else (format or Format.table)
    styled = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size((80, 24)).columns
    return OutputSettings(chosen, select_fields(fields, available), lang, styled, width)


@contextlib.contextmanager
def errors_reported() -> Iterator[None]:
    """The one place where errors become stderr lines and exit codes."""
    try:
        yield
    except MiitfactsError as exc:
        for line in exc.lines():
            typer.echo(f"miitfacts: error: {printable(line)}", err=True)
        raise typer.Exit(exc.exit_status) from None


def emit(text: str, *, utf8: bool) -> None:
    """Write finished output; machine formats are always UTF-8 bytes."""
    stream = sys.stdout
    try:
        if utf8 and hasattr(stream, "buffer"):
            stream.flush()
            stream.buffer.write(text.encode("utf-8"))
            stream.buffer.flush()
            return
        encoding = stream.encoding or "utf-8"
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            raise UsageError(
                f"this terminal's encoding ({encoding}) cannot show the text; "
                "set PYTHONIOENCODING=utf-8 or use --format json (always UTF-8)"
            ) from None
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, and keep Python's own
        # flush at exit from complaining about the closed pipe.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        raise typer.Exit(ExitStatus.OK) from None


def _check_utf8(arguments: dict[str, Any]) -> None:
    """Arguments that are not UTF-8 (odd bytes on the command line) are a usage error.

    Text that is UTF-8 but arrived undecoded means the locale cannot carry it
    (``LC_ALL=C``): that is said, with the fix, instead of blaming the text.
    """
    for name, value in arguments.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    try:
                        text = os.fsencode(item).decode("utf-8")
                    except (UnicodeError, ValueError):
                        raise UsageError(f"{name}: {item!r} is not valid UTF-8 text") from None
                    encoding = sys.getfilesystemencoding()
                    raise UsageError(
                        f"{name}: {text!r} is UTF-8 text that this locale ({encoding}) cannot "
                        "carry; set PYTHONUTF8=1 or use a UTF-8 locale (e.g. LC_ALL=C.UTF-8)"
                    ) from None


def command(
    *, output: bool = True, fields: Sequence[str] = (), time: bool = False
) -> Callable[[F], F]:
    """Give a command the shared options and error handling; it receives ``run: Run``.

    ``time`` adds --period, --as-of and --all-vintages.
    """

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "run"]
        shared = [*OUTPUT_PARAMS, *DATA_PARAMS] if output else list(DATA_PARAMS)
        if time:
            shared = [*TIME_PARAMS, *shared]

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            values = {p.name: kwargs.pop(p.name) for p in shared}
            with errors_reported():
                _check_utf8(kwargs)
                if output:
                    settings = output_settings(
                        values["format"], values["json_"], values["fields"], values["lang"], fields
                    )
                else:
                    settings = OutputSettings()
                run = Run(settings, tuple(values["data"] or ()), values["skip_invalid"])
                if time:
                    run.time, run.as_of = time_filter(
                        values["period"], values["as_of"], values["all_vintages"]
                    )
                return fn(run=run, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=[*own, *shared])  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
