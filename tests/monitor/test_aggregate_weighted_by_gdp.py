"""Amounts in % of GDP (spending, the cost of closing the gap) aggregate as total amount over
total GDP: each country weighs by its GDP in US$, and no people are counted."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.data import countries
from socialcover.monitor.aggregate import aggregate
from socialcover.monitor.denominators import denominators
from socialcover.monitor.frame import OBSERVATION_SCHEMA

pytestmark = pytest.mark.shared_data

CODE = "spending.social_protection_pct_gdp"


def _frame(values: dict[str, float], year: int, indicator: str = CODE) -> pl.DataFrame:
    n = len(values)
    return pl.DataFrame(
        {
            "indicator": [indicator] * n,
            "area": list(values),
            "year": [year] * n,
            "sex": ["both"] * n,
            "value": list(values.values()),
            "se": [None] * n,
            "lower": [None] * n,
            "upper": [None] * n,
            "nature": ["observed"] * n,
            "source": ["test"] * n,
            "vintage": ["2025"] * n,
            "footnotes": [""] * n,
        },
        schema=OBSERVATION_SCHEMA,
    )


def test_the_world_is_total_amount_over_total_gdp(installed_pack: Path) -> None:
    gdp = denominators(CODE, [2022]).drop_nulls("population")
    listed = set(countries()["iso3"]) & set(gdp["iso3"])
    values = {iso3: 1.0 for iso3 in listed} | {"KEN": 11.0, "IND": 6.0}
    out = aggregate(_frame(values, 2022), CODE, 2022, by="world")
    weights = gdp.filter(pl.col("iso3").is_in(list(values)))
    total = weights["population"].sum()
    amount = sum(values[r["iso3"]] * r["population"] for r in weights.iter_rows(named=True))
    world = out.row(0, named=True)
    assert world["value"] == pytest.approx(amount / total, rel=1e-9)
    assert world["population"] is None and world["not_covered"] is None
    assert world["population_share_observed"] == pytest.approx(1.0)


def test_every_indicator_with_a_weight_aggregates(installed_pack: Path) -> None:
    from socialcover.monitor.registry import list_indicators

    for definition in list_indicators():
        if definition.weight is None:
            continue
        frame = _frame({"KEN": 5.0}, 2020, definition.code).with_columns(sex=pl.lit(definition.sex))
        out = aggregate(frame, definition.code, 2020, by="world")
        assert out["value"].to_list() == pytest.approx([5.0])
