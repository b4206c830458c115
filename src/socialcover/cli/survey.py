"""`socialcover survey ...`: design-based estimates, the indicator table, synthetic surveys.

Thin adapters: each command parses its options, calls one domain function
(:class:`socialcover.survey.Sample`, :func:`socialcover.indicators.compute_indicators`,
:func:`socialcover.testing.synthetic_survey`) and renders the result as a Rich table, JSON,
CSV or an Excel workbook.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from socialcover.cli.tables import print_table
from socialcover.errors import InputError, SocialcoverWarning

app = typer.Typer(
    help="Survey estimates with design-based standard errors, and coverage-gap indicators.",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)

FORMATS = ("table", "json", "csv", "xlsx")


def _check_format(fmt: str, out: Path | None) -> None:
    if fmt not in FORMATS:
        raise InputError(
            f"Unknown format {fmt!r}.",
            code="cli.unknown-format",
            hint="Use --format table, json, csv or xlsx.",
        )
    if fmt == "xlsx" and out is None:
        raise InputError(
            "An Excel workbook needs a file to write.",
            code="cli.xlsx-needs-out",
            hint="Add --out result.xlsx.",
        )


def _split(values: str | None) -> list[str]:
    return [v.strip() for v in values.split(",") if v.strip()] if values else []


def render(
    frame: pl.DataFrame, fmt: str, out: Path | None, title: str = "", caption: str | None = None
) -> None:
    """Write ``frame`` as a table fitted to the terminal, JSON, CSV or an Excel sheet."""
    if fmt == "json":
        rows = frame.to_dicts()
        for row in rows:
            for k, v in row.items():
                if isinstance(v, float) and v != v:  # NaN is not JSON
                    row[k] = None
                elif isinstance(v, float) and v in (float("inf"), float("-inf")):
                    # infinite df (normal intervals) stays infinite: JSON has no Infinity
                    row[k] = "inf" if v > 0 else "-inf"
        text = json.dumps(rows, indent=1, default=str)
        if out:
            out.write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
    elif fmt == "csv":
        if out:
            frame.write_csv(out)
        else:
            print(frame.write_csv(), end="")
    elif fmt == "xlsx":
        assert out is not None  # checked by _check_format before any work
        _write_xlsx(frame, out, title or "result")
    else:
        print_table(
            console,
            frame.columns,
            [[_cell(v) for v in values] for values in frame.iter_rows()],
            title=title or None,
            caption=caption,
            numeric=[c for c in frame.columns if frame.schema[c].is_numeric()],
            wrap=[c for c in ("name", "source", "reason", "note") if c in frame.columns],
        )
        if out:
            frame.write_csv(out)
    if out and fmt != "table":
        err_console.print(f"Wrote {out}")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _write_xlsx(frame: pl.DataFrame, out: Path, title: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = title[:31]
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append([None if isinstance(v, float) and v != v else v for v in row])
    sheet.freeze_panes = "A2"
    book.save(out)


@app.command()
def estimate(
    data: Path = typer.Argument(
        ..., help="Survey file (.parquet read out of core; .dta, .sav, .csv)."
    ),
    weights: str = typer.Option(..., "--weights", help="Weight column."),
    strata: str | None = typer.Option(None, "--strata", help="Stratum column."),
    psu: str | None = typer.Option(
        None, "--psu", help="Cluster (PSU) column(s), comma-separated by stage."
    ),
    fpc: str | None = typer.Option(None, "--fpc", help="Finite population correction column(s)."),
    lonely_psu: str = typer.Option(
        "fail", "--lonely-psu", help="fail, remove, adjust, average or certainty."
    ),
    mean: str | None = typer.Option(
        None, "--mean", help="Estimate the mean of this column or SQL expression."
    ),
    total: str | None = typer.Option(None, "--total", help="Estimate the total."),
    proportion: str | None = typer.Option(
        None, "--proportion", help="Estimate the proportion of a 0/1 variable or condition."
    ),
    ratio: str | None = typer.Option(
        None, "--ratio", help="Numerator of a ratio (with --denominator)."
    ),
    denominator: str | None = typer.Option(None, "--denominator", help="Denominator of --ratio."),
    quantile: str | None = typer.Option(
        None, "--quantile", help="Estimate a quantile of this column."
    ),
    q: float = typer.Option(0.5, "--q", help="Which quantile for --quantile (0.5 = median)."),
    by: str | None = typer.Option(None, "--by", help="Domains: comma-separated columns."),
    where: str | None = typer.Option(None, "--where", help="Subpopulation, as an SQL condition."),
    fmt: str = typer.Option("table", "--format", help="table, json, csv or xlsx."),
    out: Path | None = typer.Option(None, "--out", help="Write the result to this file."),
) -> None:
    """One design-based estimate (mean, total, proportion, ratio or quantile) with its SE."""
    from socialcover.survey import Design, Sample
    from socialcover.survey.io import read_survey

    _check_format(fmt, out)
    asked = {
        k: v
        for k, v in [
            ("mean", mean),
            ("total", total),
            ("proportion", proportion),
            ("ratio", ratio),
            ("quantile", quantile),
        ]
        if v is not None
    }
    if len(asked) != 1:
        raise InputError(
            f"Ask for exactly one statistic; got {', '.join(asked) or 'none'}.",
            code="cli.one-statistic",
            hint="Give one of --mean, --total, --proportion, --ratio (with --denominator) or "
            "--quantile.",
        )
    kind, variable = next(iter(asked.items()))
    if kind == "ratio" and not denominator:
        raise InputError(
            "--ratio needs --denominator.",
            code="cli.ratio-needs-denominator",
            hint="Example: --ratio receives_pension --denominator 1",
        )
    design = Design(
        weights=weights,
        strata=strata,
        psu=_split(psu) or None,
        fpc=_split(fpc) or None,
        lonely_psu=lonely_psu,  # type: ignore[arg-type]
    )
    source: Any = (
        str(data)
        if data.suffix.lower() in (".parquet", ".pq") and data.exists()
        else read_survey(data)
    )
    sample = Sample(source, design)
    kwargs: dict[str, Any] = {"by": _split(by) or None, "where": where}
    if kind == "ratio":
        result = sample.ratio(variable, str(denominator), **kwargs)
    elif kind == "quantile":
        result = sample.quantile(variable, q, **kwargs)
    else:
        result = getattr(sample, kind)(variable, **kwargs)
    frame, unit = _with_unit(result.to_polars(), kind, variable, denominator)
    if fmt != "table":
        render(frame, fmt, out, title=f"{kind} of {variable}")
        return
    # On screen: the columns people read; every column is in --format csv/json/xlsx and --out.
    shown = [c for c in frame.columns if c not in ("deff", "unit")]
    if frame["reason"].is_null().all():
        shown.remove("reason")
    render(
        frame.select(shown),
        fmt,
        None,
        title=f"{kind} of {variable}",
        caption=f"{unit}; {int(result.level * 100)}% intervals; all columns: --format csv",
    )
    if out:
        frame.write_csv(out)
        err_console.print(f"Wrote {out}")


def _with_unit(
    frame: pl.DataFrame, kind: str, variable: str, denominator: str | None
) -> tuple[pl.DataFrame, str]:
    """Proportions in percent, as in `survey indicators`; every estimate says its unit."""
    if kind == "proportion":
        frame = frame.with_columns(pl.col("estimate", "se", "ci_low", "ci_high") * 100)
        unit = "percent"
    elif kind == "ratio":
        unit = f"{variable} per unit of {denominator}"
    elif kind == "total":
        unit = f"sum of {variable}"
    else:
        unit = f"units of {variable}"
    return frame.with_columns(unit=pl.lit(unit)), unit


@app.command()
def indicators(
    data: Path | None = typer.Argument(
        None, help="Survey file, or a synthetic survey in standard concepts."
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="YAML mapping of the survey's variables to standard concepts."
    ),
    by: str | None = typer.Option(
        None, "--by", help="Extra breakdowns (columns), comma-separated."
    ),
    code: str | None = typer.Option(
        None, "--code", help="Indicator codes or families (e.g. coverage.), comma-separated."
    ),
    breakdowns: str | None = typer.Option(
        None, "--breakdowns", help="Standard breakdowns to compute (default: each indicator's own)."
    ),
    lonely_psu: str | None = typer.Option(
        None, "--lonely-psu", help="Override the lonely-PSU rule."
    ),
    fmt: str = typer.Option("table", "--format", help="table, json, csv or xlsx."),
    out: Path | None = typer.Option(None, "--out", help="Write the table to this file."),
    list_codes: bool = typer.Option(False, "--list", help="List the indicator registry and exit."),
    engine: str = typer.Option(
        "auto",
        "--engine",
        help="duckdb (memory bounded by sampling units), polars (in memory) or auto "
        "(duckdb when the data have a psu column).",
    ),
) -> None:
    """The full indicator table (every indicator by every breakdown) with design-based SEs."""
    from socialcover.indicators import compute_indicators, list_indicators
    from socialcover.survey.io import Mapping, load_survey, read_survey

    _check_format(fmt, out)
    if engine not in ("auto", "duckdb", "polars"):
        # Spark runs in the user's session: a spark-submit job calls compute_indicators
        raise InputError(
            f"Unknown engine {engine!r} for this command.",
            code="indicators.unknown-engine",
            hint="--engine auto, duckdb or polars. On a Spark cluster, call "
            "compute_indicators(path, engine='spark') in a spark-submit job (docs/spark.md).",
        )
    if list_codes:
        rows = [
            {k: (", ".join(v) if isinstance(v, list) else v) for k, v in i.to_dict().items()}
            for i in list_indicators()
        ]
        frame = pl.DataFrame(rows).select("code", "name", "unit", "disaggregations", "source")
        render(frame, fmt, out, title="Indicators")
        return
    if data is None:
        raise InputError(
            "Give the survey file.",
            code="cli.no-data",
            hint="socialcover survey indicators survey.parquet --mapping map.yaml",
        )
    the_mapping = Mapping.from_yaml(mapping) if mapping else None
    # A Parquet file in the standard concepts is read by DuckDB, never loaded whole.
    parquet = the_mapping is None and data.suffix.lower() == ".parquet" and data.is_file()
    source: pl.DataFrame | Path
    if parquet:
        source = data
    else:
        source = load_survey(data, the_mapping) if the_mapping else read_survey(data)
    with Progress(
        TextColumn("[bold]indicators[/]"),
        BarColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("preparing", total=None)

        def step(done: int, steps: int, label: str) -> None:
            bar.update(task, completed=done, total=steps, description=f"by {label}")

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SocialcoverWarning)
            table = compute_indicators(
                source,
                codes=_split(code) or None,
                by=_split(by),
                disaggregations=_split(breakdowns) or None,
                mapping=the_mapping,
                lonely_psu=lonely_psu,  # type: ignore[arg-type]
                progress=step,
                engine=engine,  # type: ignore[arg-type]
            )
    for w in caught:
        if isinstance(w.message, SocialcoverWarning):
            err_console.print(f"[yellow]Warning[/] ({w.message.code}): {w.message.message}")
    shown = table.frame
    if fmt == "table":
        shown = shown.select(
            "code",
            "group",
            "category",
            "value",
            "se",
            "ci_low",
            "ci_high",
            "unit",
            "n",
            "flag",
        )
        render(
            shown,
            fmt,
            None,
            title=f"Indicators ({table.design})",
            caption="Reasons, notes and the other columns: --format csv or --out",
        )
        if out:
            table.frame.write_csv(out)
            err_console.print(f"Wrote {out}")
        return
    render(shown, fmt, out, title="indicators")


@app.command()
def generate(
    out: Path = typer.Argument(..., help="Parquet file to write."),
    persons: int = typer.Option(..., "--persons", help="Number of persons."),
    seed: int = typer.Option(..., "--seed", help="Random seed (same seed, same survey)."),
    country: str = typer.Option(
        "XDM", "--country", help="ISO3 code whose WPP ages people follow (XDM: Demoland)."
    ),
    year: int = typer.Option(2025, "--year", help="Year of the population structure."),
) -> None:
    """Write a seeded synthetic household survey (standard concepts) to Parquet, streamed."""
    from socialcover.testing import synthetic_survey

    with Progress(
        TextColumn("[bold]generating[/]"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} persons"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("persons", total=persons)
        path = synthetic_survey(
            persons,
            seed=seed,
            country=country,
            year=year,
            path=out,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    err_console.print(f"Wrote {persons:,} persons to {path}")
    if country.upper() != "XDM":
        err_console.print(_generic_receipt_note(path, country.upper(), year))


def _generic_receipt_note(path: Path, iso3: str, year: int) -> str:
    """Say that only ages and sexes follow the country; benefit receipt is the generator's."""
    from socialcover.data import coverage

    frame = pl.scan_parquet(path)
    receives = [c for c in frame.collect_schema().names() if c.startswith("receives_")]
    share = (
        frame.select(
            (pl.col("weight") * pl.max_horizontal(receives)).sum() / pl.col("weight").sum()
        )
        .collect()
        .item()
    )
    note = (
        f"[yellow]Note:[/] ages and sexes follow {iso3} (UN WPP 2024, {year}); labour status, "
        f"incomes and benefit receipt are the generator's own, not {iso3}'s: "
        f"{share * 100:.1f}% of persons here receive a benefit directly"
    )
    published = coverage(iso3, "at_least_one_benefit").filter(pl.col("sex") == "both")
    if published.height:
        row = published.row(0, named=True)
        note += (
            f", against {row['coverage_pct']:.1f}% of {iso3}'s population covered by at least "
            f"one benefit ({row['source']}, {row['year']})"
        )
    return note + ". Do not read the country's coverage from this file."


def register(root: typer.Typer) -> None:
    """Add the ``survey`` command group to the root app."""
    root.add_typer(app, name="survey")
