"""Immutable estimation results with R-like accessors and conversions.

Every estimator returns an :class:`Estimate`: one row per domain with the domain's values
(the ``by=`` columns), ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``cv``, ``deff``, ``n``
(unweighted rows in the domain), ``df`` (degrees of freedom used for the interval: ``inf``
for the normal intervals R's ``confint`` gives means, totals and ratios) and
``reason`` (why a value is missing, e.g. an empty domain). Accessors mirror R's ``coef``,
``SE``, ``confint``, ``cv`` and ``deff``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = ["RESULT_COLUMNS", "Estimate", "domain_estimate"]

RESULT_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "cv", "deff", "n", "df", "reason")


@dataclass(frozen=True)
class Estimate:
    """A table of estimates, one row per domain.

    Attributes
    ----------
    statistic
        ``"mean"``, ``"total"``, ``"proportion"``, ``"ratio"``, ``"quantile"`` or
        ``"difference"``.
    variable
        The variable (or expression) estimated.
    by
        The domain columns.
    level
        Confidence level of the intervals.
    variance
        ``"taylor"`` or the replicate type.
    """

    statistic: str
    variable: str
    by: tuple[str, ...]
    level: float
    variance: str
    _table: pl.DataFrame

    def to_polars(self) -> pl.DataFrame:
        """The result as a Polars frame (a copy)."""
        return self._table.clone()

    def to_pandas(self) -> Any:
        """The result as a pandas frame."""
        return self._table.to_pandas()

    def to_dicts(self) -> list[dict[str, Any]]:
        """The result as row dicts (missing values ``None``; an infinite ``df`` stays ``inf``)."""
        rows = self._table.to_dicts()
        for r in rows:
            for k, v in r.items():
                if isinstance(v, float) and not np.isfinite(v) and not (k == "df" and v > 0):
                    r[k] = None
        return rows

    def _col(self, name: str) -> npt.NDArray[np.float64]:
        return self._table[name].cast(pl.Float64).fill_null(np.nan).to_numpy()

    @property
    def estimate(self) -> npt.NDArray[np.float64]:
        """Point estimates (R's ``coef``)."""
        return self._col("estimate")

    @property
    def se(self) -> npt.NDArray[np.float64]:
        """Standard errors (R's ``SE``)."""
        return self._col("se")

    @property
    def ci(self) -> npt.NDArray[np.float64]:
        """Confidence intervals, shape (rows, 2) (R's ``confint``)."""
        return np.column_stack([self._col("ci_low"), self._col("ci_high")])

    @property
    def cv(self) -> npt.NDArray[np.float64]:
        """Coefficients of variation, se / estimate."""
        return self._col("cv")

    @property
    def deff(self) -> npt.NDArray[np.float64]:
        """Design effects (variance over that of simple random sampling without replacement)."""
        return self._col("deff")

    @property
    def n(self) -> npt.NDArray[np.int64]:
        """Unweighted rows per domain."""
        return self._table["n"].to_numpy()

    @property
    def df(self) -> npt.NDArray[np.float64]:
        """Degrees of freedom of the intervals."""
        return self._col("df")

    def __len__(self) -> int:
        return self._table.height

    def __repr__(self) -> str:
        head = f"Estimate({self.statistic} of {self.variable!r}"
        if self.by:
            head += f" by {list(self.by)}"
        return head + f", {self.variance}, level={self.level})\n{self._table}"


def domain_estimate(
    statistic: str,
    label: str,
    by: Sequence[str],
    domains: pl.DataFrame,
    theta: npt.NDArray[np.float64],
    se: npt.NDArray[np.float64],
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    deff: npt.NDArray[np.float64],
    n: npt.NDArray[np.float64],
    dfs: npt.NDArray[np.float64],
    level: float,
    variance: str,
) -> Estimate:
    """An :class:`Estimate` from per-domain arrays; an empty domain gets no values, a reason.

    ``domains`` holds the ``by`` values as columns ``_b0``, ``_b1``, ... (one row per domain).
    """
    empty = n == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = se / np.abs(theta)

    def col(x: npt.NDArray[np.float64], keep_inf: bool = False) -> pl.Series:
        bad = np.isnan(x) if keep_inf else ~np.isfinite(x)
        vals = np.where(empty | bad, np.nan, x)
        return pl.Series(vals, dtype=pl.Float64).fill_nan(None)

    reason: list[str | None] = [
        "empty domain: no rows with a value in this domain" if e else None for e in empty
    ]
    values = dict(
        estimate=col(theta),
        se=col(se),
        ci_low=col(lo),
        ci_high=col(hi),
        cv=col(cv),
        deff=col(deff),
        n=pl.Series(n.astype(np.int64)),
        df=col(dfs, keep_inf=True),  # normal intervals: df = inf, shown as such
        reason=pl.Series(reason, dtype=pl.String),
    )
    table = domains.rename({f"_b{i}": b for i, b in enumerate(by)})
    table = table.with_columns(**values) if table.width else pl.DataFrame(values)
    return Estimate(statistic, label, tuple(by), level, variance, table)
