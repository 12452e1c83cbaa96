"""The README's promises: its two set-up commands, and examples that match real output."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import Invoke

README = Path(__file__).parent.parent / "README.md"
EXAMPLE = re.compile(r"<!-- example: (?P<command>.+?) -->\n```text\n(?P<output>.*?)```\n", re.S)


def test_readme_starts_with_the_two_set_up_commands() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(block) == 2
    assert block[0].endswith("miitfacts show 6g") and "pip install" in block[0]
    assert block[1].endswith("python -m pytest")
    assert text.index("```sh") < text.index("## ")


def run_example(invoke: Invoke, command: str) -> str:
    words = shlex.split(command)
    assert words[0] == "miitfacts"
    result = invoke(*words[1:], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_readme_examples_match_real_output(invoke: Invoke) -> None:
    text = README.read_text(encoding="utf-8")
    examples = list(EXAMPLE.finditer(text))
    assert len(examples) >= 5
    if os.environ.get("UPDATE_README"):
        text = EXAMPLE.sub(
            lambda m: (
                f"<!-- example: {m['command']} -->\n```text\n{run_example(invoke, m['command'])}```\n"
            ),
            text,
        )
        README.write_text(text, encoding="utf-8")
        pytest.skip("README examples rewritten")
    for match in examples:
        assert run_example(invoke, match["command"]) == match["output"], match["command"]
