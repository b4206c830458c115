"""Replicate designs and calibration: behaviours beyond the golden numbers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from socialcover.errors import SocialcoverWarning
from socialcover.survey import Design, DesignError, ReplicateDesign, Sample

NHANES = Design(weights="WTMEC2YR", strata="SDMVSTRA", psu="SDMVPSU", nest=True)


def test_bootstrap_replicates_approach_the_linearised_se(api: dict[str, pl.DataFrame]) -> None:
    taylor = Sample(api["nhanes"], NHANES).mean("HI_CHOL", na_rm=True).se[0]
    boot = Sample(
        api["nhanes"], ReplicateDesign.from_design(NHANES, "bootstrap", replicates=400, seed=7)
    ).mean("HI_CHOL", na_rm=True)
    assert boot.se[0] == pytest.approx(taylor, rel=0.2)
    assert boot.df[0] > 10  # rank of the replicate factors - 1


def test_bootstrap_is_reproducible_with_its_seed(api: dict[str, pl.DataFrame]) -> None:
    d = ReplicateDesign.from_design(NHANES, "bootstrap", replicates=20, seed=3)
    a = Sample(api["nhanes"], d).total("HI_CHOL", na_rm=True).se[0]
    b = Sample(api["nhanes"], d).total("HI_CHOL", na_rm=True).se[0]
    # Same draws; DuckDB's parallel sums may differ in the last bit between runs.
    assert a == pytest.approx(b, rel=1e-12)


def test_replicate_types_refuse_designs_they_do_not_fit(api: dict[str, pl.DataFrame]) -> None:
    with pytest.raises(DesignError, match="two PSUs"):
        Sample(api["nhanes"], ReplicateDesign.from_design(NHANES, "BRR"))
    with pytest.raises(DesignError, match="unstratified"):
        Sample(api["nhanes"], ReplicateDesign.from_design(NHANES, "JK1"))
    with pytest.raises(DesignError, match="rho"):
        ReplicateDesign.from_columns("w", ["r1", "r2"], type="Fay")
    with pytest.raises(DesignError, match="rscales"):
        Sample(
            api["apiclus1"].with_columns(pl.col("pw").alias("r1"), pl.col("pw").alias("r2")),
            ReplicateDesign.from_columns("pw", ["r1", "r2"], type="JKn"),
        )


def test_jk1_df_is_psus_minus_one(api: dict[str, pl.DataFrame]) -> None:
    s = Sample(api["apiclus1"], ReplicateDesign.from_design(Design(weights="pw", psu="dnum")))
    assert s.df == 14
    assert s.mean("api00", df="design").df[0] == 14
    assert s.mean("api00").df[0] == float("inf")  # R: confint on svymean is normal


def test_poststratified_cell_counts_are_the_population(api: dict[str, pl.DataFrame]) -> None:
    s = Sample(api["apiclus1"], Design(weights="pw", psu="dnum", fpc="fpc"))
    ps = s.poststratify("stype", {"E": 4421, "H": 755, "M": 1018})
    t = ps.total("CASE WHEN stype = 'E' THEN 1 ELSE 0 END").to_dicts()[0]
    assert t["estimate"] == pytest.approx(4421)
    assert t["se"] == pytest.approx(0, abs=1e-6)
    # the original sample is unchanged
    assert s.total("1").estimate[0] == pytest.approx(api["apiclus1"]["pw"].sum())
    # calibration shrinks the SE of a variable that follows the post-strata
    assert ps.total("enroll", na_rm=True).se[0] < s.total("enroll", na_rm=True).se[0]


def test_raked_margins_are_met(api: dict[str, pl.DataFrame]) -> None:
    s = Sample(api["apistrat"], Design(weights="pw", strata="stype"))
    margins = {"stype": {"E": 4421, "H": 755, "M": 1018}, "awards": {"No": 2300, "Yes": 3894}}
    rk = s.rake(margins)
    by = rk.total("1", by="awards").to_polars().sort("awards")
    assert by["estimate"].to_list() == pytest.approx([2300, 3894], abs=2)


def test_raking_to_disagreeing_margins_warns(api: dict[str, pl.DataFrame]) -> None:
    s = Sample(api["apistrat"], Design(weights="pw", strata="stype"))
    bad = {"stype": {"E": 4421, "H": 755, "M": 1018}, "awards": {"No": 100, "Yes": 200}}
    with pytest.warns(SocialcoverWarning, match="margins' totals disagree"):
        s.rake(bad, maxit=3)


def test_raking_stopped_early_warns(api: dict[str, pl.DataFrame]) -> None:
    s = Sample(api["apiclus1"], Design(weights="pw", psu="dnum"))
    margins = {"stype": {"E": 4421, "H": 755, "M": 1018}, "awards": {"No": 2300, "Yes": 3894}}
    with pytest.warns(SocialcoverWarning, match="did not converge"):
        s.rake(margins, maxit=1, epsilon=1e-12)


def test_difference_on_a_calibrated_sample(api: dict[str, pl.DataFrame]) -> None:
    s = Sample(api["apiclus1"], Design(weights="pw", psu="dnum")).poststratify(
        "stype", {"E": 4421, "H": 755, "M": 1018}
    )
    d = s.difference("api00", by="awards", levels=("No", "Yes")).to_dicts()[0]
    m = s.mean("api00", by="awards").to_polars().sort("awards")["estimate"].to_list()
    assert d["estimate"] == pytest.approx(m[0] - m[1], rel=1e-12)
    assert d["se"] > 0


def test_totals_must_cover_the_sample(api: dict[str, pl.DataFrame]) -> None:
    s = Sample(api["apiclus1"], Design(weights="pw", psu="dnum"))
    with pytest.raises(DesignError) as err:
        s.poststratify("stype", {"E": 4421, "H": 755})
    assert err.value.code == "survey.bad-totals"


def test_bootstrap_and_subbootstrap_scales_are_rs(api: dict[str, pl.DataFrame]) -> None:
    # R: as.svrepdesign(svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat),
    # type="bootstrap" / "subbootstrap", replicates=50)$scale (export_data.R prints them)
    d = Design(weights="pw", strata="stype")
    boot = Sample(api["apistrat"], ReplicateDesign.from_design(d, "bootstrap", replicates=50))
    sub = Sample(api["apistrat"], ReplicateDesign.from_design(d, "subbootstrap", replicates=50))
    assert boot._bound.replicates is not None and sub._bound.replicates is not None
    assert boot._bound.replicates.scale == pytest.approx(0.020754064337599448, rel=1e-15)
    assert sub._bound.replicates.scale == pytest.approx(0.020408163265306121, rel=1e-15)
    # bootstrap draws n_h PSUs per stratum (factors sum to n_h), subbootstrap n_h - 1 scaled
    fb = boot._bound.replicates.factors
    fs = sub._bound.replicates.factors
    assert fb is not None and fs is not None
    assert np.allclose(fb.sum(axis=0), 200) and np.allclose(fs.sum(axis=0), 200)
    assert set(np.unique(fb)) <= set(range(20))
    est = sub.mean("api00")
    assert np.isfinite(est.se[0]) and est.se[0] > 0
