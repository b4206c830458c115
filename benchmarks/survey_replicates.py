"""Benchmark: means and proportions by domain with hundreds of replicate-weight columns.

For each size (rows x replicates; by default 10k, 100k and 1M rows with 200 and 500
replicates), writes a synthetic Parquet file (JK1 replicate weights shipped as columns, one
PSU dropped per replicate, a domain column with 10 levels), then in a fresh process opens it
with ``Sample(path, ReplicateDesign.from_columns(...))`` and times a mean by domain and a
proportion by domain (whose interval needs each domain's df: the rank of its replicate
weights, R's ``degf``). Prints in-process times (wall and CPU of the process's threads) and
the whole process's CPU time; the load average is printed with each size, since the
machine may be shared.

Usage::

    .venv/bin/python benchmarks/survey_replicates.py
    .venv/bin/python benchmarks/survey_replicates.py --rows 10000 100000 --reps 200 --save

Results go to ``benchmarks/baselines/survey_replicates.json`` with ``--save``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np

CHUNK = 50_000  # rows written at a time: 1M rows x 500 replicates never sit in memory at once


def write_data(path: Path, rows: int, reps: int, seed: int = 20251206) -> None:
    """``rows`` persons in ``reps`` PSUs, JK1 replicate weights as columns r0..r{reps-1}."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    writer = None
    try:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            psu = rng.integers(0, reps, n)
            w = rng.uniform(1.0, 3.0, n)
            cols: dict[str, Any] = {
                "y": rng.normal(10.0, 3.0, n),
                "g": rng.integers(0, 10, n).astype(np.int32),
                "w": w,
            }
            factor = reps / (reps - 1)
            for j in range(reps):
                cols[f"r{j}"] = np.where(psu == j, 0.0, w * factor)
            table = pa.table(cols)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


CHILD = textwrap.dedent(
    """
    import json, sys, time
    from socialcover.survey import ReplicateDesign, Sample
    path, reps = sys.argv[1], int(sys.argv[2])

    def clock():
        return time.perf_counter(), time.process_time()

    w0, c0 = clock()
    s = Sample(path, ReplicateDesign.from_columns("w", [f"r{j}" for j in range(reps)],
                                                  type="JK1"))
    w1, c1 = clock()
    m = s.mean("y", by="g")
    w2, c2 = clock()
    p = s.proportion("y > 10", by="g")
    w3, c3 = clock()
    print(json.dumps({"design_s": w1 - w0, "mean_s": w2 - w1, "mean_cpu_s": c2 - c1,
                      "proportion_s": w3 - w2, "proportion_cpu_s": c3 - c2,
                      "domains": len(m), "df": sorted(set(p.df.tolist()))}))
    """
)


def run_child(path: Path, reps: int) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(reps)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode:
        sys.exit(f"failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}")
    res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    res["process_wall_s"] = wall
    res["process_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--reps", type=int, nargs="+", default=[200, 500])
    ap.add_argument("--save", action="store_true", help="write benchmarks/baselines/*.json")
    args = ap.parse_args()
    results = []
    for rows in args.rows:
        for reps in args.reps:
            with tempfile.TemporaryDirectory(prefix="sc-bench-rep-") as tmp:
                path = Path(tmp) / "d.parquet"
                write_data(path, rows, reps)
                load = os.getloadavg()[0]
                res = run_child(path, reps)
            res.update(rows=rows, replicates=reps, load_average=load)
            results.append(res)
            print(
                f"{rows:>9,} rows x {reps} replicates (load {load:4.1f}): "
                f"mean by g {res['mean_s']:6.2f} s ({res['mean_cpu_s']:6.2f} s CPU), "
                f"proportion by g {res['proportion_s']:6.2f} s ({res['proportion_cpu_s']:6.2f} s "
                f"CPU), whole process {res['process_cpu_s']:6.2f} s CPU; df {res['df']}",
                flush=True,
            )
    if args.save:
        out = Path(__file__).parent / "baselines" / "survey_replicates.json"
        doc = {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "results": results,
        }
        out.write_text(json.dumps(doc, indent=2) + "\n")
        print(f"saved {out}")


if __name__ == "__main__":
    main()
