"""``validate``, ``verify``, ``schema`` and ``sources``: the data and where it comes from."""

from pathlib import Path
from typing import Annotated

import typer

from miitfacts import core
from miitfacts.cli.common import Run, command, emit, environment, errors_reported
from miitfacts.errors import PackError
from miitfacts.messages import plural
from miitfacts.output import SourcesTable
from miitfacts.registry import Registry, bundled_data_dir, expand_paths, load_packs
from miitfacts.text import printable

app = typer.Typer()


@app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH", help="Pack files or folders to check.")
    ],
) -> None:
    """Check packs against the schema, their source texts and the bundled data.

    Every problem is one line on stderr, FILE:WHERE: message; exit 2 if any.
    Example: miitfacts validate examples/
    """
    env = environment(ctx)
    with errors_reported(env, ctx.command_path):
        files, missing = expand_paths(paths)
        # Check against the bundled packs, except those being validated themselves.
        chosen = {f.resolve() for f in files}
        bundled, _ = expand_paths([bundled_data_dir()])
        context = [b for b in bundled if b.resolve() not in chosen]
        try:
            if missing:
                raise PackError(missing)
            packs = load_packs([*context, *files])
        except PackError as exc:
            for problem in exc.problems:
                env.write_err(printable(str(problem)))
            env.write_err(f"miitfacts: {plural(len(exc.problems), 'problem')} found")
            raise typer.Exit(exc.exit_status) from None
        checked = packs[len(context) :]
        facts = sum(len(p.pack.facts) for p in checked)
        emit(env, f"ok: {plural(len(checked), 'pack')}, {plural(facts, 'fact')}\n", utf8=False)


@app.command("verify")
@command(output=False)
def verify(run: Run) -> None:
    """Re-derive every figure's value, qualifier, unit and basis from its quote.

    Reports each fact whose stored reading disagrees with its stated text; exit 2 if any.
    Example: miitfacts verify --data examples/
    """
    # Verify what the packs say, never what a derived cache remembers of them.
    registry: Registry = run.registry(use_cache=False)
    problems = core.verify(registry)
    if problems:
        raise PackError(problems)
    figures = sum(f.kind == "figure" for f in registry.vintages)
    run.emit(f"ok: {plural(figures, 'figure')} agree with their stated text\n")


@app.command("schema")
def schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of a fact pack, for editors and validators.

    Example: miitfacts schema > miitfacts-pack.schema.json
    """
    from miitfacts.output.machine import to_json
    from miitfacts.schema import json_schema

    document = json_schema()
    env = environment(ctx)
    with errors_reported(env, ctx.command_path):
        emit(env, to_json(document), utf8=True)


@app.command("sources")
@command(fields=core.SOURCE_FIELDS)
def sources(run: Run) -> None:
    """List the loaded sources with their attribution and counts of facts.

    Example: miitfacts sources --json
    """
    records = core.source_records(run.registry())
    run.output(records, SourcesTable(records))
