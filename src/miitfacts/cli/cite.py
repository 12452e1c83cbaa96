"""``cite``: a ready citation of a fact, for writers."""

from typing import Annotated

import typer

from miitfacts import core
from miitfacts.cli.common import Run, command, emit, targets_argument
from miitfacts.output.cite import CiteStyle, cite_all

app = typer.Typer()


@app.command("cite")
@command(output=False, time=True)
def cite_command(
    run: Run,
    targets: Annotated[
        list[str], targets_argument("ID", "Fact ids (a topic cites each of its facts).")
    ],
    style: Annotated[
        CiteStyle, typer.Option("--style", "-s", help="Citation style.", case_sensitive=False)
    ] = (CiteStyle.text),
) -> None:
    """Print a citation: the figure as stated, the verbatim quote, speaker, publisher, date, event.

    Several ids give one document (one CSL-JSON array for Zotero and pandoc).

    Examples: miitfacts cite sme.little-giants; miitfacts cite sme --style ris > sme.ris
    """
    registry = run.registry()
    facts = core.unique_facts(core.select(registry, targets, run.time))
    # Several facts make one document: one CSL-JSON array, one RIS or BibTeX file.
    # The files a reference manager imports are UTF-8 whatever the terminal.
    text = cite_all(facts, registry, style)
    emit(run.env, text, utf8=style not in (CiteStyle.text, CiteStyle.markdown))
