"""`socialcover simulate` and `socialcover test`: thin adapters over socialcover.microsim."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()


def register(root: typer.Typer) -> None:
    """Add the top-level ``simulate`` and ``test`` commands to the root app."""
    root.command("simulate")(simulate)
    root.command("test")(test)


def _lines(values: list[str]) -> dict[str, str | float] | None:
    from socialcover.errors import InputError

    if not values:
        return None
    # The survey's national line stays first unless the user names "national" themselves.
    out: dict[str, str | float] = {"national": "poverty_line"}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise InputError(
                f"--line {item!r} is not NAME=VALUE",
                code="microsim.bad-line",
                hint="Write --line national=poverty_line or --line intl=21900 "
                "(LCU per person per year).",
            )
        try:
            out[name] = float(value)
        except ValueError:
            out[name] = value
    return out


def _fmt(cell: dict[str, float] | None, digits: int = 0, pct: bool = False) -> str:
    if not cell:
        return ""
    e, s = cell["estimate"], cell["se"]
    if pct:
        return f"{100 * e:,.2f}% ({100 * s:,.2f})"
    return f"{e:,.{digits}f} ({s:,.{digits}f})"


def _table(summary: dict[str, Any]) -> Table:
    table = Table(
        title=f"{summary['rules']} - period {summary['period']} "
        f"({summary['persons']:,} persons); estimate (SE)"
    )
    table.add_column("")
    for col in ("baseline", "reform", "change"):
        table.add_column(col, justify="right")
    for name, block in summary["programmes"].items():
        table.add_row(
            f"[bold]{name}[/] cost",
            *[_fmt(block[s]["cost"]) for s in ("baseline", "reform", "change")],
        )
        table.add_row(
            "  beneficiaries",
            *[_fmt(block[s]["beneficiaries"]) for s in ("baseline", "reform", "change")],
        )
    total = summary["total"]
    rows = [
        ("[bold]all programmes[/] cost", "cost", 0, False),
        ("  persons reached", "persons_reached", 0, False),
        ("poverty headcount", "poverty_headcount", 0, True),
        ("poverty gap", "poverty_gap", 0, True),
        ("poverty severity", "poverty_severity", 0, True),
        ("Gini", "gini", 4, False),
        ("mean disposable income", "mean_disposable_income", 0, False),
    ]
    for label, key, digits, pct in rows:
        if key in total["baseline"]:
            table.add_row(
                label,
                *[_fmt(total[s].get(key), digits, pct) for s in ("baseline", "reform", "change")],
            )
    wl = summary["winners_losers"]
    table.add_row(
        "winners / losers",
        "",
        "",
        f"{_fmt(wl['winners'], pct=True)} / {_fmt(wl['losers'], pct=True)}",
    )
    return table


def simulate(
    rules: Path = typer.Argument(..., help="Rules file (YAML)."),
    data: Path = typer.Argument(..., help="Survey or population (Parquet, CSV, .dta, .sav)."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Survey mapping YAML."),
    reform: Path | None = typer.Option(None, "--reform", help="Reform YAML."),
    period: str | None = typer.Option(
        None, "--period", help="Period (year) of the parameters; default the rules' period:."
    ),
    line: list[str] = typer.Option(
        [], "--line", help="Poverty line NAME=COLUMN or NAME=LCU_PER_YEAR (repeatable)."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Write .json (summary), .csv (all estimates) or .parquet (persons)."
    ),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    country: str | None = typer.Option(
        None,
        "--country",
        help="Add the international line ($3.00 a day, 2021 PPP) of this country (needs the pack).",
    ),
    breakdowns: bool = typer.Option(
        False, "--breakdowns", help="Also estimate by decile, quintile and group (in --out .csv)."
    ),
) -> None:
    """Simulate benefit RULES (and a --reform) on survey DATA: cost, beneficiaries, poverty,
    Gini and winners/losers, each with its design-based standard error."""
    from socialcover.errors import InputError
    from socialcover.microsim.analysis import simulate as run

    if fmt not in ("table", "json"):
        raise InputError(
            f"--format {fmt!r} is not known",
            code="cli.bad-format",
            hint="Use --format table or --format json.",
        )
    with Progress(
        SpinnerColumn(),
        BarColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("loading rules", total=None)
        if period is None:
            from socialcover.microsim.source import load_yaml

            declared = load_yaml(rules).get("period")
            period = str(declared.value) if declared is not None else "2025"
        lines = _lines(line)
        if country is not None:
            from socialcover.microsim.lines import international_line

            bar.update(task, description="international poverty line")
            intl = international_line(country, int(str(period)[:4]))
            lines = {**(lines or {"national": "poverty_line"}), "international": intl.lcu_per_year}
        result = run(
            rules,
            data,
            period=period,
            reform=reform,
            mapping=mapping,
            lines=lines,
            # the table and JSON show totals; breakdowns go to --out .csv or on request
            breakdowns=breakdowns or (out is not None and out.suffix.lower() == ".csv"),
            progress=lambda msg: bar.update(task, description=msg),
        )
    summary = result.to_dict()
    if out is not None:
        suffix = out.suffix.lower()
        if suffix == ".csv":
            result.impact.table.write_csv(out)
        elif suffix == ".parquet":
            result.run.frame.write_parquet(out)
        else:
            out.write_text(json.dumps(summary, indent=2))
    if fmt == "json":
        print(json.dumps(summary, indent=2))
    else:
        console.print(_table(summary))


def test(
    paths: list[Path] = typer.Argument(..., help="Situation test files or folders."),
    rules: Path | None = typer.Option(None, "--rules", help="Rules file for every test."),
) -> None:
    """Run situation tests written in YAML; exit 1 if any fails."""
    from socialcover.microsim.situation import collect_situations, run_situation

    situations = collect_situations(paths, rules=rules)
    failed = 0
    for situation in situations:
        outcome = run_situation(situation)
        if outcome.passed:
            console.print(f"[green]PASS[/] {situation.id}")
            continue
        failed += 1
        console.print(f"[red]FAIL[/] {situation.id}")
        for line in ([outcome.error] if outcome.error else []) + outcome.failures:
            console.print(f"     {line}", markup=False)
    console.print(f"{len(situations) - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)
