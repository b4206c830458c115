"""Fixtures of the survey-engine tests."""

from __future__ import annotations

import polars as pl
import pytest
from survey_oracle import read_fixture


@pytest.fixture(scope="session")
def api() -> dict[str, pl.DataFrame]:
    """R's api and nhanes data, read from the CSV fixtures."""
    return {n: read_fixture(n) for n in ("apisrs", "apistrat", "apiclus1", "apiclus2", "nhanes")}
