"""Test modules have unique basenames: pytest's default import mode cannot collect two
``test_docs.py`` in folders without ``__init__.py`` (CI failed on exactly that once)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_test_module_basenames_are_unique_outside_packages() -> None:
    names = Counter(
        p.name for p in TESTS.rglob("test_*.py") if not (p.parent / "__init__.py").exists()
    )
    assert [n for n, c in names.items() if c > 1] == []
