"""Monitoring aggregates: every SDG 1.3.1 indicator, every group, every year 2000-2030.

Run with the real data pack installed (``socialcover data import ../shared/data``) or let the
script install it into a temporary home::

    .venv/bin/python benchmarks/monitor_aggregate.py

Target (monitoring bar): all nine SDG 1.3.1 indicators aggregated by ILO region, income group,
world and subregion for each year 2000-2030 in under 2 s, denominators included. The peer is
the same computation written with plain pandas (merge, sort, drop_duplicates and groupby for
the nearest-year step, the region x income-group model and the weighted means), given the same
observations and denominators; both results are checked equal. Prints both times, their ratio,
the whole-process time and the peak memory (resident set size).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

PROCESS_START = time.perf_counter()
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
YEARS = list(range(2000, 2031))
BY = ("ilo-region", "income-group", "world", "subregion")
WINDOW = 3


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


def ours(
    observations: dict[str, pl.DataFrame], weights: dict[str, pl.DataFrame] | None = None
) -> pl.DataFrame:
    """socialcover: imputation and weighted means per indicator (denominators read from WPP
    unless given)."""
    from socialcover.monitor.aggregate import aggregate

    frames = [
        aggregate(
            obs, code, YEARS, BY, window=WINDOW, weights=None if weights is None else weights[code]
        ).with_columns(pl.lit(code).alias("indicator"))
        for code, obs in observations.items()
    ]
    return pl.concat(frames)


def peer(
    observations: dict[str, pd.DataFrame], weights: dict[str, pd.DataFrame], members: pd.DataFrame
) -> pd.DataFrame:
    """The same computation in plain pandas."""
    from socialcover.monitor.registry import get_indicator

    out = []
    for code, obs in observations.items():
        values = obs[(obs["sex"] == get_indicator(code).sex) & (obs["nature"] != "imputed")]
        values = values[["area", "year", "value"]].rename(
            columns={"area": "iso3", "year": "source_year"}
        )
        base = weights[code].merge(members, on="iso3")
        cand = base[["iso3", "year"]].merge(values, on="iso3")
        cand["distance"] = (cand["source_year"] - cand["year"]).abs()
        cand = cand[cand["distance"] <= WINDOW].sort_values(
            ["iso3", "year", "distance", "source_year"]
        )
        cand = cand.drop_duplicates(["iso3", "year"])
        cand["method"] = np.where(cand["distance"] == 0, "observed", "nearest-year")
        filled = base.merge(
            cand[["iso3", "year", "value", "method"]], on=["iso3", "year"], how="left"
        )
        donors = filled[filled["value"].notna()].assign(vw=lambda d: d["value"] * d["population"])
        for method, keys in (
            ("region-income-model", ["ilo_region", "income_group"]),
            ("income-group-model", ["income_group"]),
            ("region-model", ["ilo_region"]),
        ):
            cell = donors.dropna(subset=keys).groupby(["year", *keys])[["vw", "population"]].sum()
            model = (cell["vw"] / cell["population"]).rename("model").reset_index()
            filled = filled.merge(model, on=["year", *keys], how="left")
            fill = filled["value"].isna() & filled["model"].notna()
            filled.loc[fill, "method"] = method
            filled.loc[fill, "value"] = filled.loc[fill, "model"]
            filled = filled.drop(columns="model")
        filled["world"] = "World"
        has = filled["value"].notna()
        filled["vw"] = (filled["value"] * filled["population"]).where(has, 0.0)
        filled["pw"] = filled["population"].where(has, 0.0)
        filled["obs"] = filled["population"].where(filled["method"] == "observed", 0.0)
        filled["imp"] = filled["population"].where(has & (filled["method"] != "observed"), 0.0)
        for group_type, column in (
            ("ilo-region", "ilo_region"),
            ("income-group", "income_group"),
            ("world", "world"),
            ("subregion", "geo_subregion"),
        ):
            g = (
                filled.dropna(subset=[column])
                .groupby([column, "year"])[["vw", "pw", "population", "obs", "imp"]]
                .sum()
            )
            frame = pd.DataFrame(
                {
                    "value": g["vw"] / g["pw"],
                    "population": g["population"],
                    "population_share_observed": g["obs"] / g["population"],
                    "population_share_imputed": g["imp"] / g["population"],
                }
            ).reset_index(names=["group", "year"])
            frame["group_type"] = group_type
            frame["indicator"] = code
            out.append(frame)
    return pd.concat(out, ignore_index=True)


def main() -> None:
    ensure_pack()
    from socialcover.data import countries
    from socialcover.monitor.aggregate import NO_INCOME_GROUP, observations_from_pack
    from socialcover.monitor.denominators import denominators
    from socialcover.monitor.registry import list_indicators

    codes = [d.code for d in list_indicators("sdg131.")]

    observations = {code: observations_from_pack(code) for code in codes}
    t0 = time.perf_counter()
    result = ours(observations)
    ours_s = time.perf_counter() - t0

    weights = {c: denominators(c, YEARS).filter(pl.col("population") > 0) for c in codes}
    t0 = time.perf_counter()
    ours(observations, weights)
    given_s = time.perf_counter() - t0
    members = countries()[["iso3", "ilo_region", "geo_subregion", "income_group"]].to_pandas()
    members["income_group"] = members["income_group"].where(
        members["income_group"] != NO_INCOME_GROUP
    )
    obs_pd = {c: o.to_pandas() for c, o in observations.items()}
    weights_pd = {c: w.to_pandas() for c, w in weights.items()}
    t0 = time.perf_counter()
    expected = peer(obs_pd, weights_pd, members)
    peer_s = time.perf_counter() - t0

    keys = ["indicator", "group_type", "group", "year"]
    cols = ["value", "population", "population_share_observed", "population_share_imputed"]
    got = result.to_pandas().sort_values(keys).reset_index(drop=True)
    want = expected.sort_values(keys).reset_index(drop=True)
    assert got[keys].astype(str).equals(want[keys].astype(str)), "different groups"
    for col in cols:
        np.testing.assert_allclose(got[col], want[col], rtol=1e-9, equal_nan=True, err_msg=col)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {len(got):,} ({len(codes)} indicators x groups x {len(YEARS)} years)")
    print(f"socialcover, denominators included    {ours_s:8.3f} s   (bar: 2 s)")
    print(f"socialcover, denominators given       {given_s:8.3f} s")
    print(f"pandas peer, denominators given       {peer_s:8.3f} s")
    print(f"ratio peer / socialcover (both given) {peer_s / given_s:8.2f}")
    print(f"whole process                         {time.perf_counter() - PROCESS_START:8.3f} s")
    print(f"peak memory (max RSS)                 {peak_mb:8.0f} MB")
    print("results equal: yes")
    if ours_s > 2.0:
        raise SystemExit(f"over the 2 s bar: {ours_s:.2f} s")


if __name__ == "__main__":
    main()
