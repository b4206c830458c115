"""Taylor-linearisation variance for stratified multistage designs.

The estimators hand over linearised scores already summed to sampling units (a domain's
score is zero outside it, so a domain keeps the whole design: Lumley 2010, sec. 2.3; Wolter
2007, ch. 6). This module finishes the variance exactly as R's ``svyrecvar`` does
(``survey`` 4.x, functions ``multistage``, ``onestage``, ``onestrat``):

- in each stratum h with n_h PSUs (counted in the whole design), PSU totals t_hi are centred
  at their stratum mean, padding PSUs absent from the domain with zeros, and
  v_h = f_h n_h / (n_h - 1) sum_i (t_hi - mean_h)^2, with f_h = (N_h - n_h) / N_h (1 without fpc);
  a stratum with f_h < 1e-7 (all units taken) contributes zero;
- later stages add, within each earlier-stage unit, the same sum over their own units,
  multiplied by the earlier stages' sampling fractions n/N (only when those stages have fpcs);
- a stratum with one PSU follows the design's ``lonely_psu`` rule: ``remove`` and
  ``certainty`` give zero, ``adjust`` keeps the PSU total uncentred (centred at zero, the
  mean of the scores), ``average`` replaces the stratum by the mean of the others (the sum over
  the other strata times n_strata / n_ok_strata), ``fail`` raises.

Element designs (no cluster ids) are handled without one row per person: per stratum, the sum
of squared scores comes from second moments of the weighted variables.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcover.survey._errors import LonelyPsuError
from socialcover.survey.structure import StageGroups, Structure

__all__ = ["linear_variance", "stage_contribution"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _bincount(idx: IntArray, weights: FloatArray | None, size: int) -> FloatArray:
    return np.asarray(np.bincount(idx, weights=weights, minlength=size), dtype=np.float64)


def _pairs(a: IntArray, b: IntArray, nb: int) -> tuple[IntArray, IntArray]:
    """Unique (a, b) pairs as a compact index and the inverse map."""
    key = a.astype(np.int64) * np.int64(max(nb, 1)) + b.astype(np.int64)
    uniq, inv = np.unique(key, return_inverse=True)
    return uniq, inv.astype(np.int64)


def stage_contribution(
    stage: StageGroups,
    dom: IntArray,
    grp: IntArray,
    sum_t: FloatArray,
    sum_t2: FloatArray,
    n_dom: int,
    rule: str,
    stage_no: int,
) -> FloatArray:
    """Variance of one stage per domain, from per-(domain, group) sums of scores.

    ``dom``/``grp`` hold one entry per (domain, group) present in the domain.
    """
    n = stage.n[grp]
    f = stage.f[grp]
    with np.errstate(divide="ignore", invalid="ignore"):
        centred = sum_t2 - sum_t * sum_t / n
        v = np.where(n > 1, f * n / (n - 1) * centred, 0.0)
    lonely = n == 1
    if np.any(lonely & (f >= 1e-7)):
        if rule == "adjust":
            v = np.where(lonely, f * sum_t2, v)
        elif rule == "average":
            v = np.where(lonely, np.nan, v)
        elif rule == "fail":
            g = int(grp[np.flatnonzero(lonely & (f >= 1e-7))[0]])
            raise LonelyPsuError(
                f"Stratum {stage.label[g]!r} has only one PSU at stage {stage_no}.",
                hint='Pass lonely_psu="adjust" (or "remove", "average", "certainty") to Design.',
            )
    v = np.where(f < 1e-7, 0.0, v)
    mult = stage.mult[grp]
    parent = stage.parent[grp]
    if rule == "average":
        # per (domain, parent unit): scale the non-missing sum by n_strata / n_ok_strata
        n_par = int(parent.max()) + 1 if parent.size else 1
        uniq, inv = _pairs(dom, parent, n_par)
        nstrat = _bincount(inv, None, uniq.size)
        ok = ~np.isnan(v)
        nok = _bincount(inv, ok.astype(float), uniq.size)
        vs = _bincount(inv, np.where(ok, v, 0.0), uniq.size)
        pm = np.zeros(uniq.size)
        pm[inv] = mult
        with np.errstate(divide="ignore", invalid="ignore"):
            per = vs * nstrat / nok * pm
        pdom = (uniq // max(n_par, 1)).astype(np.int64)
        return _bincount(pdom, per, n_dom)
    return _bincount(dom, v * mult, n_dom)


def linear_variance(
    structure: Structure,
    dom: IntArray,
    unit: IntArray,
    t: FloatArray,
    n_dom: int,
    rule: str,
    t2: FloatArray | None = None,
) -> FloatArray:
    """Variance per domain of linearised scores summed to finest sampling units.

    Parameters
    ----------
    structure
        The bound design's structure.
    dom, unit, t
        Per row: domain index, finest-unit index (stratum index for element designs) and the
        domain's score total over that unit. Rows may repeat a (domain, unit) pair; they add.
    n_dom
        Number of domains.
    rule
        The design's lonely-PSU rule.
    t2
        Element designs only: per row, the sum of squared row scores.
    """
    if structure.element:
        if t2 is None:  # pragma: no cover - internal misuse
            raise ValueError("element designs need the sums of squared scores")
        stage = structure.stages[0]
        n_g = stage.n.shape[0]
        uniq, inv = _pairs(dom, unit, n_g)
        st = _bincount(inv, t, uniq.size)
        st2 = _bincount(inv, t2, uniq.size)
        d = (uniq // max(n_g, 1)).astype(np.int64)
        g = (uniq % max(n_g, 1)).astype(np.int64)
        return stage_contribution(stage, d, g, st, st2, n_dom, rule, 1)
    total = np.zeros(n_dom)
    for k, stage in enumerate(structure.stages):
        uk = structure.unit_maps[k][unit]
        n_u = stage.group_of_unit.shape[0]
        uniq, inv = _pairs(dom, uk, n_u)
        tk = _bincount(inv, t, uniq.size)
        d_u = (uniq // max(n_u, 1)).astype(np.int64)
        u_u = (uniq % max(n_u, 1)).astype(np.int64)
        g_u = stage.group_of_unit[u_u]
        n_g = stage.n.shape[0]
        guniq, ginv = _pairs(d_u, g_u, n_g)
        st = _bincount(ginv, tk, guniq.size)
        st2 = _bincount(ginv, tk * tk, guniq.size)
        d = (guniq // max(n_g, 1)).astype(np.int64)
        g = (guniq % max(n_g, 1)).astype(np.int64)
        total += stage_contribution(stage, d, g, st, st2, n_dom, rule, k + 1)
    return total
