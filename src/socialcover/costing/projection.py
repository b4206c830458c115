"""Year-by-year projection of the cost of a package, vectorised over countries x years x ages.

For each benefit b, country c and year t (ILO RAP, METHODS.md B2.3; ESS 58 Annex II)::

    Eligible[b,c,t]  = sum over sex s, age a of Pop[c,t,s,a] x elig_b(s,a) x prev_b(a)
                       (mothers of newborns: births by mother's age instead of Pop)
                       x min(1, k / TFR[c,t])        when at most k children per mother [I]
                       x targeted share             (e.g. the poorest 20%)
    Benef[b,c,t]     = Eligible x takeup_b[c,t]      linear or logistic path to the target
    Unit[b,c,t]      = min(level, cap) at the base year x Index_b[c,t] / Index_b[c,t0]
                       (Unit is the yearly amount for 12 months of payment)
    Benefits[b,c,t]  = Benef x Unit x months_b / 12
    Cost[b,c,t]      = Benefits x admin factor       1/(1-a) or (1+r)
    Gap[b,c,t]       = max(0, Cost - Current spending on the same guarantee)

Nothing loops over countries in Python: every step is a NumPy expression over
``[benefit, country, year]`` (and ``sex x age`` for eligibility). The "at most k children per
mother" share uses the period total fertility rate as a stand-in for the distribution of
children by birth order, which the pack lacks (the campaign used DHS data): it is our own
approximation [I] and is labelled as such in the results' provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from socialcover.costing import inputs
from socialcover.costing.macro import DAYS, MacroBase, MacroPaths
from socialcover.costing.national import population_factor
from socialcover.costing.scenario import (
    Amount,
    Benefit,
    CurrentSpending,
    Level,
    Scenario,
    TakeUp,
)


@dataclass(frozen=True)
class Demography:
    """Eligible population ``[benefit, country, year]`` before take-up, for one variant."""

    eligible: np.ndarray
    pop_total: np.ndarray  # [C, Y]
    pop_working: np.ndarray  # [C, Y]
    prevalence_weighted: np.ndarray  # [B] bool: the benefit uses a prevalence


@dataclass(frozen=True)
class Arrays:
    """Every projected quantity ``[..., benefit, country, year]`` (macro paths ``[..., C, Y]``)."""

    eligible: np.ndarray
    beneficiaries: np.ndarray
    takeup: np.ndarray
    unit_benefit_lcu: np.ndarray
    benefits_lcu: np.ndarray
    cost_lcu: np.ndarray
    cost_usd: np.ndarray
    cost_pct_gdp: np.ndarray
    cost_pct_gov_expenditure: np.ndarray
    current_spending_lcu: np.ndarray
    gap_lcu: np.ndarray
    admin_factor: np.ndarray  # [B]
    months: np.ndarray  # [B]
    paths: MacroPaths


def eligibility_weights(benefit: Benefit) -> np.ndarray:
    """Weight of each (sex, age) cell in the eligible population ``[2, 101]``."""
    e = benefit.eligibility
    w = np.zeros((2, inputs.AGES))
    lo, hi = e.ages
    sexes = {"both": (0, 1), "male": (0,), "female": (1,)}[e.sex]
    if e.population == "mothers_of_newborns":
        sexes = (1,)
    for s in sexes:
        w[s, lo : hi + 1] = 1.0
    prev = e.prevalence_pct
    if isinstance(prev, (int, float)):
        w *= prev / 100.0
    elif isinstance(prev, list):
        by_age = np.zeros(inputs.AGES)
        for band in prev:
            by_age[band.ages[0] : band.ages[1] + 1] = band.pct / 100.0
        w *= by_age[None, :]
    return w


def project_demography(
    scenario: Scenario, iso3s: Sequence[str], variant: str | None = None
) -> Demography:
    """Eligible populations of every benefit for one population variant."""
    years = scenario.years
    v = variant or scenario.population_variant
    factor = population_factor(scenario, iso3s, years)  # national projections, else 1
    pop = inputs.population(iso3s, years, v) * factor[:, :, None, None]
    births = None
    out = np.empty((len(scenario.benefits), len(iso3s), len(years)))
    for i, b in enumerate(scenario.benefits):
        w = eligibility_weights(b)
        if b.eligibility.population == "mothers_of_newborns":
            if births is None:
                births = inputs.births_by_mother_age(iso3s, years, v) * factor[:, :, None]
            out[i] = births @ w[1]
        else:
            out[i] = np.einsum("cysa,sa->cy", pop, w)
        k = b.eligibility.max_children_per_mother
        if k is not None:
            tfr = inputs.total_fertility(iso3s, years)
            out[i] *= np.minimum(1.0, k / np.where(np.isfinite(tfr) & (tfr > 0), tfr, np.inf))
        if b.targeting is not None:
            share = b.targeting.share_pct
            if share == "poverty_headcount":
                out[i] *= inputs.poverty_headcount(iso3s)[0][:, None] / 100.0
            else:
                out[i] *= float(share) / 100.0
    prevalence = np.array([b.eligibility.prevalence_pct is not None for b in scenario.benefits])
    return Demography(
        eligible=out,
        pop_total=pop.sum(axis=(2, 3)),
        pop_working=pop[:, :, :, 15:65].sum(axis=(2, 3)),
        prevalence_weighted=prevalence,
    )


def takeup_path(
    takeup: TakeUp, years: Sequence[int], start: np.ndarray, scale: np.ndarray | float = 1.0
) -> np.ndarray:
    """Take-up (fraction) ``[..., C, Y]`` from ``start`` ``[C]`` (fractions) to the target."""
    ys = np.asarray(years, dtype=float)
    t0 = float(takeup.start_year or years[0])
    t1 = float(takeup.target_year or years[0])
    target = takeup.target_pct / 100.0
    if t1 <= t0:
        x = (ys >= t1).astype(float)
    else:
        x = np.clip((ys - t0) / (t1 - t0), 0.0, 1.0)
        if takeup.shape == "logistic":
            k = takeup.steepness

            def sig(z: np.ndarray) -> np.ndarray:
                return np.asarray(1.0 / (1.0 + np.exp(-z)))

            lo, hi = sig(np.array(-k / 2)), sig(np.array(k / 2))
            x = (sig(k * (x - 0.5)) - lo) / (hi - lo)
    path = start[:, None] + (target - start[:, None]) * x[None, :]
    return np.asarray(np.clip(path * np.asarray(scale), 0.0, 1.0))


def amount_lcu_year(amount: Amount, paths: MacroPaths, base: MacroBase) -> np.ndarray:
    """An amount at the base year in LCU per person per year ``[..., C]``."""
    v = amount.value
    basis = amount.basis
    if basis == "pct_of_gdp_per_capita":
        return np.asarray(v / 100.0 * paths.gdp_per_capita_lcu[..., 0])
    if basis == "pct_of_poverty_line":
        return np.asarray(v / 100.0 * paths.poverty_line_lcu[..., 0])
    shape = paths.gdp_lcu.shape[:-1]
    if basis == "lcu_per_month":
        return np.full(shape, v * 12.0)
    if basis == "lcu_per_year":
        return np.full(shape, v)
    return np.broadcast_to(v * DAYS * base.ppp0, shape).copy()  # ppp_per_day


def _level_lcu_year(level: Level, paths: MacroPaths, base: MacroBase) -> np.ndarray:
    """A benefit level at the base year, capped, in LCU per person per year ``[..., C]``."""
    out = amount_lcu_year(level, paths, base)
    if level.cap is not None:
        out = np.minimum(out, amount_lcu_year(level.cap, paths, base))
    return out


def _current_spending(cs: CurrentSpending | None, paths: MacroPaths, idx: np.ndarray) -> np.ndarray:
    """Current spending on the guarantee ``[..., C, Y]``: a share of GDP, or LCU indexed."""
    if cs is None:
        return np.zeros_like(paths.gdp_lcu)
    if cs.pct_gdp is not None:
        return cs.pct_gdp / 100.0 * paths.gdp_lcu
    return float(cs.lcu_per_year or 0.0) * idx


def index_path(indexation: str, paths: MacroPaths) -> np.ndarray:
    """The benefit's index ``[..., C, Y]``, 1 at the base year."""
    if indexation == "prices":
        return paths.cpi_index
    if indexation == "wages":
        return paths.wage_index
    if indexation == "gdp_per_capita":
        return paths.gdp_per_capita_index
    return np.ones_like(paths.gdp_lcu)


def start_coverage(benefit: Benefit, iso3s: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Take-up at the start of the path ``[C]`` (fractions) and, per country, where it came
    from (with the year of the coverage value for ``start_pct: current``)."""
    start = benefit.takeup.start_pct
    if start == "current":
        ref = benefit.takeup.current_year
        pct, year = inputs.coverage_latest(iso3s, benefit.guarantee, ref)
        upto = f" up to {ref}" if ref is not None else ""
        sources = [
            f"SDG 1.3.1 effective coverage ({benefit.guarantee}), {int(y)} (latest{upto}; "
            "ILOSTAT, else the UN SDG Global Database 2020)"
            if np.isfinite(y)
            else f"no SDG 1.3.1 coverage ({benefit.guarantee}){upto}: 0 assumed"
            for y in year
        ]
        return np.where(np.isfinite(pct), pct, 0.0) / 100.0, sources
    return np.full(len(iso3s), float(start) / 100.0), ["user"] * len(iso3s)


def compute(
    scenario: Scenario,
    base: MacroBase,
    demography: Demography,
    paths: MacroPaths,
    starts: np.ndarray,
    *,
    takeup_scale: np.ndarray | float = 1.0,
    prevalence_scale: np.ndarray | float = 1.0,
    eligible: np.ndarray | None = None,
) -> Arrays:
    """All projected arrays for one set of paths (leading axes broadcast, e.g. draws)."""
    benefits = scenario.benefits
    years = scenario.years
    elig = demography.eligible if eligible is None else eligible
    prev_scale = np.where(
        demography.prevalence_weighted[:, None, None],
        np.asarray(prevalence_scale)[..., None, None, None]
        if np.ndim(prevalence_scale)
        else prevalence_scale,
        1.0,
    )
    elig = elig * prev_scale
    ts = np.asarray(takeup_scale)
    ts = ts[..., None, None] if ts.ndim else ts
    takeup = np.stack(
        [takeup_path(b.takeup, years, starts[i], ts) for i, b in enumerate(benefits)], axis=-3
    )
    beneficiaries = elig * takeup
    units = []
    currents = []
    own = {
        iso: nat.benefits for iso, nat in scenario.national.items() if iso in base.iso3s
    }  # each country's own amounts (scenario key national:)
    for b in benefits:
        idx = index_path(b.indexation, paths)
        level = np.array(_level_lcu_year(b.level, paths, base), dtype=float, copy=True)
        current = np.array(_current_spending(b.current_spending, paths, idx), copy=True)
        for iso, per in own.items():
            nb = per.get(b.name)
            if nb is None:
                continue
            c = base.iso3s.index(iso)
            if nb.level is not None:
                level[..., c] = _level_lcu_year(nb.level, paths, base)[..., c]
            if nb.current_spending is not None:
                current[..., c, :] = _current_spending(nb.current_spending, paths, idx)[..., c, :]
        units.append(level[..., None] * idx)
        currents.append(current)
    unit = np.stack(units, axis=-3)
    months = np.array([b.months for b in benefits])
    factor = np.array([b.admin.factor for b in benefits])
    benefits_lcu = beneficiaries * unit * (months / 12.0)[:, None, None]
    cost = benefits_lcu * factor[:, None, None]
    gdp = paths.gdp_lcu[..., None, :, :]
    current = np.stack(currents, axis=-3)
    return Arrays(
        eligible=np.broadcast_to(elig, beneficiaries.shape),
        beneficiaries=beneficiaries,
        takeup=takeup,
        unit_benefit_lcu=unit,
        benefits_lcu=benefits_lcu,
        cost_lcu=cost,
        cost_usd=cost / paths.exchange_rate[..., None, :, :],
        cost_pct_gdp=cost / gdp * 100.0,
        cost_pct_gov_expenditure=cost / paths.gov_expenditure_lcu[..., None, :, :] * 100.0,
        current_spending_lcu=current,
        gap_lcu=np.maximum(0.0, cost - current),
        admin_factor=factor,
        months=months,
        paths=paths,
    )
