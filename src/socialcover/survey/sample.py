"""A design bound to data, and the estimators asked of it.

``Sample(data, design)`` registers the data with an engine (DuckDB by default, Spark for
Spark frames), checks the design once (columns, weights, nesting, lonely PSUs) and keeps the
sampling structure as small arrays. Each estimator then runs ONE aggregate statement --
weighted sums of the variables per (domain, sampling unit) -- written once for both SQL
dialects, and finishes the small variance algebra in NumPy (:mod:`.variance.taylor`,
:mod:`.variance.replicate`).

Domains: ``by=`` gives one row per level combination (as R's ``svyby``); ``where=`` keeps the
full design and restricts the estimate to a subpopulation (as R's ``subset`` of a design).
Both send the same scores through the same algebra, so they give identical answers.

Degrees of freedom (R's ``degf``): for Taylor designs, the number of first-stage units
minus the number of strata that have at least one row in the domain (rows and strata for
element designs); for replicate designs, the rank of the replicate weights minus 1 (or the
value declared on the design). Intervals use Student's t with these df unless ``df=`` says
otherwise (``df=float("inf")`` gives the normal intervals of R's default ``confint``).

Sources: Lumley (2010) *Complex Surveys*, ch. 2-3; Wolter (2007) *Introduction to Variance
Estimation*, ch. 6; R package ``survey`` 4.x (``svymean``, ``svytotal``, ``svyratio``,
``svyby``, ``svyrecvar``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import stats

from socialcover.survey._errors import EstimateError
from socialcover.survey.aggregate import Aggregate as _Agg
from socialcover.survey.aggregate import aggregate, collect
from socialcover.survey.calibrate import Calibration, poststratify, rake, rake_residuals
from socialcover.survey.ciprop import proportion_interval
from socialcover.survey.contrast import difference
from socialcover.survey.design import Design
from socialcover.survey.engine.base import Engine, open_engine
from socialcover.survey.result import Estimate
from socialcover.survey.statistic import Statistic, design_effect, make_statistic
from socialcover.survey.structure import Structure, build_structure, check_case, check_columns
from socialcover.survey.variance.taylor import linear_variance

__all__ = ["Sample"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


class Sample:
    """A survey design bound to data; immutable.

    Parameters
    ----------
    data
        A Polars/pandas frame, an Arrow table, a DuckDB relation, a Parquet path (or list, or
        glob: read out of core), or a Spark DataFrame.
    design
        A :class:`~socialcover.survey.Design` (or a replicate design).
    engine
        ``"duckdb"`` or ``"spark"``; chosen from the data by default.

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design, Sample
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2], "y": [1, 0, 1, 1]})
    >>> s = Sample(df, Design(weights="w", strata="h"))
    >>> round(float(s.mean("y").estimate[0]), 4)
    0.6667
    """

    def __init__(self, data: Any, design: Design, *, engine: str | None = None) -> None:
        from socialcover.survey.replicate import ReplicateDesign

        self._design = design
        self._engine: Engine = open_engine(data, engine)
        cols = self._engine.columns()
        self._columns = cols
        check_case(cols)
        check_columns(cols, list(design.columns()), "named by the design")
        base = design.base if isinstance(design, ReplicateDesign) else design
        if isinstance(design, ReplicateDesign) and design.generated and not base.psu:
            # replicates drop or resample PSUs: with element sampling every row is one
            base = replace(base, psu=(self._engine.add_row_id("_sc_row"),), nest=False)
        q = self._engine.quote
        self._weight_sql = (
            f"CAST({q(design.weights)} AS DOUBLE)"
            if design.weights is not None
            else "CAST(1 AS DOUBLE)"
        )
        self._structure: Structure = build_structure(self._engine, base, self._weight_sql)
        self._replicate: Any = None
        self._calibration: Calibration | None = None
        if isinstance(design, ReplicateDesign):
            from socialcover.survey.variance.replicate import bind_replicates

            self._replicate = bind_replicates(self, design)
        self._sealed = True

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_sealed"):
            raise AttributeError(
                f"Sample is immutable (cannot set {name!r}); calibration and other changes "
                "return a new Sample."
            )
        object.__setattr__(self, name, value)

    def _derive(self, *, calibration: Calibration | None = None) -> Sample:
        """A copy sharing the engine, with a calibration."""
        new = object.__new__(Sample)
        new.__dict__.update(self.__dict__)
        new.__dict__["_calibration"] = calibration
        return new

    def _with_row_ids(self) -> Sample:
        """A copy whose element design has one PSU per row (a row-number column)."""
        from socialcover.survey.replicate import ReplicateDesign

        base = self._design.base if isinstance(self._design, ReplicateDesign) else self._design
        new = object.__new__(Sample)
        new.__dict__.update(self.__dict__)
        row = self._engine.add_row_id("_sc_row")  # the engine is shared: same rows
        d = replace(base, psu=(row,), nest=False)
        new.__dict__["_structure"] = build_structure(self._engine, d, self._weight_sql)
        new.__dict__["_columns"] = [*self._columns, row]
        return new

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
        return poststratify(self, list(by) if not isinstance(by, str) else by, totals)

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
        return rake(self, margins, maxit=maxit, epsilon=epsilon)

    # ---------------------------------------------------------------- properties
    @property
    def design(self) -> Design:
        """The design this sample was bound with."""
        return self._design

    @property
    def engine(self) -> str:
        """Name of the engine running the estimators."""
        return self._engine.name

    @property
    def columns(self) -> list[str]:
        """Column names of the data."""
        return list(self._columns)

    @property
    def n_rows(self) -> int:
        """Rows in the data."""
        return self._structure.n_rows

    @property
    def n_psu(self) -> int:
        """First-stage sampling units (rows for element designs)."""
        return self._structure.n_psu

    @property
    def n_strata(self) -> int:
        """First-stage strata (1 when unstratified)."""
        return self._structure.n_strata

    @property
    def df(self) -> float:
        """Design degrees of freedom of the whole sample (R's ``degf``)."""
        if self._replicate is not None:
            return float(self._replicate.df_full)
        return float(self.n_psu - self.n_strata)

    # ---------------------------------------------------------------- SQL helpers
    def _expr(self, variable: str) -> str:
        if variable in self._columns:
            return self._engine.quote(variable)
        if _IDENT.fullmatch(variable):
            check_columns(self._columns, [variable], "the variable")
        return f"({variable})"

    def _aggregate(
        self,
        variables: list[str],
        by: list[str],
        where: str | None,
        na_rm: bool,
        *,
        bounds: bool = False,
    ) -> tuple[pl.DataFrame, list[str]]:
        return aggregate(self, variables, by, where, na_rm, bounds=bounds)

    def _collect(
        self,
        variables: list[str],
        by: list[str],
        where: str | None,
        na_rm: bool,
        *,
        bounds: bool = False,
    ) -> _Agg:
        return collect(self, variables, by, where, na_rm, bounds=bounds)

    def _dom_sum(self, a: _Agg, x: FloatArray) -> FloatArray:
        if x.ndim == 1:
            return np.asarray(np.bincount(a.dom, weights=x, minlength=a.n_dom), dtype=np.float64)
        out = np.zeros((a.n_dom, *x.shape[1:]))
        np.add.at(out, a.dom, x)
        return out

    def _df(self, a: _Agg) -> FloatArray:
        if self._replicate is not None:
            return np.asarray(self._replicate.domain_df(a, self), dtype=float)
        st = self._structure
        if st.element:
            n = self._dom_sum(a, a.nall)
            strata = a.unit
        else:
            psu = st.unit_maps[0][a.unit]
            strata = st.stages[0].group_of_unit[psu]
            n = np.bincount(
                np.unique(a.dom * max(st.n_psu, 1) + psu) // max(st.n_psu, 1),
                minlength=a.n_dom,
            ).astype(float)
        ns = np.bincount(
            np.unique(a.dom * max(st.n_strata, 1) + strata) // max(st.n_strata, 1),
            minlength=a.n_dom,
        ).astype(float)
        return np.asarray(n - ns, dtype=float)

    def _variance(self, a: _Agg, grad: FloatArray) -> FloatArray:
        """Variance per domain of a statistic with gradient ``grad`` (per domain)."""
        if self._replicate is not None:
            raise RuntimeError("replicate designs use _replicate_variance")
        dom, unit, t, t2 = self._score_rows(a, grad, np.ones(a.dom.size))
        return linear_variance(self._structure, dom, unit, t, a.n_dom, self._design.lonely_psu, t2)

    def _squared_scores(self, a: _Agg, grad: FloatArray) -> FloatArray:
        """Element designs: sum of squared row scores per (domain, stratum) row of ``a``.

        A second pass computes sum (w (grad . v))^2 exactly; expanding it from the second
        moments of the first pass loses digits when a domain's values are all alike.
        """
        if a.m is None:  # pragma: no cover - element designs only
            raise ValueError("element designs only")
        if a.call is None or a.dom.size == 0:
            g = grad[a.dom]
            return np.asarray(np.einsum("rk,rkl,rl->r", g, a.m, g), dtype=float)
        from socialcover.survey.quantile import _literal

        variables, by, where, na_rm = a.call
        k = grad.shape[1]

        def lin(row: FloatArray) -> str:
            c = np.where(np.isfinite(row), row, 0.0)
            terms = [_literal(float(c[0]))] + [
                f"{_literal(float(c[j]))} * _v{j}" for j in range(1, k)
            ]
            return " + ".join(terms)

        if by:
            cases = []
            for d, vals in enumerate(a.domains.iter_rows()):
                test = " AND ".join(
                    f"_b{i} IS NOT DISTINCT FROM {_literal(v)}" for i, v in enumerate(vals)
                )
                cases.append(f"WHEN {test} THEN {lin(grad[d])}")
            expr = "CASE " + " ".join(cases) + " ELSE 0 END"
        else:
            expr = lin(grad[0])
        got, keys = aggregate(self, list(variables), list(by), where, na_rm, score_sql=expr)
        if not keys:
            return np.full(a.dom.size, float(got["_t2"][0] or 0.0))
        rows = a.extra.select(keys).join(
            got, on=keys, how="left", nulls_equal=True, maintain_order="left"
        )
        return np.asarray(rows["_t2"].fill_null(0.0).to_numpy(), dtype=float)

    def _score_rows(
        self, a: _Agg, grad: FloatArray, sign: FloatArray
    ) -> tuple[IntArray, IntArray, FloatArray, FloatArray | None]:
        """Score totals per (domain, unit) row, with post-stratification residuals."""
        g = grad[a.dom]
        t = np.einsum("rk,rk->r", g, a.s) * sign
        t2 = None
        if a.m is not None:
            t2 = self._squared_scores(a, grad)
        cal = self._calibration
        if cal is None or a.cell is None or a.s_old is None:
            return a.dom, a.unit, t, t2
        n_cell = cal.g.shape[0]
        if cal.kind == "rake":
            k = a.s.shape[1]
            u = np.column_stack(
                [a.n] + [a.extra[f"_u{j}"].to_numpy().astype(float) for j in range(1, k)]
            )
            z = np.einsum("rk,rk->r", g, u) * sign
            n_dom = int(a.dom.max()) + 1 if a.dom.size else 0
            z_cell = np.zeros((n_dom, n_cell))
            np.add.at(z_cell, (a.dom, a.cell), z)
            sub = rake_residuals(cal, z_cell)  # (D, J): per unit of old weight
            doms, units, corr = [a.dom], [a.unit], [t]
            for d in range(n_dom):
                if not np.any(z_cell[d]):
                    continue
                doms.append(np.full(cal.pair_unit.size, d, dtype=np.int64))
                units.append(cal.pair_unit)
                corr.append(-sub[d, cal.pair_cell] * cal.pair_w_old)
            return np.concatenate(doms), np.concatenate(units), np.concatenate(corr), t2
        # m_c = grad . S_old(domain, cell) / W_old(cell): the old-weight cell mean of x / psw
        key = a.dom * n_cell + a.cell
        uniq, inv = np.unique(key, return_inverse=True)
        tm = np.bincount(inv, weights=np.einsum("rk,rk->r", g, a.s_old) * sign)
        d_u, c_u = uniq // n_cell, uniq % n_cell
        mc = tm / cal.w_old[c_u]
        # every unit of the cell loses m_c x (its calibrated weight in the cell)
        per_cell = [np.flatnonzero(cal.pair_cell == c) for c in range(n_cell)]
        doms, units, corr = [a.dom], [a.unit], [t]
        for d, c, m in zip(d_u, c_u, mc, strict=True):
            idx = per_cell[int(c)]
            doms.append(np.full(idx.size, int(d), dtype=np.int64))
            units.append(cal.pair_unit[idx])
            corr.append(-m * cal.g[int(c)] * cal.pair_w_old[idx])
        return np.concatenate(doms), np.concatenate(units), np.concatenate(corr), t2

    # ---------------------------------------------------------------- estimators
    def _linear(
        self,
        kind: str,
        variables: list[str],
        label: str,
        by: str | Sequence[str] | None,
        where: str | None,
        na_rm: bool,
        level: float,
        df: float | None,
        *,
        proportion: str | None = None,
    ) -> Estimate:
        by_l = _as_list(by)
        a = self._collect(variables, by_l, where, na_rm, bounds=proportion is not None)
        stat: Statistic = make_statistic(kind)
        s_d = self._dom_sum(a, a.s)
        q_d = self._dom_sum(a, a.q)
        n_d = self._dom_sum(a, a.n)
        if proportion is not None and a.extra.height:
            lo = float(a.extra["_lo1"].min())  # type: ignore[arg-type]
            hi = float(a.extra["_hi1"].max())  # type: ignore[arg-type]
            if lo < 0 or hi > 1 or not np.allclose(q_d[:, 1, 1], s_d[:, 1], rtol=1e-9):
                raise EstimateError(
                    f"{label!r} is not a 0/1 variable (values from {lo:g} to {hi:g}).",
                    code="survey.not-binary",
                    hint="Give a condition, e.g. proportion(\"labour_status = 'employed'\").",
                )
        theta = stat.value(s_d)
        if self._replicate is not None:
            var = self._replicate.variance(a, stat, theta, self)
        else:
            var = self._variance(a, stat.gradient(s_d))
        deff = design_effect(kind, s_d, q_d, n_d, theta, var)
        dfs = self._df(a) if df is None else np.full(a.n_dom, float(df))
        se = np.sqrt(np.maximum(var, 0.0))
        if proportion is not None:
            nall = self._dom_sum(a, a.nall)
            se_logit = None
            if self._replicate is not None and proportion == "logit":
                se_logit = np.sqrt(
                    self._replicate.variance(a, stat, theta, self, lambda x: np.log(x / (1 - x)))
                )
            share = None
            if "_sall" in a.extra.columns:
                sall = np.bincount(
                    a.dom, weights=a.extra["_sall"].to_numpy().astype(float), minlength=a.n_dom
                )
                share = s_d[:, 0] / sall
            lo_ci, hi_ci = proportion_interval(
                theta,
                se,
                dfs,
                nall,
                level,
                proportion,
                se_logit=se_logit,
                n_valid=n_d,
                weight_share=share,
            )
        else:
            tq = stats.t.ppf(0.5 + level / 2, dfs) if a.n_dom else np.zeros(0)
            lo_ci, hi_ci = theta - tq * se, theta + tq * se
        return self._result(
            "proportion" if proportion else kind,
            label,
            by_l,
            a.domains,
            theta,
            se,
            lo_ci,
            hi_ci,
            deff,
            n_d,
            dfs,
            level,
        )

    def _result(
        self,
        statistic: str,
        label: str,
        by: list[str],
        domains: pl.DataFrame,
        theta: FloatArray,
        se: FloatArray,
        lo: FloatArray,
        hi: FloatArray,
        deff: FloatArray,
        n: FloatArray,
        dfs: FloatArray,
        level: float,
    ) -> Estimate:
        empty = n == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            cv = se / np.abs(theta)

        def col(x: FloatArray) -> pl.Series:
            vals = np.where(empty | ~np.isfinite(x), np.nan, x)
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
            df=col(dfs),
            reason=pl.Series(reason, dtype=pl.String),
        )
        table = domains.rename({f"_b{i}": b for i, b in enumerate(by)})
        table = table.with_columns(**values) if table.width else pl.DataFrame(values)
        variance = "taylor" if self._replicate is None else self._replicate.type_name
        return Estimate(statistic, label, tuple(by), level, variance, table)

    def mean(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | None = None,
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
            Degrees of freedom of the interval; ``None`` uses the design's (R's ``degf``).

        Returns
        -------
        Estimate
        """
        return self._linear("mean", [variable], variable, by, where, na_rm, level, df)

    def total(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | None = None,
    ) -> Estimate:
        """Weighted total of ``variable`` per domain (see :meth:`mean` for the arguments)."""
        return self._linear("total", [variable], variable, by, where, na_rm, level, df)

    def proportion(
        self,
        variable: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | None = None,
        method: str = "logit",
    ) -> Estimate:
        """Proportion of a 0/1 (or boolean) variable, with R ``svyciprop`` intervals.

        ``method`` is ``"logit"`` (default), ``"xlogit"``, ``"mean"``, ``"asin"`` or ``"beta"``
        (see :mod:`socialcover.survey.ciprop`). Other arguments as :meth:`mean`.
        """
        return self._linear(
            "mean", [variable], variable, by, where, na_rm, level, df, proportion=method
        )

    def ratio(
        self,
        numerator: str,
        denominator: str,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | None = None,
    ) -> Estimate:
        """Ratio of two weighted totals per domain (R's ``svyratio``)."""
        label = f"{numerator} / {denominator}"
        return self._linear("ratio", [numerator, denominator], label, by, where, na_rm, level, df)

    def quantile(
        self,
        variable: str,
        probs: float | Sequence[float] = 0.5,
        *,
        by: str | Sequence[str] | None = None,
        where: str | None = None,
        na_rm: bool = False,
        level: float = 0.95,
        df: float | None = None,
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
            self,
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
        df: float | None = None,
    ) -> Estimate:
        """Difference of a statistic between two domains of ``by``, with its SE.

        The estimate is stat(first level) - stat(second level); its variance includes the
        covariance of the two domains (R: ``svycontrast(svyby(..., covmat=TRUE), c(1, -1))``).
        ``levels`` are the two levels compared (by default the two present); ``statistic`` is
        ``"mean"`` (also for proportions) or ``"total"``. See
        :mod:`socialcover.survey.contrast`.
        """
        return difference(
            self,
            variable,
            by=by,
            levels=levels,
            where=where,
            statistic=statistic,
            na_rm=na_rm,
            level=level,
            df=df,
        )
