"""Costing benchmark: socialcover's vectorised engine against a naive per-country pandas loop.

Run with the real data pack installed (``socialcover data import ../shared/data``) or let the
script install it into a temporary home::

    .venv/bin/python benchmarks/costing.py

Targets (issue 4): the four-guarantee package for every country x 2025-2040 in under 1 s; a
1,000-draw Monte Carlo for one country in under 2 s and for all countries in under 60 s. The
peer is the same computation written the obvious way: a Python loop over countries, benefits
and years over a pandas frame of single-age populations (macro paths taken from the engine,
so only the demographic and cost arithmetic is compared). Both results are checked equal.
Times are wall-clock on whatever machine runs this (the project's CI box has 2 shared cores).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def ensure_pack() -> None:
    if os.environ.get("SOCIALCOVER_HOME"):
        from socialcover.data._home import current_pack

        if (current_pack() / "wpp_locations.parquet").exists():
            return
    home = tempfile.mkdtemp(prefix="sc-bench-")
    os.environ["SOCIALCOVER_HOME"] = home
    from socialcover.data.pack import install_pack

    print(f"installing the pack from {SHARED} into {home} ...", file=sys.stderr)
    install_pack(SHARED)


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<62} {best:8.3f} s")
    return best, out


def naive_pandas(result) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The same cost arithmetic, one country, benefit and year at a time, on pandas frames."""
    from socialcover.costing import inputs
    from socialcover.costing.projection import eligibility_weights

    s = result.scenario
    iso3s = list(result.iso3s)
    pop = inputs.population(iso3s, s.years)
    c, y, sx, a = np.meshgrid(
        np.arange(len(iso3s)), np.arange(len(s.years)), [0, 1], np.arange(101), indexing="ij"
    )
    long = pd.DataFrame(
        {
            "iso3": np.array(iso3s)[c.ravel()],
            "year": np.array(s.years)[y.ravel()],
            "sex": sx.ravel(),
            "age": a.ravel(),
            "population": pop.ravel(),
        }
    )
    births = inputs.births_by_mother_age(iso3s, s.years)
    macro = result.macro.to_pandas().set_index(["iso3", "year"])
    out = []
    for ci, iso in enumerate(iso3s):
        pc = long[long["iso3"] == iso]
        m = macro.loc[iso]
        base = s.years[0]
        for b in s.benefits:
            w = eligibility_weights(b)
            if b.level.basis == "pct_of_poverty_line":
                level = b.level.value / 100 * m.loc[base, "poverty_line_lcu_year"]
            else:
                level = b.level.value / 100 * m.loc[base, "gdp_per_capita_lcu"]
            for yi, year in enumerate(s.years):
                if b.eligibility.population == "mothers_of_newborns":
                    eligible = float((births[ci, yi] * w[1]).sum())
                else:
                    py = pc[pc["year"] == year]
                    weights = w[py["sex"].to_numpy(), py["age"].to_numpy()]
                    eligible = float((py["population"].to_numpy() * weights).sum())
                unit = level * m.loc[year, "cpi_index"]
                cost = eligible * unit * b.months / 12 * b.admin.factor
                out.append(
                    {
                        "iso3": iso,
                        "year": year,
                        "benefit": b.name,
                        "cost_pct_gdp": cost / m.loc[year, "gdp_lcu"] * 100,
                    }
                )
    return pd.DataFrame(out)


def main() -> None:
    ensure_pack()
    from socialcover.costing import CostingRequest, project_costs, run_costing
    from socialcover.costing.uncertainty import monte_carlo

    four = {
        "countries": "all",
        "package": "spf-four-guarantees",
        "base_year": 2025,
        "horizon": 2040,
    }
    one = {"country": "KEN", "package": "spf-four-guarantees", "horizon": 2040}
    print(f"cores available: {os.cpu_count()} (shared with other work)")
    t_cold, _ = timed(
        "four guarantees, every country x 2025-2040 (cold: reads data)", lambda: project_costs(four)
    )
    t_warm, result = timed(
        "four guarantees, every country x 2025-2040 (warm)", lambda: project_costs(four), repeat=3
    )
    print(f"   countries costed: {len(result.iso3s)}; not costed (listed): {len(result.missing)}")
    timed(
        "Monte Carlo 1,000 draws, one country (cold)", lambda: monte_carlo(one, draws=1000, seed=1)
    )
    t_mc1, _ = timed(
        "Monte Carlo 1,000 draws, one country (warm)",
        lambda: monte_carlo(one, draws=1000, seed=1),
        repeat=3,
    )
    t_mca, _ = timed(
        "Monte Carlo 1,000 draws, every country", lambda: monte_carlo(four, draws=1000, seed=1)
    )
    t_run, _ = timed(
        "run_costing: both of the above, totals by ILO region",
        lambda: run_costing(CostingRequest(four, monte_carlo=1000, seed=1, by="ilo-region")),
    )
    print(f"   one run / (projection + Monte Carlo): {t_run / (t_warm + t_mca):.2f}")
    t_peer, peer = timed(
        "peer: naive per-country pandas loop, same computation", lambda: naive_pandas(result)
    )
    ours = result.rows.select("iso3", "year", "benefit", "cost_pct_gdp").to_pandas()
    merged = ours.merge(peer, on=["iso3", "year", "benefit"], suffixes=("", "_peer"))
    diff = np.nanmax(np.abs(merged["cost_pct_gdp"] - merged["cost_pct_gdp_peer"]))
    print(f"   max |difference| engine vs peer: {diff:.2e} (% of GDP points)")
    print(
        f"   ratio peer / socialcover: {t_peer / t_warm:,.0f}x warm, "
        f"{t_peer / t_cold:,.0f}x cold (including reading the data)"
    )
    verdict = [
        ("four guarantees < 1 s (warm)", t_warm < 1.0),
        ("Monte Carlo one country < 2 s", t_mc1 < 2.0),
        ("Monte Carlo all countries < 60 s", t_mca < 60.0),
    ]
    for label, ok in verdict:
        print(f"   {'PASS' if ok else 'FAIL'}  {label}")
    print(f"   (cold four-guarantee run: {t_cold:.3f} s)")


if __name__ == "__main__":
    main()
