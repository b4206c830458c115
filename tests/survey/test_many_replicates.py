"""Hundreds of replicate-weight columns: no crash, and the same numbers as a direct computation.

One grouped statement with R^2 / 2 sums (about 20,000 for 200 replicates) used to kill the
process with a floating-point exception inside DuckDB. The variance here is checked against
JK1 computed directly in NumPy, and the df (rank of the domain's replicate weights minus 1,
R's ``degf``) against NumPy's rank, by both paths (distinct factor rows, and the Gram matrix
summed in chunks).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from socialcover.survey import ReplicateDesign, Sample
from socialcover.survey.variance import replicate as replicate_module

R = 200


@pytest.fixture(scope="module")
def many() -> tuple[pl.DataFrame, list[str]]:
    rng = np.random.default_rng(7)
    n = 600
    psu = np.arange(n) % R
    w = rng.uniform(1, 3, n)
    cols = {f"r{j}": np.where(psu == j, 0.0, w * R / (R - 1)) for j in range(R)}
    df = pl.DataFrame(
        {"y": rng.normal(size=n), "g": rng.integers(0, 4, n), "w": w, "psu": psu, **cols}
    )
    return df, list(cols)


def _direct(df: pl.DataFrame, cols: list[str], level: int) -> tuple[float, float, int]:
    sub = df.filter(pl.col("g") == level)
    y, w = sub["y"].to_numpy(), sub["w"].to_numpy()
    reps = sub.select(cols).to_numpy()
    theta = float(np.sum(w * y) / np.sum(w))
    thetas = (reps * y[:, None]).sum(0) / reps.sum(0)
    var = (R - 1) / R * float(np.sum((thetas - thetas.mean()) ** 2))
    return theta, var, int(np.linalg.matrix_rank(reps)) - 1


def test_200_replicate_columns_by_domain_match_numpy(
    many: tuple[pl.DataFrame, list[str]],
) -> None:
    df, cols = many
    s = Sample(df, ReplicateDesign.from_columns("w", cols, type="JK1"))
    est = s.mean("y", by="g").to_polars().sort("g")
    prop = s.proportion("y > 0", by="g").to_polars().sort("g")
    for i, level in enumerate(est["g"].to_list()):
        theta, var, rank_df = _direct(df, cols, level)
        assert est["estimate"][i] == pytest.approx(theta, rel=1e-12)
        assert est["se"][i] == pytest.approx(np.sqrt(var), rel=1e-10)
        assert est["df"][i] == float("inf")  # R: confint on svymean is normal
        assert prop["df"][i] == rank_df
    assert s.df == R - 1


def test_gram_path_gives_the_same_df(
    many: tuple[pl.DataFrame, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # rows whose factors are not shared by PSU (e.g. calibrated replicates) take the Gram
    # path, summed in several statements (small chunks here, to keep the test quick)
    df, cols = many
    df = df.filter(pl.col("psu") < 40)
    cols = cols[:40]
    s = Sample(df, ReplicateDesign.from_columns("w", cols, type="JK1"))
    want = s.proportion("y > 0", by="g").df
    for level, got in zip(sorted(df["g"].unique().to_list()), want, strict=True):
        reps = df.filter(pl.col("g") == level).select(cols).to_numpy()
        assert got == np.linalg.matrix_rank(reps) - 1
    monkeypatch.setattr(replicate_module, "DISTINCT_CAP", 10)
    monkeypatch.setattr(replicate_module, "GRAM_CHUNK", 300)
    s2 = Sample(df, ReplicateDesign.from_columns("w", cols, type="JK1"))
    np.testing.assert_array_equal(s2.proportion("y > 0", by="g").df, want)
    assert s2.df == 39


def test_no_progress_bar_on_standard_output() -> None:
    # queries over hundreds of replicate columns run for seconds: DuckDB's progress bar
    # would be drawn into a caller's standard output (JSON, CSV)
    from socialcover.survey.backend.duckdb import DuckDBBackend

    con = DuckDBBackend(pl.DataFrame({"x": [1]})).con
    assert con.sql("SELECT current_setting('enable_progress_bar')").fetchall() == [(False,)]
