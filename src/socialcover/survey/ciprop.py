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
- ``likelihood``: the profile-likelihood interval of the intercept-only quasibinomial model
  (``confint.svyglm(method="likelihood")``; Rao and Scott 1984): the deviance
  2 n KL(p_hat || p) / phi, with phi = n / (n - 1) and weights scaled to mean 1, is set equal
  to t_{df, alpha/2}^2 lambda, lambda = the design effect n var(p_hat) / (p_hat (1 - p_hat))
  (R: cutoff qnorm(2 a) with a = pnorm(t sqrt(lambda)) / 2). The roots are found exactly (Brent); R
  interpolates a spline through a 10-point profile grid instead, so the two agree to about 1e-4
  (relative), not to 1e-9.

``df`` is the design's degrees of freedom (R's ``degf``); ``n`` the unweighted rows. Student t
quantiles come from :mod:`.student`, without importing SciPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from socialcover.survey._errors import EstimateError
from socialcover.survey.student import t_quantile

__all__ = ["CI_METHODS", "proportion_interval", "t_quantile"]

CI_METHODS = ("logit", "xlogit", "mean", "asin", "beta", "likelihood")
FloatArray = npt.NDArray[np.float64]


def beta_quantile(q: Any, a: Any, b: Any) -> Any:
    """Beta quantile (``scipy.stats.beta.ppf``)."""
    from scipy.special import betaincinv

    return betaincinv(np.asarray(a, dtype=float), np.asarray(b, dtype=float), q)


def proportion_interval(
    p: FloatArray,
    se: FloatArray,
    df: FloatArray,
    n: FloatArray,
    level: float,
    method: str,
    se_logit: FloatArray | None = None,
    n_valid: FloatArray | None = None,
    weight_share: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper limits per row.

    ``se_logit`` replaces the delta-method SE on the logit scale for ``method="logit"``
    (replicate designs: R's ``svyglm`` gives the replicate variance of logit(p_r)).
    ``n_valid`` (rows with a value) and ``weight_share`` (their share of the domain's weight)
    matter for ``likelihood`` when missing values were left out (``na_rm=True``).
    """
    alpha = 1.0 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        tq = t_quantile(1 - alpha / 2, df)
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
            n_eff = n_eff * (t_quantile(alpha / 2, n - 1) / t_quantile(alpha / 2, df)) ** 2
            lo = beta_quantile(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
            hi = beta_quantile(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
        elif method == "likelihood":
            nv = n if n_valid is None else n_valid
            share = np.ones_like(p) if weight_share is None else weight_share
            lo, hi = _likelihood(p, se, df, n, nv, share, level)
        else:
            raise EstimateError(
                f"Unknown interval method {method!r} for a proportion.",
                code="survey.unknown-ci-method",
                hint="Use one of " + ", ".join(repr(m) for m in CI_METHODS) + ".",
            )
    return np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def _likelihood(
    p: FloatArray,
    se: FloatArray,
    df: FloatArray,
    n: FloatArray,
    n_valid: FloatArray,
    share: FloatArray,
    level: float,
) -> tuple[FloatArray, FloatArray]:
    # svyglm scales weights to mean 1 over the domain's rows (with or without a value):
    # s = sum of scaled weights of the rows fitted; deviance / dispersion = 2 (n_valid - 1) KL.
    from scipy.optimize import brentq

    alpha = 1.0 - level
    lo = np.full(p.shape, np.nan)
    hi = np.full(p.shape, np.nan)
    for i in range(p.size):
        pi, vi, di = float(p[i]), float(se[i]) ** 2, float(df[i])
        ni = float(n_valid[i])
        if not (0 < pi < 1) or not vi > 0 or ni < 2 or not di > 0:
            continue
        lam = float(share[i]) * float(n[i]) * vi / (pi * (1 - pi))
        # R: alpha' = pnorm(t sqrt(lambda)) / 2, cutoff qnorm(2 alpha') = t sqrt(lambda)
        cut = float(t_quantile(alpha / 2, di)) ** 2 * lam
        phi = 1.0  # the scale cancels: 2 s KL / (s / (n_valid - 1))

        def z2(
            q: float, pi: float = pi, ni: float = ni, phi: float = phi, cut: float = cut
        ) -> float:
            kl = pi * np.log(pi / q) + (1 - pi) * np.log((1 - pi) / (1 - q))
            return float(2 * (ni - 1) * kl / phi - cut)

        eps = 1e-300
        lo[i] = brentq(z2, eps, pi, xtol=1e-15, rtol=4 * np.finfo(float).eps)
        hi[i] = brentq(z2, pi, 1 - 1e-16, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    return lo, hi


def _expit(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=float)
