"""A bare Typer app with the options of ``miitfacts show`` and no work to do.

The start-up benchmark runs it as a reference: the part of ``miitfacts show``'s
time that any Typer app with these parameters pays (Typer builds a pydantic
adapter per parameter), as against what miitfacts itself adds.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)


class Format(StrEnum):
    table = "table"
    json = "json"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


@app.callback()
def root(version: Annotated[bool, typer.Option("--version")] = False) -> None:
    """Reference app."""


@app.command()
def show(
    targets: Annotated[list[str], typer.Argument()],
    format: Annotated[Format | None, typer.Option("--format")] = None,
    json_: Annotated[bool, typer.Option("--json")] = False,
    fields: Annotated[str | None, typer.Option("--fields")] = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.en,
    data: Annotated[list[Path] | None, typer.Option("--data")] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid")] = False,
) -> None:
    """Print an empty result."""
    print("[]")


if __name__ == "__main__":
    app()
