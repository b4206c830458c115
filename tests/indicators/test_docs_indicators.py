"""docs/indicators.md documents every indicator code and error code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialcover.indicators import indicator_codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "socialcover"
MINE = [SRC / "survey" / "io", SRC / "indicators", SRC / "testing", SRC / "cli" / "survey.py"]


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", indicator_codes())
def test_every_indicator_code_is_documented(code: str) -> None:
    assert f"`{code}`" in _text()


def _error_codes() -> set[str]:
    found: set[str] = set()
    for root in MINE:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for f in files:
            found |= set(
                re.findall(r'code="((?:survey|indicators|testing)\.[a-z-]+)"', f.read_text())
            )
    return found


def test_every_error_code_of_these_modules_is_documented() -> None:
    codes = _error_codes()
    assert "survey.unreadable-file" in codes
    text = _text()
    missing = sorted(c for c in codes if c not in text)
    assert not missing, missing
