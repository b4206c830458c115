"""Differences between two domains, with the covariance of their scores.

The difference theta_a - theta_b of a statistic between two levels of one ``by`` column is
linearised as the difference of the two domains' scores, summed to sampling units and sent
through the same variance algebra (Taylor) or evaluated per replicate, so the SE includes
the covariance of the two domains (they share PSUs). R: ``svycontrast(svyby(~y, ~g, design,
svymean, covmat=TRUE), c(1, -1))``; Lumley (2010) sec. 2.3.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import polars as pl

from socialcover.survey._errors import EstimateError
from socialcover.survey.aggregate import Aggregate
from socialcover.survey.bound import BoundDesign
from socialcover.survey.ciprop import t_quantile
from socialcover.survey.query import collect
from socialcover.survey.result import Estimate, domain_estimate
from socialcover.survey.scores import dom_sum, domain_df, score_rows
from socialcover.survey.statistic import make_statistic
from socialcover.survey.variance.taylor import linear_variance

__all__ = ["difference"]


def difference(
    bound: BoundDesign,
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

    The estimate is stat(first level) - stat(second level); its variance comes from the
    difference of the two domains' linearised scores, so it includes their covariance
    (R: ``svycontrast(svyby(..., covmat=TRUE), c(1, -1))``).

    Parameters
    ----------
    variable
        Column or expression.
    by
        One column whose levels define the domains.
    levels
        The two levels compared, first minus second; by default the two levels present.
    statistic
        ``"mean"`` (also for proportions) or ``"total"``.
    """
    if statistic not in ("mean", "total", "proportion"):
        raise EstimateError(
            f"Cannot take differences of {statistic!r}.",
            code="survey.bad-statistic",
            hint='Use statistic="mean", "proportion" or "total".',
        )
    kind = "total" if statistic == "total" else "mean"
    a = collect(bound, [variable], [by], where, na_rm)
    dom_vals = a.domains["_b0"].to_list()
    if levels is None:
        present = [v for v, n in zip(dom_vals, dom_sum(a, a.n), strict=True) if n > 0]
        if len(present) != 2:
            raise EstimateError(
                f"{by!r} has {len(present)} levels in the rows asked for; say which two "
                "to compare.",
                code="survey.bad-levels",
                hint=f"Pass levels=(first, second); levels are {present[:10]}.",
            )
        levels = (present[0], present[1])
    idx = []
    for lev in levels:
        if lev not in dom_vals:
            raise EstimateError(
                f"Level {lev!r} of {by!r} is not in the data.",
                code="survey.bad-levels",
                hint=f"Levels are {dom_vals[:10]}.",
            )
        idx.append(dom_vals.index(lev))
    stat = make_statistic(kind)
    s_d = dom_sum(a, a.s)
    n_d = dom_sum(a, a.n)
    theta = stat.value(s_d)
    est = float(theta[idx[0]] - theta[idx[1]])
    sel = (a.dom == idx[0]) | (a.dom == idx[1])
    sign = np.where(a.dom == idx[0], 1.0, -1.0)
    rep = bound.replicates
    if rep is not None:
        var = rep.contrast_variance(a, stat, theta, idx, bound.structure, bound.calibration)
    else:
        grad = stat.gradient(s_d)
        keep = np.zeros_like(grad)
        keep[idx] = grad[idx]
        d_r, u_r, t, t2 = score_rows(bound, a, keep, sign)
        zero = np.zeros(d_r.size, dtype=np.int64)
        var = float(linear_variance(bound.structure, zero, u_r, t, 1, bound.lonely_psu, t2)[0])
    sub = Aggregate(
        domains=pl.DataFrame({"_b0": ["x"]}),
        dom=np.zeros(int(sel.sum()), dtype=np.int64),
        unit=a.unit[sel],
        n=a.n[sel],
        nall=a.nall[sel],
        s=a.s[sel],
        q=a.q[sel],
        m=None if a.m is None else a.m[sel],
        extra=cast(pl.DataFrame, a.extra).filter(pl.Series(sel)),
    )
    # R's confint on svycontrast is normal (df = infinity) unless df= is given
    dfs = (
        domain_df(bound, sub) if df == "design" else np.array([np.inf if df is None else float(df)])
    )
    se = np.sqrt(np.array([max(var, 0.0)]))
    tq = t_quantile(0.5 + level / 2, dfs)
    th = np.array([est])
    label = f"{variable} [{by}={levels[0]!r} - {by}={levels[1]!r}]"
    n_both = np.array([n_d[idx[0]] + n_d[idx[1]]])
    out = domain_estimate(
        "difference",
        label,
        [],
        pl.DataFrame(),
        th,
        se,
        th - tq * se,
        th + tq * se,
        np.array([np.nan]),
        n_both,
        dfs,
        level,
        bound.variance_name,
    )
    table = out.to_polars().with_columns(
        pl.lit(str(levels[0])).alias("first"), pl.lit(str(levels[1])).alias("second")
    )
    cols = ["first", "second", *[c for c in table.columns if c not in ("first", "second")]]
    return Estimate("difference", label, (), level, out.variance, table.select(cols))
