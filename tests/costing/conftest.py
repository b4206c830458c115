"""Costing tests run on the real data pack (installed once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def pack(installed_pack: Path) -> Path:
    """The real pack, installed."""
    return installed_pack
