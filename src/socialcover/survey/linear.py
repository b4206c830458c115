"""Means, totals, ratios and proportions: smooth statistics of weighted totals per domain.

Each runs the one aggregate query (:func:`socialcover.survey.query.collect`) and finishes in
NumPy: the statistic of the domain totals (:mod:`.statistic`), its Taylor variance from the
linearised scores (:mod:`.scores`) or its replicate variance, the design effect, the domain's
degrees of freedom and a Student-t interval (for proportions, R's ``svyciprop`` intervals).

Domains: ``by=`` gives one row per level combination (as R's ``svyby``); ``where=`` keeps the
full design and restricts the estimate to a subpopulation (as R's ``subset`` of a design).
Both send the same scores through the same algebra, so they give identical answers.

Sources: Lumley (2010) *Complex Surveys*, ch. 2-3; Wolter (2007) *Introduction to Variance
Estimation*, ch. 6; R package ``survey`` 4.x (``svymean``, ``svytotal``, ``svyratio``,
``svyby``, ``svyciprop``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from socialcover.survey._errors import EstimateError
from socialcover.survey.backend.base import sql_literal
from socialcover.survey.bound import BoundDesign
from socialcover.survey.ciprop import proportion_interval, t_quantile
from socialcover.survey.query import array_path, collect, collect_arrays
from socialcover.survey.result import Estimate, domain_estimate
from socialcover.survey.scores import dom_sum, domain_df, taylor_variance
from socialcover.survey.statistic import Statistic, design_effect, make_statistic
from socialcover.survey.structure import check_columns

__all__ = ["as_list", "check_df", "estimate_linear", "shares"]


def check_df(df: float | str | None) -> None:
    """Refuse a ``df=`` that is neither a number, ``None`` nor ``"design"``."""
    if df is None or df == "design":
        return
    if isinstance(df, (int, float)) and not isinstance(df, bool):
        return
    raise EstimateError(
        f"df={df!r} is not a number of degrees of freedom.",
        code="survey.estimate-invalid",
        hint='Pass a number, float("inf") for normal intervals, or "design" for the '
        "domain's design degrees of freedom (R's degf).",
    )


def as_list(by: str | Sequence[str] | None) -> list[str]:
    """``by=`` as a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def estimate_linear(
    bound: BoundDesign,
    kind: str,
    variables: list[str],
    *,
    label: str,
    by: str | Sequence[str] | None = None,
    where: str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    df: float | str | None = None,
    proportion: str | None = None,
    design_df: bool = False,
) -> Estimate:
    """The statistic ``kind`` (``mean``, ``total``, ``ratio``) of ``variables`` per domain.

    With ``proportion`` (an interval method of :mod:`.ciprop`), the mean of a 0/1 variable
    with that interval. The other arguments are those of :meth:`socialcover.survey.Sample.mean`.

    ``df="design"`` always uses the domain's design df; ``df=None`` takes R's default:
    normal intervals (df = infinity, as ``confint`` on ``svymean``, ``svytotal``,
    ``svyratio``), and the domain's design df (R's ``degf``) for proportions (as
    ``svyciprop``) or when ``design_df`` is set (Woodruff intervals).
    """
    by_l = as_list(by)
    check_df(df)
    # means, totals, ratios and proportions on DuckDB without replicates or calibration:
    # NumPy columns end to end, and the estimate builds its Polars frame only when asked
    a = None
    if array_path(bound, by_l):
        a = collect_arrays(bound, variables, by_l, where, na_rm, bounds=proportion is not None)
    if a is None:
        a = collect(bound, variables, by_l, where, na_rm, bounds=proportion is not None)
    stat: Statistic = make_statistic(kind)
    s_d = dom_sum(a, a.s)
    q_d = dom_sum(a, a.q)
    n_d = dom_sum(a, a.n)
    if proportion is not None and a.extra.height:
        lo = float(np.nanmin(np.ma.filled(np.ma.asarray(a.extra["_lo1"], dtype=float), np.nan)))
        hi = float(np.nanmax(np.ma.filled(np.ma.asarray(a.extra["_hi1"], dtype=float), np.nan)))
        if lo < 0 or hi > 1 or not np.allclose(q_d[:, 1, 1], s_d[:, 1], rtol=1e-9):
            raise EstimateError(
                f"{label!r} is not a 0/1 variable (values from {lo:g} to {hi:g}).",
                code="survey.not-binary",
                hint="Give a condition, e.g. proportion(\"labour_status = 'employed'\").",
            )
    theta = stat.value(s_d)
    rep = bound.replicates
    if rep is not None:
        var = rep.variance(a, stat, theta, bound.structure, bound.calibration)
    else:
        var = taylor_variance(bound, a, stat.gradient(s_d))
    deff = design_effect(kind, s_d, q_d, n_d, theta, var)
    if df is not None and not isinstance(df, str):
        dfs = np.full(a.n_dom, float(df))
    elif df == "design" or (df is None and (proportion is not None or design_df)):
        dfs = domain_df(bound, a)
    else:
        dfs = np.full(a.n_dom, np.inf)
    se = np.sqrt(np.maximum(var, 0.0))
    if proportion is not None:
        nall = dom_sum(a, a.nall)
        se_logit = None
        if rep is not None and proportion == "logit":
            se_logit = np.sqrt(
                rep.variance(
                    a,
                    stat,
                    theta,
                    bound.structure,
                    bound.calibration,
                    lambda x: np.log(x / (1 - x)),
                )
            )
        share = None
        if "_sall" in a.extra.columns:
            sall = np.bincount(
                a.dom, weights=np.asarray(a.extra["_sall"], dtype=float), minlength=a.n_dom
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
        tq = t_quantile(0.5 + level / 2, dfs) if a.n_dom else np.zeros(0)
        lo_ci, hi_ci = theta - tq * se, theta + tq * se
    return domain_estimate(
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
        bound.variance_name,
    )


def shares(
    bound: BoundDesign,
    variable: str,
    *,
    by: str | Sequence[str] | None = None,
    where: str | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    df: float | str | None = None,
) -> Estimate:
    """The weighted share of every level of ``variable`` per domain (R's ``svymean(~factor(x))``).

    The levels are those the column declares (Polars Enum/Categorical, pandas Categorical),
    else the values found in the whole data, sorted; a declared level with no rows gets share
    0, as R. Each share is the mean of the level's indicator, so its SE, interval (normal by
    default, as R's ``confint``) and df are those of :func:`estimate_linear`. One row per
    domain and level (column ``level``, after the ``by`` columns).
    """
    by_l = as_list(by)
    eng = bound.backend
    check_columns(bound.columns, [variable], "the variable")
    bound.check_names([variable], "the variable")
    declared = eng.declared_levels(variable)
    col = eng.quote(variable)
    if declared is None:
        found = eng.query(f"SELECT DISTINCT {col} AS _x FROM {eng.table} WHERE {col} IS NOT NULL")
        declared = sorted(found["_x"].to_list())
    if not declared:
        raise EstimateError(
            f"{variable!r} has no values to take shares of.",
            code="survey.bad-levels",
            hint="Check the column, or where= (it leaves no rows with a value).",
        )
    import polars as pl

    tables = []
    for value in declared:
        indicator = (
            f"CASE WHEN {col} IS NULL THEN NULL WHEN {col} = {sql_literal(value)} "
            "THEN 1.0 ELSE 0.0 END"
        )
        est = estimate_linear(
            bound,
            "mean",
            [indicator],
            label=variable,
            by=by_l,
            where=where,
            na_rm=na_rm,
            level=level,
            df=df,
        ).to_polars()
        tables.append(
            est.select(
                *by_l,
                pl.lit(str(value)).alias("level"),
                *[c for c in est.columns if c not in by_l],
            )
        )
    table = pl.concat(tables)
    if by_l:
        table = table.sort([*by_l], maintain_order=True, nulls_last=True)
    return Estimate("share", variable, tuple(by_l), level, bound.variance_name, table)
