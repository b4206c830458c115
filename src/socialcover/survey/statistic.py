"""Smooth statistics of weighted totals, with their gradients (for linearisation).

Each statistic is a function g of a vector of weighted domain totals S (column 0 is the sum
of weights, then one column per variable). Taylor linearisation uses the gradient of g
(Binder 1983; Wolter 2007, ch. 6): the score of row i is w_i 1[i in domain] grad g . v_i, so
its sum over a sampling unit is grad g . S_unit and only unit totals are ever needed.
Replicate methods evaluate g on each replicate's totals instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Statistic", "design_effect", "make_statistic"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Statistic:
    """A statistic of the totals of ``n_vars`` variables (plus the weight total)."""

    kind: str  # mean | total | ratio

    def value(self, s: FloatArray) -> FloatArray:
        """g(S) for each row of ``s`` (shape (D, k))."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "total":
                return np.asarray(s[:, 1], dtype=float)
            if self.kind == "mean":
                return np.asarray(s[:, 1] / s[:, 0], dtype=float)
            return np.asarray(s[:, 1] / s[:, 2], dtype=float)

    def gradient(self, s: FloatArray) -> FloatArray:
        """grad g(S) for each row of ``s``, shape (D, k)."""
        a = np.zeros_like(s, dtype=float)
        theta = self.value(s)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "total":
                a[:, 1] = 1.0
            elif self.kind == "mean":
                a[:, 0] = -theta / s[:, 0]
                a[:, 1] = 1.0 / s[:, 0]
            else:
                a[:, 1] = 1.0 / s[:, 2]
                a[:, 2] = -theta / s[:, 2]
        return a


def make_statistic(kind: str) -> Statistic:
    """The statistic named ``kind`` (``mean``, ``total``, ``ratio``)."""
    return Statistic(kind)


def design_effect(
    kind: str,
    s: FloatArray,
    q: FloatArray,
    n: FloatArray,
    theta: FloatArray,
    var: FloatArray,
) -> FloatArray:
    """Design effect against SRS without replacement, as R's ``deff=TRUE``."""
    psum = s[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "ratio":
            x = s[:, 2]
            ss = (q[:, 1, 1] - 2 * theta * q[:, 1, 2] + theta**2 * q[:, 2, 2]) / x**2
            wvar = ss / psum * n / (n - 1)
            vsrs = wvar * psum**2 * (psum - n) / (psum * n)
        else:
            mean = s[:, 1] / psum
            wvar = (q[:, 1, 1] - psum * mean**2) / psum * n / (n - 1)
            vsrs = wvar * (psum - n) / (psum * n)
            if kind == "total":
                vsrs = vsrs * psum**2
        out = var / vsrs
        return np.asarray(np.where(n > 1, out, np.nan), dtype=float)
