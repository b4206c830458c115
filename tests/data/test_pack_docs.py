"""docs/data-pack.md documents every error code and command of the pack's code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialcover.cli.data import app

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "data-pack.md").read_text(encoding="utf-8")
MODULES = [
    *(ROOT / "src" / "socialcover" / "data").glob("*.py"),
    *(ROOT / "src" / "socialcover" / "data" / "fetch").glob("*.py"),
]
CODES = sorted(
    {
        code
        for path in MODULES
        for code in re.findall(r'"(data\.(?:pack|fetch)-[a-z-]+)"', path.read_text())
    }
)


def test_codes_were_found() -> None:
    assert len(CODES) >= 15


@pytest.mark.parametrize("code", CODES)
def test_error_code_is_documented(code: str) -> None:
    assert f"`{code}`" in DOC


@pytest.mark.parametrize("command", ["import", "status", "fetch", "demo"])
def test_command_is_documented(command: str) -> None:
    names = {c.name for c in app.registered_commands}
    assert command in names
    assert f"socialcover data {command}" in DOC
