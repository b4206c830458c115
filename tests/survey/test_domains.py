"""Domains: by= and where= give identical answers; empty domains give a reason."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from socialcover.survey import Design, Sample


@pytest.fixture(scope="module")
def clus1(api: dict[str, pl.DataFrame]) -> Sample:
    return Sample(api["apiclus1"], Design(weights="pw", psu="dnum", fpc="fpc"))


@pytest.mark.parametrize("stat", ["mean", "total"])
def test_where_equals_by(clus1: Sample, stat: str) -> None:
    by = getattr(clus1, stat)("api00", by="stype").to_polars()
    for row in by.iter_rows(named=True):
        one = getattr(clus1, stat)("api00", where=f"stype = '{row['stype']}'").to_dicts()[0]
        for k in ("estimate", "se", "ci_low", "ci_high", "deff", "n", "df"):
            assert one[k] == pytest.approx(row[k], rel=1e-12), k


def test_domain_mean_equals_ratio_estimator(clus1: Sample) -> None:
    # R survey's tests/domain.R: a domain mean is a ratio of totals
    m = clus1.mean("api00", where="stype = 'M'")
    r = clus1.ratio(
        "CASE WHEN stype = 'M' THEN api00 ELSE 0 END", "CASE WHEN stype = 'M' THEN 1 ELSE 0 END"
    )
    assert m.estimate[0] == pytest.approx(r.estimate[0], rel=1e-12)
    assert m.se[0] == pytest.approx(r.se[0], rel=1e-10)


def test_where_keeps_psu_count(clus1: Sample) -> None:
    # the domain's SE uses all 15 PSUs of the design, not only those holding the domain
    one = clus1.mean("api00", where="stype = 'H'", df="design")
    assert one.n[0] < 183 and one.df[0] <= 14
    assert np.isfinite(one.se[0]) and one.se[0] > 0


def test_empty_domain_gives_no_value_with_a_reason(clus1: Sample) -> None:
    e = clus1.mean("api00", where="api00 > 5000").to_dicts()[0]
    assert e["estimate"] is None and e["se"] is None and e["n"] == 0
    assert "empty domain" in e["reason"]
    by = clus1.mean("api00", by="stype", where="stype = 'E'").to_polars()
    assert by.height == 3  # levels from the whole data
    assert by.filter(pl.col("stype") == "H")["reason"][0].startswith("empty domain")
    assert by.filter(pl.col("stype") == "E")["reason"][0] is None


def test_expressions_as_variables(clus1: Sample, api: dict[str, pl.DataFrame]) -> None:
    a = clus1.proportion("api00 > 700").to_dicts()[0]
    b = clus1.proportion("hi").to_dicts()[0]
    assert a["estimate"] == pytest.approx(b["estimate"], rel=1e-12)
    assert a["se"] == pytest.approx(b["se"], rel=1e-12)


def test_scaling_weights_leaves_means_and_scales_totals(api: dict[str, pl.DataFrame]) -> None:
    df = api["apistrat"].with_columns((pl.col("pw") * 3.5).alias("pw3"))
    s1 = Sample(df, Design(weights="pw", strata="stype"))
    s3 = Sample(df, Design(weights="pw3", strata="stype"))
    assert s3.mean("api00").estimate[0] == pytest.approx(s1.mean("api00").estimate[0], rel=1e-12)
    assert s3.mean("api00").se[0] == pytest.approx(s1.mean("api00").se[0], rel=1e-12)
    assert s3.total("api00").estimate[0] == pytest.approx(3.5 * s1.total("api00").estimate[0])
    assert s3.total("api00").se[0] == pytest.approx(3.5 * s1.total("api00").se[0])


def test_results_convert(clus1: Sample) -> None:
    est = clus1.mean("api00", by="stype")
    pdf = est.to_pandas()
    assert list(pdf.columns)[:2] == ["stype", "estimate"]
    d = est.to_dicts()
    assert set(d[0]) >= {"stype", "estimate", "se", "ci_low", "ci_high", "cv", "deff", "n", "df"}
    assert est.ci.shape == (3, 2) and est.cv == pytest.approx(est.se / est.estimate)


def test_inputs_of_every_kind_agree(api: dict[str, pl.DataFrame], tmp_path) -> None:  # type: ignore[no-untyped-def]
    import duckdb

    df = api["apistrat"]
    path = tmp_path / "apistrat.parquet"
    df.write_parquet(path)
    d = Design(weights="pw", strata="stype", fpc="fpc")
    ref = Sample(df, d).mean("api00").se[0]
    for data in (
        df.to_pandas(),
        df.to_arrow(),
        str(path),
        duckdb.sql("SELECT * FROM df"),
        df.lazy(),
    ):
        assert Sample(data, d).mean("api00").se[0] == pytest.approx(ref, rel=1e-12)


def test_sample_is_immutable(clus1: Sample) -> None:
    with pytest.raises(AttributeError, match="immutable"):
        clus1.design = Design(weights="pw")  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        clus1._structure = None  # type: ignore[assignment]
