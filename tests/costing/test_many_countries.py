"""Many countries at once: every country costed or listed with its reason; sane magnitudes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from socialcover.costing import project_costs
from socialcover.costing.aggregate import aggregate, missing_table
from socialcover.costing.inputs import countries


def test_every_country_is_costed_or_listed_with_a_reason(pack: Path) -> None:
    r = project_costs({"countries": "all", "package": "spf-four-guarantees", "horizon": 2030})
    everyone = set(countries()["iso3"])
    assert set(r.iso3s) | set(r.missing) == everyone
    assert not set(r.iso3s) & set(r.missing)
    assert len(r.iso3s) > 180
    miss = missing_table(r)
    assert miss.height == len(r.missing) and miss["reason"].str.len_chars().min() > 5


def test_costs_are_finite_and_of_a_sane_size(pack: Path) -> None:
    """A unit mismatch (e.g. a PPP in old currency units) would show up as 1000x costs."""
    r = project_costs({"countries": "all", "package": "spf-four-guarantees", "horizon": 2030})
    pct = r.totals["cost_pct_gdp"].to_numpy()
    assert np.isfinite(pct).all()
    assert pct.min() > 0 and pct.max() < 20


def test_single_country_equals_its_row_in_the_many_country_run(pack: Path) -> None:
    many = project_costs({"countries": ["KEN", "PER", "VNM"], "package": "ess58", "horizon": 2032})
    one = project_costs({"country": "PER", "package": "ess58", "horizon": 2032})
    a = many.rows.filter(pl.col("iso3") == "PER").sort("year", "benefit")
    b = one.rows.sort("year", "benefit")
    np.testing.assert_allclose(a["cost_lcu"].to_numpy(), b["cost_lcu"].to_numpy(), rtol=1e-12)


def test_aggregates_are_gdp_weighted(pack: Path) -> None:
    r = project_costs({"countries": "all", "package": "campaign-basic", "horizon": 2027})
    world = aggregate(r, "world").sort("year")
    regions = aggregate(r, "ilo-region")
    summed = regions.group_by("year").agg(pl.col("cost_usd", "gdp_usd").sum()).sort("year")
    np.testing.assert_allclose(
        world["cost_usd"].to_numpy(), summed["cost_usd"].to_numpy(), rtol=1e-12
    )
    np.testing.assert_allclose(
        world["cost_pct_gdp"].to_numpy(),
        (summed["cost_usd"] / summed["gdp_usd"] * 100).to_numpy(),
        rtol=1e-12,
    )
    per_benefit = aggregate(r, "income-group", per_benefit=True)
    tot = per_benefit.group_by("group", "year").agg(pl.col("cost_usd").sum()).sort("group", "year")
    direct = aggregate(r, "income_group").sort("group", "year")
    np.testing.assert_allclose(tot["cost_usd"].to_numpy(), direct["cost_usd"].to_numpy(), rtol=1e-9)
