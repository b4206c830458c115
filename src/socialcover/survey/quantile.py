"""Quantiles with Woodruff intervals, as R's ``svyquantile`` (survey >= 4.1).

For a domain with weighted distribution of ``x``:

1. the quantile q = qrule(x, w, p), with R's rules on the domain's rows sorted by value
   (weights accumulated in extended precision as R's ``cumsum``, so boundary ties fall as
   in R; the variable and weight columns of the domain are read once): ``"math"`` (=
   ``"hf1"``, the default: the smallest x whose cumulative weight share reaches p),
   ``"school"`` (= ``"hf2"``: the average of the two neighbours when the share falls exactly
   on p), ``"hf3"`` (the nearest even order statistic among distinct values), and the rules
   that interpolate between observations, ``"hf4"`` to ``"hf9"`` and ``"shahvaish"`` (rows
   tied on x keep the data's order, as R's stable ``order``);
2. Woodruff (1952): the proportion P = mean(x <= q) in the domain gets its design-based SE
   (the same linearised path as every mean), and an interval on the proportion scale
   (``interval_type`` ``"mean"`` Wald, ``"beta"``, ``"xlogit"``, ``"asin"``: as
   ``svyciprop``) with df = the domain's degrees of freedom;
3. the limits are mapped back with the same rule; a limit outside [0, 1] has no value;
4. SE = (upper - lower) / (2 t_{df, 1 - alpha/2}), as R reports it.

Replicate designs use the same Woodruff construction with the replicate variance of P (R's
``svyquantile.svyrep.design`` with its default ``interval.type="mean"``), or, with
``interval_type="quantile"``, the quantile of every replicate and their replicate variance
(R's ``repCI``; jackknife replicates are known to give poor SEs for quantiles).

Sources: Woodruff (1952) JASA 47:635-646; Lumley (2010) sec. 2.4.2; Hyndman and Fan (1996);
R ``survey`` 4.x ``svyquantile``, ``woodruffCI``, ``qrule_math``, ``qrule_school``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.survey._errors import EstimateError
from socialcover.survey.backend.base import sql_literal
from socialcover.survey.bound import BoundDesign
from socialcover.survey.ciprop import proportion_interval, t_quantile
from socialcover.survey.linear import as_list, estimate_linear
from socialcover.survey.quantile_search import STEP_RULES, Window, locate_windows
from socialcover.survey.result import Estimate
from socialcover.survey.variance.replicate import Replicates

__all__ = ["QRULES", "quantile", "weighted_quantile"]

QRULES = (
    "math",
    "school",
    "shahvaish",
    "hf1",
    "hf2",
    "hf3",
    "hf4",
    "hf5",
    "hf6",
    "hf7",
    "hf8",
    "hf9",
)
INTERVALS = ("mean", "beta", "xlogit", "asin", "score", "quantile")
_lookup_ids = itertools.count()  # names of the registered per-domain quantile tables
#: Above this many rows, the step rules locate quantiles in the back-end (no rows fetched).
ROWS_IN_MEMORY = 1_000_000
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Distribution:
    """A domain's sorted values with R's cumulative weights (see :func:`distribution`)."""

    x: FloatArray  # sorted values (rows, or distinct values)
    w: FloatArray  # their weights
    cumw: FloatArray  # cumulative weights, accumulated in extended precision
    total: float  # sum of weights, accumulated in extended precision
    distinct_x: FloatArray  # sorted distinct values (for hf3)
    distinct_cumw: FloatArray
    distinct_total: float
    #: distinct values before ``distinct_x[0]`` not held (a window of the domain: hf3 parity)
    distinct_offset: int = 0


def distribution(x: FloatArray, w: FloatArray) -> Distribution:
    """Sort rows by value (stable) and accumulate weights as R does.

    R's ``cumsum`` and ``sum`` accumulate in long double and store doubles; the quantile rules
    compare those doubles with ``p * sum(w)``, so ties on the boundary fall the same way here.
    """
    order = np.argsort(x, kind="stable")
    xs = x[order]
    ws = w[order]
    cumw = np.cumsum(ws.astype(np.longdouble)).astype(np.float64)
    total = float(np.sum(ws.astype(np.longdouble)))
    # hf3 works on weights summed per distinct value (R's rowsum: sequential doubles)
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]]) if xs.size else np.zeros(0, int)
    ends = np.r_[starts[1:], xs.size]
    dw = np.array([np.cumsum(ws[a:b])[-1] for a, b in zip(starts, ends, strict=True)])
    dcum = np.cumsum(dw.astype(np.longdouble)).astype(np.float64)
    return Distribution(
        xs, ws, cumw, total, xs[starts], dcum, float(np.sum(dw.astype(np.longdouble)))
    )


def distribution_of_window(window: Window) -> Distribution:
    """A window of a domain's distribution (:mod:`.quantile_search`), for the step rules.

    The step rules see the same cumulative weights as on the domain's rows: a window above
    the domain's first value starts with a placeholder holding the weight below (the rules
    never return it: the window starts where the share first reaches p; hf3 counts the
    distinct values below for its parity); at the domain's first value, a value found on
    several rows is also the "next" row of R's ``last()``-of-nothing rule (so a ``p`` under
    the first row's share gives that value, as on rows).
    """
    xs, ns, cumw, below = window.x, window.n, window.cumw, window.below
    ws = np.diff(np.r_[below, cumw])
    rx, rw, rc = xs, ws, cumw
    offset = 0
    if below > 0:
        rx, rw, rc = np.r_[-np.inf, xs], np.r_[below, ws], np.r_[below, cumw]
        dx, dc = rx, rc
        offset = window.distinct_below - 1  # the placeholder stands for the values below
    else:
        dx, dc = xs, cumw
        if ns.size and ns[0] > 1:
            rx, rw, rc = np.r_[xs[0], xs], np.r_[ws[0], 0.0, ws[1:]], np.r_[cumw[0], cumw]
    return Distribution(rx, rw, rc, window.total, dx, dc, window.total, offset)


def _r_mean(w: FloatArray) -> float:
    """R's ``mean`` of doubles: a long-double sum / n, then a correction pass."""
    lw = w.astype(np.longdouble)
    m = np.sum(lw) / w.size
    return float(m + np.sum(lw - m) / w.size)


def _approx(pk: FloatArray, x: FloatArray, p: float, constant: bool = False) -> float:
    """R's ``approx(pk, x, p, rule = 2)``, linear or constant with f = 0.

    As R's ``regularize.values``: points are put in order of ``pk`` (stable) and the values
    of tied ``pk`` are averaged (Shah-Vaish ``pk`` need not be increasing).
    """
    if np.any(np.diff(pk) <= 0):
        order = np.argsort(pk, kind="stable")
        pk, x = pk[order], x[order]
        uniq, inv = np.unique(pk, return_inverse=True)
        if uniq.size < pk.size:
            x = np.bincount(inv, weights=x) / np.bincount(inv)
            pk = uniq
    if p <= pk[0]:
        return float(x[0])
    if p >= pk[-1]:
        return float(x[-1])
    j = int(np.searchsorted(pk, p, side="left"))
    if pk[j] == p:
        return float(x[j])
    i = j - 1
    if constant:
        return float(x[i])
    return float(x[i] + (x[j] - x[i]) * ((p - pk[i]) / (pk[j] - pk[i])))


def _interpolated(dist: Distribution, p: float, qrule: str) -> float:
    """The rules that interpolate between observations (hf4-hf9, Shah-Vaish), as R's."""
    x, w, cumw = dist.x, dist.w, dist.cumw
    n = x.size
    prev = np.r_[0.0, cumw[:-1]]
    if qrule == "hf4":
        target = p * dist.total
        pos = max(int(np.searchsorted(cumw, target, side="right")) - 1, 0)
        nxt = min(pos + 1, n - 1)
        wlow = p - cumw[pos] / dist.total
        wup = cumw[nxt] / dist.total - p
        gamma = wlow / (wup + wlow)
        return float(x[pos] * (1 - gamma) + x[nxt] * gamma)
    if qrule == "hf5":
        pk = (cumw - w / 2) / cumw[-1]
    elif qrule == "hf6":
        pk = cumw / (cumw[-1] + w[-1])
    elif qrule == "hf7":
        pk = prev / cumw[n - 2] if n > 1 else np.zeros(1)
    elif qrule == "hf8":
        pk = (prev * (1 / 3) + cumw * (2 / 3)) / (cumw[-1] + w[-1] / 3)
    elif qrule == "hf9":
        pk = (prev * (3 / 8) + cumw * (5 / 8)) / (cumw[-1] + w[-1] / 4)
    else:  # shahvaish
        wbar = w / _r_mean(w)
        big_s = np.cumsum(wbar.astype(np.longdouble)).astype(np.float64)
        pk = (big_s + 0.5 - w / 2) / (n + 1)
        return _approx(pk, x, p, constant=True)
    return _approx(pk, x, p)


def weighted_quantile(dist: Distribution, p: float, qrule: str) -> float:
    """R's quantile rule (``qs`` then ``qrule_math``/``school``/``hf3``)."""
    if dist.x.size == 0 or not np.isfinite(p) or not 0 <= p <= 1:
        return float("nan")
    if qrule in ("hf4", "hf5", "hf6", "hf7", "hf8", "hf9", "shahvaish"):
        return _interpolated(dist, p, qrule)
    if qrule == "hf3":
        x, cumw, total = dist.distinct_x, dist.distinct_cumw, dist.distinct_total
    else:
        x, cumw, total = dist.x, dist.cumw, dist.total
    target = p * total
    # R's last() of no TRUE is 1: start from the first value, whose share exceeds p
    pos = max(int(np.searchsorted(cumw, target, side="right")) - 1, 0)
    nxt = min(pos + 1, x.size - 1)
    wlow = p - cumw[pos] / total
    if qrule == "hf3":
        # R counts positions from 1: an even ilow is an odd 0-based index
        odd = (pos + 1 + dist.distinct_offset) % 2 == 0
        return float(x[pos] if (wlow == 0 and odd) else x[nxt])
    if wlow == 0:
        return float(x[pos] if qrule in ("math", "hf1") else (x[pos] + x[nxt]) / 2)
    return float(x[nxt])


def quantile(
    bound: BoundDesign,
    variable: str,
    probs: float | Sequence[float],
    *,
    by: str | Sequence[str] | None = None,
    where: str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    df: float | str | None = None,
    qrule: str = "math",
    interval_type: str = "mean",
) -> Estimate:
    """Quantiles of ``variable`` per domain with Woodruff intervals (see module docs)."""
    if qrule not in QRULES:
        raise EstimateError(
            f"Unknown or unsupported quantile rule {qrule!r}.",
            code="survey.bad-qrule",
            hint="Use one of " + ", ".join(repr(q) for q in QRULES) + ".",
        )
    if interval_type not in INTERVALS:
        raise EstimateError(
            f"Unknown interval type {interval_type!r} for a quantile.",
            code="survey.bad-interval",
            hint="Use one of " + ", ".join(repr(q) for q in INTERVALS) + ".",
        )
    ps = [float(probs)] if isinstance(probs, (int, float)) else [float(p) for p in probs]
    by_l = as_list(by)
    bound.check_names(by_l, "in by=")
    bound.check_names([where], "in where=")
    eng = bound.backend
    q = eng.quote
    xexpr = f"CAST({bound.expr(variable)} AS DOUBLE)"
    where = f"({where})" if where else None
    counts = eng.query(
        f"SELECT COUNT(*) - COUNT({xexpr}) AS m, COUNT({xexpr}) AS n FROM {eng.table}"
        + (f" WHERE {where}" if where else "")
    )
    nulls = counts["m"][0]
    if nulls and not na_rm:
        raise EstimateError(
            f"Variable {variable!r} has {nulls} missing values in the rows asked for.",
            code="survey.missing-values",
            hint="Pass na_rm=True to leave them out (R's na.rm=TRUE).",
        )
    bsel = [f"{q(b)} AS _b{i}" for i, b in enumerate(by_l)]
    bcols = [f"_b{i}" for i in range(len(by_l))]
    rep = bound.replicates
    if interval_type == "score" and rep is not None:
        raise EstimateError(
            'interval_type="score" (Francisco and Fuller) is defined for Taylor designs, as in '
            "R's svyquantile.",
            code="survey.bad-interval",
            hint='Use interval_type="mean" or "quantile" for replicate designs.',
        )
    if interval_type == "quantile" and (rep is None or bound.calibration is not None):
        raise EstimateError(
            'interval_type="quantile" takes quantiles of each replicate: it needs an '
            "uncalibrated replicate design.",
            code="survey.bad-interval",
            hint='Use interval_type="mean" (Woodruff) for Taylor or calibrated designs.',
        )
    extra: list[str] = []
    if interval_type == "quantile" and rep is not None:
        extra = (
            [f"{e} AS {a}" for e, a in bound.structure.key_sql]
            if rep.factors is not None
            else rep.inner_sql()
        )
    rep_weights: dict[tuple[Any, ...], FloatArray] = {}
    groups: dict[tuple[Any, ...], Distribution] = {}
    keyed: dict[Any, pl.DataFrame] = {}
    # (the score interval evaluates its score on the domain's own values: rows are fetched)
    large = int(counts["n"][0]) > ROWS_IN_MEMORY
    if qrule in STEP_RULES and not extra and interval_type != "score" and large:
        # large data: the back-end narrows value windows; no rows come back (quantile_search)
        cond = f"{xexpr} IS NOT NULL" + (f" AND {where}" if where else "")
        dom = eng.query(
            f"SELECT {', '.join([*bsel, 'COUNT(*) AS _n'])} FROM {eng.table} WHERE {cond}"
            + (f" GROUP BY {', '.join(q(b) for b in by_l)}" if by_l else "")
        )
        domains = [tuple(r[: len(by_l)]) for r in dom.iter_rows() if r[-1]]

        def qf(reqs: list[tuple[tuple[Any, ...], float]]) -> list[float]:
            found = locate_windows(bound, xexpr, by_l, where, reqs, qrule)
            return [
                float("nan")
                if w is None
                else weighted_quantile(distribution_of_window(w), p, qrule)
                for w, (_, p) in zip(found, reqs, strict=True)
            ]

    else:
        rows = eng.query(
            f"SELECT {', '.join([*bsel, f'{xexpr} AS _x', f'{bound.weight_sql} AS _w', *extra])} "
            f"FROM {eng.table} WHERE {xexpr} IS NOT NULL" + (f" AND {where}" if where else "")
        )
        keyed = rows.partition_by(bcols, as_dict=True, maintain_order=True) if bcols else {(): rows}
        for key, g in keyed.items():
            groups[tuple(key)] = distribution(
                g["_x"].to_numpy().astype(float), g["_w"].to_numpy().astype(float)
            )
            if extra and rep is not None:
                rep_weights[tuple(key)] = _replicate_weights(bound, rep, g)
        domains = list(groups)

        def qf(reqs: list[tuple[tuple[Any, ...], float]]) -> list[float]:
            return [
                weighted_quantile(groups[k], p, qrule) if k in groups else float("nan")
                for k, p in reqs
            ]

    tables = []
    for p in ps:
        qhat = dict(zip(domains, qf([(k, p) for k in domains]), strict=True))
        if by_l:
            thr = _threshold_sql(bound, by_l, qhat)
        else:
            thr = sql_literal(float(qhat.get((), float("nan"))))
        # NULL where x is missing: those rows leave the domain (df keeps them, as R's degf
        # of the domain design passed in)
        indicator = (
            f"CASE WHEN {xexpr} IS NULL THEN NULL WHEN {xexpr} <= {thr} THEN 1.0 ELSE 0.0 END"
        )
        prop = estimate_linear(
            bound,
            "mean",
            [indicator],
            label=variable,
            by=by_l,
            where=where,
            na_rm=na_rm,
            level=level,
            df=df,
            design_df=True,
        ).to_polars()
        keys = [tuple(r) for r in prop.select(by_l).iter_rows()] if by_l else [()]
        est = np.array([qhat.get(k, np.nan) for k in keys], dtype=float)
        p_hat = prop["estimate"].fill_null(np.nan).to_numpy().astype(float)
        se_p = prop["se"].fill_null(np.nan).to_numpy().astype(float)
        dfs = prop["df"].fill_null(np.nan).to_numpy().astype(float)
        n = prop["n"].to_numpy().astype(float)
        if interval_type == "score":
            lo, hi = _score_ci(
                bound,
                xexpr,
                by_l,
                where,
                na_rm,
                keyed_x(keyed, bcols),
                groups,
                keys,
                p,
                qrule,
                dfs,
                level,
            )
        elif interval_type == "quantile" and rep is not None:
            lo, hi = _replicate_ci(
                rep, keyed_x(keyed, bcols), rep_weights, keys, est, p, qrule, dfs, level
            )
        else:
            lo, hi = _woodruff(qf, keys, p_hat, se_p, dfs, n, level, interval_type)
        with np.errstate(divide="ignore", invalid="ignore"):
            se = (hi - lo) / (2 * t_quantile(0.5 + level / 2, dfs))
            cv = se / np.abs(est)

        def col(a: FloatArray) -> pl.Series:
            return pl.Series(np.where(np.isfinite(a), a, np.nan)).fill_nan(None)

        values = dict(
            quantile=pl.Series([p] * prop.height, dtype=pl.Float64),
            estimate=col(est),
            se=col(se),
            ci_low=col(lo),
            ci_high=col(hi),
            cv=col(cv),
            deff=pl.Series([None] * prop.height, dtype=pl.Float64),
            n=prop["n"],
            df=prop["df"],
            reason=prop["reason"],
        )
        t = prop.select(by_l).with_columns(**values) if by_l else pl.DataFrame(values)
        tables.append(t)
    return Estimate(
        "quantile", variable, tuple(by_l), level, bound.variance_name, pl.concat(tables)
    )


def _threshold_sql(bound: BoundDesign, by: list[str], qhat: dict[tuple[Any, ...], float]) -> str:
    """Each row's domain quantile, as SQL: a lookup in a registered table of one row per domain.

    A scalar subquery correlated on the domain's values, which the engine turns into one hash
    join: linear in rows whatever the number of domains (a CASE with one branch per domain
    costs rows x domains: 25 s for 200,000 rows in 6,755 domains). It stays one expression,
    so every pass that reads the indicator (the element designs' second pass, replicate df)
    reads it as written. A domain with no row in the table gets NULL, as a CASE without a
    matching branch did.
    """
    eng = bound.backend
    table = pl.DataFrame(
        {
            **{f"_b{i}": [k[i] for k in qhat] for i in range(len(by))},
            "_thr": [float(v) for v in qhat.values()],
        },
        strict=False,
    )
    name = eng.register(f"_sc_quantile_{next(_lookup_ids)}", table)
    match = " AND ".join(
        f"{eng.table}.{eng.quote(b)} IS NOT DISTINCT FROM _sc_lk._b{i}" for i, b in enumerate(by)
    )
    return f"(SELECT MAX(_sc_lk._thr) FROM {name} AS _sc_lk WHERE {match})"


def keyed_x(keyed: dict[Any, pl.DataFrame], bcols: list[str]) -> dict[tuple[Any, ...], FloatArray]:
    """The values of x per domain, in row order."""
    return {tuple(k): g["_x"].to_numpy().astype(float) for k, g in keyed.items()}


def _replicate_weights(bound: BoundDesign, rep: Replicates, g: pl.DataFrame) -> FloatArray:
    """(rows, R) replicate weights of a domain's rows (R's weights(design, "analysis"))."""
    if rep.factors is not None:
        keys = [a for _, a in bound.structure.key_sql]
        units = g.select(keys).join(
            bound.structure.units, on=keys, how="left", maintain_order="left"
        )
        psu = bound.structure.unit_maps[0][units["_u"].to_numpy().astype(np.int64)]
        w = g["_w"].to_numpy().astype(float)
        return np.asarray(rep.factors[psu] * w[:, None], dtype=float)
    return np.column_stack([g[f"_r{r}"].to_numpy().astype(float) for r in range(rep.n_rep)])


def _replicate_ci(
    rep: Replicates,
    xs: dict[tuple[Any, ...], FloatArray],
    rep_weights: dict[tuple[Any, ...], FloatArray],
    keys: list[tuple[Any, ...]],
    est: FloatArray,
    p: float,
    qrule: str,
    dfs: FloatArray,
    level: float,
) -> tuple[FloatArray, FloatArray]:
    """R's ``repCI``: the quantile of every replicate, their variance, a Wald interval."""
    lo = np.full(len(keys), np.nan)
    hi = np.full(len(keys), np.nan)
    for i, k in enumerate(keys):
        if k not in xs:
            continue
        x, wr = xs[k], rep_weights[k]
        reps = np.array(
            [
                weighted_quantile(distribution(x[wr[:, r] != 0], wr[wr[:, r] != 0, r]), p, qrule)
                for r in range(wr.shape[1])
            ]
        )
        v = rep.svrvar(reps[None, :], np.array([est[i]]))[0]
        half = np.sqrt(v) * t_quantile(0.5 + level / 2, dfs[i])
        lo[i], hi[i] = est[i] - half, est[i] + half
    return lo, hi


def _woodruff(
    qf: Callable[[list[tuple[tuple[Any, ...], float]]], list[float]],
    keys: list[tuple[Any, ...]],
    p_hat: FloatArray,
    se_p: FloatArray,
    dfs: FloatArray,
    n: FloatArray,
    level: float,
    interval_type: str,
) -> tuple[FloatArray, FloatArray]:
    """Woodruff limits: the interval of P = mean(x <= q) mapped back through the rule ``qf``."""
    lo_p, hi_p = proportion_interval(p_hat, se_p, dfs, n, level, interval_type)
    lo_ok = np.isfinite(lo_p) & (lo_p >= 0)
    hi_ok = np.isfinite(hi_p) & (hi_p <= 1)
    reqs = [(k, float(lp)) for k, lp, ok in zip(keys, lo_p, lo_ok, strict=True) if ok]
    reqs += [(k, float(hp)) for k, hp, ok in zip(keys, hi_p, hi_ok, strict=True) if ok]
    found = iter(qf(reqs))
    lo = np.array([next(found) if ok else np.nan for ok in lo_ok], dtype=float)
    hi = np.array([next(found) if ok else np.nan for ok in hi_ok], dtype=float)
    return lo, hi


def _score_ci(
    bound: BoundDesign,
    xexpr: str,
    by: list[str],
    where: str | None,
    na_rm: bool,
    xs: dict[tuple[Any, ...], FloatArray],
    groups: dict[tuple[Any, ...], Distribution],
    keys: list[tuple[Any, ...]],
    p: float,
    qrule: str,
    dfs: FloatArray,
    level: float,
) -> tuple[FloatArray, FloatArray]:
    """Francisco and Fuller's score interval, as R's ``ffullerCI``.

    The limits are the roots of mean(U(theta)) / SE = -+ t, U(theta) = 1{x > theta} - (1 - p),
    found by R's ``uniroot`` (Brent's zeroin, reproduced step for step: its iterates decide
    which side of a data value a root falls on) on [min + IQR/100, max - IQR/100] with
    tolerance 1 / (100 sqrt(n)); each root theta maps back to the quantile at the share of
    the domain's rows with x <= theta (unweighted, as R).
    """
    q = bound.backend.quote
    lo = np.full(len(keys), np.nan)
    hi = np.full(len(keys), np.nan)
    for i, k in enumerate(keys):
        x = xs.get(k)
        if x is None or x.size == 0 or np.isnan(dfs[i]):
            continue
        conds = [f"({where})"] if where else []
        conds += [
            f"{q(b)} IS NOT DISTINCT FROM {sql_literal(v)}" for b, v in zip(by, k, strict=True)
        ]
        dom_where = " AND ".join(conds) if conds else None

        def score(theta: float, dom_where: str | None = dom_where) -> float:
            ind = (
                f"CASE WHEN {xexpr} IS NULL THEN NULL WHEN {xexpr} > {sql_literal(float(theta))} "
                "THEN 1.0 ELSE 0.0 END"
            )
            m = estimate_linear(
                bound, "mean", [ind], label="score", where=dom_where, na_rm=na_rm, df=np.inf
            )
            return float((m.estimate[0] - (1 - p)) / m.se[0])

        q25, q75 = np.percentile(x, [25, 75])
        iqr = float(q75 - q25)
        lower, upper = float(x.min()) + iqr / 100, float(x.max()) - iqr / 100
        tol = 1 / (100 * np.sqrt(x.size))
        crit = float(t_quantile(0.5 + level / 2, dfs[i]))
        f_lo, f_hi = score(lower), score(upper)
        for j, qlimit in enumerate((crit, -crit)):
            a, b = f_lo - qlimit, f_hi - qlimit
            if not (np.isfinite(a) and np.isfinite(b)) or a * b > 0:
                continue  # R's uniroot stops: no sign change on the interval
            root = zeroin(lambda t, c=qlimit: score(t) - c, lower, upper, a, b, tol)
            share = float(np.mean(x <= root))
            val = weighted_quantile(groups[k], share, qrule)
            if j == 0:
                lo[i] = val
            else:
                hi[i] = val
    return lo, hi


def zeroin(
    f: Any, ax: float, bx: float, fa: float, fb: float, tol: float, maxit: int = 1000
) -> float:
    """Brent's root finder exactly as R's ``R_zeroin2`` (``stats::uniroot``)."""
    eps = float(np.finfo(float).eps)
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * eps * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                pp = cb * t1
                qq = 1.0 - t1
            else:
                qq = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                pp = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0))
                qq = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if pp > 0:
                qq = -qq
            else:
                pp = -pp
            if pp < (0.75 * cb * qq - abs(tol_act * qq) / 2) and pp < abs(prev_step * qq / 2):
                new_step = pp / qq
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b
