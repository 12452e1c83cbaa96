"""The README texts this branch hands over (docs-*.md) show real output.

``docs-api.md`` is a doctest; ``docs-export.md`` has ``<!-- example: ... -->``
blocks checked as the README's are. Once merged into the README, test_readme
covers the examples; these tests skip a file that is gone.
"""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

from tests.conftest import Invoke
from tests.test_readme import EXAMPLE, run_example

ROOT = Path(__file__).parent.parent


def _doc(name: str) -> Path:
    path = ROOT / name
    if not path.exists():
        pytest.skip(f"{name} has been merged into the README")
    return path


def test_api_doc_is_a_passing_doctest() -> None:
    failures = _run_doctest(_doc("docs-api.md").read_text(encoding="utf-8"))
    assert failures == 0


def _run_doctest(text: str) -> int:
    test = doctest.DocTestParser().get_doctest(text, {}, "docs-api.md", "docs-api.md", 0)
    assert len(test.examples) > 20
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.failures


def test_export_doc_examples_match_real_output(invoke: Invoke) -> None:
    path = _doc("docs-export.md")
    text = path.read_text(encoding="utf-8")
    examples = list(EXAMPLE.finditer(text))
    assert len(examples) >= 4
    if os.environ.get("UPDATE_DOCS"):
        text = EXAMPLE.sub(
            lambda m: (
                f"<!-- example: {m['command']} -->\n```text\n{run_example(invoke, m['command'])}```\n"
            ),
            text,
        )
        path.write_text(text, encoding="utf-8")
        pytest.skip("docs-export.md examples rewritten")
    for match in examples:
        assert run_example(invoke, match["command"]) == match["output"], match["command"]
