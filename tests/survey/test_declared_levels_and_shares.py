"""Declared levels show without rows, shares of every level, and the score quantile interval.

The numbers are checked against R in ``golden/parity.json`` (cases ``*-by-declared``,
``*-shares*``, ``*-quantile-score-*``); these tests pin the behaviour around them.
"""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

from socialcover.survey import Design, EstimateError, ReplicateDesign, Sample

DF = pl.DataFrame(
    {
        "region": ["north", "south", "north", "south", "north"],
        "k": [1, 1, 2, 2, 2],
        "y": [1.0, 2.0, 3.0, 0.0, 5.0],
        "w": [1.0, 1.0, 2.0, 1.0, 1.0],
    }
)
REGIONS = pl.Enum(["north", "south", "east"])


def test_enum_level_without_rows_gets_a_row_with_a_reason() -> None:
    s = Sample(DF.with_columns(pl.col("region").cast(REGIONS)), Design(weights="w"))
    for est in (s.mean("y", by="region"), s.total("y", by="region"), s.quantile("y", by="region")):
        t = est.to_polars()
        assert sorted(t["region"].to_list()) == ["east", "north", "south"]
        east = t.filter(pl.col("region") == "east")
        assert east["n"][0] == 0 and east["estimate"][0] is None
        assert "empty domain" in east["reason"][0]
    # two by columns: every combination of levels (R: interaction of the factors)
    assert len(s.mean("y", by=["region", "k"])) == 6
    # plain strings keep only the levels found, as before
    assert len(Sample(DF, Design(weights="w")).mean("y", by="region")) == 2


def test_pandas_categorical_levels_show_too() -> None:
    pdf = DF.to_pandas()
    pdf["region"] = pd.Categorical(pdf["region"], categories=["north", "south", "east"])
    t = Sample(pdf, Design(weights="w")).mean("y", by="region").to_polars()
    assert t.height == 3


def test_shares_sum_to_one_and_keep_declared_levels() -> None:
    s = Sample(DF.with_columns(pl.col("region").cast(REGIONS)), Design(weights="w"))
    t = s.shares("region").to_polars()
    assert t["level"].to_list() == ["north", "south", "east"]
    assert t["estimate"].sum() == pytest.approx(1.0, rel=1e-15)
    assert t["estimate"].to_list()[2] == 0.0
    by = s.shares("region", by="k").to_polars()
    assert by.group_by("k").agg(pl.col("estimate").sum())["estimate"].to_list() == pytest.approx(
        [1.0, 1.0]
    )


def test_score_interval_needs_a_taylor_design() -> None:
    d = pl.DataFrame({"w": [1.0] * 6, "psu": [1, 2, 3, 4, 5, 6], "y": [1.0, 2, 3, 4, 5, 6]})
    rep = Sample(d, ReplicateDesign.from_design(Design(weights="w", psu="psu"), "JK1"))
    with pytest.raises(EstimateError, match="score"):
        rep.quantile("y", interval_type="score")
