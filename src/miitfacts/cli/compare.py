"""``compare``: figures side by side, against their baselines, with bounds carried through."""

from typing import Annotated

import typer

from miitfacts.cli.common import Run, command, targets_argument
from miitfacts.output import fact_record

app = typer.Typer()

COMPARISON_FIELDS = (
    "a",
    "b",
    "unit",
    "difference",
    "difference_unit",
    "qualifier",
    "ratio",
    "ratio_qualifier",
    "basis",
    "reason",
)


@app.command("compare")
@command(fields=COMPARISON_FIELDS)
def compare(
    run: Run,
    targets: Annotated[
        list[str],
        targets_argument(
            "TOPIC|ID", "A topic (its figures and their baselines), or two or more fact ids."
        ),
    ],
) -> None:
    """Compare figures: differences (percentage points for percents) and ratios, with bounds.

    --json gives {"facts": [...], "comparisons": [...], "notes": [...]}; the other machine
    formats give one row per comparison.
    Examples: miitfacts compare sme; miitfacts compare sme.specialized-smes sme.little-giants
    """
    from miitfacts.compare import compare as core_compare

    result = core_compare(run.registry(), targets)
    settings = run.settings
    if settings.format.value == "json" and settings.fields is None:
        from miitfacts.output.machine import to_json

        run.emit(to_json(result.document([fact_record(f) for f in result.facts])))
        return
    if settings.machine or settings.fields:
        run.emit_records([c.record() for c in result.comparisons], COMPARISON_FIELDS)
        return
    from miitfacts.output.human import compare_view, render

    run.emit(render(settings, compare_view(result, settings)))
