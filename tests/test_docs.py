"""The README's Python API section is a doctest: it shows real results on the bundled data.

The README's ``<!-- example: ... -->`` blocks are checked by ``test_readme``.
"""

from __future__ import annotations

import doctest
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def api_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Python API")
    return text[start : text.index("\n## ", start + 1)]


def test_the_python_api_section_is_a_passing_doctest() -> None:
    test = doctest.DocTestParser().get_doctest(api_section(), {}, "README.md", "README.md", 0)
    assert len(test.examples) > 20
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0
