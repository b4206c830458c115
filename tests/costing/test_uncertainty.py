"""Monte Carlo bands (seeded), tornado, scenario comparison, and the charts of them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from socialcover.costing import project_costs
from socialcover.costing.charts import (
    bands_chart,
    cost_by_benefit_chart,
    render_chart,
    tornado_chart,
)
from socialcover.costing.uncertainty import compare, monte_carlo, tornado

KEN = {"country": "KEN", "package": "spf-four-guarantees", "horizon": 2035}


def test_monte_carlo_is_seeded_and_ordered(pack: Path) -> None:
    a = monte_carlo(KEN, draws=200, seed=7)
    b = monte_carlo(KEN, draws=200, seed=7)
    c = monte_carlo(KEN, draws=200, seed=8)
    assert a.bands.equals(b.bands)
    assert not a.bands.equals(c.bands)
    total = a.bands.filter(pl.col("benefit") == "total")
    for lo, hi in (("p5", "p25"), ("p25", "p50"), ("p50", "p75"), ("p75", "p95")):
        assert (total[lo] <= total[hi] + 1e-12).all()
    assert set(a.bands["benefit"]) == {
        "total",
        "child_benefit",
        "maternity_benefit",
        "disability_benefit",
        "old_age_pension",
    }


def test_degenerate_ranges_reproduce_the_deterministic_run(pack: Path) -> None:
    s = {
        **KEN,
        "uncertainty": {
            "real_growth_pct": {"low": 0, "high": 0},
            "inflation_pct": {"low": 0, "high": 0},
            "takeup": {"low": 1, "high": 1},
            "prevalence": {"low": 1, "high": 1},
            "population_variants": {"medium": 1},
        },
    }
    mc = monte_carlo(s, draws=20, seed=1)
    det = project_costs(s).totals.sort("year")["cost_pct_gdp"].to_numpy()
    band = mc.bands.filter(pl.col("benefit") == "total").sort("year")
    np.testing.assert_allclose(band["p5"].to_numpy(), det, rtol=1e-9)
    np.testing.assert_allclose(band["p95"].to_numpy(), det, rtol=1e-9)


def test_high_variant_costs_more_for_a_pension(pack: Path) -> None:
    t = tornado(KEN).to_dicts()
    by = {r["parameter"]: r for r in t}
    assert by["takeup"]["low"] < by["takeup"]["base"] == pytest.approx(by["takeup"]["high"])
    assert by["prevalence"]["low"] < by["prevalence"]["high"]
    # faster growth: the same benefits (indexed to prices) weigh less in GDP
    assert by["real_growth_pct"]["high"] < by["real_growth_pct"]["low"]
    swings = [r["swing"] for r in t]
    assert swings == sorted(swings, reverse=True)


def test_many_country_monte_carlo_has_world_and_region_bands(pack: Path) -> None:
    s = {"countries": ["KEN", "SEN", "PER", "IND"], "package": "campaign-basic", "horizon": 2030}
    mc = monte_carlo(s, draws=50, seed=3)
    groups = set(mc.aggregates["group"])
    assert {"World", "Africa", "Americas", "Asia and the Pacific"} <= groups
    assert mc.totals.shape == (50, 4, 6)


def test_compare_gives_differences_from_the_first(pack: Path) -> None:
    other = {**KEN, "package": "campaign-basic", "name": "campaign"}
    table = compare([{**KEN, "name": "spf"}, other])
    spf = table.filter(pl.col("scenario") == "spf").sort("year")
    camp = table.filter(pl.col("scenario") == "campaign").sort("year")
    assert (spf["diff_cost_pct_gdp"] == 0).all()
    np.testing.assert_allclose(
        camp["diff_cost_pct_gdp"].to_numpy(),
        (camp["cost_pct_gdp"] - spf["cost_pct_gdp"]).to_numpy(),
        rtol=1e-12,
    )


def test_charts_render_to_svg_and_png(pack: Path, tmp_path: Path) -> None:
    r = project_costs(KEN)
    mc = monte_carlo(KEN, draws=50, seed=1)
    specs = [cost_by_benefit_chart(r), bands_chart(mc), tornado_chart(tornado(KEN))]
    for i, spec in enumerate(specs):
        assert spec["$schema"].endswith("vega-lite/v5.json")
        svg = render_chart(spec, tmp_path / f"c{i}.svg")
        assert "<svg" in svg.read_text()
    png = render_chart(specs[0], tmp_path / "c.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_central_case_is_reported_against_its_distribution(pack: Path) -> None:
    from socialcover.costing.charts import BAND_SERIES, bands_chart

    s = {"country": "KEN", "package": "campaign-basic", "horizon": 2027}
    only_takeup = {
        **s,
        "uncertainty": {
            "real_growth_pct": {"low": 0, "high": 0},
            "inflation_pct": {"low": 0, "high": 0},
            "prevalence": {"low": 1, "high": 1},
            "population_variants": {"medium": 1},
            "takeup": {"low": 0.8, "high": 1.0},  # one-sided: every draw at or below central
        },
    }
    mc = monte_carlo(only_takeup, draws=200, seed=3)
    total = mc.bands.filter(pl.col("benefit") == "total").sort("year")
    central = project_costs(s).totals.sort("year")["cost_pct_gdp"].to_numpy()
    np.testing.assert_allclose(total["central"].to_numpy(), central, rtol=1e-12)
    assert (total["p95"].to_numpy() <= central * (1 + 1e-12)).all()
    assert total["central_percentile"].to_list() == [100.0] * 3
    # a symmetric range puts the central case inside its distribution
    sym = monte_carlo(s, draws=300, seed=3).bands.filter(pl.col("benefit") == "total")
    assert all(5 < p < 100 for p in sym["central_percentile"].to_list())
    spec = bands_chart(mc)
    assert spec["title"]["subtitle"].startswith("Source: socialcover costing")
    legend = {layer["encoding"]["color"]["datum"] for layer in spec["layer"]}
    assert legend == set(BAND_SERIES)
    world = mc.aggregates.filter(pl.col("group") == "World").sort("year")
    np.testing.assert_allclose(world["central"].to_numpy(), central, rtol=1e-12)


def test_the_band_chart_renders_its_legend_and_source(pack: Path, tmp_path: Path) -> None:
    from socialcover.costing.charts import bands_chart, render_chart

    mc = monte_carlo({"country": "KEN", "package": "campaign-basic", "horizon": 2027}, draws=50)
    out = tmp_path / "bands.svg"
    render_chart(bands_chart(mc), out)
    svg = out.read_text(encoding="utf-8")
    assert "Central projection" in svg and "5th-95th percentile" in svg
    assert "Source: socialcover costing" in svg
