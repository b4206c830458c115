"""Benchmark: the full indicator table of a synthetic survey, and R's survey package beside it.

Run from the repository root::

    .venv/bin/python benchmarks/indicators.py                  # 1M persons, all indicators
    .venv/bin/python benchmarks/indicators.py --persons 200000 --r 4

Prints the time to build the whole table (every indicator x every breakdown, with SEs), the
number of cells, and peak memory. With ``--r K`` it also times R's ``survey`` (``svyby`` with
``svyratio``) on the same data for K ratio indicators by sex, and prints the time per estimated
cell for both, as DESIGN.md section 6 asks (a peer on the same data, in one run).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from socialcover.errors import SocialcoverWarning
from socialcover.indicators import compute_indicators, get_indicator, prepare_variables
from socialcover.testing import synthetic_survey

R_CODES = [
    "coverage.older_persons",
    "coverage.children",
    "aspire.adequacy",
    "targeting.exclusion_error",
    "coverage.contributors_employed",
    "aspire.poverty_gap_reduction",
]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--r", type=int, default=0, help="time R survey on this many ratios")
    args = parser.parse_args()

    t0 = time.perf_counter()
    survey = synthetic_survey(args.persons, seed=args.seed)
    print(f"generated {survey.height:,} persons in {time.perf_counter() - t0:.2f} s")

    times = []
    cpu = []
    table = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        c0 = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SocialcoverWarning)
            table = compute_indicators(survey)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert table is not None
    frame = table.frame
    valued = frame.filter(frame["value"].is_not_null())
    best = min(times)
    print(
        f"indicator table: {frame.height:,} cells ({valued.height:,} with values and SEs), "
        f"{frame['code'].n_unique()} indicators x {frame['disaggregation'].n_unique()} "
        f"breakdowns"
    )
    print(f"socialcover: best {best:.2f} s, all runs {', '.join(f'{t:.2f}' for t in times)} s")
    # On a shared machine wall time includes waiting for a core; CPU time (all threads) does not.
    print(
        f"socialcover: CPU time (all threads) best {min(cpu):.2f} s; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"socialcover: {best / valued.height * 1000:.2f} ms per cell")
    print(f"peak memory {_peak_mb():,.0f} MB")
    print("bar: < 10 s for 1M persons ->", "met" if best < 10 else "NOT met")

    if args.r:
        _compare_with_r(survey, args.r, best / valued.height)


def _compare_with_r(survey: object, k: int, ours_per_cell: float) -> None:
    if shutil.which("Rscript") is None:
        print("R: Rscript not found, no comparison")
        return
    import polars as pl

    assert isinstance(survey, pl.DataFrame)
    codes = R_CODES[:k]
    prepared = prepare_variables(survey).frame
    cols = {"psu", "strata", "weight", "sex"}
    terms = []
    for code in codes:
        ind = get_indicator(code)
        cols |= {ind.numerator_var, ind.denominator_var}
        terms.append((ind.numerator_var, ind.denominator_var))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.csv"
        prepared.select(sorted(cols)).write_csv(path)
        calls = "\n".join(
            f"invisible(svyby(~{y}, ~sex, des, svyratio, denominator = ~{x}))" for y, x in terms
        )
        script = (
            "suppressMessages(library(survey))\n"
            f"d <- read.csv('{path}')\n"
            "des <- svydesign(ids = ~psu, strata = ~strata, weights = ~weight, data = d)\n"
            f"t <- system.time({{\n{calls}\n}})[['elapsed']]\n"
            "cat(t)\n"
        )
        r = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=False)
    if r.returncode != 0:
        print("R failed:", r.stderr[-500:])
        return
    r_time = float(r.stdout.strip())
    r_cells = 2 * len(terms)
    r_per_cell = r_time / r_cells
    print(
        f"R survey {_r_version()}: {len(terms)} ratios by sex ({r_cells} cells) in {r_time:.2f} s"
    )
    print(f"R survey: {r_per_cell * 1000:.1f} ms per cell")
    print(f"ratio R / socialcover per cell: {r_per_cell / ours_per_cell:,.0f}x")


def _r_version() -> str:
    r = subprocess.run(
        ["Rscript", "-e", "cat(as.character(packageVersion('survey')))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return r.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
