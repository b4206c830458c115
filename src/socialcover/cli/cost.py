"""`socialcover cost ...`: project the cost of a benefit package (thin adapter over
:mod:`socialcover.costing`), and save, list and compare saved scenarios (over
:mod:`socialcover.store.scenarios`).

``socialcover cost ARGS`` runs ``socialcover cost run ARGS`` unless its first word is one of the
group's commands (``run``, ``scenarios``, ``compare``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

if TYPE_CHECKING:
    from socialcover.costing import CostingRun

console = Console()

URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."


class _RunByDefault(TyperGroup):
    """A group whose default command is ``run``: ``cost --country KEN`` is ``cost run ...``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # Typer's own click copy
        if not args or (
            args[0] not in self.commands and args[0] not in self.get_help_option_names(ctx)
        ):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_RunByDefault,
    help="Cost a benefit package (cost run, the default), and save, list and compare scenarios.",
    add_completion=False,
)


def register(root: typer.Typer) -> None:
    """Add the ``cost`` group to the root app."""
    root.add_typer(app, name="cost")


def _scenario_dict(
    scenario: Path | None,
    country: str | None,
    all_countries: bool,
    countries: str | None,
    package: str | None,
    base_year: int | None,
    horizon: int | None,
) -> dict[str, Any]:
    from socialcover.costing import ScenarioError

    data: dict[str, Any] = {}
    if scenario is not None:
        if not scenario.exists():
            raise ScenarioError(
                f"Scenario file {str(scenario)!r} does not exist.",
                code="costing.scenario-file-missing",
                hint="Check the path, or use --country and --package.",
            )
        text = scenario.read_text(encoding="utf-8")
        try:
            loaded = json.loads(text) if scenario.suffix == ".json" else yaml.safe_load(text)
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            raise ScenarioError(
                f"Scenario file {scenario.name!r} cannot be parsed: {exc}",
                code="costing.scenario-unparsable",
                hint="Fix the syntax at the line shown.",
            ) from None
        data = loaded if isinstance(loaded, dict) else {"_": loaded}
    elif package is None:
        raise ScenarioError(
            "No scenario: give a scenario file or --package.",
            code="costing.no-scenario",
            hint="e.g. socialcover cost --country KEN --package spf-four-guarantees --horizon 2040",
        )
    if country:
        data.pop("countries", None)
        data["country"] = country
    if all_countries or countries:
        data.pop("country", None)
        data["countries"] = (
            "all" if all_countries else [c.strip() for c in (countries or "").split(",")]
        )
    if package:
        data["package"] = package
        data.setdefault("name", package)
    if base_year is not None:
        data["base_year"] = base_year
    if horizon is not None:
        data["horizon"] = horizon
    return data


@app.command("run")
def cost(
    scenario: Path | None = typer.Argument(None, help="Scenario file (YAML or JSON)."),
    country: str | None = typer.Option(None, "--country", help="ISO3 code or name."),
    all_countries: bool = typer.Option(False, "--all-countries", help="Every country with data."),
    countries: str | None = typer.Option(
        None, "--countries", help="Comma-separated countries or groups (e.g. 'Low income')."
    ),
    package: str | None = typer.Option(
        None, "--package", help="Preset: spf-four-guarantees, ess58, campaign-basic."
    ),
    base_year: int | None = typer.Option(None, "--base-year", help="Base year (default 2025)."),
    horizon: int | None = typer.Option(None, "--horizon", help="Last year of the projection."),
    by: str | None = typer.Option(
        None, "--by", help="Aggregate many countries: ilo-region, income-group, world."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write results: .xlsx, .csv or .json."),
    fmt: str = typer.Option("table", "--format", help="table or json (to standard output)."),
    monte_carlo: int = typer.Option(0, "--monte-carlo", help="Monte Carlo draws (0 = none)."),
    seed: int = typer.Option(20250101, "--seed", help="Seed of the Monte Carlo draws."),
    tornado: bool = typer.Option(False, "--tornado", help="One-way sensitivities (last year)."),
    compare: list[Path] = typer.Option(
        [], "--compare", help="Another scenario file to compare with (repeatable)."
    ),
    chart: Path | None = typer.Option(
        None, "--chart", help="Render a chart (.svg or .png): bands with --monte-carlo."
    ),
    save: str | None = typer.Option(
        None, "--save", help="Save the scenario under this name (a new version if it exists)."
    ),
    url: str | None = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Project the cost of a benefit package, year by year (% of GDP, US$, financing gap).

    `socialcover cost ARGS` is this command; with --save NAME the scenario is saved too (after
    a run that succeeded), to cost and compare again later.
    """
    from socialcover.costing import CostingRequest, ScenarioError, run_costing

    if fmt not in ("table", "json"):
        raise ScenarioError(
            f"Unknown --format {fmt!r}.",
            code="costing.bad-format",
            hint="Use --format table or --format json.",
        )
    request = CostingRequest(
        scenario=_scenario_dict(
            scenario, country, all_countries, countries, package, base_year, horizon
        ),
        compare=tuple(_scenario_dict(c, None, False, None, None, None, None) for c in compare),
        by=by or None,
        monte_carlo=monte_carlo,
        seed=seed,
        tornado=tornado,
        out=out,
        chart=chart,
    )
    progress = Progress(
        SpinnerColumn(),
        BarColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=fmt == "json",
    )
    task = progress.add_task("Projecting costs", total=None)

    def show(step: str, done: int, total: int | None) -> None:
        progress.start()  # at the first step: a request refused by validation shows no bar
        progress.update(task, description=step, completed=done, total=total)

    try:
        run = run_costing(request, progress=show)
    finally:
        if progress.live.is_started:
            progress.stop()
    saved = _save(save, run, url) if save is not None else None
    if fmt == "json":
        doc = run.to_dict()
        if saved is not None:
            doc["saved"] = {k: v for k, v in saved.to_dict().items() if k != "document"}
        print(json.dumps(doc, indent=1, allow_nan=False, default=str))
        return
    _print_run(run)
    for written in (out, chart):
        if written is not None:
            console.print(f"Wrote {written}")
    if saved is not None:
        console.print(
            f"Saved scenario {saved.name!r} as {saved.reference} (id {saved.id}, "
            f"version {saved.version})"
        )


def _save(name: str, run: CostingRun, url: str | None) -> Any:
    from socialcover.store import SystemActor, open_database, session_scope
    from socialcover.store.scenarios import save_scenario

    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        return save_scenario(s, actor, name, run.result.scenario)


@app.command("scenarios")
def scenarios(
    country: str | None = typer.Option(None, "--country", help="Only this country (ISO3)."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    url: str | None = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """List the saved costing scenarios, last changed first (id, name, version, country)."""
    from socialcover.costing import ScenarioError
    from socialcover.store import SystemActor, open_database, session_scope
    from socialcover.store.scenarios import list_scenarios

    if fmt not in ("table", "json"):
        raise ScenarioError(
            f"Unknown --format {fmt!r}.",
            code="costing.bad-format",
            hint="Use --format table or --format json.",
        )
    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url), write=False) as s:
        found = list_scenarios(s, actor, country=country)
    if fmt == "json":
        rows = [{k: v for k, v in x.to_dict().items() if k != "document"} for x in found]
        print(json.dumps(rows, indent=1))
        return
    table = Table(title=f"{len(found)} saved costing scenarios")
    for col in ("id", "name", "version", "country or group", "package", "status", "updated"):
        table.add_column(col, justify="right" if col in ("id", "version") else "left")
    for x in found:
        table.add_row(
            str(x.id),
            x.name,
            str(x.version),
            x.where,
            x.package,
            x.status,
            x.updated_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


@app.command("compare")
def compare(
    first: str = typer.Argument(
        ..., help="A saved scenario: ID, NAME, ID@VERSION or NAME@VERSION."
    ),
    second: str = typer.Argument(..., help="Another, or another version of the same one."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    url: str | None = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Compare two saved scenarios, or two versions of one, year by year.

    For each country and year: the cost in LCU, US$, % of GDP and % of government expenditure
    of each, and the second's difference from the first.
    """
    import polars as pl

    from socialcover.costing import ScenarioError
    from socialcover.store import SystemActor, open_database, session_scope
    from socialcover.store.scenarios import compare_saved

    if fmt not in ("table", "csv", "json"):
        raise ScenarioError(
            f"Unknown --format {fmt!r}.",
            code="costing.bad-format",
            hint="Use --format table, csv or json.",
        )
    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url), write=False) as s:
        _versions, table = compare_saved(s, actor, first, second)
    if fmt == "csv":
        print(table.write_csv(), end="")
        return
    if fmt == "json":
        print(json.dumps(table.to_dicts(), indent=1, allow_nan=False, default=str))
        return
    label_a, label_b = table["scenario"].unique(maintain_order=True).to_list()
    left = table.filter(pl.col("scenario") == label_a)
    right = table.filter(pl.col("scenario") == label_b)
    wide = left.select(
        "iso3",
        "year",
        (pl.col("cost_lcu") / 1e9).alias("A LCU bn"),
        pl.col("cost_pct_gdp").alias("A % GDP"),
    ).join(
        right.select(
            "iso3",
            "year",
            (pl.col("cost_lcu") / 1e9).alias("B LCU bn"),
            pl.col("cost_pct_gdp").alias("B % GDP"),
            (pl.col("diff_cost_lcu") / 1e9).alias("B-A LCU bn"),
            (pl.col("diff_cost_usd") / 1e9).alias("B-A US$ bn"),
            pl.col("diff_cost_pct_gdp").alias("B-A % GDP"),
            pl.col("diff_cost_pct_gov_expenditure").alias("B-A % gov. exp."),
        ),
        on=["iso3", "year"],
        how="full",
        coalesce=True,
    )
    _print_frame(f"A = {label_a}, B = {label_b}", wide.sort("iso3", "year"))


def _print_run(run: CostingRun) -> None:
    """The run as tables: costs (by country, or by group), then what else was asked."""
    import polars as pl

    mc = run.monte_carlo
    _print_tables(run.result, run.grouped, mc.bands if mc is not None else None)
    if run.grouped is not None and mc is not None:
        keep = set(run.grouped["group"].to_list()) | {"World"}
        agg = mc.aggregates.filter(pl.col("group").is_in(list(keep)))
        _print_frame(
            f"Monte Carlo ({mc.draws} draws): total cost, % of GDP, GDP-weighted",
            agg.select("group", "year", "p5", "p50", "p95"),
        )
    if run.tornado is not None:
        _print_frame("One-way sensitivities: total cost, % of GDP", run.tornado)
    if run.comparison is not None:
        comparison = run.comparison
        wide = comparison.pivot(on="scenario", index=["iso3", "year"], values="cost_pct_gdp")
        _print_frame("Scenarios compared: total cost, % of GDP", wide.sort("iso3", "year"))
        diffs = comparison.filter(pl.col("scenario") != comparison["scenario"][0])
        _print_frame(
            "Differences from the first scenario, % of GDP points",
            diffs.select("scenario", "iso3", "year", "diff_cost_pct_gdp"),
        )
    if run.result.missing:
        miss = run.missing_table()
        by_reason: dict[str, list[str]] = {}
        for r in miss.iter_rows(named=True):
            by_reason.setdefault(r["reason"], []).append(r["iso3"])
        console.print(
            f"[yellow]{miss.height} countries not costed:[/] "
            + "; ".join(f"{why}: {', '.join(codes)}" for why, codes in by_reason.items())
        )


def _print_frame(title: str, frame: Any) -> None:
    table = Table(title=title)
    for c in frame.columns:
        table.add_column(str(c), justify="left" if frame[c].dtype == str else "right")
    for row in frame.iter_rows():
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)


def _print_tables(result: Any, grouped: Any, bands: Any) -> None:
    import polars as pl

    if grouped is not None:
        table = Table(title=f"{result.scenario.name}: cost, % of GDP (GDP-weighted)")
        years = sorted(set(grouped["year"].to_list()))
        shown = [y for y in years if y == years[0] or y == years[-1] or y % 5 == 0]
        table.add_column("group")
        for y in shown:
            table.add_column(str(y), justify="right")
        for g in sorted(set(grouped["group"].to_list())):
            part = grouped.filter(pl.col("group") == g)
            vals = dict(zip(part["year"].to_list(), part["cost_pct_gdp"].to_list(), strict=True))
            table.add_row(g, *[f"{vals[y]:.2f}" for y in shown])
        console.print(table)
        return
    for iso in result.iso3s:
        rows = result.rows.filter(pl.col("iso3") == iso)
        tot = result.totals.filter(pl.col("iso3") == iso)
        names = list(dict.fromkeys(rows["benefit"].to_list()))
        table = Table(title=f"{result.scenario.name} - {iso}: cost, % of GDP")
        table.add_column("year", justify="right")
        for n in names:
            table.add_column(n, justify="right")
        table.add_column("total", justify="right", style="bold")
        table.add_column("% gov. exp.", justify="right")
        table.add_column("US$ m", justify="right")
        for y, t_pct, t_gov, t_usd in tot.select(
            "year", "cost_pct_gdp", "cost_pct_gov_expenditure", "cost_usd"
        ).iter_rows():
            part = rows.filter(pl.col("year") == y)
            vals = dict(zip(part["benefit"].to_list(), part["cost_pct_gdp"].to_list(), strict=True))
            table.add_row(
                str(y),
                *[f"{vals[n]:.3f}" for n in names],
                f"{t_pct:.3f}",
                f"{t_gov:.2f}",
                f"{t_usd / 1e6:,.0f}",
            )
        console.print(table)
    if bands is not None:
        table = Table(title="Monte Carlo: total cost, % of GDP (percentiles, central case)")
        for c in ("year", "p5", "p50", "p95", "central", "% of draws <= central"):
            table.add_column(c, justify="right")
        total = bands.filter(pl.col("benefit") == "total")
        for r in total.iter_rows(named=True):
            table.add_row(
                str(r["year"]),
                f"{r['p5']:.3f}",
                f"{r['p50']:.3f}",
                f"{r['p95']:.3f}",
                f"{r['central']:.3f}",
                f"{r['central_percentile']:.0f}",
            )
        console.print(table)
