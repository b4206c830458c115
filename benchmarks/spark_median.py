"""Benchmark: the weighted median of income (with its Woodruff interval) at census scale.

Runs, on the same synthetic survey (``socialcover.testing.synthetic_survey``, streamed to
Parquet in chunks, so generating 50 million persons needs little memory):

- DuckDB on this machine (``Sample(path, design).quantile("welfare", 0.5)``);
- Spark through ``spark-submit --master MASTER`` with Spark's default driver memory (1 GB):
  the same call, the product using the submitted session.

Each run is its own process; the peak memory printed is the largest resident set among the
run's processes (for Spark: the driver JVM or the driver's Python, whichever is larger; the
executors are the worker's). The two medians and intervals must agree.

Usage::

    scripts/spark-cluster start            # prints spark://127.0.0.1:7077
    .venv/bin/python benchmarks/spark_median.py --sizes 10000000 50000000 \\
        --master spark://127.0.0.1:7077 --data /tmp/sc-bench
    scripts/spark-cluster stop

Results go to ``benchmarks/baselines/spark_median.json`` with ``--save``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from typing import Any

from spark_common import REPO, persons, run, spark_options, spark_submit

JOB = """
import json, sys, time
from socialcover.survey import Design, Sample
path, backend, out = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
s = Sample(path, Design(weights="weight", strata="strata", psu="psu"), backend=backend)
m = s.quantile("welfare", 0.5).to_polars()
seconds = time.perf_counter() - t
row = {k: m[k][0] for k in ("estimate", "se", "ci_low", "ci_high")}
json.dump({"seconds": seconds, "rows": s.n_rows, **row}, open(out, "w"))
"""


def main() -> None:
    ap = spark_options(__doc__.splitlines()[0])
    ap.add_argument("--save", action="store_true")
    args = ap.parse_args()
    submit, env = spark_submit()
    job = args.data / "median_job.py"
    args.data.mkdir(parents=True, exist_ok=True)
    job.write_text(JOB)
    results: list[dict[str, Any]] = []
    for n in args.sizes:
        path = persons(args.data, n)
        row: dict[str, Any] = {"persons": n}
        if not args.skip_duckdb:
            out = args.data / "duckdb.json"
            wall, _cpu, peak = run([sys.executable, str(job), str(path), "duckdb", str(out)], env)
            row["duckdb"] = {**json.loads(out.read_text()), "wall": wall, "peak_mb": peak}
        if args.master:
            out = args.data / "spark.json"
            cmd = [str(submit), "--master", args.master, "--name", f"median-{n}"]
            cmd += [str(job), str(path), "spark", str(out)]
            wall, _cpu, peak = run(cmd, env)
            row["spark"] = {**json.loads(out.read_text()), "wall": wall, "peak_mb": peak}
        if "duckdb" in row and "spark" in row:
            for k in ("estimate", "ci_low", "ci_high"):
                assert row["duckdb"][k] == row["spark"][k], (k, row)
        for name in ("duckdb", "spark"):
            if name in row:
                r = row[name]
                print(
                    f"{n:>12,} {name:<7} median {r['estimate']:.2f} "
                    f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]  {r['seconds']:.1f} s in the "
                    f"call, {r['wall']:.1f} s whole process, peak {r['peak_mb']:.0f} MB"
                )
        results.append(row)
    if args.save:
        out = REPO / "benchmarks" / "baselines" / "spark_median.json"
        machine = {"cpus": os.cpu_count(), "platform": platform.platform()}
        out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
