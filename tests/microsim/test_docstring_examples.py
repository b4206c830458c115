"""Docstring examples of the microsim modules run (and documented error codes exist)."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

MODULES = [
    "units",
    "expression",
    "rules",
    "sql_compiler",
    "impact",
    "scheme",
    "analysis",
    "parameters",
    "reform",
    "situation",
    "calibration",
    "execution",
]
DOC = Path(__file__).resolve().parents[2] / "docs" / "microsim.md"
SRC = Path(__file__).resolve().parents[2] / "src" / "socialcover" / "microsim"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"socialcover.microsim.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_every_error_code_is_documented() -> None:
    codes = set()
    for path in SRC.glob("*.py"):
        codes |= set(re.findall(r'code="(microsim\.[a-z-]+)"', path.read_text()))
    doc = DOC.read_text()
    missing = sorted(c for c in codes if c not in doc)
    assert not missing, f"document these error codes in docs/microsim.md: {missing}"


def test_quick_start_in_the_docs_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first Python block of docs/microsim.md runs as written, from the repository root."""
    text = DOC.read_text()
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(DOC.parents[1])
    namespace: dict[str, object] = {}
    exec(compile(block, str(DOC), "exec"), namespace)
    result = namespace["result"]
    change = result.to_dict()["total"]["change"]["cost"]  # type: ignore[attr-defined]
    assert change["estimate"] > 0 and change["se"] > 0
