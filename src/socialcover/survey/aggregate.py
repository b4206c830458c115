"""What the one aggregate query returns: weighted sums per (domain, sampling unit).

For the variables of a call (v_0 = 1, then each variable), :func:`socialcover.survey.query.collect`
computes per (domain, finest sampling unit[, post-stratum]) row: the rows, the weighted sums
S_j = sum w v_j, the weighted cross-products Q_jk = sum w v_j v_k (for design effects), second
moments of w v for element designs, and replicate sums when the design has replicate-weight
columns. The result is small (at most domains x units rows); the variance algebra runs on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import polars as pl

    from socialcover.survey.result import Columns

__all__ = ["Aggregate"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Aggregate:
    """Weighted sums per (domain, unit) row, and the domain table."""

    domains: pl.DataFrame | Columns  # by columns _b0, _b1, ... (Columns: no Polars)
    dom: IntArray
    unit: IntArray
    n: FloatArray  # rows with values per aggregate row
    nall: FloatArray  # rows in the domain, with or without values (R's nrow(design))
    s: FloatArray  # (rows, k) sums of w * v_j, v_0 = 1
    q: FloatArray  # (rows, k, k) sums of w * v_i * v_j (for deff)
    m: FloatArray | None  # (rows, k, k) sums of w^2 v_i v_j (element designs)
    extra: pl.DataFrame | Columns  # the raw aggregate, for replicate sums
    cell: IntArray | None = None  # post-stratum of each row (calibrated samples)
    s_old: FloatArray | None = None  # sums with the weights before calibration
    call: tuple[tuple[str, ...], tuple[str, ...], str | None, bool] | None = None

    @property
    def n_dom(self) -> int:
        return self.domains.height
