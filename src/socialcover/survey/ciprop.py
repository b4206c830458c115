"""Confidence intervals for proportions, as R's ``svyciprop``.

Methods (Lumley 2010, sec. 2.4.1; ``survey::svyciprop``):

- ``logit`` (default) and ``xlogit``: a Wald interval on the logit scale,
  logit(p) +/- t_df * se / (p (1 - p)), transformed back. For an intercept-only model the
  sandwich SE of ``svyglm(quasibinomial)`` is exactly se(p) / (p (1 - p)), so both of R's
  methods coincide for Taylor designs. For replicate designs R's ``logit`` refits the model
  per replicate, i.e. uses the replicate variance of logit(p_r); so do we. (R's point
  estimate is then ``expit`` of an IRLS fit, equal to the weighted proportion to about 1e-9.)
- ``mean``: Wald interval p +/- t_df * se.
- ``asin``: Wald on arcsin(sqrt(p)) with delta-method SE, transformed back.
- ``beta``: Korn and Graubard (1998): a Clopper-Pearson interval with the effective sample
  size n_eff = p (1 - p) / var, times (t_{n-1} / t_df)^2.
- ``likelihood``: not available yet (raises).

``df`` is the design's degrees of freedom (R's ``degf``); ``n`` the unweighted rows.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import stats

from socialcover.survey._errors import EstimateError

__all__ = ["CI_METHODS", "proportion_interval"]

CI_METHODS = ("logit", "xlogit", "mean", "asin", "beta")
FloatArray = npt.NDArray[np.float64]


def proportion_interval(
    p: FloatArray,
    se: FloatArray,
    df: FloatArray,
    n: FloatArray,
    level: float,
    method: str,
    se_logit: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper limits per row.

    ``se_logit`` replaces the delta-method SE on the logit scale for ``method="logit"``
    (replicate designs: R's ``svyglm`` gives the replicate variance of logit(p_r)).
    """
    alpha = 1.0 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        tq = stats.t.ppf(1 - alpha / 2, df)
        if method in ("logit", "xlogit"):
            lg = np.log(p / (1 - p))
            half = tq * (se / (p * (1 - p)) if se_logit is None or method == "xlogit" else se_logit)
            lo, hi = _expit(lg - half), _expit(lg + half)
        elif method == "mean":
            lo, hi = p - tq * se, p + tq * se
        elif method == "asin":
            a = np.arcsin(np.sqrt(p))
            sa = se / (2 * np.sqrt(p * (1 - p)))
            lo, hi = np.sin(a - tq * sa) ** 2, np.sin(a + tq * sa) ** 2
        elif method == "beta":
            n_eff = p * (1 - p) / (se * se)
            n_eff = n_eff * (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)) ** 2
            lo = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
            hi = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
        else:
            raise EstimateError(
                f"Unknown interval method {method!r} for a proportion.",
                code="survey.unknown-ci-method",
                hint="Use one of " + ", ".join(repr(m) for m in CI_METHODS) + ".",
            )
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def _expit(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=float)
