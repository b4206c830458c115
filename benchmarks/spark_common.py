"""What the Spark benchmarks share: their options, the synthetic persons, spark-submit's
environment, and a runner that measures a whole process (wall time, CPU, peak memory)."""

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


def spark_options(description: str) -> argparse.ArgumentParser:
    """The options every Spark benchmark takes (a script adds its own)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000_000])
    ap.add_argument("--master", default=os.environ.get("SPARK_MASTER_URL", ""))
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sc-bench")
    ap.add_argument("--skip-duckdb", action="store_true")
    return ap


def spark_submit() -> tuple[Path, dict[str, str]]:
    """pyspark's ``spark-submit`` and an environment in which it runs this checkout."""
    import pyspark

    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    return Path(pyspark.__file__).parent / "bin" / "spark-submit", env


def persons(data: Path, n: int) -> Path:
    """The synthetic survey of ``n`` persons under ``data``, generated in bounded memory once."""
    from socialcover.testing import synthetic_survey

    data.mkdir(parents=True, exist_ok=True)
    path = data / f"persons_{n}.parquet"
    if not path.exists():
        t = time.perf_counter()
        synthetic_survey(n, seed=1, path=path, chunk_persons=500_000)
        print(f"generated {n:,} persons in {time.perf_counter() - t:.0f} s -> {path}")
    return path


def load() -> float:
    """The 1-minute load average (``uptime``'s first figure): the machine is shared."""
    return os.getloadavg()[0]


def save(name: str, rows: list[dict[str, Any]]) -> Path:
    """Merge ``rows`` (one per size, each with a run per engine) into
    ``benchmarks/baselines/NAME.json``: a run replaces the same size and engine's earlier one,
    so the engines and sizes can be measured in separate invocations."""
    out = REPO / "benchmarks" / "baselines" / f"{name}.json"
    old = json.loads(out.read_text())["results"] if out.exists() else []
    by_size = {r["persons"]: r for r in old}
    for row in rows:
        by_size.setdefault(row["persons"], {}).update(row)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform()}
    results = [by_size[n] for n in sorted(by_size)]
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    return out


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
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
