"""Benchmark: a reform simulated and its impact estimated, with SEs, at census scale.

Runs, on the same synthetic survey (``socialcover.testing.synthetic_survey``, streamed to
Parquet in chunks), the social pension example (``docs/examples/microsim/social_pension.yaml``)
with a reform lowering the pensionable age to 60, and its impact (cost, beneficiaries, FGT
indices, Gini, winners and losers, with design-based SEs; ``--breakdowns`` adds the deciles,
quintiles and groups):

- on this machine, the default engine (the array program reads the columns, DuckDB binds the
  design): ``simulate(rules, path, ...)``;
- through ``spark-submit --master MASTER`` with Spark's default driver memory (1 GB):
  ``simulate(rules, path, ..., engine="spark")``, the product using the submitted session.

Each run is its own process; the peak memory printed is the largest resident set among the
run's processes (for Spark: the driver JVM or the driver's Python, whichever is larger; the
executors are the worker's). The two runs' estimates and SEs must agree to 1e-9. A file whose
simulation would not fit in this machine's memory is refused by the default engine before it is
read (``microsim.too-large``): the refusal is recorded as that run's result.

Usage::

    scripts/spark-cluster start            # prints spark://127.0.0.1:7077
    nice -n 10 .venv/bin/python benchmarks/spark_simulate.py --sizes 10000000 \\
        --master spark://127.0.0.1:7077 --data /tmp/sc-bench
    scripts/spark-cluster stop
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spark_common import REPO, load, persons, run, save, spark_options, spark_submit

JOB = """
import json, sys, time
from socialcover.microsim import MicrosimDataError, simulate
rules, path, engine, out, breakdowns = sys.argv[1:6]
t = time.perf_counter()
try:
    r = simulate(rules, path, period=2025, reform={"parameters": {"social_pension.age": 60}},
                 engine=engine, breakdowns=breakdowns == "1")
except MicrosimDataError as exc:  # a file too large for this machine is refused, not run
    if exc.code != "microsim.too-large":
        raise
    seconds = time.perf_counter() - t
    json.dump({"seconds": seconds, "refused": exc.code, "message": str(exc)}, open(out, "w"))
    sys.exit(0)
seconds = time.perf_counter() - t
rows = r.impact.table.to_dicts()
json.dump({"seconds": seconds, "persons": r.impact.n_persons, "rows": rows}, open(out, "w"))
"""
KEY = ("section", "scenario", "programme", "indicator", "line", "by", "group")


def _same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
    left = {tuple(r[k] for k in KEY): r for r in a}
    right = {tuple(r[k] for k in KEY): r for r in b}
    assert left.keys() == right.keys(), set(left) ^ set(right)
    for key, r in left.items():
        for col in ("estimate", "se"):
            x, y = r[col], right[key][col]
            if x is None or y is None:
                assert x is None and y is None, (key, col)
                continue
            if math.isnan(x) or math.isnan(y):
                assert math.isnan(x) and math.isnan(y), (key, col)
                continue
            assert abs(x - y) <= 1e-9 * (1 + abs(x)), (key, col, x, y)


def main() -> None:
    ap = spark_options(__doc__.splitlines()[0])
    ap.add_argument("--breakdowns", action="store_true")
    ap.add_argument("--save", action="store_true")
    args = ap.parse_args()
    submit, env = spark_submit()
    rules = str(REPO / "docs" / "examples" / "microsim" / "social_pension.yaml")
    job = args.data / "simulate_job.py"
    args.data.mkdir(parents=True, exist_ok=True)
    job.write_text(JOB)
    flag = "1" if args.breakdowns else "0"
    for n in args.sizes:
        path = persons(args.data, n)
        row: dict[str, Any] = {}
        runs: dict[str, list[str]] = {}
        if not args.skip_duckdb:
            runs["local"] = [sys.executable, str(job), rules, str(path), "auto"]
        if args.master:
            runs["spark"] = [str(submit), "--master", args.master, "--name", f"simulate-{n}"]
            runs["spark"] += [str(job), rules, str(path), "spark"]
        for name, cmd in runs.items():
            out = args.data / f"simulate_{name}_{n}.json"
            before = load()
            wall, cpu, peak = run([*cmd, str(out), flag], env)
            row[name] = {**json.loads(out.read_text()), "wall": wall, "cpu": cpu, "peak_mb": peak}
            row[name]["load"] = [before, load()]
            _show(n, name, row[name])
            if args.save:  # after every run: a later one may not finish
                save("spark_simulate", [{"persons": n, name: _summary(row[name])}])
        local, spark = (args.data / f"simulate_{e}_{n}.json" for e in ("local", "spark"))
        if runs and local.exists() and spark.exists():  # this run's or an earlier one's
            a, b = (json.loads(f.read_text()) for f in (local, spark))
            if "rows" in a and "rows" in b:
                _same(a["rows"], b["rows"])
                print(f"{n:>12,} the two runs' estimates and SEs agree to 1e-9")


def _summary(r: dict[str, Any]) -> dict[str, Any]:
    """A run's figures without its estimates (the baseline keeps times, not tables)."""
    if "rows" not in r:
        return r
    return {k: v for k, v in r.items() if k != "rows"} | {"estimates": len(r["rows"])}


def _show(n: int, name: str, r: dict[str, Any]) -> None:
    """One run's figures, printed as soon as it ends (a later run may fail)."""
    if "refused" in r:
        print(f"{n:>12,} {name:<6} refused after {r['seconds']:.1f} s: {r['message']}")
        return
    cost = next(
        x
        for x in r["rows"]
        if x["indicator"] == "cost"
        and x["scenario"] == "change"
        and x["programme"] == "all"
        and x["by"] is None
    )
    print(
        f"{n:>12,} {name:<6} {len(r['rows'])} estimates; cost change "
        f"{cost['estimate']:,.0f} (SE {cost['se']:,.0f})  {r['seconds']:.1f} s in the "
        f"call, {r['wall']:.1f} s whole process ({r['cpu']:.0f} s CPU of the launched "
        f"processes), peak {r['peak_mb']:.0f} MB, load average {r['load'][0]:.1f} -> "
        f"{r['load'][1]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
