"""The ILO's broad subregions: each lies inside one ILO region of the data pack, and where a
region's countries all have a subregion, the region's aggregate is the population-weighted
mean of its subregions' (the same countries, values and weights)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.data import countries
from socialcover.monitor.aggregate import ILO_SUBREGIONS_FILE, aggregate, observations_from_pack

pytestmark = pytest.mark.shared_data

CODE = "sdg131.at_least_one_benefit"


def test_every_subregion_lies_in_one_ilo_region_of_the_pack(installed_pack: Path) -> None:
    listed = pl.read_csv(ILO_SUBREGIONS_FILE)
    assert listed["iso3"].is_unique().all() and listed.height == 189
    assert listed["ilo_subregion"].n_unique() == 11
    joined = listed.join(countries().select("iso3", pack_region="ilo_region"), on="iso3")
    assert (joined["ilo_region"] == joined["pack_region"]).all()
    per_subregion = joined.group_by("ilo_subregion").agg(pl.col("ilo_region").n_unique())
    assert (per_subregion["ilo_region"] == 1).all()


@pytest.mark.parametrize(
    "region",
    ["Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe and Central Asia"],
)
def test_subregions_cover_their_region(installed_pack: Path, region: str) -> None:
    out = aggregate(observations_from_pack(CODE), CODE, 2023, by=["ilo-region", "ilo-subregion"])
    listed = pl.read_csv(ILO_SUBREGIONS_FILE).filter(pl.col("ilo_region") == region)
    parts = out.filter(
        pl.col("group_type") == "ilo-subregion",
        pl.col("group").is_in(listed["ilo_subregion"].unique().implode()),
    )
    whole = out.filter(pl.col("group_type") == "ilo-region", pl.col("group") == region).row(
        0, named=True
    )
    # the territories outside the ILO's list hold under 1% of any region's people
    assert 0.99 * whole["population"] <= parts["population"].sum() <= whole["population"]
    weighted = (parts["value"] * parts["population"]).sum() / parts["population"].sum()
    if parts["population"].sum() == pytest.approx(whole["population"], rel=1e-12):
        assert whole["value"] == pytest.approx(weighted, rel=1e-12)  # Arab States: all listed
    else:
        assert whole["value"] == pytest.approx(weighted, abs=0.5)
