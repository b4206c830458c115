"""The survey front: a design bound to data, and the estimators asked of it by name.

``Sample(data, design)`` binds the design to the data once (:func:`.bound.bind`: a back-end,
DuckDB by default or Spark for Spark frames, and the checked sampling structure) and names
the estimators, each a function of the bound design: means, totals, ratios and proportions
(:mod:`.linear`), quantiles (:mod:`.quantile`), differences between domains
(:mod:`.contrast`); calibration (:mod:`.calibrate`) returns a new sample. Each estimator runs
ONE aggregate statement -- weighted sums of the variables per (domain, sampling unit) --
written once for both SQL dialects, and finishes the small variance algebra in NumPy
(:mod:`.variance.taylor`, :mod:`.variance.replicate`).

Domains: ``by=`` gives one row per level combination (as R's ``svyby``); ``where=`` keeps the
full design and restricts the estimate to a subpopulation (as R's ``subset`` of a design).

Degrees of freedom (R's ``degf``): for Taylor designs, the number of first-stage units
minus the number of strata that have at least one row in the domain (rows and strata for
element designs); for replicate designs, the rank of the replicate weights minus 1 (or the
value declared on the design). As in R, intervals of means, totals, ratios and differences
are normal (df = infinity, R's ``confint``) and those of proportions and quantiles use these
df (``svyciprop``, ``svyquantile``); ``df="design"`` or a number overrides either.

Sources: Lumley (2010) *Complex Surveys*, ch. 2-3; Wolter (2007) *Introduction to Variance
Estimation*, ch. 6; R package ``survey`` 4.x (``svymean``, ``svytotal``, ``svyratio``,
``svyby``, ``svyrecvar``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from socialcover.survey.bound import BoundDesign, bind
from socialcover.survey.linear import estimate_linear, shares

if TYPE_CHECKING:
    from socialcover.survey.design import Design
    from socialcover.survey.replicate import ReplicateDesign
    from socialcover.survey.result import Estimate

# Calibration, quantiles and differences load when first asked for: a process that only
# takes means does not import them (whole-process start-up counts, see docs/survey.md).

__all__ = ["Sample"]


class Sample:
    """A survey design bound to data; immutable.

    Parameters
    ----------
    data
        A Polars/pandas frame, an Arrow table, a DuckDB relation, a Parquet path (or list, or
        glob: read out of core), or a Spark DataFrame.
    design
        A :class:`~socialcover.survey.Design` (or a replicate design).
    backend
        ``"duckdb"`` or ``"spark"``; chosen from the data by default (Spark for Spark
        DataFrames or when ``spark`` is given).
    spark
        A SparkSession to run on. Paths (local files, globs, partitioned folders,
        ``hdfs://``, ``s3a://``) are then read by Spark itself; with ``backend="spark"`` and no
        session, the active one (or Spark's default, from ``spark-submit``'s settings) is used.

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design, Sample
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2], "y": [1, 0, 1, 1]})
    >>> s = Sample(df, Design(weights="w", strata="h"))
    >>> round(float(s.mean("y").estimate[0]), 4)
    0.6667
    """

    _bound: BoundDesign

    def __init__(
        self,
        data: Any,
        design: Design | ReplicateDesign,
        *,
        backend: str | None = None,
        spark: Any = None,
    ) -> None:
        object.__setattr__(self, "_bound", bind(data, design, backend=backend, spark=spark))

    @classmethod
    def _of(cls, bound: BoundDesign) -> Sample:
        new = object.__new__(cls)
        object.__setattr__(new, "_bound", bound)
        return new

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"Sample is immutable (cannot set {name!r}); calibration and other changes "
            "return a new Sample."
        )

    def poststratify(self, by: str | Sequence[str], totals: Any) -> Sample:
        """A copy calibrated to known population counts per cell of ``by`` (R's ``postStratify``).

        Parameters
        ----------
        by
            Column(s) defining the post-strata.
        totals
            A frame with the ``by`` columns and a ``total`` column (population counts), or a
            dict ``{level: total}`` for one column.

        Returns
        -------
        Sample
            A new sample; this one is unchanged.
        """
        cols = list(by) if not isinstance(by, str) else by
        from socialcover.survey import calibrate

        return Sample._of(calibrate.poststratify(self._bound, cols, totals))

    def rake(self, margins: dict[str, Any], *, maxit: int = 10, epsilon: float = 1.0) -> Sample:
        """A copy raked to population counts of several margins (R's ``rake``).

        Parameters
        ----------
        margins
            ``{column: totals}`` with totals a dict ``{level: count}`` or a frame with the
            column and ``total``.
        maxit, epsilon
            Stop after ``maxit`` sweeps or when the joint weighted table moves by less than
            ``epsilon`` (a share of the total when < 1), as R.
        """
        from socialcover.survey import calibrate

        return Sample._of(calibrate.rake(self._bound, margins, maxit=maxit, epsilon=epsilon))

    # ---------------------------------------------------------------- properties
    @property
    def design(self) -> Design | ReplicateDesign:
        """The design this sample was bound with."""
        return self._bound.design

    @property
    def backend(self) -> str:
        """Name of the back-end running the estimators (``"duckdb"`` or ``"spark"``)."""
        return self._bound.backend.name

    @property
    def columns(self) -> list[str]:
        """Column names of the data."""
        return list(self._bound.columns)

    @property
    def n_rows(self) -> int:
        """Rows in the data."""
        return self._bound.structure.n_rows

    @property
    def n_psu(self) -> int:
        """First-stage sampling units (rows for element designs)."""
        return self._bound.structure.n_psu

    @property
    def n_strata(self) -> int:
        """First-stage strata (1 when unstratified)."""
        return self._bound.structure.n_strata

    @property
    def df(self) -> float:
        """Design degrees of freedom of the whole sample (R's ``degf``)."""
        return self._bound.df

    # ---------------------------------------------------------------- estimators
    def mean(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | str | None = None,
    ) -> Estimate:
        """Weighted mean of ``variable`` (a column or an SQL expression), per domain.

        Parameters
        ----------
        variable
            Column name or SQL expression, e.g. ``"income / hh_size"`` or ``"age >= 65"``.
        by
            Domain columns: one row per level combination (R's ``svyby``).
        where
            SQL condition for a subpopulation that keeps the full design (R's ``subset``).
        na_rm
            Leave rows with a missing value out of the domain; otherwise missing values raise.
        level
            Confidence level.
        df
            Degrees of freedom of the interval. ``None`` (default) does what R does: normal
            intervals (df = infinity, reported as ``inf``) for means, totals, ratios and
            differences, as R's ``confint``; the domain's design df (R's ``degf``) for
            proportions and quantiles, as ``svyciprop`` and ``svyquantile``. ``"design"``
            always uses the domain's design df; a number fixes it.

        Returns
        -------
        Estimate
        """
        return estimate_linear(
            self._bound,
            "mean",
            [variable],
            label=variable,
            by=by,
            where=where,
            na_rm=na_rm,
            level=level,
            df=df,
        )

    def total(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | str | None = None,
    ) -> Estimate:
        """Weighted total of ``variable`` per domain (see :meth:`mean` for the arguments)."""
        return estimate_linear(
            self._bound,
            "total",
            [variable],
            label=variable,
            by=by,
            where=where,
            na_rm=na_rm,
            level=level,
            df=df,
        )

    def proportion(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | str | None = None,
        method: str = "logit",
    ) -> Estimate:
        """Proportion of a 0/1 (or boolean) variable, with R ``svyciprop`` intervals.

        ``method`` is ``"logit"`` (default), ``"xlogit"``, ``"mean"``, ``"asin"`` or ``"beta"``
        (see :mod:`socialcover.survey.ciprop`). Other arguments as :meth:`mean`.
        """
        return estimate_linear(
            self._bound,
            "mean",
            [variable],
            label=variable,
            by=by,
            where=where,
            na_rm=na_rm,
            level=level,
            df=df,
            proportion=method,
        )

    def shares(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | str | None = None,
    ) -> Estimate:
        """Weighted share of every level of a categorical ``variable`` (R: ``svymean(~factor(x))``).

        One row per domain and level (column ``level``): declared levels of an Enum or
        Categorical column (a level without rows has share 0), else the values found in the
        data. Other arguments as :meth:`mean`.

        Examples
        --------
        >>> import polars as pl
        >>> from socialcover.survey import Design, Sample
        >>> df = pl.DataFrame({"w": [1.0, 3.0], "s": ["a", "b"]})
        >>> Sample(df, Design(weights="w")).shares("s").estimate.tolist()
        [0.25, 0.75]
        """
        return shares(self._bound, variable, by=by, where=where, na_rm=na_rm, level=level, df=df)

    def ratio(
        self,
        numerator: str,
        denominator: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | str | None = None,
    ) -> Estimate:
        """Ratio of two weighted totals per domain (R's ``svyratio``)."""
        return estimate_linear(
            self._bound,
            "ratio",
            [numerator, denominator],
            label=f"{numerator} / {denominator}",
            by=by,
            where=where,
            na_rm=na_rm,
            level=level,
            df=df,
        )

    def quantile(
        self,
        variable: str,
        probs: float | Sequence[float] = 0.5,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | str | None = None,
        qrule: str = "math",
        interval_type: str = "mean",
    ) -> Estimate:
        """Quantiles with Woodruff intervals (R's ``svyquantile``).

        ``qrule`` is ``"math"`` (default), ``"school"``, ``"shahvaish"`` or ``"hf1"``-``"hf9"``;
        ``interval_type`` is ``"mean"`` (default), ``"beta"``, ``"xlogit"`` or ``"asin"``. One
        row per domain and probability (column ``quantile``). See
        :mod:`socialcover.survey.quantile`.
        """
        from socialcover.survey.quantile import quantile

        return quantile(
            self._bound,
            variable,
            probs,
            by=by,
            where=where,
            na_rm=na_rm,
            level=level,
            df=df,
            qrule=qrule,
            interval_type=interval_type,
        )

    def difference(
        self,
        variable: str,
        *,
        by: str,
        levels: tuple[Any, Any] | None = None,
        where: str | None = None,
        statistic: str = "mean",
        na_rm: bool = False,
        level: float = 0.95,
        df: float | str | None = None,
    ) -> Estimate:
        """Difference of a statistic between two domains of ``by``, with its SE.

        The estimate is stat(first level) - stat(second level); its variance includes the
        covariance of the two domains (R: ``svycontrast(svyby(..., covmat=TRUE), c(1, -1))``).
        ``levels`` are the two levels compared (by default the two present); ``statistic`` is
        ``"mean"`` (also for proportions) or ``"total"``. See
        :mod:`socialcover.survey.contrast`.
        """
        from socialcover.survey.contrast import difference

        return difference(
            self._bound,
            variable,
            by=by,
            levels=levels,
            where=where,
            statistic=statistic,
            na_rm=na_rm,
            level=level,
            df=df,
        )
