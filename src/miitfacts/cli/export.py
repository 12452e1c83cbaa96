"""``export``: the registry as a SQLite database, JSON Lines or CSV file."""

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from miitfacts.cli.common import Run, TopicOption, command, time_filter
from miitfacts.cli.filters import query_options
from miitfacts.export import ExportFormat, export
from miitfacts.messages import plural
from miitfacts.query import Query, apply
from miitfacts.text import printable

app = typer.Typer()

_KIND = {ExportFormat.sqlite: "SQLite", ExportFormat.jsonl: "JSON Lines", ExportFormat.csv: "CSV"}


@app.command("export")
@command(output=False)
@query_options(kind=True)
def export_command(
    run: Run,
    criteria: Query,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="Where to write: .db or .sqlite (SQLite), .jsonl, .csv."
        ),
    ],
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format", "-f", help="Format, if not the extension's.", case_sensitive=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    topic: TopicOption = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            "--period",
            "-p",
            metavar="PERIOD",
            help="Only this period (repeatable): 2024 (and its dates), 2024-12-31, 2026-2030.",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Only what had been published by this date (YYYY-MM-DD).",
        ),
    ] = None,
) -> None:
    """Write every observation, every vintage, with its sources and topics to a file.

    Earlier vintages name the date of the one that replaced them (superseded_by);
    --as-of writes what had been published by then, --period only those periods.
    A .db file is a SQLite database for Datasette (datasette facts.db),
    sqlite-utils or DuckDB, with a full-text index that finds Chinese (three
    characters or more) and English. The file is written beside FILE and renamed
    into place; an existing FILE is replaced only with --force.

    Examples: miitfacts export facts.db; miitfacts export sme.csv --topic sme --kind figure
    """
    # Every vintage always (superseded_by tells them apart), so no --all-vintages.
    run.time, run.as_of = time_filter(period, as_of, True)
    registry = run.registry()
    criteria = dataclasses.replace(
        criteria, filters=dataclasses.replace(criteria.filters, topic=topic)
    )
    facts = apply(registry, [f for f in registry.vintages if run.time.matches(f)], criteria)
    result = export(
        registry,
        file,
        facts,
        fmt=format,
        force=force,
        filtered=criteria.filters.active() or bool(run.time.periods),
    )
    for note in result.notes:
        run.env.write_err(f"miitfacts: note: {note}")
    what = plural(result.facts, "observation")
    if result.format is ExportFormat.sqlite:
        what += f", {plural(result.sources, 'source')}, {plural(result.topics, 'topic')}"
    index = f", full-text index: {result.tokenizer}" if result.tokenizer else ""
    line = f"wrote {what} to {result.path} ({_KIND[result.format]}{index})"
    run.env.write_err(printable(line))
