"""Benchmark: a domain proportion by sex x urban with linearised SEs.

Runs, on the same synthetic survey (50 strata x 20 PSUs, weights varying by PSU and person),
``socialcover.survey``, R's ``survey`` (``svyby(~y, ~sex+urban, design, svymean)``, live
through Rscript) and ``svy`` (PyPI, ``Sample.estimation.prop(..., by=...)``), checks that the
three agree, and prints the times and the ratios. Each tool runs in its own process so its
peak memory (max RSS) is its own.

Usage::

    .venv/bin/python benchmarks/survey_domain.py --sizes 1000000 10000000
    .venv/bin/python benchmarks/survey_domain.py --sizes 1000000 --skip-r
    .venv/bin/python benchmarks/survey_domain.py --svy-python /tmp/svyvenv/bin/python

``svy`` is looked for in ``--svy-python`` (default: this interpreter); when it is not
importable the benchmark says so and skips it. Results go to
``benchmarks/baselines/survey_domain.json`` with ``--save``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
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

N_STRATA = 50
PSU_PER_STRATUM = 20


def make_survey(n: int, seed: int = 20251127) -> pl.DataFrame:
    """A stratified two-stage survey of ``n`` persons (NumPy, seeded)."""
    rng = np.random.default_rng(seed)
    n_psu = N_STRATA * PSU_PER_STRATUM
    psu_size = rng.gamma(4.0, 1.0, n_psu)
    psu = rng.choice(n_psu, size=n, p=psu_size / psu_size.sum()).astype(np.int32)
    stratum = (psu // PSU_PER_STRATUM).astype(np.int32)
    urban_psu = (rng.random(n_psu) < 0.45).astype(np.int32)
    urban = urban_psu[psu]
    sex = (rng.random(n) < 0.51).astype(np.int32) + 1
    psu_effect = rng.normal(0.0, 0.6, n_psu)[psu]
    logit = -0.8 + 0.5 * urban - 0.3 * (sex == 2) + psu_effect
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int32)
    w = rng.gamma(2.0, 1.0, n_psu)[psu] * 100 * rng.uniform(0.8, 1.25, n)
    return pl.DataFrame(
        {"stratum": stratum, "psu": psu, "w": w, "sex": sex, "urban": urban, "y": y}
    )


SOCIALCOVER = textwrap.dedent(
    """
    import json, resource, sys, time
    def peak_mb():  # VmHWM: ru_maxrss keeps the high-water mark of the benchmark that forked us
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    import polars as pl
    from socialcover.survey import Design, Sample
    path, mode = sys.argv[1], sys.argv[2]
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = pl.read_parquet(path) if mode == "memory" else path
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    s = Sample(data, Design(weights="w", strata="stratum", psu="psu"))
    t_design = time.perf_counter() - t0
    times = []
    for _ in range(1):  # one estimate, as R and svy: the whole process is compared
        t0 = time.perf_counter()
        est = s.proportion("y", by=["sex", "urban"])
        times.append(time.perf_counter() - t0)
    out = est.to_polars().sort(["sex", "urban"])
    print(json.dumps({
        "load_s": t_load, "design_s": t_design, "estimate_s": min(times), "estimate_all_s": times,
        "estimates": out["estimate"].to_list(), "se": out["se"].to_list(),
        "peak_rss_mb": peak_mb(),
    }))
    """
)

SVY = textwrap.dedent(
    """
    import json, resource, sys, time
    def peak_mb():  # VmHWM: ru_maxrss keeps the high-water mark of the benchmark that forked us
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import polars as pl
    import svy
    data = pl.read_parquet(sys.argv[1])
    t0 = time.perf_counter()
    s = svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="w", wr=True))
    t_design = time.perf_counter() - t0
    t0 = time.perf_counter()
    est = s.estimation.prop("y", by=("sex", "urban"))
    t_est = time.perf_counter() - t0
    df = est.to_polars() if hasattr(est, "to_polars") else None
    print(json.dumps({
        "design_s": t_design, "estimate_s": t_est, "version": svy.__version__,
        "table": df.cast(pl.String).to_dicts() if df is not None else None,
        "peak_rss_mb": peak_mb(),
    }))
    """
)

R_SCRIPT = textwrap.dedent(
    """
    suppressMessages(library(survey))
    args <- commandArgs(trailingOnly = TRUE)
    dir <- args[1]; n <- as.integer(args[2])
    rd <- function(f, what, size) { con <- file(file.path(dir, f), "rb");
      on.exit(close(con)); readBin(con, what, n = n, size = size) }
    df <- data.frame(stratum = rd("stratum.bin", "integer", 4), psu = rd("psu.bin", "integer", 4),
                     w = rd("w.bin", "double", 8), sex = rd("sex.bin", "integer", 4),
                     urban = rd("urban.bin", "integer", 4), y = rd("y.bin", "integer", 4))
    t0 <- proc.time()[["elapsed"]]
    d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = df)
    t1 <- proc.time()[["elapsed"]]
    b <- svyby(~y, ~sex + urban, d, svymean)
    t2 <- proc.time()[["elapsed"]]
    b <- b[order(b$sex, b$urban), ]
    fmt <- function(x) paste(sprintf("%.17g", x), collapse = ",")
    cat(sprintf(paste0('{"design_s": %.6f, "estimate_s": %.6f, "version": "%s", ',
                       '"estimates": [%s], "se": [%s]}\\n'),
        t1 - t0, t2 - t1, as.character(packageVersion("survey")), fmt(coef(b)), fmt(SE(b))))
    """
)


def run(cmd: list[str]) -> dict[str, Any]:
    """Run one tool in its own process; its last stdout line is JSON.

    Records the whole process's wall time and CPU time (user + system, from the children's
    resource usage): on a machine shared with other work the CPU time is the steadier figure.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    res["process_wall_s"] = wall
    res["process_cpu_s"] = cpu
    return res


def peak_rss_of(cmd: list[str]) -> dict[str, Any]:
    """Run R under /usr/bin/time to read its peak memory."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if Path(gnu_time).exists():
        with tempfile.NamedTemporaryFile("r", suffix=".txt") as tf:
            res = run([gnu_time, "-f", "%M", "-o", tf.name, *cmd])
            with contextlib.suppress(ValueError, IndexError):
                res["peak_rss_mb"] = int(Path(tf.name).read_text().strip().splitlines()[-1]) / 1024
            return res
    return run(cmd)


def svy_available(python: str) -> bool:
    ok = subprocess.run([python, "-c", "import svy"], capture_output=True, check=False)
    return ok.returncode == 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--skip-r", action="store_true")
    ap.add_argument("--r-max", type=int, default=10_000_000, help="largest size run in R")
    ap.add_argument("--skip-svy", action="store_true")
    ap.add_argument("--svy-python", default=sys.executable)
    ap.add_argument("--save", action="store_true", help="write benchmarks/baselines/*.json")
    args = ap.parse_args()
    have_r = shutil.which("Rscript") is not None and not args.skip_r
    have_svy = not args.skip_svy and svy_available(args.svy_python)
    if not args.skip_svy and not have_svy:
        print(f"svy is not importable by {args.svy_python}: pip install svy (skipped)")
    if not have_r and not args.skip_r:
        print("Rscript not found: R survey skipped")
    results: dict[str, Any] = {
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
        "runs": [],
    }
    with tempfile.TemporaryDirectory(prefix="sc-bench-") as tmp:
        for n in args.sizes:
            t0 = time.perf_counter()
            df = make_survey(n)
            path = Path(tmp) / f"survey_{n}.parquet"
            df.write_parquet(path)
            gen = time.perf_counter() - t0
            print(
                f"\n== {n:,} persons, {N_STRATA} strata x {PSU_PER_STRATUM} PSUs "
                f"(generated in {gen:.1f} s)"
            )
            row: dict[str, Any] = {"n": n}
            row["socialcover"] = run([sys.executable, "-c", SOCIALCOVER, str(path), "memory"])
            row["socialcover_parquet"] = run(
                [sys.executable, "-c", SOCIALCOVER, str(path), "parquet"]
            )
            if have_svy:
                row["svy"] = run([args.svy_python, "-c", SVY, str(path)])
            if have_r and n <= args.r_max:
                bindir = Path(tmp) / f"bin_{n}"
                bindir.mkdir()
                for col in df.columns:
                    df[col].to_numpy().tofile(bindir / f"{col}.bin")
                rfile = Path(tmp) / "bench.R"
                rfile.write_text(R_SCRIPT)
                row["r"] = peak_rss_of(["Rscript", str(rfile), str(bindir), str(n)])
            del df
            report(row)
            results["runs"].append(row)
    if args.save:
        out = Path(__file__).parent / "baselines" / "survey_domain.json"
        out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nsaved {out}")


def report(row: dict[str, Any]) -> None:
    sc = row["socialcover"]
    if "error" in sc:
        print("socialcover failed:", sc["error"])
        return

    def line(name: str, r: dict[str, Any]) -> None:
        if "error" in r:
            print(f"  {name:<22} failed: {r['error']}")
            return
        mem = f"{r['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in r else "?"
        print(
            f"  {name:<22} design {r['design_s']:8.3f} s   estimate {r['estimate_s']:8.3f} s"
            f"   process {r['process_wall_s']:7.2f} s wall {r['process_cpu_s']:7.2f} s CPU"
            f"   peak {mem}"
        )

    line("socialcover (memory)", sc)
    line("socialcover (parquet)", row["socialcover_parquet"])
    for name in ("r", "svy"):
        if name in row:
            line({"r": "R survey", "svy": "svy"}[name], row[name])
    base = sc["estimate_s"]
    base_total = sc["estimate_s"] + sc["design_s"]
    for name in ("r", "svy"):
        r = row.get(name)
        if r and "error" not in r:
            print(
                f"  {name:>4} / socialcover: estimate x{r['estimate_s'] / base:,.0f}, "
                f"design+estimate x{(r['estimate_s'] + r['design_s']) / base_total:,.1f}, "
                f"whole process x{r['process_wall_s'] / sc['process_wall_s']:,.1f} (wall) "
                f"x{r['process_cpu_s'] / sc['process_cpu_s']:,.1f} (CPU)"
            )
    r = row.get("r")
    if r and "estimates" in r:
        de = np.max(np.abs(np.array(r["estimates"]) - np.array(sc["estimates"])))
        ds = np.max(np.abs(np.array(r["se"]) / np.array(sc["se"]) - 1))
        print(f"  agreement with R: max |estimate diff| {de:.2e}, max relative SE diff {ds:.2e}")


if __name__ == "__main__":
    main()
