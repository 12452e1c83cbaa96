"""Shared fixtures: a CLI runner with a clean environment, and a pack factory."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import miitfacts
from miitfacts.cli import app
from miitfacts.registry import Registry

SOURCE_TEXT = "某部門2026年3月1日消息,會上介紹,2025年示例企業數量超過1200家,同比增長3.5%。發言人李四表示,將推進示例工作。\n"


# -- no test touches the user's home or real cache ------------------------------
# Set before any fixture or test module loads a pack: the session-scoped
# ``registry`` fixture runs before any function-scoped fixture, so a per-test
# setting alone comes too late. HOME points at an empty stand-in, so anything
# that ignored MIITFACTS_CACHE would write there (and the test that checks it
# fails) instead of into ~/.cache/miitfacts.
# Made when the session starts (importing this module outside pytest makes nothing).
SESSION_CACHE: Path
STAND_IN_HOME: Path
_SANDBOX: list[Path] = []
_SAVED = {name: os.environ.get(name) for name in ("HOME", "XDG_CACHE_HOME", "MIITFACTS_CACHE")}


def pytest_configure(config: pytest.Config) -> None:
    global SESSION_CACHE, STAND_IN_HOME
    sandbox = Path(tempfile.mkdtemp(prefix="miitfacts-tests-"))
    _SANDBOX.append(sandbox)
    SESSION_CACHE, STAND_IN_HOME = sandbox / "cache", sandbox / "home"
    STAND_IN_HOME.mkdir()
    os.environ["HOME"] = str(STAND_IN_HOME)
    os.environ.pop("XDG_CACHE_HOME", None)
    os.environ["MIITFACTS_CACHE"] = str(SESSION_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name, value in _SAVED.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    for sandbox in _SANDBOX:
        shutil.rmtree(sandbox, ignore_errors=True)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MIITFACTS_DATA", "MIITFACTS_LANG", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    # Tests keep their derived cache to themselves (the session's, set above).
    monkeypatch.setenv("MIITFACTS_CACHE", str(SESSION_CACHE))


@pytest.fixture(scope="session")
def registry() -> Registry:
    return miitfacts.load(use_env=False)


Invoke = Callable[..., Result]


@pytest.fixture
def invoke() -> Invoke:
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env)

    return run


def minimal_pack(**overrides: Any) -> dict[str, Any]:
    """A small valid pack about a fictional source; tests break one thing at a time."""
    pack: dict[str, Any] = {
        "format": 1,
        "source": {
            "id": "test-source",
            "publisher": "某部門",
            "publisher_en": "A Department",
            "title": "示例發布會",
            "title_en": "Example briefing",
            "date": "2026-03-01",
            "event": "示例發布會",
            "event_en": "Example briefing",
            "text_file": "test-source.txt",
            "attribution": "Fictional, for tests.",
            "speakers": [
                {"name": "李四", "name_en": "Li Si", "title": "Spokesperson", "title_zh": "發言人"}
            ],
        },
        "topics": [{"id": "example", "name": "Example", "name_zh": "示例", "aliases": ["sample"]}],
        "facts": [
            {
                "id": "example.enterprises",
                "topic": "example",
                "kind": "figure",
                "label": "Example enterprises",
                "label_zh": "示例企業數量",
                "value": 1200,
                "unit": "enterprises",
                "qualifier": "more_than",
                "period": "2025",
                "stated": "超過1200家",
                "quote": "2025年示例企業數量超過1200家",
                "baseline": None,
            },
            {
                "id": "example.growth",
                "topic": "example",
                "kind": "figure",
                "label": "Example growth",
                "label_zh": "示例增長",
                "value": 3.5,
                "unit": "percent",
                "qualifier": "exact",
                "period": "2025",
                "stated": "同比增長3.5%",
                "quote": "同比增長3.5%",
                "baseline": "industry.value-added-growth",
            },
            {
                "id": "example.plan",
                "topic": "example",
                "kind": "statement",
                "label": "Push example work",
                "label_zh": "推進示例工作",
                "period": "2026",
                "quote": "將推進示例工作",
                "speaker": "李四",
                "tags": ["plan"],
            },
        ],
    }
    pack.update(overrides)
    return pack


WritePack = Callable[..., Path]


@pytest.fixture
def write_pack(tmp_path: Path) -> WritePack:
    """Write a pack (a dict, or raw bytes) and its source text; returns the pack path."""

    def write(
        pack: dict[str, Any] | bytes | None = None, name: str = "pack.json", text: str = SOURCE_TEXT
    ) -> Path:
        folder = tmp_path / name.removesuffix(".json")
        folder.mkdir(exist_ok=True)
        (folder / "test-source.txt").write_text(text, encoding="utf-8")
        path = folder / name
        data = (
            pack
            if isinstance(pack, bytes)
            else json.dumps(pack or minimal_pack(), ensure_ascii=False).encode()
        )
        path.write_bytes(data)
        return path

    return write
