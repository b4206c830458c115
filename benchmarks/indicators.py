"""Benchmark: the full indicator table of a synthetic survey, and R's survey package beside it.

Run from the repository root::

    .venv/bin/python benchmarks/indicators.py                  # 1M persons, all indicators
    .venv/bin/python benchmarks/indicators.py --persons 10000000 --repeat 1
    .venv/bin/python benchmarks/indicators.py --persons 200000 --r 4

Writes the survey to a temporary Parquet file, then prints:

- in one process, the time to build the whole table (every indicator x every breakdown, with
  SEs) from that file, wall and CPU time, the number of cells;
- the whole process as a user runs it (``socialcover survey indicators FILE``), its wall time,
  CPU time and peak memory (maximum resident set size), for the DuckDB
  engine (the default) and, with ``--polars``, the in-memory engine (GNU ``/usr/bin/time``);
- with ``--r K``, R's ``survey`` (``svyby`` with ``svyratio``) on the same data for K ratio
  indicators by sex: its time per estimated cell against ours, and its whole-process peak
  memory, as DESIGN.md section 6 asks (a peer on the same data, in one run).

On a shared machine wall time includes waiting for a core; CPU time and peak memory do not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
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
BAR_MB = 2048  # issue 10: the table of 10M persons under 2 GB peak


@dataclass(frozen=True)
class Run:
    """One child process: wall and CPU seconds, peak memory in MB, exit code, output."""

    wall: float
    cpu: float
    peak_mb: float
    code: int
    stdout: str
    stderr: str


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` and measure it alone, with ``/usr/bin/time`` (GNU time).

    Not ``os.wait4`` from here: a forked child's peak memory counts the pages it shared with
    this process before ``exec`` (the survey and table already in memory), so it would report
    this process's size, not the command's.
    """
    time_bin = shutil.which("time", path="/usr/bin:/bin")
    if time_bin is None:
        raise SystemExit("GNU time (/usr/bin/time) is needed to measure peak memory.")
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "time.txt"
        t0 = time.perf_counter()
        r = subprocess.run(
            [time_bin, "-f", "%M %U %S", "-o", str(stats), *cmd],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - t0
        last = stats.read_text().strip().splitlines()[-1].split()
    kib, user, system = int(last[0]), float(last[1]), float(last[2])
    return Run(wall, user + system, kib / 1024, r.returncode, r.stdout, r.stderr)


def _cli(path: Path, out: Path, engine: str) -> Run:
    cmd = [
        sys.executable,
        "-c",
        "from socialcover.cli.app import main; main()",
        "survey",
        "indicators",
        str(path),
        "--format",
        "csv",
        "--out",
        str(out),
        "--engine",
        engine,
    ]
    return run_process(cmd, env=dict(os.environ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--polars", action="store_true", help="also run the in-memory engine")
    parser.add_argument("--r", type=int, default=0, help="time R survey on this many ratios")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="socialcover-bench-") as tmp:
        path = Path(tmp) / "survey.parquet"
        t0 = time.perf_counter()
        synthetic_survey(args.persons, seed=args.seed, path=path)
        print(f"generated {args.persons:,} persons in {time.perf_counter() - t0:.2f} s")
        best = _in_process(path, args.repeat)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        engines = ["duckdb", "polars"] if args.polars else ["duckdb"]
        for engine in engines:
            run = _cli(path, Path(tmp) / f"table-{engine}.csv", engine)
            if run.code != 0:
                print(f"whole process ({engine}) failed:", run.stderr[-800:])
                continue
            print(
                f"whole process `socialcover survey indicators` ({engine}): wall {run.wall:.2f} s, "
                f"CPU {run.cpu:.2f} s, peak memory {run.peak_mb:,.0f} MB"
            )
            if engine == "duckdb" and args.persons >= 10_000_000:
                verdict = "met" if run.peak_mb < BAR_MB else "NOT met"
                print(f"bar: 10M persons under {BAR_MB:,} MB peak -> {verdict}")
        if args.r:
            _compare_with_r(path, args.r, best)


def _in_process(path: Path, repeat: int) -> float:
    """Time the table in this process; return the best time per valued cell."""
    times = []
    cpu = []
    table = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        c0 = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SocialcoverWarning)
            table = compute_indicators(path)
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
    print(
        f"in process: best {best:.2f} s, all runs {', '.join(f'{t:.2f}' for t in times)} s; "
        f"CPU time (all threads) best {min(cpu):.2f} s"
    )
    print(f"in process: {best / valued.height * 1000:.2f} ms per cell")
    return best / valued.height


def _compare_with_r(path: Path, k: int, ours_per_cell: float) -> None:
    if shutil.which("Rscript") is None:
        print("R: Rscript not found, no comparison")
        return
    import polars as pl

    codes = R_CODES[:k]
    prepared = prepare_variables(pl.read_parquet(path)).frame
    cols = {"psu", "strata", "weight", "sex"}
    terms = []
    for code in codes:
        ind = get_indicator(code)
        cols |= {ind.numerator_var, ind.denominator_var}
        terms.append((ind.numerator_var, ind.denominator_var))
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "d.csv"
        prepared.select(sorted(cols)).write_csv(csv)
        del prepared
        calls = "\n".join(
            f"invisible(svyby(~{y}, ~sex, des, svyratio, denominator = ~{x}))" for y, x in terms
        )
        script = (
            "suppressMessages(library(survey))\n"
            f"d <- read.csv('{csv}')\n"
            "des <- svydesign(ids = ~psu, strata = ~strata, weights = ~weight, data = d)\n"
            f"t <- system.time({{\n{calls}\n}})[['elapsed']]\n"
            "cat(t)\n"
        )
        r = run_process(["Rscript", "-e", script])
    if r.code != 0:
        print("R failed:", r.stderr[-500:])
        return
    r_time = float(r.stdout.strip())
    r_cells = 2 * len(terms)
    r_per_cell = r_time / r_cells
    print(
        f"R survey {_r_version()}: {len(terms)} ratios by sex ({r_cells} cells) in {r_time:.2f} s"
        f"; whole Rscript process: CPU {r.cpu:.2f} s, peak memory {r.peak_mb:,.0f} MB "
        "(for these few ratios of prepared columns, read from CSV)"
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
    main()
