"""Benchmark: the SDG 1.3.1 / ASPIRE indicator table at census scale, DuckDB and Spark.

Runs, on the same synthetic survey (``socialcover.testing.synthetic_survey``, streamed to
Parquet in chunks, so generating 50 million persons needs little memory):

- DuckDB on this machine (``compute_indicators(path)``, the bounded engine);
- Spark through ``spark-submit --master MASTER`` with Spark's default driver memory (1 GB):
  ``compute_indicators(path, engine="spark")``, the product using the submitted session and
  Spark reading the file itself.

Each run is its own process; the peak memory printed is the largest resident set among the
run's processes (for Spark: the driver JVM or the driver's Python, whichever is larger; the
executors are the worker's). The two tables must agree (estimates and SEs to 1e-9).

Usage::

    scripts/spark-cluster start            # prints spark://127.0.0.1:7077
    nice -n 10 .venv/bin/python benchmarks/spark_indicators.py --sizes 10000000 \\
        --master spark://127.0.0.1:7077 --data /tmp/sc-bench
    scripts/spark-cluster stop

Results go to ``benchmarks/baselines/spark_indicators.json`` with ``--save``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

JOB = """
import json, sys, time, warnings
from socialcover.indicators import compute_indicators
path, engine, out = sys.argv[1], sys.argv[2], sys.argv[3]
warnings.simplefilter("ignore")
t = time.perf_counter()
table = compute_indicators(path, engine=engine)
seconds = time.perf_counter() - t
table.frame.write_parquet(out + ".parquet")
json.dump({"seconds": seconds, "cells": table.frame.height}, open(out, "w"))
"""


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run ``cmd`` under a fresh wrapper: wall time, CPU time (s) and peak RSS (MB) of its
    processes (the largest resident set among them)."""
    wrapper = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(u.ru_utime + u.ru_stime, u.ru_maxrss); sys.exit(r.returncode)"
    )
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{proc.stderr[-4000:]}")
    cpu, peak = proc.stdout.strip().splitlines()[-1].split()
    return wall, float(cpu), int(peak) / 1024


def _same(a_path: Path, b_path: Path) -> float:
    """The largest relative difference of estimates and SEs between two tables (they must
    have the same cells, counts and flags)."""
    import numpy as np
    import polars as pl

    a, b = pl.read_parquet(a_path), pl.read_parquet(b_path)
    keys = ["code", "disaggregation", "group", "category", "n", "flag"]
    assert a.select(keys).equals(b.select(keys)), "the two tables have different cells"
    worst = 0.0
    for col in ("value", "se"):
        x = a[col].fill_null(np.nan).to_numpy()
        y = b[col].fill_null(np.nan).to_numpy()
        ok = ~np.isnan(x)
        assert (np.isnan(y) == ~ok).all(), col
        rel = np.abs(x[ok] - y[ok]) / np.maximum(np.abs(x[ok]), 1e-300)
        worst = max(worst, float(rel.max(initial=0.0)))
    assert worst < 1e-9, worst
    return worst


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000_000])
    ap.add_argument("--master", default=os.environ.get("SPARK_MASTER_URL", ""))
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sc-bench")
    ap.add_argument("--skip-duckdb", action="store_true")
    ap.add_argument("--save", action="store_true")
    args = ap.parse_args()
    import pyspark

    from socialcover.testing import synthetic_survey

    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    job = args.data / "indicators_job.py"
    args.data.mkdir(parents=True, exist_ok=True)
    job.write_text(JOB)
    results: list[dict[str, Any]] = []
    for n in args.sizes:
        path = args.data / f"persons_{n}.parquet"
        if not path.exists():
            t = time.perf_counter()
            synthetic_survey(n, seed=1, path=path, chunk_persons=500_000)
            print(f"generated {n:,} persons in {time.perf_counter() - t:.0f} s -> {path}")
        row: dict[str, Any] = {"persons": n}
        runs = {"duckdb": [sys.executable, str(job)]} if not args.skip_duckdb else {}
        if args.master:
            runs["spark"] = [str(submit), "--master", args.master, "--name", f"indicators-{n}"]
            runs["spark"].append(str(job))
        for name, cmd in runs.items():
            out = args.data / f"indicators_{name}_{n}.json"
            wall, cpu, peak = _run([*cmd, str(path), name, str(out)], env)
            row[name] = {**json.loads(out.read_text()), "wall": wall, "cpu": cpu, "peak_mb": peak}
            r = row[name]
            print(
                f"{n:>12,} {name:<7} {r['cells']} cells  {r['seconds']:.1f} s in the call, "
                f"{wall:.1f} s whole process ({cpu:.0f} s CPU of the launched processes), "
                f"peak {peak:.0f} MB",
                flush=True,
            )
        if "duckdb" in row and "spark" in row:
            d = args.data / f"indicators_duckdb_{n}.json.parquet"
            s = args.data / f"indicators_spark_{n}.json.parquet"
            row["max_relative_difference"] = _same(d, s)
            ratio = row["spark"]["wall"] / row["duckdb"]["wall"]
            row["spark_over_duckdb_wall"] = ratio
            print(
                f"{n:>12,} same table (estimates and SEs within "
                f"{row['max_relative_difference']:.1e}); Spark / DuckDB whole-process time "
                f"{ratio:.2f}, peak memory {row['spark']['peak_mb'] / row['duckdb']['peak_mb']:.2f}"
            )
        results.append(row)
    if args.save:
        out = REPO / "benchmarks" / "baselines" / "spark_indicators.json"
        machine = {"cpus": os.cpu_count(), "platform": platform.platform()}
        out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
