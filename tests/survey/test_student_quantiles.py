"""Student t quantiles computed without SciPy agree with SciPy's, and intervals never import it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.special import stdtrit

from socialcover.survey import t_quantile

PROBS = [0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 1 - 1e-9, 0.025, 1e-6]
DFS = [*range(1, 40), 99, 100, 949, 950, 4999, 5000, 5001, 123_456, 9_999_950, np.inf]


@pytest.mark.parametrize("q", PROBS)
def test_quantile_agrees_with_scipy(q: float) -> None:
    ours = np.array([t_quantile(q, d) for d in DFS])
    theirs = stdtrit(np.array(DFS, dtype=float), q)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0)


def test_arrays_broadcast_and_edges() -> None:
    got = t_quantile([0.025, 0.975], [[5.0], [np.inf]])
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got[0], [-2.570581835636314, 2.570581835636314], rtol=1e-14)
    assert t_quantile(0.5, 7) == 0.0
    assert t_quantile(1.0, 4) == np.inf and t_quantile(0.0, 4) == -np.inf
    assert np.isnan(t_quantile(0.9, 0)) and np.isnan(t_quantile(np.nan, 3))
    # a df that is not whole is still answered (from SciPy)
    assert t_quantile(0.975, 2.5) == pytest.approx(float(stdtrit(2.5, 0.975)), rel=1e-14)


def test_survey_intervals_do_not_import_scipy() -> None:
    code = (
        "import sys, polars as pl\n"
        "from socialcover.survey import Design, Sample\n"
        "df = pl.DataFrame({'w': [1.0, 2, 1, 2, 3, 1], 'h': [1, 1, 1, 2, 2, 2],\n"
        "                   'p': [1, 2, 3, 4, 5, 6], 'y': [1, 0, 1, 1, 0, 0]})\n"
        "s = Sample(df, Design(weights='w', strata='h', psu='p'))\n"
        "s.proportion('y'); s.mean('y', by='h')\n"
        "print('scipy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
