"""Writing results to CSV, JSON and Excel, atomically: nothing is left behind on failure.

A file is written to a temporary name beside the target and renamed over it only once it is
complete, so a failed run leaves no partial output (and no output at all if the run failed
before writing).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from socialcover.costing._errors import ScenarioError
from socialcover.costing.result import CostingResult

FORMATS = (".csv", ".json", ".xlsx")


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def check_output_path(path: str | Path) -> Path:
    """Validate an output path before any work is done (extension known, folder writable)."""
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise ScenarioError(
            f"Cannot write results to {p.name!r}: unknown extension {p.suffix or '(none)'!r}.",
            code="costing.bad-output",
            key="out",
            hint="Use a name ending in .xlsx, .csv or .json.",
        )
    if p.exists() and p.is_dir():
        raise ScenarioError(
            f"{str(p)!r} is a folder.",
            code="costing.bad-output",
            key="out",
            hint="Give a file name, e.g. results.xlsx.",
        )
    return p


def rows_frame(result: CostingResult) -> pl.DataFrame:
    """Per-benefit rows followed by a ``total`` row per country and year (JSON/CSV layout)."""
    return pl.DataFrame(result.to_rows())


def write_result(result: CostingResult, path: str | Path) -> Path:
    """Write a result to ``.csv`` (rows), ``.json`` (everything) or ``.xlsx`` (RAP layout)."""
    p = check_output_path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        full = result.rows.join(
            result.macro.select("iso3", "year", "gdp_lcu", "gov_expenditure_lcu"),
            on=["iso3", "year"],
            how="left",
        )
        totals = result.totals.with_columns(pl.lit("total").alias("benefit"))
        frame = pl.concat([full, totals], how="diagonal_relaxed").sort(
            ["iso3", "year"], maintain_order=True
        )
        return _atomic(p, lambda t: frame.write_csv(t))
    if suffix == ".json":
        text = result.to_json()

        def write_json(t: Path) -> None:
            t.write_text(text, encoding="utf-8")

        return _atomic(p, write_json)
    from socialcover.costing.workbook import write_workbook

    def write_xlsx(t: Path) -> None:
        write_workbook(result, t)

    return _atomic(p, write_xlsx)
