"""The README texts this branch hands over (docs-*.md) show real output.

``docs-api.md`` is a doctest; ``docs-export.md`` has ``<!-- example: ... -->``
blocks checked as the README's are. Once merged into the README, test_readme
covers the examples; these tests skip a file that is gone.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from miitfacts.errors import NotFoundError
from tests.conftest import Invoke
from tests.test_readme import EXAMPLE, run_example

ROOT = Path(__file__).parent.parent


def _doc(name: str) -> Path:
    path = ROOT / name
    if not path.exists():
        pytest.skip(f"{name} has been merged into the README")
    return path


@pytest.mark.xfail(
    not issubclass(NotFoundError, LookupError),
    reason="the doc catches NotFoundError as a LookupError: the harden branch makes it one",
    strict=True,
)
def test_api_doc_is_a_passing_doctest() -> None:
    failures = _run_doctest(_doc("docs-api.md").read_text(encoding="utf-8"))
    assert failures == 0


def test_api_doc_examples_but_the_lookup_error() -> None:
    """Every example, catching NotFoundError by name: checked before harden lands too."""
    text = _doc("docs-api.md").read_text(encoding="utf-8")
    assert "except LookupError as error:" in text
    failures = _run_doctest(text.replace("except LookupError", "except miitfacts.NotFoundError"))
    assert failures == 0


def _run_doctest(text: str) -> int:
    test = doctest.DocTestParser().get_doctest(text, {}, "docs-api.md", "docs-api.md", 0)
    assert len(test.examples) > 20
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.failures


def test_export_doc_examples_match_real_output(invoke: Invoke) -> None:
    text = _doc("docs-export.md").read_text(encoding="utf-8")
    examples = list(EXAMPLE.finditer(text))
    assert len(examples) >= 4
    for match in examples:
        assert run_example(invoke, match["command"]) == match["output"], match["command"]
