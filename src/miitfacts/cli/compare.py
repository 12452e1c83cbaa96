"""``compare``: figures side by side, against their baselines, with bounds carried through."""

from typing import Annotated

import typer

from miitfacts.cli.common import Run, command, targets_argument
from miitfacts.output import CompareView, fact_record

app = typer.Typer()

# The fields of ``Comparison.record()`` (compare.py), in its order.
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
    run.output(
        [c.record() for c in result.comparisons],
        CompareView(result),
        document=result.document([fact_record(f) for f in result.facts]),
    )
