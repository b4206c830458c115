"""Benchmark: installing the full data pack vs the nearest peer (pandas read_csv + to_parquet).

    .venv/bin/python benchmarks/data_import.py [PACK] [--repeat N] [--save]

PACK defaults to ../shared/data. Each run happens in a fresh subprocess, so the peak resident
memory (``ru_maxrss`` of the child) belongs to that run alone. socialcover does more than the
peer: it checksums every file, checks gzip integrity, schema, keys, signs, ranges, units and
country codes, writes manifests and swaps the live version atomically. The peer only converts
(pandas with ``keep_default_na=False, na_values=[""]``, as SOURCES.md advises, and pyarrow).
``--save`` writes the result to benchmarks/baselines/data_import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PACK = HERE.parent.parent / "shared" / "data"

SOCIALCOVER = """
import sys, time
from pathlib import Path
from socialcover.data.pack import install_pack
t = time.perf_counter()
report = install_pack(Path(sys.argv[1]))
assert report.changed
print(time.perf_counter() - t, report.rows)
"""

PANDAS = """
import sys, time
from pathlib import Path
import pandas as pd
from socialcover.data.catalog import DATASETS
src, out = Path(sys.argv[1]), Path(sys.argv[2])
t = time.perf_counter()
rows = 0
for spec in DATASETS:
    df = pd.read_csv(src / spec.path, keep_default_na=False, na_values=[""], low_memory=False)
    df.to_parquet(out / f"{spec.id}.parquet", engine="pyarrow", index=False)
    rows += len(df)
print(time.perf_counter() - t, rows)
"""


def _run(code: str, *args: str, home: str) -> tuple[float, int]:
    """(seconds, rows) of ``code`` run in a fresh interpreter."""
    env = dict(os.environ, SOCIALCOVER_HOME=home)
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    seconds, rows = out.stdout.split()
    return float(seconds), int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", nargs="?", type=Path, default=DEFAULT_PACK)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()
    pack = args.pack.resolve()
    ours, peer = [], []
    ours_rss = peer_rss = 0.0
    rows = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as home:
            s, rows = _run(PANDAS, str(pack), home, home=home)
            peer.append(s)
        with tempfile.TemporaryDirectory() as home:
            s, rows = _run(SOCIALCOVER, str(pack), home=home)
            ours.append(s)
    # Peak memory: one clean grandchild each (ru_maxrss of children is a running maximum).
    for code, extra in ((PANDAS, True), (SOCIALCOVER, False)):
        with tempfile.TemporaryDirectory() as home:
            argv = [str(pack), home] if extra else [str(pack)]
            rss = _peak(code, argv, home)
        if extra:
            peer_rss = rss
        else:
            ours_rss = rss
    result = {
        "pack": str(pack),
        "rows": rows,
        "socialcover_install_s": round(statistics.median(ours), 3),
        "pandas_convert_s": round(statistics.median(peer), 3),
        "ratio_time": round(statistics.median(ours) / statistics.median(peer), 2),
        "socialcover_peak_rss_mib": round(ours_rss, 1),
        "pandas_peak_rss_mib": round(peer_rss, 1),
        "ratio_rss": round(ours_rss / peer_rss, 2),
        "repeat": args.repeat,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
    }
    print(f"rows installed:           {rows:,}")
    print(
        f"socialcover data import:  {result['socialcover_install_s']:.2f} s (median of "
        f"{args.repeat}), peak RSS {ours_rss:.0f} MiB"
    )
    print(
        f"pandas read_csv+parquet:  {result['pandas_convert_s']:.2f} s, peak RSS {peer_rss:.0f} MiB"
    )
    print(
        f"ratio (socialcover / pandas): time {result['ratio_time']}x, memory {result['ratio_rss']}x"
    )
    if args.save:
        out = HERE / "baselines" / "data_import.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"saved {out}")


def _peak(code: str, argv: list[str], home: str) -> float:
    """Peak RSS (MiB) of one run, measured by a wrapper child that waits for its own child."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    env = dict(os.environ, SOCIALCOVER_HOME=home)
    out = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return int(out.stdout.split()[-1]) / 1024


if __name__ == "__main__":
    main()
