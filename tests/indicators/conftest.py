"""A small synthetic survey shared by the indicator tests."""

from __future__ import annotations

import polars as pl
import pytest

from socialcover.testing import synthetic_survey


@pytest.fixture(scope="session")
def survey() -> pl.DataFrame:
    """20,000 persons of Demoland (seeded)."""
    return synthetic_survey(20_000, seed=11)
