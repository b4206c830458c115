"""Benchmark: a mean over thousands of small domains (district-level estimation).

Runs, on the same synthetic data (by default 50,000 rows with weights only, and a mean by
three variables giving 6,755 domains), ``socialcover.survey`` (``Sample(path, design)`` on the
Parquet file, as a user would, then ``Sample.mean(by=[...])`` and the result as plain lists
with ``Estimate.to_dict()``, as for writing CSV or JSON: Polars is never imported) and
R's ``survey`` (``svyby(~y, ~a+b+c, design, svymean)``, live through Rscript), each in its own
process, checks that estimates and SEs agree to 1e-9 (relative), and prints the times and
the ratios (estimation alone, and the whole process: start-up, reading, design, estimate).

Usage::

    .venv/bin/python benchmarks/survey_many_domains.py
    .venv/bin/python benchmarks/survey_many_domains.py --rows 50000 --domains 6755 --save

Results go to ``benchmarks/baselines/survey_many_domains.json`` with ``--save``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl


def make_data(rows: int, domains: int, seed: int = 20251205) -> pl.DataFrame:
    """``rows`` persons spread over ``domains`` level combinations of a, b, c (all present)."""
    rng = np.random.default_rng(seed)
    d = np.concatenate([np.arange(domains), rng.integers(0, domains, rows - domains)])
    return pl.DataFrame(
        {
            "a": (d // 400).astype(np.int32),
            "b": ((d // 20) % 20).astype(np.int32),
            "c": (d % 20).astype(np.int32),
            "w": rng.uniform(1.0, 5.0, rows),
            "y": rng.normal(10.0, 3.0, rows) + (d % 7),
        }
    )


SOCIALCOVER = textwrap.dedent(
    """
    import json, sys, time
    from socialcover.survey import Design, Sample
    t0 = time.perf_counter()
    s = Sample(sys.argv[1], Design(weights="w"))  # the Parquet path, read by DuckDB
    t1 = time.perf_counter()
    # plain lists, as a user writing the results to CSV or JSON takes them (no Polars)
    est = s.mean("y", by=["a", "b", "c"]).to_dict()
    order = sorted(range(len(est["a"])), key=lambda i: (est["a"][i], est["b"][i], est["c"][i]))
    t2 = time.perf_counter()
    with open("/proc/self/status") as fh:  # VmHWM: this process's own peak memory
        peak = [int(x.split()[1]) / 1024 for x in fh if x.startswith("VmHWM:")]
    print(json.dumps({"design_s": t1 - t0, "estimate_s": t2 - t1, "domains": len(order),
                      "estimates": [est["estimate"][i] for i in order],
                      "se": [est["se"][i] for i in order],
                      "polars_imported": "polars" in sys.modules,
                      "peak_rss_mb": peak[0] if peak else None}))
    """
)


R_SCRIPT = textwrap.dedent(
    """
    suppressMessages(library(survey))
    args <- commandArgs(trailingOnly = TRUE)
    df <- read.csv(args[1])
    t0 <- proc.time()[["elapsed"]]
    d <- svydesign(ids = ~1, weights = ~w, data = df)
    t1 <- proc.time()[["elapsed"]]
    b <- svyby(~y, ~a + b + c, d, svymean)
    t2 <- proc.time()[["elapsed"]]
    b <- b[order(b$a, b$b, b$c), ]
    fmt <- function(x) paste(sprintf("%.17g", x), collapse = ",")
    cat(sprintf(paste0('{"design_s": %.6f, "estimate_s": %.6f, "version": "%s", ',
                       '"domains": %d, "estimates": [%s], "se": [%s]}\\n'),
        t1 - t0, t2 - t1, as.character(packageVersion("survey")), nrow(b),
        fmt(coef(b)), fmt(SE(b))))
    """
)


def run(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one tool in its own process; its last stdout line is JSON.

    Records the process's wall time and its CPU time (user + system, from the children's
    resource usage): on a machine shared with other work the CPU time is the steadier figure.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if out.returncode:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    res["process_wall_s"] = wall
    res["process_cpu_s"] = cpu
    return res


def run_r(cmd: list[str]) -> dict[str, Any]:
    """Run R under GNU time to read its peak memory (when /usr/bin/time is there)."""
    if not Path("/usr/bin/time").exists():
        return run(cmd)
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as tf:
        res = run(["/usr/bin/time", "-f", "%M", "-o", tf.name, *cmd])
        lines = Path(tf.name).read_text().strip().splitlines()
        if lines and lines[-1].isdigit():
            res["peak_rss_mb"] = int(lines[-1]) / 1024
        return res


def rel_diff(a: list[float], b: list[float], floor: Any = 0.0) -> float:
    """Largest relative difference, on a scale of at least ``floor``.

    SEs of one-row domains are 0 in exact arithmetic and rounding noise (~1e-16) in R and
    here: they are compared on the scale of the estimate (``floor``), as the parity tests do.
    """
    x, y = np.array(a, dtype=float), np.array(b, dtype=float)
    scale = np.maximum(np.maximum(np.abs(x), np.abs(y)), floor)
    diff = np.where(scale > 0, np.abs(x - y) / np.where(scale > 0, scale, 1.0), 0.0)
    return float(diff.max()) if diff.size else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--domains", type=int, default=6_755)
    ap.add_argument("--save", action="store_true", help="write benchmarks/baselines/*.json")
    args = ap.parse_args()
    if shutil.which("Rscript") is None:
        sys.exit("Rscript not found: this benchmark compares with R's survey (r-cran-survey)")
    with tempfile.TemporaryDirectory(prefix="sc-bench-") as tmp:
        df = make_data(args.rows, args.domains)
        pq = Path(tmp) / "d.parquet"
        csv = Path(tmp) / "d.csv"
        df.write_parquet(pq)
        df.write_csv(csv, float_precision=17)
        rfile = Path(tmp) / "bench.R"
        rfile.write_text(R_SCRIPT)
        # Python compiles a module's source on every import when it may not write bytecode
        # (PYTHONDONTWRITEBYTECODE, as on the development machine); an installed package has
        # its bytecode (pip compiles at install, as R byte-compiles its packages). A first,
        # untimed run writes it to a cache of its own; the second run is timed.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        run([sys.executable, "-c", SOCIALCOVER, str(pq)], env)
        sc = run([sys.executable, "-c", SOCIALCOVER, str(pq)], env)
        r = run_r(["Rscript", str(rfile), str(csv)])
    print(f"== {args.rows:,} rows, {args.domains:,} domains (mean by a x b x c, weights only)")
    for name, res in (("socialcover", sc), ("R survey svyby", r)):
        if "error" in res:
            sys.exit(f"{name} failed: {res['error']}")
        print(
            f"  {name:<16} design {res['design_s']:8.3f} s   estimate {res['estimate_s']:8.3f} s"
            f"   process {res['process_wall_s']:7.2f} s wall, {res['process_cpu_s']:7.2f} s CPU"
            f"   domains {res['domains']}   peak {res.get('peak_rss_mb') or 0:.0f} MB"
        )
    de = rel_diff(r["estimates"], sc["estimates"])
    ds = rel_diff(r["se"], sc["se"], floor=np.abs(np.array(sc["estimates"])))
    ratio_est = r["estimate_s"] / sc["estimate_s"]
    ratio_proc = r["process_wall_s"] / sc["process_wall_s"]
    ratio_cpu = r["process_cpu_s"] / sc["process_cpu_s"]
    print(
        f"  R / socialcover: estimate x{ratio_est:,.0f}, whole process x{ratio_proc:,.1f} "
        f"(wall), x{ratio_cpu:,.1f} (CPU)"
    )
    print(f"  agreement with R: max relative estimate diff {de:.1e}, SE diff {ds:.1e}")
    if max(de, ds) > 1e-9:
        sys.exit("socialcover and R disagree beyond 1e-9")
    if args.save:
        out = Path(__file__).parent / "baselines" / "survey_many_domains.json"
        res = {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "rows": args.rows,
            "domains": args.domains,
            "socialcover": {k: v for k, v in sc.items() if k not in ("estimates", "se")},
            "r": {k: v for k, v in r.items() if k not in ("estimates", "se")},
            "ratio_estimate": ratio_est,
            "ratio_whole_process": ratio_proc,
            "ratio_whole_process_cpu": ratio_cpu,
            "max_rel_diff_estimate": de,
            "max_rel_diff_se": ds,
        }
        out.write_text(json.dumps(res, indent=2) + "\n")
        print(f"saved {out}")


if __name__ == "__main__":
    main()
