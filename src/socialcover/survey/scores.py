"""Linearised scores of a statistic per (domain, sampling unit), their variance and df.

A statistic g of a domain's weighted totals S has the score grad g . v per row, so its total
over a sampling unit is grad g . S_unit (Binder 1983; Wolter 2007, ch. 6): only the unit sums
of the aggregate query are needed. A calibrated design subtracts from the scores their
post-stratum means (post-stratification) or R's backfitted margin means (raking), per unit of
old weight (Lumley 2010, sec. 7.2; R's ``svyrecvar``). Element designs add the exact sum of
squared row scores per stratum, from a second pass of the query.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from socialcover.survey.aggregate import Aggregate
from socialcover.survey.arrays import match
from socialcover.survey.backend.base import sql_literal
from socialcover.survey.bound import BoundDesign
from socialcover.survey.calibration import rake_residuals
from socialcover.survey.query import aggregate, aggregate_arrays
from socialcover.survey.result import Columns
from socialcover.survey.variance.taylor import linear_variance

__all__ = ["dom_sum", "domain_df", "score_rows", "taylor_variance"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_coef_ids = itertools.count()


def dom_sum(a: Aggregate, x: FloatArray) -> FloatArray:
    """Sum the rows of ``x`` (one per aggregate row) to domains."""
    if x.ndim == 1:
        return np.asarray(np.bincount(a.dom, weights=x, minlength=a.n_dom), dtype=np.float64)
    out = np.zeros((a.n_dom, *x.shape[1:]))
    np.add.at(out, a.dom, x)
    return out


def domain_df(bound: BoundDesign, a: Aggregate) -> FloatArray:
    """Degrees of freedom of each domain (R's ``degf`` of the domain design)."""
    if bound.replicates is not None:
        return np.asarray(
            bound.replicates.domain_df(a, bound.structure, bound.calibration), dtype=float
        )
    st = bound.structure
    if st.element:
        n = dom_sum(a, a.nall)
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


def taylor_variance(bound: BoundDesign, a: Aggregate, grad: FloatArray) -> FloatArray:
    """Taylor variance per domain of a statistic with gradient ``grad`` (per domain)."""
    dom, unit, t, t2 = score_rows(bound, a, grad, np.ones(a.dom.size))
    return linear_variance(bound.structure, dom, unit, t, a.n_dom, bound.lonely_psu, t2)


def _squared_scores(bound: BoundDesign, a: Aggregate, grad: FloatArray) -> FloatArray:
    """Element designs: sum of squared row scores per (domain, stratum) row of ``a``.

    A second pass computes sum (w (grad . v))^2 exactly; expanding it from the second
    moments of the first pass loses digits when a domain's values are all alike.
    """
    if a.m is None:  # pragma: no cover - element designs only
        raise ValueError("element designs only")
    if a.call is None or a.dom.size == 0:
        g = grad[a.dom]
        return np.asarray(np.einsum("rk,rkl,rl->r", g, a.m, g), dtype=float)
    variables, by, where, na_rm = a.call
    k = grad.shape[1]

    def lin(row: FloatArray) -> str:
        c = np.where(np.isfinite(row), row, 0.0)
        terms = [sql_literal(float(c[0]))] + [
            f"{sql_literal(float(c[j]))} * _v{j}" for j in range(1, k)
        ]
        return " + ".join(terms)

    keys_b = [f"_b{i}" for i in range(len(by))]
    coefs = {f"_c{j}": np.where(np.isfinite(grad[:, j]), grad[:, j], 0.0) for j in range(k)}
    arrays = isinstance(a.extra, Columns)
    join: tuple[str, list[str]] | None = None
    if by:
        # one row of coefficients per domain, joined to the rows on the domain's values: the
        # pass stays linear in rows whatever the number of domains (a CASE with one branch
        # per domain costs rows x domains)
        name = f"_sc_coef_{next(_coef_ids)}"
        if isinstance(a.domains, Columns):
            table = bound.backend.register_arrays(
                name, {**{c: a.domains[c] for c in keys_b}, **coefs}
            )
        else:
            import polars as pl

            coef = a.domains.select(keys_b).with_columns(pl.Series(c, v) for c, v in coefs.items())
            table = bound.backend.register(name, coef)
        expr = " + ".join(["_sc_co._c0", *(f"_sc_co._c{j} * _v{j}" for j in range(1, k))])
        join = (table, keys_b)
    else:
        expr = lin(grad[0])
    if arrays:
        got_a, keys = aggregate_arrays(
            bound, list(variables), list(by), where, na_rm, score_sql=expr, score_join=join
        )
        t2: FloatArray = np.asarray(np.ma.filled(np.ma.asarray(got_a["_t2"], dtype=float), 0.0))
        if not keys:
            return np.full(a.dom.size, float(t2[0]) if t2.size else 0.0)
        rows = match([a.extra[c] for c in keys], [got_a[c] for c in keys])
        return np.where(rows >= 0, t2[np.maximum(rows, 0)] if t2.size else 0.0, 0.0)
    got, keys = aggregate(
        bound, list(variables), list(by), where, na_rm, score_sql=expr, score_join=join
    )
    if not keys:
        return np.full(a.dom.size, float(got["_t2"][0] or 0.0))
    rows_f = a.extra.select(keys).join(  # type: ignore[union-attr]
        got, on=keys, how="left", nulls_equal=True, maintain_order="left"
    )
    return np.asarray(rows_f["_t2"].fill_null(0.0).to_numpy(), dtype=float)


def score_rows(
    bound: BoundDesign, a: Aggregate, grad: FloatArray, sign: FloatArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray | None]:
    """Score totals per (domain, unit) row, with the calibration residuals.

    Returns domain, unit, score total and (element designs) the sum of squared row scores,
    ready for :func:`~socialcover.survey.variance.taylor.linear_variance`.
    """
    g = grad[a.dom]
    t = np.einsum("rk,rk->r", g, a.s) * sign
    t2 = None
    if a.m is not None:
        t2 = _squared_scores(bound, a, grad)
    cal = bound.calibration
    if cal is None or a.cell is None or a.s_old is None:
        return a.dom, a.unit, t, t2
    n_cell = cal.g.shape[0]
    if cal.kind == "rake":
        k = a.s.shape[1]
        u = np.column_stack(
            [a.n] + [np.asarray(a.extra[f"_u{j}"], dtype=float) for j in range(1, k)]
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
