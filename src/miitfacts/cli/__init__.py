"""The ``miitfacts`` command: parse, call the core, render. Each group is its own module."""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import re
import signal
import sys
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Annotated, Any, TextIO, cast, get_args, get_origin

import typer
from typer._click import Command as ClickCommand
from typer._click import Context, HelpFormatter
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperCommand, TyperGroup

from miitfacts import __version__
from miitfacts.errors import ExitStatus

# Every command, in the order of --help, and the module of ``miitfacts.cli`` that
# defines it. A run imports and builds only the command it runs (help and shell
# completion build them all); tests check that this table matches the modules.
COMMAND_MODULES = {
    "topics": "facts",
    "list": "facts",
    "show": "facts",
    "search": "search",
    "compare": "compare",
    "cite": "cite",
    "validate": "data",
    "verify": "data",
    "schema": "data",
    "sources": "data",
    "export": "export",
}

# What pydantic (inside Typer) says, in the words of a command line.
_PYDANTIC_WORDING = [
    (re.compile(r"Value error, "), ""),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be \1 or more"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be \1 or less"),
    (re.compile(r"Input should be a valid integer[^.]*"), "must be a whole number"),
    (re.compile(r"Input should be a valid number[^.]*"), "must be a number"),
    (re.compile(r"Input should be "), "must be "),
]


class OneLineUsageError(UsageError):
    """A usage error as one line: ``miitfacts: error: … (try 'miitfacts show --help')``."""

    def __init__(self, error: UsageError) -> None:
        message = " ".join(error.format_message().split())
        for pattern, replacement in _PYDANTIC_WORDING:
            message = pattern.sub(replacement, message)
        super().__init__(message, error.ctx)
        self.command_path = error.ctx.command_path if error.ctx is not None else "miitfacts"

    def show(self, file: Any = None) -> None:
        line = f"miitfacts: error: {self.message} (try '{self.command_path} --help')"
        typer.echo(line, err=True)


def _one_line(error: UsageError) -> UsageError:
    if isinstance(error, NoArgsIsHelpError | OneLineUsageError):
        return error  # help was asked for, or already one line
    return OneLineUsageError(error)


class _QuickCoercion:
    """Typer's coercion of one parameter, without building its pydantic adapter when
    the value needs no conversion.

    Typer builds a pydantic ``TypeAdapter`` for every parameter a command runs with,
    even one left at its default ``None``, which costs an import of pydantic and
    milliseconds per parameter. Values whose coercion is the identity (a missing
    value, a ``str``, a list of ``str``, a member of the option's own ``Enum``) are
    returned as Typer's adapter would return them; anything else goes to Typer's
    own coercion, built on first use, so errors and conversions are Typer's.
    """

    def __init__(self, param: Any) -> None:
        self._descriptor = param.type_descriptor
        info = self._descriptor.parameter_info
        annotation = self._descriptor.annotation
        plain = info.parser is None and self._descriptor.file_annotation is None
        self._str = plain and annotation is str
        self._str_list = plain and get_origin(annotation) is list and get_args(annotation) == (str,)
        self._enum = (
            annotation
            if plain and isinstance(annotation, type) and issubclass(annotation, Enum)
            else None
        )
        self._full: Any = None

    def coerce(self, value: Any, param: Any, ctx: Context) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many:
            if (
                self._str_list
                and type(value) in (list, tuple)
                and all(type(item) is str for item in value)
            ):
                return list(value)
        elif (self._str and type(value) is str) or (
            self._enum is not None and type(value) is self._enum
        ):
            return value
        if self._full is None:
            from typer._coercion import build_runtime_param

            self._full = build_runtime_param(self._descriptor)
        return self._full.coerce(value, param=param, ctx=ctx)


def _quick(params: list[Any]) -> None:
    """Give Typer's parameters the quick coercion (when this Typer has the hooks)."""
    for param in params:
        if getattr(param, "_runtime_param", False) is None and hasattr(param, "type_descriptor"):
            param._runtime_param = _QuickCoercion(param)


class Command(TyperCommand):
    """A command whose help names its arguments ``TARGET...`` (not ``<list[str]>``)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _quick(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), record[1]))
            elif param.param_type_name == "option":
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument_name(param: Any) -> str:
    name = str(param.metavar or param.name.upper())
    return name if param.nargs == 1 or name.endswith("...") else f"{name}..."


class _Commands(Mapping[str, ClickCommand]):
    """The app's commands by name: a command's module is imported when it is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, ClickCommand] = {}

    def __getitem__(self, name: str) -> ClickCommand:
        command = self._built.get(name)
        if command is None:
            if name not in COMMAND_MODULES:
                raise KeyError(name)
            command = self._built[name] = _build(name)
        return command

    def __iter__(self) -> Iterator[str]:
        return iter(COMMAND_MODULES)

    def __len__(self) -> int:
        return len(COMMAND_MODULES)


def _build(name: str) -> ClickCommand:
    module = importlib.import_module(f"miitfacts.cli.{COMMAND_MODULES[name]}")
    for info in module.app.registered_commands:
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            if info.cls in (None, TyperCommand):
                info.cls = Command
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    raise KeyError(name)


class Group(TyperGroup):
    """The app: usage errors from Typer, Click or pydantic become one line, exit 2.

    Its commands are built on first use (see :data:`COMMAND_MODULES`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands()  # type: ignore[assignment]

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _quick(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def make_context(self, *args: Any, **kwargs: Any) -> Context:
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as error:
            raise _one_line(error) from None

    def invoke(self, ctx: Context) -> Any:
        # The command about to run: Click's parser raises some errors (an option
        # missing its value) without a context, and the hint should name its help.
        words = [*getattr(ctx, "_protected_args", getattr(ctx, "protected_args", ())), *ctx.args]
        command = words[0] if words and words[0] in COMMAND_MODULES else None
        try:
            return super().invoke(ctx)
        except UsageError as error:
            if error.ctx is None and command is not None:
                error.ctx = ctx
                wrapped = _one_line(error)
                if isinstance(wrapped, OneLineUsageError):
                    wrapped.command_path = f"{ctx.command_path} {command}"
                raise wrapped from None
            raise _one_line(error) from None


app = typer.Typer(
    name="miitfacts",
    cls=Group,
    help="Official Chinese industrial-policy figures (MIIT briefings): exact, citable, comparable.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help and errors: one clear line on stderr, and no Rich import to print help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"miitfacts {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Official Chinese industrial-policy figures (MIIT briefings): exact, citable, comparable.

    Examples: miitfacts show 6g; miitfacts compare sme; miitfacts search 小巨人 --json
    """


def main() -> None:
    """Run the command: never a traceback, and always a documented exit code.

    - Ctrl-C exits 130 quietly.
    - Output that cannot be written (stdout closed with ``>&-``, a full disk,
      ``> /dev/full``) is one line on stderr and exit 2; a reader that went away
      (``| head``) ends quietly with the command's own code.
    - A stderr that cannot be written (its pipe closed) never changes the code.
    - Anything else is a bug: one line, exit 70.
    """
    _guard_streams()
    try:
        try:
            app(prog_name="miitfacts")
            status: int = ExitStatus.OK
        except SystemExit as exit_:
            status = _status_of(exit_)
            if status == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
                # Click met a closed stdout pipe (help, --version) and exits 1;
                # the contract says a reader going away (| head) is exit 0.
                status = ExitStatus.OK
        except KeyboardInterrupt:
            status = ExitStatus.INTERRUPTED
        except OSError as exc:
            if exc.errno in _OUTPUT_ERRORS:
                status = _output_failed(exc, ExitStatus.OK)
            else:
                status = _internal_error(exc)
        except Exception as exc:
            status = _internal_error(exc)
        status = _flush_output(status)
        # The work is done: a Ctrl-C now would only interrupt Python's own
        # clean-up and print "Exception ignored ... KeyboardInterrupt".
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        status = ExitStatus.INTERRUPTED
    sys.exit(status)


# Errors that mean "the output could not be written", not a bug.
_OUTPUT_ERRORS = frozenset(
    getattr(errno, name)
    for name in ("EPIPE", "EBADF", "ENOSPC", "EIO", "EFBIG", "EDQUOT", "ECONNRESET")
    if hasattr(errno, name)
)


def _internal_error(exc: BaseException) -> int:
    """A bug: say so in one line, not a traceback.

    Unless Ctrl-C caused it: a library may turn the KeyboardInterrupt raised
    inside its import into an ImportError (opencc does), and Python wraps one in
    a class body in a RuntimeError; that is an interrupt.
    """
    from miitfacts.__main__ import interrupted

    if interrupted(exc):
        return ExitStatus.INTERRUPTED
    _say(f"miitfacts: internal error: {exc.__class__.__name__}: {exc}")
    return ExitStatus.INTERNAL


def _status_of(exit_: SystemExit) -> int:
    code = exit_.code
    if code is None:
        return ExitStatus.OK
    if isinstance(code, int):
        return code
    _say(f"miitfacts: error: {code}")
    return ExitStatus.USAGE


def _say(line: str) -> None:
    """One line on stderr, if stderr can take it."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(line + "\n")
        stream.flush()


class _Unwritable(io.RawIOBase):
    """Standard output when its descriptor is closed (``>&-``): every write fails."""

    def writable(self) -> bool:
        return True

    failed = False

    def write(self, data: Any) -> int:
        if self.failed:  # reported once; later flushes (at exit) must not fail again
            return len(data)
        self.failed = True
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


class _QuietStream:
    """stderr that never raises: a closed stderr pipe must not change the exit code."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _guard_streams() -> None:
    if sys.stdout is None:  # started with stdout closed: fail on the first write
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_Unwritable()), encoding="utf-8")
    if sys.stderr is None:  # started with stderr closed (2>&-): messages go nowhere
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: PTH123, SIM115 - until exit
    if not isinstance(sys.stderr, _QuietStream):
        sys.stderr = cast(TextIO, _QuietStream(sys.stderr))


def _output_failed(exc: OSError, status: int) -> int:
    """Report output that could not be written; stop writing to it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        # What is still buffered goes nowhere, so Python's own flush at exit
        # cannot fail again (and print "Exception ignored ...").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    if exc.errno == errno.EPIPE:
        return status  # the reader went away (| head): quietly
    _say(f"miitfacts: error: cannot write the output: {exc.strerror or exc}")
    return ExitStatus.USAGE if status == ExitStatus.OK else status


def _flush_output(status: int) -> int:
    stream = sys.stdout
    if stream is None:
        return status
    try:
        stream.flush()
    except OSError as exc:
        return _output_failed(exc, status)
    except ValueError:  # already closed
        pass
    return status
