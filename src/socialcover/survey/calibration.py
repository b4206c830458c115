"""The state of a calibrated design: cells, gains, and what the variance needs of them.

:mod:`socialcover.survey.calibrate` computes a :class:`Calibration` (post-stratification or
raking, R's ``postStratify`` and ``rake``); the bound design carries it, and the estimators
read it to scale the weighted sums per cell and to take the calibration residuals of the
scores (Lumley 2010, sec. 7.2; R's ``svyrecvar``). Replicates are calibrated the same way as
the full sample, replicate by replicate (:meth:`Calibration.replicate_factors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Calibration", "rake_residuals"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Calibration:
    """Post-strata of a calibrated sample."""

    columns: tuple[str, ...]
    cells: pl.DataFrame  # _k0.. (cell values), _cell (index)
    g: FloatArray  # N_c / N_hat_c per cell
    w_old: FloatArray  # old weight total per cell (all rows)
    pair_unit: IntArray  # (finest unit, cell) pairs holding rows
    pair_cell: IntArray
    pair_w_old: FloatArray  # old weight total per pair
    kind: str = "poststratify"
    # raking: per margin, each joint cell's margin cell and psw / w after that margin's step
    margin_cell: tuple[IntArray, ...] = ()
    h: tuple[FloatArray, ...] = ()
    n_rows: FloatArray | None = None  # rows per joint cell
    converged: bool = True
    # replicate designs: each replicate is calibrated the same way (R's svyrep methods)
    pops: tuple[FloatArray, ...] = ()  # population counts per margin cell
    sweeps: int = 1
    rep_cell_totals: FloatArray | None = None  # (cells, R) for replicate-weight columns

    def replicate_factors(self, w_rep: FloatArray) -> FloatArray:
        """Calibration factors per (cell, replicate) from replicate cell totals ``w_rep``."""
        margins = self.margin_cell or (np.arange(self.g.shape[0], dtype=np.int64),)
        pops = self.pops or (self.g * self.w_old,)
        cur = w_rep.copy()
        for _ in range(self.sweeps):
            for mc, target in zip(margins, pops, strict=True):
                est = np.zeros((target.size, cur.shape[1]))
                np.add.at(est, mc, cur)
                with np.errstate(divide="ignore", invalid="ignore"):
                    cur = cur * (target[:, None] / est)[mc]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(np.where(w_rep > 0, cur / w_rep, 0.0), dtype=float)


def rake_residuals(cal: Calibration, z_cell: FloatArray) -> FloatArray:
    """Backfitting of R's ``svyrecvar`` for raking: per (domain, joint cell) the amount
    sum_m h_m C_m[cell] to subtract, per unit of old weight, from every row of the cell.

    ``z_cell`` (D, J) holds the unweighted sums of the scores z (x = w* z) per joint cell.
    """
    if cal.n_rows is None:  # pragma: no cover - raking always sets it
        raise ValueError("not a raked calibration")
    d, j = z_cell.shape
    n_j = cal.n_rows
    big_h = cal.g  # final calibrated weight / old weight
    acc = [np.zeros((d, int(mc.max()) + 1)) for mc in cal.margin_cell]
    for _ in range(10):
        for m, mc in enumerate(cal.margin_cell):
            sub = np.zeros((d, j))
            for mm, mc2 in enumerate(cal.margin_cell):
                sub += cal.h[mm][None, :] * acc[mm][:, mc2]
            per_cell = (big_h[None, :] * z_cell - n_j[None, :] * sub) / cal.h[m][None, :]
            n_k = np.bincount(mc, weights=n_j)
            sums = np.zeros((d, n_k.size))
            for dd in range(d):
                sums[dd] = np.bincount(mc, weights=per_cell[dd], minlength=n_k.size)
            acc[m] += sums / n_k[None, :]
    out = np.zeros((d, j))
    for mm, mc2 in enumerate(cal.margin_cell):
        out += cal.h[mm][None, :] * acc[mm][:, mc2]
    return out
