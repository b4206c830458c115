"""docs/costing.md documents every preset, error code and CLI option."""

from __future__ import annotations

import re
from pathlib import Path

from socialcover.costing.presets import PACKAGES

DOC = Path(__file__).resolve().parents[2] / "docs" / "costing.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "socialcover"


def test_every_preset_and_error_code_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in PACKAGES:
        assert f"`{name}`" in text
    codes = set()
    for f in [*(SRC / "costing").glob("*.py"), SRC / "cli" / "cost.py"]:
        codes |= set(re.findall(r'code="(costing\.[a-z-]+)"', f.read_text(encoding="utf-8")))
    missing = sorted(c for c in codes if f"`{c}`" not in text)
    assert not missing, f"undocumented error codes: {missing}"


def test_every_cli_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    cli = (SRC / "cli" / "cost.py").read_text(encoding="utf-8")
    for opt in set(re.findall(r'"(--[a-z-]+)"', cli)):
        assert opt in text, opt
