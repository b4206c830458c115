"""`socialcover scheme`: informal-economy contributory schemes (thin adapter over
:func:`socialcover.microsim.scheme.run_scheme`)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from socialcover.cli.tables import print_table
from socialcover.errors import InputError

app = typer.Typer(
    help="Informal-economy schemes: who joins, what it costs, whom it covers (take-up "
    "calibrated to an enrolment).",
    no_args_is_help=True,
)
console = Console()

FORMATS = ("table", "csv", "json")


def register(root: typer.Typer) -> None:
    """Add the ``scheme`` sub-app to the root app."""
    root.add_typer(app, name="scheme")


def _cell(value: float | None, share: bool) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{100 * value:,.2f}%" if share else f"{value:,.0f}"


def _rows(table: Any) -> list[list[str]]:
    from socialcover.microsim.scheme import SHARE_INDICATORS

    rows = []
    for r in table.iter_rows(named=True):
        share = r["indicator"] in SHARE_INDICATORS
        band = ""
        if r["p5"] is not None and not math.isnan(r["p5"]):
            band = f"{_cell(r['p5'], share)} to {_cell(r['p95'], share)}"
        rows.append(
            [
                r["indicator"],
                r["group"],
                _cell(r["estimate"], share),
                _cell(r["se"], share),
                band,
            ]
        )
    return rows


@app.command("run")
def run(
    scheme: Path = typer.Argument(..., help="Scheme file (YAML, see docs/microsim.md)."),
    data: Path = typer.Argument(..., help="Survey (Parquet or CSV; any format with --mapping)."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Survey mapping YAML."),
    enrolment: float | None = typer.Option(
        None,
        "--enrolment",
        help="Members observed (persons, in the units of the weights): fit the take-up "
        "intercept to it before running.",
    ),
    draws: int | None = typer.Option(
        None, "--draws", help="Monte Carlo draws (default: the scheme's monte_carlo.draws)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Monte Carlo seed."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Run SCHEME and its variants on survey DATA: eligible, members, contributions, subsidy
    cost, benefits bought, coverage gained and the poverty change, with design-based SEs and
    5th-95th percentile bands over the take-up parameters."""
    from socialcover.microsim.scheme import run_scheme

    if fmt not in FORMATS:
        raise InputError(
            f"--format {fmt!r} is not known",
            code="cli.bad-format",
            hint="Use --format table, csv or json.",
        )
    if draws is not None and draws < 0:
        raise InputError(
            f"--draws {draws} is negative",
            code="cli.bad-draws",
            hint="Give 0 (no Monte Carlo band) or more, e.g. --draws 200.",
        )
    with Console(stderr=True).status("running the scheme") as status:
        result = run_scheme(
            scheme,
            data,
            mapping=mapping,
            enrolment=enrolment,
            draws=draws,
            seed=seed,
            progress=lambda msg: status.update(msg),
        )
    calibration = result.calibration
    if fmt == "csv":
        print(result.table.write_csv(), end="")
        return
    if fmt == "json":
        out: dict[str, Any] = {
            "scheme": str(scheme),
            "calibration": calibration.to_dict() if calibration else None,
            "rows": [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in result.table.iter_rows(named=True)
            ],
        }
        print(json.dumps(out, indent=2))
        return
    if calibration is not None:
        console.print(
            f"Take-up {calibration.parameter} fitted to {calibration.target:,.0f} members: "
            f"{calibration.before:g} -> {calibration.value:.4f} (members "
            f"{calibration.members_before:,.0f} -> {calibration.achieved:,.0f}; relative error "
            f"{calibration.relative_error:.1e}). Elasticities kept as written."
        )
    import polars as pl

    variants = list(dict.fromkeys(result.table["variant"]))
    for n, variant in enumerate(variants):
        print_table(
            console,
            ["indicator", "group", "estimate", "se", "p5 to p95"],
            _rows(result.table.filter(pl.col("variant") == variant)),
            title=f"{scheme.name}, {variant}: estimates with design-based SE",
            caption=None
            if n < len(variants) - 1
            else "LCU per year for money, persons for counts, percent for shares; "
            "all columns: --format csv or json",
            numeric=("estimate", "se"),
        )
