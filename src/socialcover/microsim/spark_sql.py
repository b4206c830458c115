"""Spark SQL pieces shared by the microsimulation's Spark paths (impacts and targeting):
quoted names, double literals, and estimates as the in-memory path's frames."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

ESTIMATES_SCHEMA = {
    "variable": pl.String,
    "group": pl.String,
    "estimate": pl.Float64,
    "se": pl.Float64,
}


def quote(name: str) -> str:
    """A column name quoted for Spark SQL."""
    return "`" + name.replace("`", "``") + "`"


def number(value: float) -> str:
    """A double literal (a bare 1.5 is a decimal in Spark SQL)."""
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def double(name: str) -> str:
    """A column cast to double."""
    return f"CAST({quote(name)} AS DOUBLE)"


def estimates_frame(
    name: str, levels: list[str], by: str | None, est: Any, se: Any
) -> pl.DataFrame:
    """Estimates of ``name`` per level (group ``None`` overall), as the in-memory path gives
    them: columns variable, group, estimate and se."""
    return pl.DataFrame(
        {
            "variable": [name] * len(levels),
            "group": levels if by is not None else [None] * len(levels),
            "estimate": np.asarray(est, np.float64),
            "se": np.asarray(se, np.float64),
        },
        schema=ESTIMATES_SCHEMA,
    )
