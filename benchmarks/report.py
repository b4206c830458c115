"""The world report for all countries: from the store's approved observations to a PDF.

Run with the real data pack installed (``socialcover data import ../shared/data``) or let the
script install it into a temporary home::

    .venv/bin/python benchmarks/report.py            # English PDF
    .venv/bin/python benchmarks/report.py --all      # PDF and HTML in en, fr and es

Target (report bar): the world report for every country (237 areas, 130 low- and middle-income
countries costed with 200 Monte Carlo draws, a country annex of every country) renders in under
60 s on the project's machine. Setting up the store (the data pack's SDG 1.3.1 series imported
and approved into a fresh SQLite database) is timed apart: it is not part of building a report.
There is no peer program that builds this report; the times are printed with the whole-process
time and the peak memory (resident set size).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

PROCESS_START = time.perf_counter()
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
TARGET_S = 60.0


def ensure_pack() -> None:
    if os.environ.get("SOCIALCOVER_HOME"):
        from socialcover.data._home import current_pack

        if (current_pack() / "wpp_locations.parquet").exists():
            return
    home = tempfile.mkdtemp(prefix="sc-bench-")
    os.environ["SOCIALCOVER_HOME"] = home
    from socialcover.data.pack import install_pack

    print(f"installing the pack from {SHARED} into {home} ...", file=sys.stderr)
    install_pack(SHARED)


def main() -> int:
    every = "--all" in sys.argv[1:]
    ensure_pack()
    from socialcover.monitor import load_pack_series
    from socialcover.report import Edition, build_edition, write_report
    from socialcover.store import SystemActor, open_database, session_scope

    work = Path(tempfile.mkdtemp(prefix="sc-report-"))
    url = f"sqlite:///{work / 'store.db'}"
    loader = SystemActor("system:monitor")
    t = time.perf_counter()
    engine = open_database(url)
    with session_scope(loader, engine=engine) as s:
        load_pack_series(s, loader, approve=True)
    setup = time.perf_counter() - t

    t = time.perf_counter()
    with session_scope(engine=engine, write=False) as s:
        data = build_edition(Edition(2023), session=s)
    build = time.perf_counter() - t
    outputs = [("en", ".pdf")]
    if every:
        outputs = [(lang, suffix) for lang in ("en", "fr", "es") for suffix in (".pdf", ".html")]
    times = []
    for lang, suffix in outputs:
        t = time.perf_counter()
        files = write_report(data, lang, work / f"report-{lang}{suffix}")
        times.append((f"{lang}{suffix}", time.perf_counter() - t, files.report.stat().st_size))
    first = build + times[0][1]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"store set-up (pack series imported and approved): {setup:.1f} s (not in the report)")
    print(f"numbers (aggregates, costing with 200 draws, progress, annex): {build:.1f} s")
    for name, seconds, size in times:
        print(f"write {name}: {seconds:.1f} s ({size / 1e6:.2f} MB)")
    print(f"world report, all countries, first language: {first:.1f} s (target {TARGET_S:.0f} s)")
    print(
        f"whole process: {time.perf_counter() - PROCESS_START:.1f} s; peak memory {peak_mb:.0f} MB"
    )
    print(f"files in {work}")
    return 0 if first < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
