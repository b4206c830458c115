"""Calibration of weights to known population totals: post-stratification and raking.

:func:`poststratify` (``sample.poststratify(by, totals)``) returns a new bound design whose
weights are w_i N_c / N_hat_c in each cell c of ``by`` (R's ``postStratify``). Its variance
uses the residuals of the linearised scores from their cell means, as R's ``svyrecvar`` does
for post-strata: x_i <- x_i - psw_i m_c with m_c the old-weight mean of x / psw in the cell
(Lumley 2010, sec. 7.2; Sarndal, Swensson and Wretman 1992, sec. 7.6). Every row keeps its
place in the design, so domains of a calibrated sample carry the calibration's gain too.

:func:`rake` (``sample.rake(margins)``) adjusts the weights to several margins by iterative
proportional fitting (Deming and Stephan 1940), as R's ``rake``: post-stratify on each margin
in turn and stop when the joint weighted table moves by less than ``epsilon`` (1 unit, R's
default) or after ``maxit`` sweeps. Its variance follows R's ``svyrecvar`` for raking: ten
rounds of backfitting that subtract from the scores x their unweighted margin-cell means of
x / psw, with psw the weights after each margin's step in the last sweep.

Replicate designs are calibrated replicate by replicate, with the same number of sweeps as the
full sample (R's ``postStratify``/``rake`` methods for ``svyrep.design``).

Only sums by (domain, unit, cell) are needed: calibrated weights are the old ones times a
factor per (joint) cell, applied in NumPy after the one aggregate query.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.errors import SocialcoverWarning
from socialcover.survey._errors import DesignError
from socialcover.survey.bound import BoundDesign
from socialcover.survey.calibration import Calibration
from socialcover.survey.structure import check_columns

__all__ = ["poststratify", "rake"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _as_totals(by: list[str], totals: Any) -> pl.DataFrame:
    if isinstance(totals, dict):
        if len(by) != 1:
            raise DesignError(
                "A dict of totals needs one post-stratification column.",
                code="survey.bad-totals",
                hint='Pass a frame with the by= columns and a "total" column.',
            )
        return pl.DataFrame({by[0]: list(totals), "total": [float(v) for v in totals.values()]})
    if isinstance(totals, pl.DataFrame):
        return totals
    try:
        out: pl.DataFrame = pl.from_pandas(totals)
        return out
    except (TypeError, ValueError) as exc:
        raise DesignError(
            f"Cannot read population totals of type {type(totals).__name__}.",
            code="survey.bad-totals",
            hint='Pass a Polars/pandas frame with the by= columns and a "total" column.',
        ) from exc


def poststratify(bound: BoundDesign, by: str | list[str], totals: Any) -> BoundDesign:
    """A post-stratified copy of ``bound`` (see the module docstring)."""
    cols = [by] if isinstance(by, str) else list(by)
    if bound.calibration is not None:
        raise DesignError(
            "This sample is calibrated already; calibrate the uncalibrated sample once "
            "(with rake() for several margins).",
            code="survey.calibration-unsupported",
            hint="Use sample.rake({...}) to meet several margins at once.",
        )
    check_columns(bound.columns, cols, "in poststratify(by=)")
    tot = _as_totals(cols, totals)
    if "total" not in tot.columns:
        raise DesignError(
            'Population totals need a "total" column.',
            code="survey.bad-totals",
            hint=f"Columns given: {tot.columns}.",
        )
    check_columns(tot.columns, cols, "in the totals")
    new = bound.with_row_ids() if bound.structure.element else bound
    eng = new.backend
    q = eng.quote
    st = new.structure
    keys = [a for _, a in st.key_sql]
    sel = [f"{e} AS {a}" for e, a in st.key_sql] + [f"{q(c)} AS _k{i}" for i, c in enumerate(cols)]
    grp = [e for e, _ in st.key_sql] + [q(c) for c in cols]
    pairs = eng.query(
        f"SELECT {', '.join(sel)}, SUM({new.weight_sql}) AS _w FROM {eng.table} "
        f"GROUP BY {', '.join(grp)}"
    )
    kcols = [f"_k{i}" for i in range(len(cols))]
    cells = pairs.group_by(kcols).agg(pl.col("_w").sum()).sort(kcols, nulls_last=True)
    pop = tot.select([*(pl.col(c).alias(f"_k{i}") for i, c in enumerate(cols)), "total"])
    try:
        pop = pop.cast({k: cells.schema[k] for k in kcols})
    except pl.exceptions.InvalidOperationError as exc:
        raise DesignError(
            "The totals' cell values do not have the data's types.",
            code="survey.bad-totals",
            hint=f"Data types: {[str(cells.schema[k]) for k in kcols]}.",
        ) from exc
    both = cells.join(pop, on=kcols, how="full", coalesce=True, nulls_equal=True)
    missing_pop = both.filter(pl.col("total").is_null())
    if missing_pop.height:
        raise DesignError(
            f"{missing_pop.height} post-strata of the sample have no population total, e.g. "
            f"{missing_pop.select(kcols).row(0)}.",
            code="survey.bad-totals",
            hint="Give a total for every cell of " + ", ".join(cols) + " found in the data.",
        )
    missing_sample = both.filter(pl.col("_w").is_null() & (pl.col("total") > 0))
    if missing_sample.height:
        raise DesignError(
            f"{missing_sample.height} post-strata have a population total but no sample rows, "
            f"e.g. {missing_sample.select(kcols).row(0)}.",
            code="survey.empty-poststratum",
            hint="Merge those cells with neighbours (R: postStratify(partial=TRUE) drops them).",
        )
    cells = cells.join(pop, on=kcols, how="left", nulls_equal=True).with_row_index("_cell")
    g = (cells["total"] / cells["_w"]).to_numpy().astype(float)
    pairs = pairs.join(cells.select([*kcols, "_cell"]), on=kcols, nulls_equal=True)
    if keys:
        pairs = pairs.join(st.units, on=keys, how="left")
    else:
        pairs = pairs.with_columns(pl.lit(0, dtype=pl.Int64).alias("_u"))
    cal = Calibration(
        columns=tuple(cols),
        cells=cells.select([*kcols, "_cell"]),
        g=g,
        w_old=cells["_w"].to_numpy().astype(float),
        pair_unit=pairs["_u"].to_numpy().astype(np.int64),
        pair_cell=pairs["_cell"].to_numpy().astype(np.int64),
        pair_w_old=pairs["_w"].to_numpy().astype(float),
        rep_cell_totals=_rep_cell_totals(new, cols, cells.select([*kcols, "_cell"])),
    )
    return new.with_calibration(cal)


def _rep_cell_totals(bound: BoundDesign, cols: list[str], cells: pl.DataFrame) -> FloatArray | None:
    """Sums of each replicate-weight column per (joint) cell, for user-supplied replicates."""
    rep = bound.replicates
    if rep is None or rep.factors is not None:
        return None
    eng = bound.backend
    q = eng.quote
    kcols = [f"_k{i}" for i in range(len(cols))]
    inner = ", ".join([*(f"{q(c)} AS _k{i}" for i, c in enumerate(cols)), *rep.inner_sql()])
    sums = ", ".join(f"SUM(_r{r}) AS _t{r}" for r in range(rep.n_rep))
    got = eng.query(
        f"SELECT {', '.join(kcols)}, {sums} FROM (SELECT {inner} FROM {eng.table}) AS _sc_c "
        f"GROUP BY {', '.join(kcols)}"
    )
    got = cells.join(got, on=kcols, how="left", nulls_equal=True).sort("_cell")
    return np.column_stack([got[f"_t{r}"].to_numpy().astype(float) for r in range(rep.n_rep)])


def rake(
    bound: BoundDesign,
    margins: dict[str, Any],
    *,
    maxit: int = 10,
    epsilon: float = 1.0,
) -> BoundDesign:
    """A copy raked to the population counts of several margins (see the module docstring).

    ``margins`` maps a column to its totals (a dict ``{level: total}`` or a frame with the
    column and ``total``). ``epsilon`` < 1 is a share of the weight total, as in R.
    """
    if bound.calibration is not None:
        raise DesignError(
            "This sample is calibrated already; rake the uncalibrated sample.",
            code="survey.calibration-unsupported",
            hint="Give all margins to one rake() call.",
        )
    cols = list(margins)
    check_columns(bound.columns, cols, "in rake(margins=)")
    new = bound.with_row_ids() if bound.structure.element else bound
    eng = new.backend
    q = eng.quote
    st = new.structure
    keys = [a for _, a in st.key_sql]
    kcols = [f"_k{i}" for i in range(len(cols))]
    sel = [f"{e} AS {a}" for e, a in st.key_sql] + [f"{q(c)} AS _k{i}" for i, c in enumerate(cols)]
    grp = [e for e, _ in st.key_sql] + [q(c) for c in cols]
    pairs = eng.query(
        f"SELECT {', '.join(sel)}, SUM({new.weight_sql}) AS _w, COUNT(*) AS _n "
        f"FROM {eng.table} GROUP BY {', '.join(grp)}"
    )
    cells = (
        pairs.group_by(kcols)
        .agg(pl.col("_w").sum(), pl.col("_n").sum())
        .sort(kcols, nulls_last=True)
        .with_row_index("_cell")
    )
    w_old = cells["_w"].to_numpy().astype(float)
    margin_cell: list[IntArray] = []
    pops: list[FloatArray] = []
    for i, c in enumerate(cols):
        tot = _as_totals([c], margins[c])
        lev = cells.select(kcols[i]).unique().sort(kcols[i], nulls_last=True)
        pop = tot.select(pl.col(c).alias(kcols[i]), "total")
        try:
            pop = pop.cast({kcols[i]: lev.schema[kcols[i]]})
        except pl.exceptions.InvalidOperationError as exc:
            raise DesignError(
                f"The totals of margin {c!r} do not have the data's type.",
                code="survey.bad-totals",
                hint=f"Data type: {lev.schema[kcols[i]]}.",
            ) from exc
        lev = lev.join(pop, on=kcols[i], how="left", nulls_equal=True).with_row_index("_m")
        if lev["total"].null_count():
            bad = lev.filter(pl.col("total").is_null())[kcols[i]][0]
            raise DesignError(
                f"Margin {c!r} has no population total for level {bad!r}.",
                code="survey.bad-totals",
                hint=f"Give a total for every level of {c!r} found in the data.",
            )
        idx = cells.join(lev.select(kcols[i], "_m"), on=kcols[i], nulls_equal=True).sort("_cell")
        margin_cell.append(idx["_m"].to_numpy().astype(np.int64))
        pops.append(lev["total"].to_numpy().astype(float))
    eps = epsilon * float(w_old.sum()) if epsilon < 1 else epsilon
    cur = w_old.copy()
    old = cur.copy()
    h: list[FloatArray] = []
    converged = False
    sweeps = 0
    for _ in range(maxit):
        sweeps += 1
        h = []
        for mc, target in zip(margin_cell, pops, strict=True):
            est = np.bincount(mc, weights=cur, minlength=target.size)
            cur = cur * (target / est)[mc]
            h.append(cur / w_old)
        if np.max(np.abs(old - cur)) < eps:
            converged = True
            break
        old = cur.copy()
    if not converged:
        warnings.warn(
            SocialcoverWarning(
                f"Raking did not converge after {maxit} sweeps.",
                code="survey.rake-not-converged",
                hint="Raise maxit= or check that the margins' totals agree with each other.",
            ),
            stacklevel=3,
        )
    for c, mc, target in zip(cols, margin_cell, pops, strict=True):
        got = np.bincount(mc, weights=cur, minlength=target.size)
        if converged and np.max(np.abs(got - target)) >= eps:
            warnings.warn(
                SocialcoverWarning(
                    f"Raking settled but margin {c!r} is off by up to "
                    f"{np.max(np.abs(got - target)):.4g}: the margins' totals disagree.",
                    code="survey.rake-margins-not-met",
                    hint="Margins must describe the same population (equal grand totals).",
                ),
                stacklevel=3,
            )
            break
    pairs = pairs.join(cells.select([*kcols, "_cell"]), on=kcols, nulls_equal=True)
    if keys:
        pairs = pairs.join(st.units, on=keys, how="left")
    else:
        pairs = pairs.with_columns(pl.lit(0, dtype=pl.Int64).alias("_u"))
    cal = Calibration(
        columns=tuple(cols),
        cells=cells.select([*kcols, "_cell"]),
        g=cur / w_old,
        w_old=w_old,
        pair_unit=pairs["_u"].to_numpy().astype(np.int64),
        pair_cell=pairs["_cell"].to_numpy().astype(np.int64),
        pair_w_old=pairs["_w"].to_numpy().astype(float),
        kind="rake",
        margin_cell=tuple(margin_cell),
        h=tuple(h),
        n_rows=cells["_n"].to_numpy().astype(float),
        converged=converged,
        pops=tuple(pops),
        sweeps=sweeps,
        rep_cell_totals=_rep_cell_totals(new, cols, cells.select([*kcols, "_cell"])),
    )
    return new.with_calibration(cal)
