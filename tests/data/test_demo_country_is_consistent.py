"""The demo country Demoland (XDM): a complete, deterministic, internally consistent pack that
the importer, the query API and the costing engine use unchanged."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data.catalog import DATASETS
from socialcover.data.demo import DEMO_M49, build_demo_pack, install_demo
from socialcover.data.pack import install_pack


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_pack(tmp_path_factory.mktemp("demo"))


def read(pack: Path, dataset_id: str) -> pl.DataFrame:
    spec = next(s for s in DATASETS if s.id == dataset_id)
    frame = pl.read_csv(
        pack / spec.path, schema_overrides=spec.columns, null_values=[""], infer_schema_length=0
    )
    if "loc_code" in frame.columns and dataset_id != "wpp_locations":
        frame = frame.filter(pl.col("loc_code") == DEMO_M49)
    return frame


def test_every_pack_file_is_written_and_the_build_is_deterministic(
    demo_pack: Path, tmp_path: Path
) -> None:
    again = build_demo_pack(tmp_path / "again")
    for spec in DATASETS:
        assert (demo_pack / spec.path).read_bytes() == (again / spec.path).read_bytes(), spec.path


def test_annual_totals_equal_the_sum_of_age_groups(demo_pack: Path) -> None:
    age5 = read(demo_pack, "wpp_population_age5")
    total = read(demo_pack, "wpp_population_total")
    sums = age5.group_by("year").agg(pl.col("population").sum())
    joined = sums.join(total, on="year")
    assert joined.height == 23  # 1990, 1995, ..., 2100
    assert (joined["population"] == joined["pop_jul1"]).all()
    assert (total["pop_male_jul1"] + total["pop_female_jul1"] == total["pop_jul1"]).all()


def test_balancing_equation_holds_every_year(demo_pack: Path) -> None:
    total = read(demo_pack, "wpp_population_total").sort("year")
    ind = read(demo_pack, "wpp_indicators").sort("year")
    jan = total["pop_jan1"].to_numpy()
    change = ind["pop_change"].to_numpy()
    assert (jan[1:] - jan[:-1] == change[:-1]).all()
    natural = ind["births"] - ind["deaths"]
    migration = ind["net_migration_rate_per1000"] * total["pop_jul1"] / 1000
    assert ((natural + migration - ind["pop_change"]).abs() < 2).all()


def test_births_are_asfr_times_women(demo_pack: Path) -> None:
    age5 = read(demo_pack, "wpp_population_age5")
    fert = read(demo_pack, "wpp_fertility")
    ind = read(demo_pack, "wpp_indicators")
    women = age5.filter((pl.col("sex") == "female") & pl.col("age_start").is_between(15, 45))
    women = women.with_columns(
        mother_age_group=pl.format("{}-{}", pl.col("age_start"), pl.col("age_start") + 4),
        period_start=pl.col("year"),
    )
    implied = (
        women.join(fert, on=["period_start", "mother_age_group"])
        .group_by("year")
        .agg((pl.col("asfr") * pl.col("population")).sum().alias("implied"))
        .join(ind, on="year")
    )
    assert implied.height == 22  # every period 1990-2095
    rel = (implied["implied"] / implied["births"] - 1).abs()
    assert rel.max() < 1e-4  # rounding of asfr to 6 decimals only
    pattern = fert.group_by("period_start").agg(pl.col("pct_of_tfr").sum())
    assert ((pattern["pct_of_tfr"] - 100).abs() < 0.01).all()


def test_life_expectancy_and_variants_behave(demo_pack: Path) -> None:
    ind = read(demo_pack, "wpp_indicators")
    assert (ind["e0_female"] > ind["e0_male"]).all()
    assert ((ind["e0_both"] > ind["e0_male"]) & (ind["e0_both"] < ind["e0_female"])).all()
    assert (
        ind.filter(pl.col("year") == 2100)["e0_both"][0]
        > ind.filter(pl.col("year") == 1990)["e0_both"][0]
    )
    age5 = read(demo_pack, "wpp_population_age5").filter(pl.col("year") == 2050)
    young = age5.filter(pl.col("age_start") == 0)
    old = age5.filter(pl.col("age_start") == 60)
    assert (young["population_low"] < young["population"]).all()
    assert (young["population"] < young["population_high"]).all()
    assert (old["population_low"] == old["population"]).all()


def test_macro_series_follow_the_accounting_identities(demo_pack: Path) -> None:
    weo = read(demo_pack, "imf_weo").pivot(on="indicator", index="year", values="value")
    rel = (weo["NGDP_R"] * weo["NGDP_D"] / 100 / weo["NGDP"] - 1).abs()
    assert rel.max() < 1e-3
    total = read(demo_pack, "wpp_population_total")
    lp = weo.join(total, on="year")
    assert ((lp["LP"] * 1e6 / lp["pop_jul1"] - 1).abs() < 1e-4).all()
    wdi = read(demo_pack, "wb_wdi").pivot(on="indicator", index="year", values="value")
    both = weo.join(wdi, on="year")
    rel_usd = (both["NGDP"] / both["PA.NUS.FCRF"] / both["NGDPD"] - 1).abs()
    assert rel_usd.max() < 1e-3
    pov = read(demo_pack, "wb_poverty")
    shares = pov.select(pl.sum_horizontal(f"share_q{i}_pct" for i in range(1, 6)))
    assert ((shares.to_series() - 100).abs() < 0.05).all()


def test_demo_installs_once_and_serves_the_query_api(sc_home: Path) -> None:
    first = install_demo()
    assert first.changed and first.manifest.origin == "demo"
    assert all("Fictional" in d.attribution for d in first.datasets)
    assert not install_demo().changed

    import socialcover.data as data

    demo = data.country("XDM")
    assert (demo.name, demo.m49, demo.ilo_region) == ("Demoland", DEMO_M49, "Africa")
    births = data.births("XDM", [2030])["births"].sum()
    from socialcover.data._store import scan

    listed = (
        scan("wpp_indicators")
        .filter((pl.col("loc_code") == DEMO_M49) & (pl.col("year") == 2030))
        .collect()["births"][0]
    )
    assert abs(births / listed - 1) < 1e-3
    assert data.coverage("XDM").height > 0
    assert data.macro("XDM", [2024]).height > 0


def test_costing_engine_runs_on_the_demo_country(sc_home: Path) -> None:
    from socialcover.costing import project_costs

    install_demo()
    # The demo world has no United States, whose CPI the engine uses to project exchange
    # rates: the default falls back to a stated 2% assumption.
    scenario = {"name": "demo", "package": "spf-four-guarantees", "country": "XDM"}
    result = project_costs(scenario)
    us = result.provenance.filter(pl.col("assumption") == "us_inflation_pct").to_dicts()
    assert us and us[0]["value"] == 2.0 and "assumed" in us[0]["source"]
    totals = result.totals() if callable(result.totals) else result.totals
    assert set(totals["iso3"].to_list()) == {"XDM"}
    share = totals["cost_pct_gdp"]
    assert share.is_finite().all() and (share > 0).all() and (share < 100).all()


def test_cli_installs_the_demo(sc_home: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["data", "demo"])
    assert out.exit_code == 0, out.output
    assert "Installed 14 datasets" in out.output
    again = runner.invoke(app, ["data", "import", "--demo"])
    assert again.exit_code == 0 and "already installed" in again.output
    status = runner.invoke(app, ["data", "status"], env={"COLUMNS": "200"})
    assert "fictional demo country" in status.output and "data import PATH" in status.output


def test_demo_pack_passes_the_same_import_as_a_real_pack(demo_pack: Path, sc_home: Path) -> None:
    report = install_pack(demo_pack)
    assert report.changed and report.manifest.datasets[0].edition == "demo 1"


def test_the_demo_does_not_silently_replace_a_real_pack(demo_pack: Path, sc_home: Path) -> None:
    from socialcover.data.pack import pack_status

    real = install_pack(demo_pack)  # imported from a folder: a real pack as far as a home knows
    runner = CliRunner()
    refused = runner.invoke(app, ["data", "demo"])
    assert refused.exit_code != 0
    assert refused.exception is not None
    assert getattr(refused.exception, "code", None) == "data.demo-would-replace"
    assert "SOCIALCOVER_HOME" in refused.exception.hint  # type: ignore[attr-defined]
    status = pack_status()
    assert status is not None and status.version == real.manifest.version  # nothing replaced
    # --replace goes ahead (this "real" pack has the demo's very files, so nothing changes).
    replaced = runner.invoke(app, ["data", "demo", "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert "already installed" in replaced.output
