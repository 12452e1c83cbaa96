"""``compare``: figures side by side, against their baselines, with bounds carried through."""

from typing import Annotated

import typer

from miitfacts.cli.common import Run, command, targets_argument
from miitfacts.compare import COMPARISON_FIELDS, compare
from miitfacts.output import CompareView

app = typer.Typer()


@app.command("compare")
@command(fields=COMPARISON_FIELDS, time=True)
def compare_command(
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
    One indicator: each period against the one before (growth for counts and money).
    Examples: miitfacts compare sme; miitfacts compare sme.specialized-smes sme.little-giants
    """
    registry = run.registry()
    result = compare(registry, targets, run.time)
    run.output(
        [c.record() for c in result.comparisons],
        CompareView(result),
        document=result.document([registry.record(f) for f in result.facts]),
    )
