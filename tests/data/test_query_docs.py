"""docs/data-api.md: its Python examples run against the real pack, and every error code of
the query API is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-api.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "socialcover" / "data"
QUERY_MODULES = ["countries", "population", "vital", "macro", "poverty", "coverage", "profile"]

pytestmark = pytest.mark.shared_data


def test_python_examples_run(installed_pack: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)


def test_every_error_code_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    codes: set[str] = set()
    for name in QUERY_MODULES:
        codes |= set(re.findall(r'code="(data\.[a-z-]+)"', (SRC / f"{name}.py").read_text()))
    assert codes
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert not missing, f"undocumented error codes: {missing}"
