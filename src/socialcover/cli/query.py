"""Query commands: ``socialcover data population ...`` and ``socialcover country KEN``.

Thin adapters: parse the options, call one function of :mod:`socialcover.data`, render the
result as a Rich table, JSON or CSV.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from socialcover.cli.tables import print_table
from socialcover.errors import InputError

console = Console()

FORMATS = ("table", "json", "csv")
POPULATION_COLUMNS = ["iso3", "year", "sex", "age_from", "age_to", "population"]


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(
            f"Unknown output format {fmt!r}.",
            code="cli.bad-format",
            hint="Use --format table, json or csv.",
            value=fmt,
        )
    return fmt


def _parse_years(text: str) -> list[int]:
    """``2030``, ``2025-2035`` or ``2025,2030,2035``."""
    try:
        years: list[int] = []
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                lo, hi = part.split("-", 1)
                years.extend(range(int(lo), int(hi) + 1))
            else:
                years.append(int(part))
    except ValueError:
        raise InputError(
            f"Year {text!r} is not understood.",
            code="cli.bad-year",
            hint="Write one year (2030), a range (2025-2035) or a list (2025,2030).",
            value=text,
        ) from None
    return years


def _fmt_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return str(value)


def _print_frame(df: pl.DataFrame, fmt: str, title: str, caption: str = "") -> None:
    if fmt == "json":
        print(json.dumps(df.to_dicts(), indent=2, default=str))
    elif fmt == "csv":
        sys.stdout.write(df.write_csv())
    else:
        print_table(
            console,
            df.columns,
            [[_fmt_number(v) for v in row] for row in df.iter_rows()],
            title=title,
            caption=caption,
            numeric=[n for n in df.columns if df.schema[n].is_numeric() and n != "year"],
        )


def population_command(
    country: Annotated[
        list[str],
        typer.Option(
            "--country",
            "-c",
            help="ISO3, name, or group (e.g. 'Arab States'); repeat for several.",
        ),
    ],
    year: Annotated[str, typer.Option("--year", "-y", help="2030, 2025-2035 or 2025,2030.")],
    age_band: Annotated[
        str | None,
        typer.Option("--age-band", "-a", help="'0-14', '65+', or several: '0-14,15-64,65+'."),
    ] = None,
    sex: Annotated[
        str,
        typer.Option(
            "--sex", "-s", help="both (default), male, female, or all (male, female, both)."
        ),
    ] = "both",
    single_ages: Annotated[
        bool, typer.Option("--single-ages", help="Single years of age instead of 5-year groups.")
    ] = False,
    variant: Annotated[
        str, typer.Option("--variant", help="WPP 2024 projection variant: medium, low or high.")
    ] = "medium",
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """Population by year, sex and age (WPP 2024, interpolated to single years and ages)."""
    from socialcover.data import population

    _check_format(fmt)
    bands = [b.strip() for b in age_band.split(",")] if age_band else None
    df = population(
        country[0] if len(country) == 1 else country,
        _parse_years(year),
        sex=sex,
        age_band=bands,
        single_ages=single_ages,
        variant=variant,
    )
    source = df["source"][0] if df.height else ""
    has_groups = df["iso3"].null_count() > 0
    out = df.select(["iso3", "area", *POPULATION_COLUMNS[1:]] if has_groups else POPULATION_COLUMNS)
    if fmt == "table":
        out = out.with_columns(pl.col("population").round(0))
    _print_frame(out, fmt, title=f"Population, {', '.join(country)}", caption=source)


_SHORT = (
    ("IMF WEO", "WEO"),
    ("World Bank WDI", "WDI"),
    ("World Bank PIP", "PIP"),
    ("Gapminder", "Gapminder/WDI"),
    ("ILO, ILOSTAT", "ILOSTAT"),
    ("UN SDG", "UNSD 2020"),
)


def _short_source(source: str) -> str:
    """A short tag for a table cell; the full source text goes in the table's caption."""
    code = source.rsplit("(", 1)[-1].rstrip(")") if source.endswith(")") else source.split()[-1]
    for prefix, tag in _SHORT:
        if source.startswith(prefix):
            return f"{tag} {code}" if tag in ("WEO", "WDI", "PIP", "Gapminder/WDI") else tag
    return source


def _caption(rows: list[dict[str, Any]]) -> str:
    seen: list[str] = []
    for row in rows:
        base = row["source"].split(" (")[0] if "(" in row["source"] else row["source"]
        if base not in seen:
            seen.append(base)
    return "Sources: " + "; ".join(seen)


def _profile_tables(p: dict[str, Any]) -> list[Table]:
    c = p["country"]
    head = Table(title=f"{c['name']} ({c['iso3']}, M49 {c['m49']})", show_header=False)
    head.add_column("", style="bold")
    head.add_column("")
    for label, key in (
        ("ILO region", "ilo_region"),
        ("SDG region", "sdg_region"),
        ("Income group", "income_group"),
    ):
        head.add_row(label, c[key] or "")
    pop = p["population"]
    pt = Table(title=f"Population, 1 July {pop['year']}", caption=pop["source"])
    pt.add_column("Age")
    pt.add_column("Persons", justify="right")
    pt.add_column("Share %", justify="right")
    for band in pop["by_age"]:
        pt.add_row(band["age_band"], f"{band['population']:,.0f}", f"{band['share_pct']:.1f}")
    pt.add_row("Total", f"{pop['total']:,.0f}", "100.0", style="bold")
    r = p["dependency_ratios"]
    dt = Table(title=f"Dependency ratios, {r['year']} (per 100 persons aged 15-64)")
    dt.add_column("Ratio")
    dt.add_column("Value", justify="right")
    for label, key in (
        ("Youth (0-14)", "youth_per_100"),
        ("Old-age (65+)", "old_age_per_100"),
        ("Total", "total_per_100"),
    ):
        dt.add_row(label, "" if r[key] is None else f"{r[key]:.1f}")
    tables = [head, pt, dt]
    for title, rows in (
        ("Economy (latest up to the year)", p["macro"]),
        ("Poverty and inequality (latest survey)", p["poverty"]),
    ):
        t = Table(title=title, caption=_caption(rows) if rows else "no data")
        # Codes and numbers stay whole on one line; unit and source wrap on words.
        t.add_column(
            "Indicator", no_wrap=True, min_width=max([9, *(len(r["indicator"]) for r in rows)])
        )
        t.add_column("Year", justify="right", no_wrap=True)
        t.add_column("Value", justify="right", no_wrap=True)
        t.add_column("Unit")
        t.add_column("Source")
        for row in rows:
            proj = " proj." if row.get("is_projection") else ""
            t.add_row(
                row["indicator"],
                f"{row['year']}{proj}",
                _fmt_number(row["value"]),
                row["unit"],
                _short_source(row["source"]),
            )
        tables.append(t)
    rows = p["coverage"]
    ct = Table(
        title="Effective coverage, SDG 1.3.1 (latest)",
        caption=_caption(rows) if rows else "no data",
    )
    for name in ("Group", "Sex", "Year", "Coverage %", "Source"):
        numeric = name in ("Year", "Coverage %")
        ct.add_column(name, justify="right" if numeric else "left", no_wrap=numeric)
    for row in rows:
        ct.add_row(
            row["contingency"].replace("_", " "),
            row["sex"],
            str(row["year"]),
            f"{row['coverage_pct']:.1f}",
            _short_source(row["source"]),
        )
    tables.append(ct)
    return tables


def country_command(
    country: Annotated[str, typer.Argument(help="ISO3 code, M49 code or name: KEN, 404, Kenya.")],
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Reference year (default: this year).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """A country profile: population by broad age, dependency, GDP, poverty, coverage."""
    from socialcover.data import profile

    if fmt not in ("table", "json"):
        raise InputError(
            f"Unknown output format {fmt!r}.",
            code="cli.bad-format",
            hint="Use --format table or json.",
            value=fmt,
        )
    p = profile(country, year=year)
    if fmt == "json":
        print(json.dumps(p, indent=2, default=str))
        return
    for table in _profile_tables(p):
        console.print(table)


def register(root: typer.Typer) -> None:
    """Add ``country`` to the root app (``data population`` is registered by ``cli/data.py``)."""
    root.command("country")(country_command)
