"""`socialcover monitor ...`: indicator codes and regional, income-group and world aggregates
(thin adapter over :mod:`socialcover.monitor`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from socialcover.errors import InputError

if TYPE_CHECKING:
    from socialcover.monitor.observations import RecordReport
    from socialcover.monitor.registry import Weight

app = typer.Typer(
    help="Monitor indicators: the registry, and aggregates by ILO region, income group and world.",
    no_args_is_help=True,
)
console = Console()
FORMATS = ("table", "json", "csv")
SOURCES = ("pack", "store")
URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(
            f"Unknown --format {fmt!r}.",
            code="monitor.bad-format",
            hint="Use --format table, json or csv.",
            value=fmt,
        )
    return fmt


def _print(frame: pl.DataFrame, fmt: str, title: str) -> None:
    if fmt == "json":
        print(json.dumps(frame.to_dicts(), indent=2))
    elif fmt == "csv":
        print(frame.write_csv(), end="")
    else:
        table = Table(title=title)
        for name in frame.columns:
            table.add_column(name, justify="right" if frame[name].dtype.is_numeric() else "left")
        for row in frame.iter_rows():
            table.add_row(*(_cell(v) for v in row))
        console.print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    return "" if value is None else str(value)


@app.command("indicators")
def indicators(
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
) -> None:
    """List every indicator of the registry: code, name, unit and aggregation weight.

    The weight is the population that weights the indicator in aggregates (``population`` of
    an age band, ``births``, ``gdp_usd``); empty when it is not aggregated over countries.
    """
    from socialcover.monitor.registry import list_indicators

    _check_format(fmt)
    frame = pl.DataFrame(
        [
            {
                "code": d.code,
                "name": d.name,
                "unit": d.unit,
                "weight": _weight(d.weight),
            }
            for d in list_indicators()
        ],
        schema={"code": pl.String, "name": pl.String, "unit": pl.String, "weight": pl.String},
    )
    _print(frame, fmt, "Indicators")


def _weight(weight: Weight | None) -> str:
    if weight is None:
        return ""
    return weight.series + ("" if weight.age_band is None else f" {weight.age_band}")


@app.command("aggregate")
def aggregate(
    indicator: Annotated[
        str, typer.Argument(help="Indicator code, e.g. sdg131.at_least_one_benefit.")
    ],
    year: Annotated[int, typer.Option("--year", help="Reference year.")],
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="Groupings joined by commas: ilo-region, ilo-subregion, income-group, world, "
            "subregion.",
        ),
    ] = "ilo-region,income-group,world",
    window: Annotated[
        int, typer.Option("--window", help="Years a country's nearest value may be away.")
    ] = 3,
    sex: Annotated[
        str | None,
        typer.Option(
            "--sex", help="both, female or male (default: as the indicator is published)."
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="table, json, csv, or sdmx (SDMX-CSV: modelled observations of the groups).",
        ),
    ] = "table",
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="pack: the data pack's country series; store: the platform database's "
            "approved observations.",
        ),
    ] = "pack",
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Aggregate an indicator by group: population-weighted, with imputed countries counted.

    Reads the data pack's country series, or with ``--source store`` the approved observations
    of the platform database; each row says which share of the group's population rests on
    observed values and which on imputed ones.
    """
    from socialcover.monitor.aggregate import aggregate as aggregate_
    from socialcover.monitor.aggregate import aggregate_store, observations_from_pack
    from socialcover.monitor.denominators import check_indicator

    if fmt != "sdmx":
        _check_format(fmt)
    if source not in SOURCES:
        raise InputError(
            f"Unknown --source {source!r}.",
            code="monitor.bad-source",
            hint="Use --source pack or store.",
            value=source,
        )
    code = check_indicator(indicator)
    if source == "store":
        from socialcover.store import open_database, session_scope

        with session_scope(engine=open_database(url), write=False) as s:
            frame = aggregate_store(s, None, code, year, by, window=window, sex=sex)
    else:
        frame = aggregate_(observations_from_pack(code), code, year, by, window=window, sex=sex)
    if fmt == "sdmx":
        from socialcover.monitor.aggregate import aggregates_as_observations
        from socialcover.monitor.registry import get_indicator
        from socialcover.monitor.sdmx import write_sdmx_csv

        rows = aggregates_as_observations(frame, code, sex or get_indicator(code).sex)
        print(write_sdmx_csv(rows), end="")
        return
    _print(frame, fmt, f"{code}, {year}")


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="ILOSTAT bulk CSV, SDMX-CSV or plain CSV (.gz too).")
    ],
    fmt: Annotated[str, typer.Option("--format", help="ilostat, sdmx or csv.")] = "ilostat",
    vintage: Annotated[
        str, typer.Option("--vintage", help="The file's edition, where it does not say it.")
    ] = "",
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Import an observation file into the platform database, all of it or nothing.

    Every row is checked first; a bad row is reported with its row number and nothing of the
    file is kept. The values are entered (not approved) in the data sets of their area and
    year, recorded as imported from the command line.
    """
    from socialcover.monitor.files import import_observations
    from socialcover.store import SystemActor, open_database, session_scope

    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        report = import_observations(s, actor, file, fmt, vintage=vintage)
    console.print(
        f"{report.new} new, {report.revised} revised, {report.unchanged} unchanged value(s) "
        f"in {len(report.data_sets)} data set(s); approve them to publish them."
    )


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    fmt: Annotated[str, typer.Option("--format", help="sdmx (SDMX-CSV) or csv.")] = "sdmx",
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", help="Only this code (repeatable).")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Export the approved observations of the platform database as SDMX-CSV or CSV."""
    from socialcover.monitor.files import export_observations
    from socialcover.store import open_database, session_scope

    with session_scope(engine=open_database(url), write=False) as s:
        export_observations(s, None, out, fmt, indicator=indicator or None)
    console.print(f"Wrote {out}.")


# Feeds from the platform's own engines: costing runs and survey indicator tables.


def _recorded(report: RecordReport) -> None:
    console.print(
        f"{report.new} new, {report.revised} revised, {report.unchanged} unchanged value(s) "
        f"in {len(report.data_sets)} data set(s); approve them to publish them."
    )


@app.command("publish-costing")
def publish_costing(
    scenario: Annotated[Path, typer.Argument(help="The costing scenario (YAML or JSON).")],
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Cost a scenario and enter its cost and financing gap (% of GDP) as modelled observations.

    The projection is the one `socialcover cost SCENARIO` computes; its values are entered in
    the data sets of their country and year, recorded as made by the command line, and wait
    for approval.
    """
    from socialcover.costing import CostingRequest, run_costing
    from socialcover.monitor.feeds import observations_from_costing
    from socialcover.monitor.observations import record_observations
    from socialcover.store import SystemActor, open_database, session_scope

    frame = observations_from_costing(run_costing(CostingRequest(scenario)))
    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        report = record_observations(s, actor, frame)
    _recorded(report)


@app.command("publish-survey")
def publish_survey(
    results: Annotated[
        Path, typer.Argument(help="The indicator table: a survey job's result.parquet.")
    ],
    area: Annotated[str, typer.Option("--area", help="ISO3 code of the survey's country.")],
    year: Annotated[int, typer.Option("--year", help="The survey's reference year.")],
    source: Annotated[str, typer.Option("--source", help="The survey, as its publisher names it.")],
    vintage: Annotated[str, typer.Option("--vintage", help="The survey's edition or round.")],
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Enter a survey indicator table as survey_estimate observations, with their SEs.

    The total and the sex breakdown of every indicator are entered in the data set of the area
    and year, recorded as made by the command line, and wait for approval.
    """
    from socialcover.monitor.feeds import publish_survey_results
    from socialcover.store import SystemActor, open_database, session_scope

    try:
        table = pl.read_parquet(results)
    except (OSError, pl.exceptions.PolarsError) as err:
        raise InputError(
            f"Cannot read an indicator table from {results}: {err}",
            code="monitor.bad-results-file",
            hint="Give the result.parquet of a finished survey job.",
            value=str(results),
        ) from err
    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        report = publish_survey_results(
            s, actor, table, area=area, year=year, source=source, vintage=vintage
        )
    _recorded(report)


# --- evaluations -------------------------------------------------------------------------------


TABLE_OMITS = ("method", "findings", "evaluators", "report", "note", "version")


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates as ISO text and lists joined by "; ", for JSON, CSV and the table alike."""
    return frame.with_columns(
        [pl.col(n).cast(pl.String) for n, t in frame.schema.items() if t == pl.Date()]
        + [pl.col(n).list.join("; ") for n, t in frame.schema.items() if isinstance(t, pl.List)]
    )


@app.command("evaluations")
def evaluations(
    show_overdue: Annotated[
        bool,
        typer.Option("--overdue", help="List the planned evaluations that are overdue instead."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """List the published evaluations, or with --overdue the overdue planned ones.

    A planned evaluation of the schedule is overdue when its date is past and no evaluation of
    the same subject and type finished on or after it.
    """
    from socialcover.monitor.evaluations import list_evaluations, overdue
    from socialcover.store import open_database, session_scope

    _check_format(fmt)
    with session_scope(engine=open_database(url), write=False) as s:
        if show_overdue:
            frame, title = overdue(s), "Overdue evaluations"
        else:
            frame, title = list_evaluations(s, None), "Evaluations"
    if fmt == "table":  # the long texts fit JSON and CSV, not a terminal
        frame = frame.drop(TABLE_OMITS, strict=False)
    _print(_flat(frame), fmt, title)


def register(root: typer.Typer) -> None:
    """Add the ``monitor`` command group to the root app."""
    root.add_typer(app, name="monitor")


@app.command("refresh-process")
def refresh_process(
    approve: Annotated[
        bool,
        typer.Option(
            "--approve/--no-approve",
            help="Also approve the data sets written to (a changed public value is un-approved "
            "first, audited).",
        ),
    ] = True,
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Count the campaign's process indicators from the platform's records and store them.

    Countries with a completed diagnosis, costed options and an endorsed strategy; people
    trained by sex and constituent; events held; publication downloads; practices published
    and evaluations completed: counted per year (area World) from published records and
    recorded as administrative observations; only what changed is written.
    """
    from socialcover.monitor.process import refresh_process_indicators
    from socialcover.store import SystemActor, open_database, session_scope

    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        report = refresh_process_indicators(s, actor, approve=approve)
    console.print(f"Counted: {', '.join(report.counted) or 'nothing'}.")
    _recorded(report.recorded)
    if report.approved:
        console.print(f"Approved {len(report.approved)} data set(s).")
    for code, needs in report.pending.items():
        console.print(f"Not counted yet: {code} (needs {needs}).")
