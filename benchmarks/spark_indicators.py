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

import json
import sys
from pathlib import Path
from typing import Any

from spark_common import load, persons, run, save, spark_options, spark_submit

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
    ap = spark_options(__doc__.splitlines()[0])
    ap.add_argument("--save", action="store_true")
    args = ap.parse_args()
    submit, env = spark_submit()
    job = args.data / "indicators_job.py"
    args.data.mkdir(parents=True, exist_ok=True)
    job.write_text(JOB)
    for n in args.sizes:
        path = persons(args.data, n)
        row: dict[str, Any] = {"persons": n}
        runs = {"duckdb": [sys.executable, str(job)]} if not args.skip_duckdb else {}
        if args.master:
            runs["spark"] = [str(submit), "--master", args.master, "--name", f"indicators-{n}"]
            runs["spark"].append(str(job))
        for name, cmd in runs.items():
            out = args.data / f"indicators_{name}_{n}.json"
            before = load()
            wall, cpu, peak = run([*cmd, str(path), name, str(out)], env)
            row[name] = {**json.loads(out.read_text()), "wall": wall, "cpu": cpu, "peak_mb": peak}
            r = row[name]
            r["load"] = [before, load()]
            print(
                f"{n:>12,} {name:<7} {r['cells']} cells  {r['seconds']:.1f} s in the call, "
                f"{wall:.1f} s whole process ({cpu:.0f} s CPU of the launched processes), "
                f"peak {peak:.0f} MB, load average {r['load'][0]:.1f} -> {r['load'][1]:.1f}",
                flush=True,
            )
        d = args.data / f"indicators_duckdb_{n}.json.parquet"
        s = args.data / f"indicators_spark_{n}.json.parquet"
        if runs and d.exists() and s.exists():  # this run's or an earlier one's (same --data)
            row["max_relative_difference"] = _same(d, s)
            print(
                f"{n:>12,} same table (estimates and SEs within "
                f"{row['max_relative_difference']:.1e})"
            )
        if "duckdb" in row and "spark" in row:
            ratio = row["spark"]["wall"] / row["duckdb"]["wall"]
            print(f"{n:>12,} Spark / DuckDB whole-process time {ratio:.2f}")
        if args.save:  # after every size: a later one may not finish
            save("spark_indicators", [row])


if __name__ == "__main__":
    main()
