"""Thousands of small domains: every statement stays the same size, and the SEs are exact.

The second pass of element designs (exact sums of squared scores) used to write one
``CASE WHEN`` branch per domain, evaluated on every row (rows x domains: 8-9 s for 6,755
domains on 50,000 rows). It now joins the rows to a table of per-domain coefficients. The
SEs are checked against R's ``svyby(~y, ~a+b, svydesign(ids=~1, weights=~w), svymean)``
written out in NumPy; ``benchmarks/survey_many_domains.py`` checks 6,755 domains against
R itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.survey import Design, Sample
from socialcover.survey.backend.duckdb import DuckDBBackend


def _data(domains: int, rows: int) -> pl.DataFrame:
    rng = np.random.default_rng(11)
    d = np.concatenate([np.arange(domains), rng.integers(0, domains, rows - domains)])
    return pl.DataFrame(
        {"a": d // 50, "b": d % 50, "w": rng.uniform(1, 4, rows), "y": rng.normal(5, 2, rows)}
    )


def test_statements_do_not_grow_with_the_number_of_domains(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sizes: dict[int, int] = {}
    original = DuckDBBackend.query
    original_arrays = DuckDBBackend.query_arrays  # means by domain fetch NumPy columns

    for domains in (20, 2_000):
        seen: list[int] = []

        def spy(self: DuckDBBackend, sql: str, _seen: list[int] = seen) -> pl.DataFrame:
            _seen.append(len(sql))
            return original(self, sql)

        def spy_arrays(self: DuckDBBackend, sql: str, _seen: list[int] = seen) -> Any:
            _seen.append(len(sql))
            return original_arrays(self, sql)

        monkeypatch.setattr(DuckDBBackend, "query", spy)
        monkeypatch.setattr(DuckDBBackend, "query_arrays", spy_arrays)
        Sample(_data(domains, 4_000), Design(weights="w")).mean("y", by=["a", "b"])
        sizes[domains] = max(seen)
    # the same statement but for the digits of generated table names (a CASE branch per
    # domain would add thousands of characters)
    assert abs(sizes[2_000] - sizes[20]) < 20


def test_many_domain_ses_equal_svyby_formula() -> None:
    df = _data(1_500, 6_000)
    got = Sample(df, Design(weights="w")).mean("y", by=["a", "b"]).to_polars().sort(["a", "b"])
    n = df.height
    w, y = df["w"].to_numpy(), df["y"].to_numpy()
    dom = (df["a"] * 50 + df["b"]).to_numpy()
    order = np.unique(dom)
    assert got.height == order.size == 1_500
    sw = np.bincount(dom, weights=w)
    mean = np.bincount(dom, weights=w * y) / np.where(sw > 0, sw, 1)
    for i in np.linspace(0, order.size - 1, 40).astype(int):
        d = order[i]
        z = np.where(dom == d, w * (y - mean[d]) / sw[d], 0.0)
        se = np.sqrt(n / (n - 1) * np.sum((z - z.mean()) ** 2))
        assert got["estimate"][int(i)] == pytest.approx(mean[d], rel=1e-12)
        assert got["se"][int(i)] == pytest.approx(se, rel=1e-9, abs=1e-12 * abs(mean[d]))


def test_quantile_statements_do_not_grow_with_the_number_of_domains(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each domain's quantile is looked up in a registered table (one hash join), not
    written as one CASE branch per domain (rows x domains: 21 s for 6,755 domains on
    50,000 rows)."""
    sizes: dict[int, int] = {}
    original = DuckDBBackend.query
    for domains in (20, 2_000):
        seen: list[int] = []

        def spy(self: DuckDBBackend, sql: str, _seen: list[int] = seen) -> pl.DataFrame:
            _seen.append(len(sql))
            return original(self, sql)

        monkeypatch.setattr(DuckDBBackend, "query", spy)
        design = Design(weights="w")
        Sample(_data(domains, 4_000), design).quantile("y", [0.5, 0.9], by=["a", "b"])
        sizes[domains] = max(seen)
    # the same statement but for the digits of generated table names (a CASE branch per
    # domain would add thousands of characters)
    assert abs(sizes[2_000] - sizes[20]) < 20


def test_quantile_by_domain_equals_quantile_within_the_domain() -> None:
    """The lookup gives each row its own domain's quantile: every domain's row of ``by=``
    equals the same quantile asked with ``where=`` for that domain alone."""
    df = _data(60, 3_000).with_columns(a=pl.col("a").cast(pl.String), b=pl.col("b") * 1.5)
    s = Sample(df, Design(weights="w"))
    by = s.quantile("y", 0.25, by=["a", "b"]).to_polars()
    assert by.height == 60
    for row in by.sample(6, seed=3).iter_rows(named=True):
        one = s.quantile("y", 0.25, where=f"a = '{row['a']}' AND b = {row['b']!r}").to_polars()
        for col in ("estimate", "se", "ci_low", "ci_high", "df"):
            assert one[col][0] == pytest.approx(row[col], rel=1e-12), col
