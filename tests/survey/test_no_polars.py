"""Means, totals and proportions by domain on DuckDB run without importing Polars.

The aggregate comes back as NumPy columns and the :class:`Estimate` builds its Polars frame
only on first need; that frame must equal, bit for bit, the one the Polars path builds.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import socialcover.survey.linear as linear
from socialcover.survey import Design, Sample
from socialcover.survey.result import RESULT_COLUMNS


def _frame(n: int = 400, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "w": rng.uniform(1.0, 4.0, n),
            "h": rng.integers(0, 4, n).astype(np.int32),
            "ea": np.arange(n) // 5,
            "fpc": np.full(n, 500.0),
            "g": rng.choice(["north", "south", "east"], n),
            "k": rng.integers(0, 6, n),
            "b": rng.integers(0, 2, n).astype(bool),
            "y": rng.normal(10.0, 3.0, n),
            "z": rng.integers(0, 2, n),
            "m": rng.normal(size=n),
            "miss": rng.uniform(size=n) < 0.1,
        }
    ).with_columns(pl.when(pl.col("miss")).then(None).otherwise(pl.col("m")).alias("m"))


def test_a_mean_by_domain_over_parquet_does_not_import_polars(tmp_path: Path) -> None:
    path = tmp_path / "d.parquet"
    _frame().write_parquet(path)
    code = (
        "import sys, math\n"
        "from socialcover.survey import Design, Sample\n"
        f"p = {str(path)!r}\n"
        "s = Sample(p, Design(weights='w'))\n"
        "e = s.mean('y', by=['g', 'k'])\n"
        "d = e.to_dict()\n"
        "assert len(d['estimate']) == len(e) == 18, len(e)\n"
        "assert all(math.isfinite(v) for v in d['estimate'] + d['se'])\n"
        "assert e.to_dicts()[0]['g'] == 'east' and e.estimate.shape == (18,)\n"
        "s.total('y', by='g').to_dict(); s.proportion('z', by='b').ci\n"
        "t = Sample(p, Design(weights='w', strata='h', psu='ea', fpc='fpc', nest=True))\n"
        "t.mean('y', by='g', where='k > 1').se; t.mean('m', by='g', na_rm=True).to_dicts()\n"
        "assert 'polars' not in sys.modules, 'polars was imported'\n"
        "assert 'pyarrow' not in sys.modules, 'pyarrow was imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


DESIGNS = {
    "element": Design(weights="w"),
    "strata": Design(weights="w", strata="h"),
    "psu": Design(weights="w", psu="ea"),
    "strata-psu-fpc": Design(weights="w", strata="h", psu="ea", fpc="fpc", nest=True),
}

CALLS = {
    "mean-by-two": lambda s: s.mean("y", by=["g", "k"]),
    "mean-by-bool": lambda s: s.mean("y", by="b"),
    "mean-no-by": lambda s: s.mean("y"),
    "total-where": lambda s: s.total("y", by="g", where="k >= 2"),
    "mean-empty-where": lambda s: s.mean("y", by="k", where="k < 3"),
    "proportion": lambda s: s.proportion("z", by="g"),
    "proportion-xlogit-df": lambda s: s.proportion("z", by="k", method="xlogit"),
    "ratio": lambda s: s.ratio("y", "w", by="g"),
    "na-rm": lambda s: s.mean("m", by="g", na_rm=True),
    "design-df": lambda s: s.mean("y", by="k", df="design"),
}


def _same(a: dict[str, list[Any]], b: dict[str, list[Any]], rtol: float) -> None:
    assert list(a) == list(b)
    for name in a:
        x, y = a[name], b[name]
        assert [v is None for v in x] == [v is None for v in y], name
        if name in ("estimate", "se", "ci_low", "ci_high", "cv", "deff", "df"):
            xs = np.array([np.nan if v is None else v for v in x], dtype=float)
            ys = np.array([np.nan if v is None else v for v in y], dtype=float)
            np.testing.assert_allclose(xs, ys, rtol=rtol, atol=0, equal_nan=True, err_msg=name)
        else:
            assert x == y, name


@pytest.mark.parametrize("design", list(DESIGNS))
@pytest.mark.parametrize("call", list(CALLS))
def test_the_lazy_frame_equals_the_polars_one(
    design: str, call: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = Sample(_frame(), DESIGNS[design])
    est = CALLS[call](s)
    assert type(est._table).__name__ == "Columns"  # the NumPy path served the call
    numbers = (est.estimate, est.se, est.ci, est.cv, est.deff, est.n, est.df)
    dicts, cols, length = est.to_dicts(), est.to_dict(), len(est)
    lazy = est.to_polars()
    # the frame built on first need holds exactly the numbers read before it
    assert type(est._table).__name__ == "DataFrame"
    again = (est.estimate, est.se, est.ci, est.cv, est.deff, est.n, est.df)
    for a, b in zip(numbers, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert dicts == est.to_dicts() and cols == est.to_dict() and length == len(est)
    # and the Polars path gives the same table (DuckDB's parallel sums may differ in the
    # last bits from one run to the next, on either path)
    monkeypatch.setattr(linear, "array_path", lambda *a, **k: False)
    ref = CALLS[call](s)
    assert type(ref._table).__name__ == "DataFrame"
    assert_frame_equal(lazy, ref.to_polars(), check_exact=False, rel_tol=1e-12, abs_tol=0)
    _same(cols, ref.to_dict(), rtol=1e-12)


def test_domains_with_missing_values_take_the_polars_path() -> None:
    df = _frame().with_columns(
        pl.when(pl.col("k") == 0).then(None).otherwise(pl.col("g")).alias("g")
    )
    est = Sample(df, Design(weights="w")).mean("y", by="g")
    assert type(est._table).__name__ == "DataFrame"
    assert est.to_polars()["g"].null_count() == 1


def test_to_dict_gives_plain_values() -> None:
    est = Sample(_frame(), Design(weights="w")).mean("y", by="k", where="k < 3")
    d = est.to_dict()
    assert list(d) == ["k", *RESULT_COLUMNS]
    assert d["k"] == [0, 1, 2, 3, 4, 5] and all(type(v) is int for v in d["k"])
    assert d["estimate"][3] is None and d["reason"][3].startswith("empty domain")
    assert d["df"][0] == math.inf
