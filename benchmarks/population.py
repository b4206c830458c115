"""Benchmark: single-age population for every country x 2025-2035 from the installed pack.

Runs socialcover's vectorised query (:func:`socialcover.data.single_age_population`) and its
nearest peer, a straightforward pandas implementation of the same method (linear interpolation
in time per age-sex group, scaling to WPP's annual totals (by sex from 2025), Sprague split
made non-negative, done group by group as an analyst would write it), on the same data in one
run; checks that both give the same numbers; prints the timings and the ratio.

Usage::

    SOCIALCOVER_HOME=... .venv/bin/python benchmarks/population.py [--years 2025-2035] [--repeat 5]

Needs an installed pack (``socialcover data import ../shared/data``). Target: under 1 second
warm for all countries x 11 years.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from socialcover.data import single_age_population
from socialcover.data._store import scan
from socialcover.data.interpolation import sprague_matrix

KNOTS = list(range(1990, 2101, 5))


def pandas_single_ages(years: list[int]) -> pd.DataFrame:
    """The same method in plain pandas: groupby-apply per country, year and sex."""
    age5 = scan("wpp_population_age5").collect().to_pandas()
    age5 = age5[age5["iso3"].notna()]
    table = scan("wpp_population_total").collect().to_pandas()
    table = table[table["iso3"].notna()].set_index(["iso3", "year"])
    totals = table["pop_jul1"]
    sex_totals = {"male": table["pop_male_jul1"], "female": table["pop_female_jul1"]}
    needed = sorted({k for y in years for k in KNOTS if abs(k - y) < 5} | set(years))
    wide = age5.pivot_table(
        index=["iso3", "sex", "age_start"], columns="year", values="population"
    ).sort_index()
    wide = wide.reindex(columns=range(min(needed), max(needed) + 1))
    annual = wide.interpolate(axis=1, method="linear")  # linear in time between 5-year points
    knot_cols = [k for k in KNOTS if k in annual.columns]
    rows = []
    matrix = sprague_matrix(20)
    for iso3, block in annual.groupby(level="iso3"):
        knot_sum = block[knot_cols].sum()
        f_knot = pd.Series(
            [totals.get((iso3, k), np.nan) / knot_sum[k] for k in knot_cols], index=knot_cols
        )
        f = f_knot.reindex(annual.columns).interpolate()
        for year in years:
            col = block[year]
            if year not in knot_cols and not np.isnan(f[year]):
                col = col * (totals[(iso3, year)] / f[year]) / col.sum()
            for sex in ("male", "female"):
                groups = col.xs(sex, level="sex").to_numpy()
                # from 2025 WPP gives totals by sex: constrain each sex to its own total
                k0, k1 = year // 5 * 5, year // 5 * 5 + 5
                own = sex_totals[sex]
                if year not in knot_cols and all(
                    pd.notna(own.get((iso3, y), np.nan)) for y in (year, k0, k1)
                ):
                    raw = block[year].xs(sex, level="sex")
                    w = (year - k0) / 5
                    f_s = (1 - w) * own[(iso3, k0)] / block[k0].xs(sex, level="sex").sum() + (
                        w * own[(iso3, k1)] / block[k1].xs(sex, level="sex").sum()
                    )
                    groups = (raw * (own[(iso3, year)] / f_s) / raw.sum()).to_numpy()
                single = matrix @ groups[:-1]
                fixed = []
                for g in range(20):
                    part = single[5 * g : 5 * g + 5]
                    if (part < 0).any():
                        part = np.clip(part, 0, None)
                        part = part * groups[g] / part.sum() if part.sum() > 0 else part * 0
                    fixed.extend(part)
                fixed.append(groups[-1])
                rows.append(
                    pd.DataFrame(
                        {
                            "iso3": iso3,
                            "year": year,
                            "sex": sex,
                            "age": range(101),
                            "population": fixed,
                        }
                    )
                )
    return pd.concat(rows, ignore_index=True)


def timed(fn, repeat: int) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="2025-2035")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lo, hi = (int(x) for x in args.years.split("-"))
    years = list(range(lo, hi + 1))

    t = time.perf_counter()
    ours = single_age_population(None, years)
    cold = time.perf_counter() - t
    warm, ours = timed(lambda: single_age_population(None, years), args.repeat)
    peer_times, peer = timed(lambda: pandas_single_ages(years), max(1, args.repeat // 2))

    merged = (
        ours.to_pandas().merge(peer, on=["iso3", "year", "sex", "age"], suffixes=("", "_peer"))  # type: ignore[union-attr]  # type: ignore[arg-type]
    )
    diff = (merged["population"] - merged["population_peer"]).abs()
    rel = diff / merged["population_peer"].clip(lower=1.0)
    print(f"rows: socialcover {ours.height:,} | pandas {len(peer):,} | matched {len(merged):,}")  # type: ignore[union-attr, arg-type]
    print(f"max abs difference {diff.max():.3g} persons, max relative {rel.max():.3g}")
    print(f"socialcover cold (first call, reads Parquet): {cold:.3f} s")
    print(f"socialcover warm (median of {len(warm)}): {statistics.median(warm):.3f} s")
    print(f"pandas peer (median of {len(peer_times)}): {statistics.median(peer_times):.3f} s")
    ratio = statistics.median(peer_times) / statistics.median(warm)
    print(f"ratio pandas / socialcover (warm): {ratio:.1f}x")
    print(f"target < 1 s warm: {'met' if statistics.median(warm) < 1 else 'NOT met'}")


if __name__ == "__main__":
    main()
