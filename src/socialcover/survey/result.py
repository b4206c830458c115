"""Immutable estimation results with R-like accessors and conversions.

Every estimator returns an :class:`Estimate`: one row per domain with the domain's values
(the ``by=`` columns), ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``cv``, ``deff``, ``n``
(unweighted rows in the domain), ``df`` (degrees of freedom used for the interval: ``inf``
for the normal intervals R's ``confint`` gives means, totals and ratios) and
``reason`` (why a value is missing, e.g. an empty domain). Accessors mirror R's ``coef``,
``SE``, ``confint``, ``cv`` and ``deff``.

Means, totals and proportions by domain on DuckDB keep their columns as NumPy arrays and
build the Polars frame on first need (:meth:`Estimate.to_polars`, ``repr``): a process that
reads the numbers through the accessors, :meth:`Estimate.to_dict` or :meth:`Estimate.to_dicts`
never imports Polars (about 0.1 s of a short process).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import polars as pl

__all__ = ["RESULT_COLUMNS", "Columns", "Estimate", "domain_estimate"]

RESULT_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "cv", "deff", "n", "df", "reason")

_FLOATS = ("estimate", "se", "ci_low", "ci_high", "cv", "deff", "df")


class Columns:
    """A result table held as columns: NumPy arrays, or lists of text (``reason``).

    Float columns hold NaN where the value is missing (``df`` may be ``inf``); the Polars
    frame (missing values null) is built on first need by :meth:`to_polars`.
    """

    def __init__(self, columns: dict[str, Any], height: int) -> None:
        self.columns = columns
        self.height = height

    def __getitem__(self, name: str) -> Any:
        return self.columns[name]

    def to_polars(self) -> pl.DataFrame:
        """The columns as a Polars frame (float NaN becomes null; ``df`` keeps ``inf``)."""
        import polars as pl

        out: dict[str, pl.Series] = {}
        for name, values in self.columns.items():
            if name in _FLOATS:
                out[name] = pl.Series(name, values, dtype=pl.Float64).fill_nan(None)
            elif name == "reason":
                out[name] = pl.Series(name, values, dtype=pl.String)
            else:
                out[name] = pl.Series(name, values)
        return pl.DataFrame(out)


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
    _table: pl.DataFrame | Columns

    def _frame(self) -> pl.DataFrame:
        """The result as a Polars frame, built from the columns on first use and kept."""
        table = self._table
        if isinstance(table, Columns):
            table = table.to_polars()
            object.__setattr__(self, "_table", table)
        return table

    def to_polars(self) -> pl.DataFrame:
        """The result as a Polars frame (a copy)."""
        return self._frame().clone()

    def to_pandas(self) -> Any:
        """The result as a pandas frame."""
        return self._frame().to_pandas()

    def to_dict(self) -> dict[str, list[Any]]:
        """The result as ``{column: list of values}`` in plain Python values.

        Missing values are ``None`` (an infinite ``df`` stays ``inf``), as :meth:`to_dicts`;
        ready for :func:`json.dumps` or :mod:`csv`, and without Polars when the estimate
        was built without it (means, totals and proportions by domain on DuckDB).
        """
        table = self._table
        if not isinstance(table, Columns):
            return {name: [r[name] for r in self.to_dicts()] for name in table.columns}
        out: dict[str, list[Any]] = {}
        for name, values in table.columns.items():
            if name in _FLOATS:
                arr = np.asarray(values, dtype=np.float64)
                keep = ~np.isnan(arr) if name == "df" else np.isfinite(arr)
                pairs = zip(arr.tolist(), keep.tolist(), strict=True)
                out[name] = [v if k else None for v, k in pairs]
            elif isinstance(values, np.ndarray):
                out[name] = values.tolist()
            else:
                out[name] = list(values)
        return out

    def to_dicts(self) -> list[dict[str, Any]]:
        """The result as row dicts (missing values ``None``; an infinite ``df`` stays ``inf``)."""
        table = self._table
        if isinstance(table, Columns):
            cols = self.to_dict()
            names = list(cols)
            return [dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)]
        rows = table.to_dicts()
        for r in rows:
            for k, v in r.items():
                if isinstance(v, float) and not np.isfinite(v) and not (k == "df" and v > 0):
                    r[k] = None
        return rows

    def _col(self, name: str) -> npt.NDArray[np.float64]:
        table = self._table
        if isinstance(table, Columns):
            vals = np.array(table.columns[name], dtype=np.float64)
            if name != "df":
                vals[~np.isfinite(vals)] = np.nan
            return vals
        import polars as pl

        return table[name].cast(pl.Float64).fill_null(np.nan).to_numpy()

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
        table = self._table
        if isinstance(table, Columns):
            return np.array(table.columns["n"], dtype=np.int64)
        return table["n"].to_numpy()

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
        return head + f", {self.variance}, level={self.level})\n{self._frame()}"


def domain_estimate(
    statistic: str,
    label: str,
    by: Sequence[str],
    domains: pl.DataFrame | Columns,
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

    ``domains`` holds the ``by`` values as columns ``_b0``, ``_b1``, ... (one row per domain):
    a Polars frame, or :class:`Columns` (the estimate then keeps columns, see above).
    """
    empty = n == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = se / np.abs(theta)

    def col(x: npt.NDArray[np.float64], keep_inf: bool = False) -> npt.NDArray[np.float64]:
        bad = np.isnan(x) if keep_inf else ~np.isfinite(x)
        return np.where(empty | bad, np.nan, x).astype(np.float64)

    reason: list[str | None] = [
        "empty domain: no rows with a value in this domain" if e else None for e in empty
    ]
    values: dict[str, Any] = dict(
        estimate=col(theta),
        se=col(se),
        ci_low=col(lo),
        ci_high=col(hi),
        cv=col(cv),
        deff=col(deff),
        n=n.astype(np.int64),
        df=col(dfs, keep_inf=True),  # normal intervals: df = inf, shown as such
        reason=reason,
    )
    if isinstance(domains, Columns):
        named = {b: domains.columns[f"_b{i}"] for i, b in enumerate(by)}
        table: pl.DataFrame | Columns = Columns({**named, **values}, int(n.shape[0]))
    else:
        import polars as pl

        frame = Columns(values, int(n.shape[0])).to_polars()
        renamed = domains.rename({f"_b{i}": b for i, b in enumerate(by)})
        table = pl.concat([renamed, frame], how="horizontal") if renamed.width else frame
    return Estimate(statistic, label, tuple(by), level, variance, table)
