"""Uncertainty: Monte Carlo percentile bands and one-way sensitivities (tornado).

Draws (seeded, ``numpy.random.default_rng``) follow the scenario's ``uncertainty`` ranges:

- real growth and inflation: shifts of the whole path in percentage points, triangular on
  [low, high] with mode 0, drawn independently for each country;
- take-up: a multiplier of the take-up path (capped at 100%), triangular with mode 1 (or the
  nearest end of the range);
- prevalence: a multiplier of every prevalence, triangular with mode 1;
- population: a WPP 2024 variant (low, medium, high) drawn with the given weights.

Everything is vectorised over draws x benefits x countries x years, in chunks of draws; the
regional and world bands are GDP-weighted per draw (sum of costs over sum of GDP in US$).
A tornado sets one assumption at a time to each end of its range, the others central.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from socialcover.costing import inputs
from socialcover.costing.costs import project_costs, resolve_countries
from socialcover.costing.macro import MacroBase, build_base, build_paths
from socialcover.costing.projection import Demography, compute, project_demography, start_coverage
from socialcover.costing.scenario import Range, Scenario, ScenarioLike, load_scenario

PERCENTILES = (5, 25, 50, 75, 95)
VARIANTS = ("low", "medium", "high")


@dataclass(frozen=True)
class _Context:
    scenario: Scenario
    iso3s: list[str]
    keep: np.ndarray  # [C] bool
    base: MacroBase
    demographies: dict[str, Demography]
    starts: np.ndarray  # [B, C]


def _context(scenario: ScenarioLike, variants: tuple[str, ...]) -> _Context:
    s = load_scenario(scenario)
    iso3s, single = resolve_countries(s)
    base = build_base(s.macro, iso3s, s.years, "medium")
    if single and base.missing:
        iso, reason = next(iter(base.missing.items()))
        raise inputs.missing_data_error(iso, reason)
    dems = {v: project_demography(s, iso3s, v) for v in variants}
    starts = np.stack([start_coverage(b, iso3s)[0] for b in s.benefits])
    keep = np.array([i not in base.missing for i in iso3s])
    keep &= np.isfinite(dems["medium"].eligible).all(axis=(0, 2))
    return _Context(s, iso3s, keep, base, dems, starts)


def _batch(
    ctx: _Context,
    g: np.ndarray,
    p: np.ndarray,
    t: np.ndarray,
    pv: np.ndarray,
    v_idx: np.ndarray,
    variants: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """cost_usd [d,B,C,Y], gdp_usd [d,C,Y], cost_lcu / gdp_lcu x 100 [d,B,C,Y] for a batch."""
    elig = np.stack([ctx.demographies[variants[i]].eligible for i in v_idx])
    pop_t = np.stack([ctx.demographies[variants[i]].pop_total for i in v_idx])
    pop_w = np.stack([ctx.demographies[variants[i]].pop_working for i in v_idx])
    with np.errstate(invalid="ignore", divide="ignore"):
        paths = build_paths(ctx.base, g, p, pop_total=pop_t, pop_working=pop_w)
        arr = compute(
            ctx.scenario,
            ctx.base,
            ctx.demographies["medium"],
            paths,
            ctx.starts,
            takeup_scale=t,
            prevalence_scale=pv,
            eligible=elig,
        )
    return arr.cost_usd, paths.gdp_usd, arr.cost_pct_gdp


def _triangular(
    rng: np.random.Generator, r: Range, mode: float, size: Any, scale: float = 1.0
) -> np.ndarray:
    if r.low == r.high:
        return np.full(size, r.low * scale)
    m = min(max(mode, r.low), r.high)
    return np.asarray(rng.triangular(r.low, m, r.high, size=size) * scale)


@dataclass(frozen=True)
class MonteCarloResult:
    """Percentile bands of cost as % of GDP.

    ``bands``: iso3 (or group for aggregates), year, benefit (``total`` too), mean, p5, p25,
    p50, p75, p95. ``aggregates``: group (World, ILO regions, income groups), year, same
    statistics, GDP-weighted per draw. ``totals``: the draws of the total ``[D, C, Y]``.
    """

    draws: int
    seed: int
    iso3s: tuple[str, ...]
    years: tuple[int, ...]
    bands: pl.DataFrame
    aggregates: pl.DataFrame
    totals: np.ndarray


def _stats(samples: np.ndarray) -> dict[str, np.ndarray]:
    """Mean and percentiles over axis 0."""
    out = {"mean": np.nanmean(samples, axis=0)}
    qs = np.nanpercentile(samples, PERCENTILES, axis=0)
    for q, arr in zip(PERCENTILES, qs, strict=True):
        out[f"p{q}"] = arr
    return out


def monte_carlo(
    scenario: ScenarioLike,
    *,
    draws: int = 1000,
    seed: int = 20250101,
    chunk: int = 100,
    per_benefit: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MonteCarloResult:
    """Monte Carlo over the scenario's uncertainty ranges (see the module docstring).

    Parameters
    ----------
    scenario:
        The scenario (one or many countries).
    draws:
        Number of draws (at least 1).
    seed:
        Seed of the generator: the same seed gives the same bands.
    chunk:
        Draws computed at once (memory: chunk x benefits x countries x years floats).
    per_benefit:
        Bands per benefit as well as the total (default: when at most 10 countries).
    progress:
        Called as ``progress(done, draws)`` after each chunk (for a progress bar).
    """
    if draws < 1:
        from socialcover.costing._errors import ScenarioError

        raise ScenarioError(
            f"--monte-carlo {draws}: the number of draws must be at least 1.",
            code="costing.bad-draws",
            key="monte_carlo",
            hint="Use e.g. --monte-carlo 1000.",
        )
    s = load_scenario(scenario)
    u = s.uncertainty
    given: dict[str, float] = {str(k): float(v) for k, v in u.population_variants.items()}
    variants = tuple(v for v in VARIANTS if given.get(v, 0.0) > 0)
    weights = np.array([given[v] for v in variants], dtype=np.float64)
    ctx = _context(s, tuple(dict.fromkeys((*variants, "medium"))))
    n_c, n_y, n_b = len(ctx.iso3s), len(s.years), len(s.benefits)
    per_benefit = n_c <= 10 if per_benefit is None else per_benefit
    rng = np.random.default_rng(seed)
    g = _triangular(rng, u.real_growth_pct, 0.0, (draws, n_c, 1), 0.01)
    p = _triangular(rng, u.inflation_pct, 0.0, (draws, n_c, 1), 0.01)
    t = _triangular(rng, u.takeup, 1.0, draws)
    pv = _triangular(rng, u.prevalence, 1.0, draws)
    v_idx = rng.choice(len(variants), size=draws, p=weights / weights.sum())
    totals = np.empty((draws, n_c, n_y))
    benefit_pct = np.empty((draws, n_b, n_c, n_y)) if per_benefit else None
    groups = _groups(ctx.iso3s, ctx.keep)
    agg = np.empty((draws, len(groups), n_y))
    member = np.stack([m for _, m in groups]).astype(float)  # [G, C]
    for lo in range(0, draws, chunk):
        hi = min(draws, lo + chunk)
        cost_usd, gdp_usd, pct = _batch(
            ctx, g[lo:hi], p[lo:hi], t[lo:hi], pv[lo:hi], v_idx[lo:hi], variants
        )
        totals[lo:hi] = pct.sum(axis=1)
        if benefit_pct is not None:
            benefit_pct[lo:hi] = pct
        tot_usd = np.nan_to_num(cost_usd.sum(axis=1))
        gdp = np.nan_to_num(gdp_usd)
        if progress is not None:
            progress(hi, draws)
        agg[lo:hi] = (
            np.einsum("gc,dcy->dgy", member, tot_usd) / np.einsum("gc,dcy->dgy", member, gdp) * 100
        )
    keep_iso = [i for i, k in zip(ctx.iso3s, ctx.keep, strict=True) if k]
    frames = []
    st = _stats(totals[:, ctx.keep])
    frames.append(_frame(st, keep_iso, s.years, "total"))
    if benefit_pct is not None:
        for bi, b in enumerate(s.benefits):
            frames.append(
                _frame(_stats(benefit_pct[:, bi][:, ctx.keep]), keep_iso, s.years, b.name)
            )
    ag = _stats(agg)
    names = [n for n, _ in groups]
    agg_frame = pl.DataFrame(
        {
            "group": np.repeat(names, n_y),
            "year": np.tile(s.years, len(names)),
            **{k: v.ravel() for k, v in ag.items()},
        }
    )
    return MonteCarloResult(
        draws=draws,
        seed=seed,
        iso3s=tuple(keep_iso),
        years=s.years,
        bands=pl.concat(frames).sort("iso3", "year", "benefit"),
        aggregates=agg_frame,
        totals=totals[:, ctx.keep],
    )


def _frame(
    st: dict[str, np.ndarray], iso3s: list[str], years: tuple[int, ...], benefit: str
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "iso3": np.repeat(iso3s, len(years)),
            "year": np.tile(years, len(iso3s)),
            "benefit": benefit,
            **{k: v.ravel() for k, v in st.items()},
        }
    )


def _groups(iso3s: list[str], keep: np.ndarray) -> list[tuple[str, np.ndarray]]:
    meta = inputs.countries()
    region = dict(zip(meta["iso3"].to_list(), meta["ilo_region"].to_list(), strict=True))
    income = dict(zip(meta["iso3"].to_list(), meta["income_group"].to_list(), strict=True))
    out = [("World", keep.copy())]
    for lookup in (region, income):
        for g in sorted({str(lookup[i]) for i in iso3s if lookup.get(i) is not None}):
            mask = np.array([lookup.get(i) == g for i in iso3s]) & keep
            if mask.any():
                out.append((str(g), mask))
    return out


SENSITIVITIES = ("real_growth_pct", "inflation_pct", "takeup", "prevalence", "population")


def tornado(scenario: ScenarioLike, *, year: int | None = None) -> pl.DataFrame:
    """One-way sensitivities of the total cost (% of GDP; GDP-weighted over countries).

    Returns
    -------
    polars.DataFrame
        parameter, low_input, high_input, base, low, high, swing (|high - low|), sorted by swing.
    """
    s = load_scenario(scenario)
    u = s.uncertainty
    ctx = _context(s, VARIANTS)
    y = s.years.index(year if year is not None else s.end_year)
    n_c = len(ctx.iso3s)
    # row 0 = central; then (low, high) per parameter
    specs: list[tuple[str, Any, Any]] = [
        ("real_growth_pct", u.real_growth_pct.low, u.real_growth_pct.high),
        ("inflation_pct", u.inflation_pct.low, u.inflation_pct.high),
        ("takeup", u.takeup.low, u.takeup.high),
        ("prevalence", u.prevalence.low, u.prevalence.high),
        ("population", "low", "high"),
    ]
    n = 1 + 2 * len(specs)
    g = np.zeros((n, n_c, 1))
    p = np.zeros((n, n_c, 1))
    t = np.ones(n)
    pv = np.ones(n)
    v = np.full(n, VARIANTS.index("medium"))
    for k, (name, lo, hi) in enumerate(specs):
        for j, val in ((1 + 2 * k, lo), (2 + 2 * k, hi)):
            if name == "real_growth_pct":
                g[j] = val / 100
            elif name == "inflation_pct":
                p[j] = val / 100
            elif name == "takeup":
                t[j] = val
            elif name == "prevalence":
                pv[j] = val
            else:
                v[j] = VARIANTS.index(val)
    cost_usd, gdp_usd, _ = _batch(ctx, g, p, t, pv, v, VARIANTS)
    keep = ctx.keep
    tot = np.nan_to_num(cost_usd.sum(axis=1)[:, keep, y]).sum(axis=1)
    gdp = np.nan_to_num(gdp_usd[:, keep, y]).sum(axis=1)
    share = tot / gdp * 100
    rows = []
    for k, (name, lo, hi) in enumerate(specs):
        a, b = share[1 + 2 * k], share[2 + 2 * k]
        rows.append(
            {
                "parameter": name,
                "low_input": str(lo),
                "high_input": str(hi),
                "base": float(share[0]),
                "low": float(a),
                "high": float(b),
                "swing": float(abs(b - a)),
            }
        )
    return pl.DataFrame(rows).sort("swing", descending=True)


def compare(scenarios: list[ScenarioLike], *, names: list[str] | None = None) -> pl.DataFrame:
    """Two or more scenarios side by side: totals per country and year, with differences
    from the first scenario (``diff_*`` columns).

    Returns
    -------
    polars.DataFrame
        scenario, iso3, year, cost_lcu, cost_usd, cost_pct_gdp, cost_pct_gov_expenditure,
        financing_gap_pct_gdp, diff_cost_lcu, diff_cost_usd, diff_cost_pct_gdp,
        diff_cost_pct_gov_expenditure (differences from the first scenario in the same
        country and year; % columns in percentage points).
    """
    if len(scenarios) < 2:
        from socialcover.costing._errors import ScenarioError

        raise ScenarioError(
            "A comparison needs at least two scenarios.",
            code="costing.compare-one",
            hint="Give two or more scenarios.",
        )
    results = [project_costs(x) for x in scenarios]
    labels = names or [r.scenario.name for r in results]
    if len(set(labels)) < len(labels):
        labels = [f"{i + 1}: {n}" for i, n in enumerate(labels)]
    cols = [
        "iso3",
        "year",
        "cost_lcu",
        "cost_usd",
        "cost_pct_gdp",
        "cost_pct_gov_expenditure",
        "financing_gap_pct_gdp",
    ]
    measures = ["cost_lcu", "cost_usd", "cost_pct_gdp", "cost_pct_gov_expenditure"]
    first = results[0].totals.select(
        "iso3", "year", *[pl.col(m).alias(f"_first_{m}") for m in measures]
    )
    diffs = [f"diff_{m}" for m in measures]
    frames = []
    for label, r in zip(labels, results, strict=True):
        frames.append(
            r.totals.select(cols)
            .join(first, on=["iso3", "year"], how="left")
            .with_columns(
                pl.lit(label).alias("scenario"),
                *[(pl.col(m) - pl.col(f"_first_{m}")).alias(f"diff_{m}") for m in measures],
            )
            .drop([f"_first_{m}" for m in measures])
        )
    return pl.concat(frames).select("scenario", *cols, *diffs)
