"""``cite``: a ready citation of a fact, for writers."""

from typing import Annotated

import typer

from miitfacts import core
from miitfacts.cli.common import Run, command, targets_argument
from miitfacts.output.cite import CiteStyle, cite

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

    Examples: miitfacts cite sme.little-giants; miitfacts cite ai.enterprises --style bibtex
    """
    registry = run.registry()
    facts = core.unique_facts(core.select(registry, targets, run.time))
    # A blank line between citations.
    run.emit("\n".join(cite(fact, registry, style) for fact in facts))
