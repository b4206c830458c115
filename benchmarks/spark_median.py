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


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``cmd`` under a fresh wrapper; its wall time and its processes' peak RSS (MB)."""
    wrapper = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
    )
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed:\n{proc.stderr[-4000:]}")
    return wall, int(proc.stdout.strip().splitlines()[-1]) / 1024


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
    job = args.data / "median_job.py"
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
        if not args.skip_duckdb:
            out = args.data / "duckdb.json"
            wall, peak = _run([sys.executable, str(job), str(path), "duckdb", str(out)], env)
            row["duckdb"] = {**json.loads(out.read_text()), "wall": wall, "peak_mb": peak}
        if args.master:
            out = args.data / "spark.json"
            cmd = [str(submit), "--master", args.master, "--name", f"median-{n}"]
            cmd += [str(job), str(path), "spark", str(out)]
            wall, peak = _run(cmd, env)
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
