"""The ``miitfacts`` command: parse, call the core, render. Each group is its own module."""

import sys
from typing import Annotated

import typer

from miitfacts import __version__
from miitfacts.cli import cite, compare, data, export, facts, search
from miitfacts.errors import ExitStatus

app = typer.Typer(
    name="miitfacts",
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


# One module per command group; their commands join the one app.
for _group in (facts, search, compare, cite, data, export):
    app.registered_commands.extend(_group.app.registered_commands)


def main() -> None:
    """Console entry point: never a traceback, whatever happens."""
    try:
        app(prog_name="miitfacts")
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # a bug: say so in one line, not a traceback
        print(f"miitfacts: internal error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        sys.exit(ExitStatus.INTERNAL)
