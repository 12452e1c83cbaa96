"""What every command shares: the output and data options, loading, writing, errors.

``@command(fields=...)`` adds the shared options to a command's signature (so
Typer shows them in ``--help``), builds a :class:`Run` from them and from the
terminal (:class:`~miitfacts.output.environment.Environment`, which tests pass
in as the click context's ``obj``), and turns every ``MiitfactsError`` into one
line on stderr and its exit code, in one place. A command ends with
``run.output(records, *views)``: the one output path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

import miitfacts
from miitfacts.core import TimeFilter
from miitfacts.errors import ExitStatus, MiitfactsError, Problem, UsageError
from miitfacts.models import parse_date
from miitfacts.output import Format, Lang, OutputSettings, Record, RecordsTable, select_fields
from miitfacts.output.environment import ColorChoice, Environment
from miitfacts.text import printable

if TYPE_CHECKING:
    from miitfacts.output import View
    from miitfacts.registry import Registry

F = TypeVar("F", bound=Callable[..., Any])


def completion_registry() -> Registry | None:
    """The registry for shell completion, or None: completion never fails or prints."""
    try:
        return miitfacts.load(skip_invalid=True, warnings=[])
    except Exception:  # completion must never print a traceback into the shell
        return None


def _completion_keys(topics_only: bool) -> list[str]:
    registry = completion_registry()
    if registry is None:
        return []
    return list(registry.topics) if topics_only else registry.completion_keys()


def complete_targets(incomplete: str) -> list[str]:
    """Topic ids, fact ids and aliases for shell completion; never fails."""
    needle = incomplete.casefold()
    return [key for key in _completion_keys(False) if key.casefold().startswith(needle)]


def complete_topics(incomplete: str) -> list[str]:
    needle = incomplete.casefold()
    return [key for key in _completion_keys(True) if key.startswith(needle)]


def field_completer(fields: Sequence[str]) -> Callable[[str], list[str]]:
    """Complete the last name of ``--fields a,b,c`` from a command's fields."""

    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        chosen = set(done.split(",")) if done else set()
        return [prefix + f for f in fields if f.startswith(last) and f not in chosen]

    return complete


# --topic on list and search: any topic id, name or alias.
TopicOption = Annotated[
    str | None,
    typer.Option(
        "--topic", "-t", help="Only this topic (id, name or alias).", autocompletion=complete_topics
    ),
]


def keyword_option(
    name: str, kind: Any, default: Any, *declarations: str, **settings: Any
) -> inspect.Parameter:
    """A keyword parameter with a Typer option, for the options every command shares."""
    option = typer.Option(*declarations, **settings)
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, option]
    )


DATA_PARAMS = [
    keyword_option(
        "data",
        list[Path] | None,
        None,
        "--data",
        metavar="PATH",
        help="Extra pack file or folder (repeatable), read after the bundled data.",
    ),
    keyword_option(
        "skip_invalid",
        bool,
        False,
        "--skip-invalid",
        help="Leave out invalid extra packs with a warning instead of stopping.",
    ),
]


def output_params(fields: Sequence[str]) -> list[inspect.Parameter]:
    """The output options; ``--fields`` completes from this command's own fields."""
    return [
        keyword_option(
            "format",
            Format | None,
            None,
            "--format",
            "-f",
            help="Output format (default: table).",
            case_sensitive=False,
        ),
        keyword_option("json_", bool, False, "--json", help="Same as --format json."),
        keyword_option(
            "fields",
            str | None,
            None,
            "--fields",
            metavar="A,B,...",
            help="Fields to output, in this order (e.g. id,value,unit); --fields '' lists them.",
            autocompletion=field_completer(fields),
        ),
        keyword_option(
            "lang",
            Lang,
            Lang.en,
            "--lang",
            envvar="MIITFACTS_LANG",
            help="Language of tables: en (en-US); zh, zh-Hant or zh-TW (Chinese as the "
            "source writes it); zh-Hans or zh-CN (Simplified Chinese).",
            case_sensitive=False,
        ),
        keyword_option(
            "no_headers",
            bool,
            False,
            "--no-headers",
            help="CSV and TSV without the header row.",
        ),
        keyword_option(
            "color",
            ColorChoice | None,
            None,
            "--color",
            help="Colour and boxes: auto (a terminal without NO_COLOR or TERM=dumb), "
            "always or never.",
            case_sensitive=False,
        ),
        keyword_option(
            "no_pager",
            bool,
            False,
            "--no-pager",
            help="Never page long tables (MIITFACTS_PAGER, PAGER, else less -FRX).",
        ),
    ]


CONTEXT = "ctx_"

TIME_PARAMS = [
    keyword_option(
        "period",
        list[str] | None,
        None,
        "--period",
        "-p",
        metavar="PERIOD",
        help="Only this period (repeatable): 2024 (and its dates), 2024-12-31, 2026-2030.",
    ),
    keyword_option(
        "as_of",
        str | None,
        None,
        "--as-of",
        metavar="DATE",
        help="Only what had been published by this date (YYYY-MM-DD).",
    ),
    keyword_option(
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


def environment(ctx: typer.Context | None) -> Environment:
    """The terminal: the one a test passed in (``obj``), else this process's."""
    obj = None if ctx is None else ctx.find_root().obj
    return obj if isinstance(obj, Environment) else Environment.from_os()


@dataclass
class Run:
    """One invocation: the terminal, the settings, and the registry loaded on first use."""

    settings: OutputSettings
    env: Environment = field(default_factory=Environment.from_os)
    data: Sequence[Path] = ()
    skip_invalid: bool = False
    # The fields this command's records have, in order (for machine formats and --fields).
    fields: Sequence[str] = ()
    time: TimeFilter = field(default_factory=TimeFilter)
    as_of: dt.date | None = None
    _registry: Registry | None = field(default=None, repr=False)

    def registry(self, *, use_cache: bool = True) -> Registry:
        """The registry, loaded on first use (``use_cache=False``: from the pack files alone)."""
        if self._registry is None:
            warnings: list[Problem] = []
            self._registry = miitfacts.load(
                self.data, skip_invalid=self.skip_invalid, warnings=warnings, use_cache=use_cache
            )
            for problem in warnings:
                self.warn(f"skipped invalid pack: {printable(str(problem))}")
            self._registry = self._registry.at(self.as_of)
        return self._registry

    def warn(self, message: str) -> None:
        self.env.write_err(f"miitfacts: warning: {message}")

    def emit(self, text: str) -> None:
        emit(self.env, text, utf8=self.settings.machine)

    def output(self, records: Sequence[Record], *views: View, document: Any = None) -> None:
        """The one output path: a machine format of the records, or the views as tables.

        ``--fields`` in a table shows those fields of the records; ``document`` is
        what ``--json`` writes when it is not the records themselves (compare).
        """
        settings = self.settings
        if settings.machine:
            from miitfacts.output.machine import render_records, to_json

            if document is not None and settings.format is Format.json and not settings.fields:
                self.emit(to_json(document))
                return
            self.emit(
                render_records(
                    records, settings.format, settings.fields, self.fields, settings.headers
                )
            )
            return
        from miitfacts.output.human import draw

        if settings.fields:
            views = (RecordsTable(records, settings.fields),)
        text = draw(settings, views)
        check_encoding(self.env, text)
        if not self.env.page(text):
            self.emit(text)


def output_settings(
    env: Environment,
    format: Format | None,
    json_: bool,
    fields: str | None,
    lang: Lang,
    available: Sequence[str],
    no_headers: bool = False,
) -> OutputSettings:
    if json_ and format not in (None, Format.json):
        raise UsageError(f"--json and --format {format.value} disagree; use one of them")
    chosen = Format.json if json_ else (format or Format.table)
    return OutputSettings(
        chosen, select_fields(fields, available), lang, env.styled, env.width, not no_headers
    )


@contextlib.contextmanager
def errors_reported(env: Environment, command: str = "miitfacts") -> Iterator[None]:
    """The one place where errors become stderr lines and exit codes."""
    try:
        yield
    except MiitfactsError as exc:
        hint = f" (try '{command} --help')" if type(exc) is UsageError else ""
        for line in exc.lines():
            env.write_err(f"miitfacts: error: {printable(line)}{hint}")
        raise typer.Exit(exc.exit_status) from None


def check_encoding(env: Environment, text: str) -> None:
    try:
        text.encode(env.encoding)
    except (UnicodeEncodeError, LookupError):
        raise UsageError(
            f"this terminal's encoding ({env.encoding}) cannot show the text; "
            "set PYTHONIOENCODING=utf-8 or use --format json (always UTF-8)"
        ) from None


def emit(env: Environment, text: str, *, utf8: bool) -> None:
    """Write finished output; machine formats are always UTF-8 bytes."""
    stream = env.stdout
    try:
        buffer = getattr(stream, "buffer", None)
        if utf8 and buffer is not None:
            stream.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
            return
        if not utf8:
            check_encoding(env, text)
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


def context_param() -> inspect.Parameter:
    """A hidden parameter through which Typer hands a command its click context."""
    return inspect.Parameter(
        CONTEXT, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=typer.Context
    )


def command(
    *, output: bool = True, fields: Sequence[str] = (), time: bool = False
) -> Callable[[F], F]:
    """Give a command the shared options and error handling; it receives ``run: Run``.

    ``fields`` are the fields of the command's records, declared once here;
    ``time`` adds --period, --as-of and --all-vintages.
    """

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "run"]
        shared = [*output_params(fields), *DATA_PARAMS] if output else list(DATA_PARAMS)
        if time:
            shared = [*TIME_PARAMS, *shared]

        @functools.wraps(fn)
        def wrapper(**kwargs: Any) -> Any:
            ctx: typer.Context | None = kwargs.pop(CONTEXT, None)
            values = {p.name: kwargs.pop(p.name) for p in shared}
            env = environment(ctx)
            if output:
                env = env.with_choices(values["color"], False if values["no_pager"] else None)
            command_path = ctx.command_path if ctx is not None else "miitfacts"
            with errors_reported(env, command_path):
                _check_utf8(kwargs)
                if output and values["fields"] is not None and not values["fields"].strip():
                    # --fields '': the fields this command can output, one a line.
                    emit(env, "".join(f"{name}\n" for name in fields), utf8=False)
                    return None
                settings = (
                    output_settings(
                        env,
                        values["format"],
                        values["json_"],
                        values["fields"],
                        values["lang"],
                        fields,
                        values["no_headers"],
                    )
                    if output
                    else OutputSettings(styled=env.styled, width=env.width)
                )
                run = Run(
                    settings, env, tuple(values["data"] or ()), values["skip_invalid"], fields
                )
                if time:
                    run.time, run.as_of = time_filter(
                        values["period"], values["as_of"], values["all_vintages"]
                    )
                return fn(run=run, **kwargs)

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*own, *shared, context_param()]
        )
        return wrapper  # type: ignore[return-value]

    return decorate
