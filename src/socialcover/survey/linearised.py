"""A statistic per group with each row's linearised variable, and the variance of its total.

Taylor linearisation replaces a smooth statistic theta of weighted totals by the total of a
linearised variable z (its influence function: the derivative of theta with respect to each
row's weight; Binder 1983; Deville 1999, *Survey Methodology* 25(2)): var(theta) is estimated
by the design-based variance of sum_i w_i z_i. Linearised statistics combine as their values
do, by the chain rule, so a difference of two statistics on the same rows (a change between
two scenarios of one sample) or a relative reduction (G_pre - G_post) / G_pre get their SEs,
covariance included, from one combined z.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from socialcover.survey._errors import EstimateError

if TYPE_CHECKING:
    from socialcover.survey.rows import RowDesign

__all__ = ["Linearised"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Linearised:
    """A statistic per group and each row's linearised variable.

    Attributes
    ----------
    estimate
        The statistic, one value per group.
    z
        Per row, the derivative of its group's statistic with respect to the row's weight
        (0 for rows outside every group).
    group
        Per row, its group index; -1 for rows left out.

    Examples
    --------
    >>> import numpy as np
    >>> from socialcover.survey import gini_linearised
    >>> w = np.ones(4)
    >>> pre = gini_linearised(np.array([0.0, 1.0, 2.0, 9.0]), w)
    >>> post = gini_linearised(np.array([2.0, 2.0, 3.0, 7.0]), w)
    >>> change = post - pre                 # paired: one sample, two scenarios
    >>> reduction = pre.reduction(post)     # (G_pre - G_post) / G_pre
    >>> [round(float(x), 4) for x in (change.estimate[0], reduction.estimate[0])]
    [-0.2976, 0.5102]
    """

    estimate: F64
    z: F64
    group: I64

    def _check_rows(self, other: Linearised) -> None:
        if self.group.shape != other.group.shape or not np.array_equal(self.group, other.group):
            raise EstimateError(
                "The two linearised statistics are not on the same rows and groups.",
                code="survey.linearised-rows",
                hint="Compute both on one frame with the same groups (rows left out of both).",
            )

    def __sub__(self, other: Linearised) -> Linearised:
        """theta_self - theta_other, with the paired difference of the linearised variables."""
        self._check_rows(other)
        return Linearised(self.estimate - other.estimate, self.z - other.z, self.group)

    def reduction(self, after: Linearised) -> Linearised:
        """The relative reduction (theta - theta_after) / theta, per group.

        Its linearised variable is (theta_after z / theta - z_after) / theta.
        """
        self._check_rows(after)
        keep = self.group >= 0
        g = np.where(keep, self.group, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = (self.estimate - after.estimate) / self.estimate
            z = (after.estimate[g] * self.z / self.estimate[g] - after.z) / self.estimate[g]
        return Linearised(value, np.where(keep, z, 0.0), self.group)

    @property
    def n(self) -> F64:
        """Rows per group."""
        size = self.estimate.shape[0]
        out: F64 = np.bincount(self.group[self.group >= 0], minlength=size).astype(np.float64)
        return out

    def variance(self, design: RowDesign) -> tuple[F64, F64]:
        """Design-based variance of the statistic per group, and the groups' df.

        The row scores w_i z_i are summed to (group, sampling unit) and their variance is
        that of R's ``svyrecvar``; a non-finite score (a group whose statistic has no value)
        counts as 0.

        Parameters
        ----------
        design
            The design bound to the rows (:func:`~socialcover.survey.bind_rows`).

        Returns
        -------
        tuple of numpy.ndarray
            Variance and degrees of freedom, one value per group.
        """
        keep = self.group >= 0
        grp = self.group[keep]
        unit = design.unit[keep]
        with np.errstate(invalid="ignore", over="ignore"):
            score = design.weights[keep] * self.z[keep]
        score = np.where(np.isfinite(score), score, 0.0)
        n_dom = self.estimate.shape[0]
        n_units = design.n_units
        key, inv = np.unique(grp * n_units + unit, return_inverse=True)
        t = np.asarray(np.bincount(inv, weights=score, minlength=key.size), dtype=np.float64)
        dom = (key // n_units).astype(np.int64)
        units = (key % n_units).astype(np.int64)
        return design.variance(dom, units, t, n_dom), design.df(dom, units, n_dom)
