"""docs/data-api.md documents every error code of the query API (its Python examples run in
tests/tooling/test_docs_examples.py)."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-api.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "socialcover" / "data"
QUERY_MODULES = ["countries", "population", "vital", "macro", "poverty", "coverage", "profile"]


def test_every_error_code_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    codes: set[str] = set()
    for name in QUERY_MODULES:
        codes |= set(re.findall(r'code="(data\.[a-z-]+)"', (SRC / f"{name}.py").read_text()))
    assert codes
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert not missing, f"undocumented error codes: {missing}"
