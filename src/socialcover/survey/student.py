"""Student's t quantiles for the intervals, without importing SciPy.

Every interval needs a t quantile (one per domain, at the domain's design df), and importing
``scipy.special`` for it costs 0.2-0.3 s of CPU (it clones NumPy's namespace, loading
``numpy.f2py`` and ``numpy.testing``): a quarter of a whole 10M-row survey run and half of a
50,000-row one. Design degrees of freedom (R's ``degf``) are whole numbers, and for those the
t distribution function is a finite sum (Abramowitz and Stegun 1964, 26.7.3 and 26.7.4), so
the quantile is found here by Newton's method on it, started from the normal quantile (always
below the t quantile in the upper tail, and the tail function is convex there, so the steps
rise monotonically to the root). Above 5,000 df the Cornish-Fisher expansion (A&S 26.7.5)
is exact to double precision; infinite df give the normal quantile (:class:`statistics.NormalDist`,
Wichura's AS 241). A df that is not a whole number (given by the caller) is read from
``scipy.special.stdtrit`` as before. Agrees with ``scipy.stats.t.ppf`` to about 1e-14
(``tests/survey/test_student_quantiles.py``).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np

__all__ = ["t_quantile"]

_NORMAL = NormalDist()
_SERIES_MAX = 5_000  # above this df the Cornish-Fisher terms left out are below 1e-15


def t_quantile(q: Any, df: Any) -> Any:
    """Student's t quantile (``scipy.stats.t.ppf``); ``df=inf`` gives the normal quantile.

    Broadcasts ``q`` and ``df`` as NumPy does; returns a float for scalar arguments, else an
    array. A ``df`` that is not positive gives NaN.

    Examples
    --------
    >>> round(float(t_quantile(0.975, 10)), 6)
    2.228139
    >>> round(float(t_quantile(0.975, float("inf"))), 6)
    1.959964
    """
    qa, da = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    shape = qa.shape
    qa, da = qa.ravel(), da.ravel()
    out = np.full(qa.shape, np.nan)
    other = ~np.isinf(da) & (da > 0) & (da != np.floor(da))
    if other.any():
        from scipy.special import stdtrit  # a df that is not whole: rare, given by the caller

        out[other] = stdtrit(da[other], qa[other])
    done: dict[tuple[float, float], float] = {}  # one solve per distinct (q, df)
    for i in np.flatnonzero(~other):
        key = (float(qa[i]), float(da[i]))
        if key not in done:
            done[key] = _quantile(*key)
        out[i] = done[key]
    return out.reshape(shape) if shape else float(out[0])


def _quantile(q: float, df: float) -> float:
    if math.isnan(q) or math.isnan(df) or df <= 0 or not 0 <= q <= 1:
        return math.nan
    if q in (0.0, 1.0):
        return math.copysign(math.inf, q - 0.5)
    if q == 0.5:
        return 0.0
    tail = q if q < 0.5 else 1.0 - q  # 1 - q is exact for q in [0.5, 1]
    sign = -1.0 if q < 0.5 else 1.0
    z = -_NORMAL.inv_cdf(tail)
    if math.isinf(df):
        return sign * z
    nu = int(df)
    if nu == 1:
        return sign / math.tan(math.pi * tail)
    if nu == 2:
        return sign * (1.0 - 2.0 * tail) / math.sqrt(2.0 * tail * (1.0 - tail))
    if nu > _SERIES_MAX:
        return sign * _cornish_fisher(z, nu)
    # Newton on P(T > t) = tail from the normal quantile, below the root: monotone steps
    log_c = math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)
    t = z
    for _ in range(200):
        pdf = math.exp(log_c - (nu + 1) / 2 * math.log1p(t * t / nu))
        step = (_upper_tail(t, nu) - tail) / pdf
        t_next = t + step
        if not step > 4 * np.finfo(float).eps * t_next:
            break
        t = t_next
    return sign * t


def _upper_tail(t: float, nu: int) -> float:
    """P(T > t) for t >= 0 and whole ``nu`` >= 3, from A&S 26.7.3-4.

    With c = cos^2(atan(t / sqrt(nu))), P(|T| <= t) is a prefactor times the first terms of a
    power series in c whose full sum makes it 1; far in the tail (c small enough for the
    rest of the series to converge in a few thousand terms) the tail is that rest, summed
    directly, rather than 1 minus a number close to 1.
    """
    c = nu / (nu + t * t)
    s = t / math.sqrt(nu + t * t)  # sin theta
    even = nu % 2 == 0
    m = (nu - 2) // 2 if even else (nu - 3) // 2  # terms after the first in the finite sum
    far = c < 1.0 and 40.0 / -math.log(c) <= 20_000
    k = np.arange(1, m + 1 + (int(40.0 / -math.log(c)) if far else 0), dtype=float)
    ratio = (2 * k - 1) / (2 * k) if even else (2 * k) / (2 * k + 1)
    terms = np.cumprod(c * ratio)
    if far:  # the rest of the series: 1 - A(t|nu) with no cancellation
        rest = float(terms[m:].sum())
        return s / 2 * rest if even else s * math.sqrt(c) / math.pi * rest
    head = 1.0 + float(terms.sum())
    theta = math.atan2(t, math.sqrt(nu))
    a = s * head if even else 2 / math.pi * (theta + s * math.sqrt(c) * head)
    return (1.0 - a) / 2


def _cornish_fisher(x: float, nu: int) -> float:
    """The t quantile from the normal one ``x`` for large ``nu`` (A&S 26.7.5)."""
    x2 = x * x
    g1 = (x2 + 1) * x / 4
    g2 = ((5 * x2 + 16) * x2 + 3) * x / 96
    g3 = (((3 * x2 + 19) * x2 + 17) * x2 - 15) * x / 384
    g4 = ((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945) * x / 92160
    return x + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu
