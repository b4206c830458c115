"""Parquet input is read out of core: estimates run under a memory limit below the data size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from socialcover.survey import Design, Sample


@pytest.mark.slow
def test_parquet_estimates_under_a_memory_limit_smaller_than_the_data(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    n = 3_000_000
    psu = rng.integers(0, 400, n)
    df = pl.DataFrame(
        {
            "stratum": (psu // 20).astype(np.int32),
            "psu": psu.astype(np.int32),
            "w": rng.uniform(50, 150, n),
            "sex": rng.integers(1, 3, n).astype(np.int32),
            "y": rng.integers(0, 2, n).astype(np.int32),
            "x": rng.normal(100, 10, n),
        }
    )
    path = tmp_path / "big.parquet"
    df.write_parquet(path, row_group_size=100_000)
    in_memory_mb = df.estimated_size("mb")
    ref = Sample(df, Design(weights="w", strata="stratum", psu="psu"))
    ref_est = ref.proportion("y", by="sex").to_polars()
    del df
    s = Sample(str(path), Design(weights="w", strata="stratum", psu="psu"))
    limit_mb = 40
    assert limit_mb < in_memory_mb / 2
    s._bound.backend.con.execute(f"SET memory_limit = '{limit_mb}MB'")  # type: ignore[attr-defined]
    s._bound.backend.con.execute("SET threads = 1")  # type: ignore[attr-defined]
    got = s.proportion("y", by="sex").to_polars()
    assert got["estimate"].to_list() == pytest.approx(ref_est["estimate"].to_list(), rel=1e-12)
    assert got["se"].to_list() == pytest.approx(ref_est["se"].to_list(), rel=1e-9)
    assert s.mean("x", where="sex = 1").se[0] > 0
