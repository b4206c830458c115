"""Aggregates behave as weighted means must: a lone country gives its own value, scaling the
values scales the aggregates, and the observed and imputed shares cover the population."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.monitor.aggregate import aggregate, observations_from_pack
from socialcover.monitor.denominators import denominators
from socialcover.monitor.frame import OBSERVATION_SCHEMA
from socialcover.monitor.imputation import impute
from socialcover.monitor.registry import list_indicators

pytestmark = pytest.mark.shared_data

CODE = "sdg131.at_least_one_benefit"


def _frame(rows: list[tuple[str, int, float]], indicator: str = CODE) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": [indicator] * len(rows),
            "area": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "sex": ["both"] * len(rows),
            "value": [r[2] for r in rows],
            "se": [None] * len(rows),
            "lower": [None] * len(rows),
            "upper": [None] * len(rows),
            "nature": ["observed"] * len(rows),
            "source": ["test"] * len(rows),
            "vintage": ["2025"] * len(rows),
            "footnotes": [""] * len(rows),
        },
        schema=OBSERVATION_SCHEMA,
    )


def test_every_sdg131_indicator_is_weighted_by_a_wpp_series() -> None:
    weights = {d.code: d.weight for d in list_indicators("sdg131.")}
    assert len(weights) == 9
    assert all(w is not None and w.series in ("population", "births") for w in weights.values())


def test_a_lone_country_with_one_value_every_year_gives_that_value(installed_pack: Path) -> None:
    # Kenya alone in the frame: every other country is imputed from it, so every group that
    # gets a value gets Kenya's.
    years = range(2000, 2031)
    out = aggregate(_frame([("KEN", y, 37.5) for y in years]), CODE, years)
    assert out["value"].drop_nulls().len() > 0
    assert out["value"].drop_nulls().to_list() == pytest.approx(
        [37.5] * out["value"].drop_nulls().len()
    )
    world = out.filter(pl.col("group") == "World")
    assert world["n_countries_observed"].to_list() == [1] * 31


def test_scaling_every_value_scales_every_aggregate(installed_pack: Path) -> None:
    obs = observations_from_pack(CODE)
    base = aggregate(obs, CODE, [2019, 2023])
    scaled = aggregate(obs.with_columns(pl.col("value") * 0.37), CODE, [2019, 2023])
    assert scaled["value"].to_list() == pytest.approx([v * 0.37 for v in base["value"]], rel=1e-12)
    assert scaled["population"].to_list() == base["population"].to_list()


def test_observed_and_imputed_shares_cover_the_population(installed_pack: Path) -> None:
    out = aggregate(observations_from_pack(CODE), CODE, range(2015, 2024))
    total = out["population_share_observed"] + out["population_share_imputed"]
    assert total.to_list() == pytest.approx([1.0] * out.height, abs=1e-12)
    covered = out["population"] - out["not_covered"]
    assert (covered / out["population"] * 100).to_list() == pytest.approx(out["value"].to_list())


def test_groups_add_up_to_the_world(installed_pack: Path) -> None:
    out = aggregate(observations_from_pack(CODE), CODE, 2023, by="ilo-region,world")
    regions = out.filter(pl.col("group_type") == "ilo-region")
    world = out.filter(pl.col("group_type") == "world")
    assert regions.height == 5
    assert regions["population"].sum() == pytest.approx(world["population"][0], rel=1e-12)
    assert regions["not_covered"].sum() == pytest.approx(world["not_covered"][0], rel=1e-12)


def test_nearest_year_then_region_and_income_model() -> None:
    weights = pl.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "DDD"],
            "year": [2023] * 4,
            "population": [1.0, 3.0, 5.0, 7.0],
        }
    ).with_columns(pl.col("year").cast(pl.Int32))
    members = pl.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "DDD"],
            "ilo_region": ["R1", "R1", "R1", "R2"],
            "income_group": ["Low", "Low", "High", None],
        }
    )
    values = pl.DataFrame({"iso3": ["AAA", "BBB"], "year": [2023, 2021], "value": [10.0, 30.0]})
    out = impute(values.with_columns(pl.col("year").cast(pl.Int32)), weights, members, window=3)
    got = dict(zip(out["iso3"], zip(out["method"], out["value"], strict=True), strict=True))
    assert got["AAA"] == ("observed", 10.0)
    assert got["BBB"] == ("nearest-year", 30.0)
    # CCC: no High-income donor anywhere, so the region's weighted mean (10x1 + 30x3) / 4.
    assert got["CCC"] == ("region-model", 25.0)
    # DDD: no income group and no donor in its region.
    assert got["DDD"] == (None, None)


def test_imputed_rows_of_the_frame_are_not_used(installed_pack: Path) -> None:
    frame = _frame([("KEN", 2023, 40.0), ("TZA", 2023, 99.0)])
    frame = frame.with_columns(
        pl.when(pl.col("area") == "TZA")
        .then(pl.lit("imputed"))
        .otherwise(pl.col("nature"))
        .alias("nature")
    )
    out = aggregate(frame, CODE, 2023, by="world")
    assert out["value"][0] == pytest.approx(40.0)
    assert out["n_countries_observed"][0] == 1


def test_weights_are_each_indicators_own_denominator(installed_pack: Path) -> None:
    children = denominators("sdg131.children", [2023]).filter(pl.col("iso3") == "NER")
    older = denominators("sdg131.older_persons_pension", [2023]).filter(pl.col("iso3") == "NER")
    total = denominators(CODE, [2023]).filter(pl.col("iso3") == "NER")
    assert children["population"][0] > total["population"][0] * 0.4  # Niger: a young country
    assert older["population"][0] < total["population"][0] * 0.05


def test_a_group_without_any_value_has_no_value_and_no_share(installed_pack: Path) -> None:
    out = aggregate(_frame([("KEN", 2000, 37.5)]), CODE, 2023, by="world")
    assert out["value"].to_list() == [None]
    assert out["not_covered"].to_list() == [None]
    assert out["population_share_observed"].to_list() == [0.0]
    assert out["population_share_imputed"].to_list() == [0.0]


def test_mothers_with_newborns_are_aggregated_over_women(installed_pack: Path) -> None:
    code = "sdg131.mothers_with_newborns"
    obs = observations_from_pack(code)
    default = aggregate(obs, code, 2023, by="world")
    women = aggregate(obs, code, 2023, by="world", sex="female")
    assert default.equals(women)
    assert default["n_countries_observed"][0] > 5
