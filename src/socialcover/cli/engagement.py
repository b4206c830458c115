"""`socialcover engagement ...`: country engagements (list, show, matrix, costs, participants,
the Demoland demo), run as the local operator."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from socialcover.store import SystemActor

app = typer.Typer(
    help="Country engagements: diagnosis, dialogue and endorsement.", no_args_is_help=True
)
console = Console()

URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."
FORMAT_HELP = "table or json."

EngagementId = Annotated[int, typer.Argument(help="The engagement's id.")]
Format = Annotated[str, typer.Option("--format", help=FORMAT_HELP)]
Url = Annotated[str | None, typer.Option("--url", help=URL_HELP)]

T = TypeVar("T")


def register(root: typer.Typer) -> None:
    """Add the ``engagement`` command group to the root app."""
    root.add_typer(app, name="engagement")


def _operator() -> SystemActor:
    from socialcover.store import SystemActor

    return SystemActor("cli")


def _json(value: Any) -> None:
    typer.echo(json.dumps(value, default=str, indent=2, ensure_ascii=False))


def _read(url: str | None, fetch: Callable[[Session, SystemActor], T]) -> T:
    """What ``fetch`` reads in one read-only session, as the operator."""
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url), write=False) as s:
        return fetch(s, actor)


def _as_json(value: Any, format: str) -> bool:
    """Print ``value`` as JSON when ``--format json`` asked for it (then there is no table)."""
    if format == "json":
        _json(value)
    return format == "json"


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@app.command("list")
def list_cmd(
    region: str = typer.Option(None, "--region", help="ILO region, e.g. Africa."),
    stage: str = typer.Option(None, "--stage", help="Current stage, e.g. dialogue."),
    format: Format = "table",
    url: Url = None,
) -> None:
    """Every engagement with where it stands."""
    from socialcover.countries import list_engagements

    rows = _read(url, lambda s, a: list_engagements(s, a, region=region, stage=stage))
    if _as_json(rows, format):
        return
    _table(
        ("id", "country", "region", "period", "stage", "status", "title"),
        (
            (
                str(r["id"]),
                r["country_iso3"],
                r["region"],
                f"{r['period_start']}-{r['period_end']}",
                r["current_stage"],
                r["status"],
                r["title"],
            )
            for r in rows
        ),
    )


@app.command("show")
def show_cmd(
    engagement_id: EngagementId,
    format: Format = "table",
    url: Url = None,
) -> None:
    """One engagement: its stages, the assessment matrix with positions, the endorsements."""
    from socialcover import countries

    def fetch(s: Session, actor: SystemActor) -> dict[str, Any]:
        e = countries.engagement_as_dict(
            s, actor, countries.get_engagement(s, actor, engagement_id)
        )
        e["matrix"] = countries.assessment_matrix(s, actor, engagement_id)
        e["endorsements"] = countries.endorsements_of(s, actor, engagement_id)
        return e

    e = _read(url, fetch)
    if _as_json(e, format):
        return
    console.print(
        f"[bold]{e['title']}[/] ({e['country_iso3']}, {e['period_start']}-"
        f"{e['period_end']}, {e['status']}); stage: {e['current_stage']}"
    )
    _table(
        ("stage", "status", "from", "to"),
        (
            (st["stage"], st["status"], str(st["starts_on"] or ""), str(st["ends_on"] or ""))
            for st in e["stages"]
        ),
    )
    for row in e["matrix"]:
        obs = row["observation"]
        cited = (
            f" {obs['value']}% ({obs['indicator']} {obs['year']}, {obs['source']})" if obs else ""
        )
        console.print(f"[bold]{row['guarantee'] or 'other'}[/] {row['population_group']}:{cited}")
        for r in row["recommendations"]:
            cost = r["cost"] or {}
            first = cost.get("first") or {}
            money = (
                f" [{cost['scenario']}: {first['cost_pct_gdp']:.2f}% of GDP in {first['year']}]"
                if first
                else ""
            )
            console.print(f"  {r['id']}. {r['text']}{money}")
            for p in r["positions"]:
                console.print(f"     {p['constituent']}: {p['stance']} {p['text']}")
    for d in e["endorsements"]:
        console.print(f"Endorsed by {d['organisation']} ({d['signed_by']}, {d['endorsed_on']})")


@app.command("costs")
def costs_cmd(
    engagement_id: EngagementId,
    recommendation: list[int] = typer.Option(
        None, "--recommendation", "-r", help="A recommendation id (repeat); none: the agreed set."
    ),
    format: Format = "table",
    url: Url = None,
) -> None:
    """The cost of a set of recommendations, year by year, with the financing gap."""
    from socialcover.countries import set_cost

    out = _read(url, lambda s, a: set_cost(s, a, engagement_id, recommendation or None))
    if _as_json(out, format):
        return
    console.print(f"Recommendations: {', '.join(map(str, out['recommendation_ids']))}")
    _table(
        ("year", "% of GDP", "% of gov. spending", "financing gap, % of GDP"),
        (
            (
                str(y["year"]),
                f"{y['cost_pct_gdp']:.3f}",
                f"{y['cost_pct_gov_expenditure']:.3f}",
                f"{y['financing_gap_pct_gdp']:.3f}",
            )
            for y in out["years"]
        ),
    )


@app.command("participants")
def participants_cmd(
    engagement_id: EngagementId,
    url: Url = None,
) -> None:
    """Export the participants of the engagement's events with their personal data (JSON)."""
    from socialcover.countries import engagement_participants

    _json(_read(url, lambda s, a: engagement_participants(s, a, engagement_id)))


@app.command("demo")
def demo_cmd(url: Url = None) -> None:
    """Write the fictional Demoland engagement (needs the demo pack: socialcover data demo)."""
    from socialcover.countries import install_demo_engagement
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        e = install_demo_engagement(s)
        eid, title = e.id, e.title
    console.print(f"Engagement {eid}: {title}")


@app.command("brief")
def brief_cmd(
    engagement_id: EngagementId,
    out: str = typer.Option(..., "--out", help="The file to write: brief.pdf or brief.html."),
    lang: str = typer.Option("en", "--lang", help="en, fr or es."),
    url: Url = None,
) -> None:
    """Write the engagement's country brief (HTML or PDF) in English, French or Spanish."""
    from pathlib import Path

    from socialcover.report import write_brief

    path = _read(url, lambda s, a: write_brief(s, a, engagement_id, Path(out), lang))
    console.print(f"Wrote {path}")


strategy_app = typer.Typer(
    help="The engagement's national strategy: measures, financing, logframe, progress.",
    no_args_is_help=True,
)
app.add_typer(strategy_app, name="strategy")


def _write(engagement_id: int, url: str | None, do: Any) -> None:
    """Run one write of the strategy as the operator, then print the strategy as JSON."""
    from socialcover.countries import strategy_as_dict
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        made = do(s, actor)
        out = {
            "id": getattr(made, "id", None),
            "strategy": strategy_as_dict(s, actor, engagement_id),
        }
    _json(out)


@strategy_app.command("show")
def strategy_show_cmd(
    engagement_id: EngagementId,
    format: Format = "table",
    url: Url = None,
) -> None:
    """The strategy: objectives, measures with the recommendations and scenarios they carry
    out, the logframe."""
    from socialcover.countries import strategy_as_dict

    out = _read(url, lambda s, a: strategy_as_dict(s, a, engagement_id))
    if _as_json(out, format):
        return
    console.print(
        f"[bold]{out['title']}[/] ({out['start_year']}-{out['end_year']}, {out['status']})"
    )
    for o in out["objectives"]:
        console.print(f"Objective {o['id']}. {o['text']}")
    _table(
        ("id", "years", "measure", "responsible", "recommendations", "scenarios"),
        (
            (
                str(m["id"]),
                f"{m['start_year']}-{m['end_year']}",
                m["text"],
                m["responsible"],
                ", ".join(map(str, m["recommendation_ids"])),
                ", ".join(sc["label"] for sc in m["scenarios"]),
            )
            for m in out["measures"]
        ),
    )
    _table(
        ("level", "indicator", "baseline", "target", "means of verification"),
        (
            (
                r["level"],
                r["indicator"],
                f"{r['baseline']['value']} ({r['baseline']['year']})" if r["baseline"] else "",
                f"{r['target_value']} ({r['target_year']})",
                r["means_of_verification"],
            )
            for r in out["logframe"]
        ),
    )


@strategy_app.command("financing")
def strategy_financing_cmd(
    engagement_id: EngagementId,
    format: Format = "table",
    url: Url = None,
) -> None:
    """The measures' costs year by year against government revenue and expenditure."""
    from socialcover.countries import strategy_financing

    out = _read(url, lambda s, a: strategy_financing(s, a, engagement_id))
    if _as_json(out, format):
        return

    def pct(value: float | None) -> str:
        return "" if value is None else f"{value:.3f}"

    keys = (
        "cost_pct_gdp",
        "cost_pct_gov_revenue",
        "cost_pct_gov_expenditure",
        "gov_revenue_pct_gdp",
        "fiscal_balance_pct_gdp",
    )
    console.print(f"Scenarios: {', '.join(out['scenarios'])}")
    _table(
        ("year", "cost, % of GDP", "% of revenue", "% of spending", "revenue, % GDP", "balance"),
        ((str(y["year"]), *(pct(y[k]) for k in keys)) for y in out["years"]),
    )


@strategy_app.command("progress")
def strategy_progress_cmd(
    engagement_id: EngagementId,
    format: Format = "table",
    url: Url = None,
) -> None:
    """The progress report: each logframe indicator's latest approved value and its status."""
    from socialcover.countries import progress_report

    rows = _read(url, lambda s, a: progress_report(s, a, engagement_id))
    if _as_json(rows, format):
        return
    _table(
        ("indicator", "sex", "latest", "target", "status", "reason"),
        (
            (
                r["indicator"],
                r["sex"],
                "" if r["latest_value"] is None else f"{r['latest_value']} ({r['latest_year']})",
                f"{r['target_value']} ({r['target_year']})",
                r["status"],
                r["reason"] or "",
            )
            for r in rows
        ),
    )


@strategy_app.command("set")
def strategy_set_cmd(
    engagement_id: EngagementId,
    title: str = typer.Option(..., "--title", help="The strategy's title."),
    start_year: int = typer.Option(..., "--start", help="First year."),
    end_year: int = typer.Option(..., "--end", help="Last year."),
    vision: str = typer.Option("", "--vision", help="What the strategy aims at."),
    url: Url = None,
) -> None:
    """Write the strategy's title, vision and years (created as a draft)."""
    from socialcover.countries import set_strategy

    data = {"title": title, "vision": vision, "start_year": start_year, "end_year": end_year}
    _write(engagement_id, url, lambda s, a: set_strategy(s, a, engagement_id, data))


@strategy_app.command("objective")
def strategy_objective_cmd(
    engagement_id: EngagementId,
    text: str = typer.Argument(..., help="The objective."),
    url: Url = None,
) -> None:
    """Add an objective."""
    from socialcover.countries import add_objective

    _write(engagement_id, url, lambda s, a: add_objective(s, a, engagement_id, {"text": text}))


@strategy_app.command("measure")
def strategy_measure_cmd(
    engagement_id: EngagementId,
    text: str = typer.Option(..., "--text", help="What is done."),
    start_year: int = typer.Option(..., "--start", help="First year."),
    end_year: int = typer.Option(..., "--end", help="Last year."),
    responsible: str = typer.Option("", "--responsible", help="Who carries it out."),
    organisation: int = typer.Option(None, "--organisation", help="Responsible organisation id."),
    objective: int = typer.Option(None, "--objective", help="The objective's id."),
    recommendation: list[int] = typer.Option(
        None, "--recommendation", "-r", help="A recommendation it carries out (repeat)."
    ),
    url: Url = None,
) -> None:
    """Add a measure citing the recommendations it carries out."""
    from socialcover.countries import add_measure

    data = {
        "text": text,
        "start_year": start_year,
        "end_year": end_year,
        "responsible": responsible,
        "responsible_organisation_id": organisation,
        "objective_id": objective,
        "recommendation_ids": list(recommendation or []),
    }
    _write(engagement_id, url, lambda s, a: add_measure(s, a, engagement_id, data))


@strategy_app.command("logframe")
def strategy_logframe_cmd(
    engagement_id: EngagementId,
    indicator: str = typer.Option(..., "--indicator", help="A code of the monitor registry."),
    level: str = typer.Option("outcome", "--level", help="impact, outcome or output."),
    target: float = typer.Option(..., "--target", help="The target value."),
    target_year: int = typer.Option(..., "--target-year", help="The year to reach it by."),
    baseline: int = typer.Option(None, "--baseline", help="The baseline observation's id."),
    sex: str = typer.Option("both", "--sex", help="both, female or male."),
    means: str = typer.Option("", "--means", help="Means of verification."),
    objective: int = typer.Option(None, "--objective", help="The objective's id."),
    url: Url = None,
) -> None:
    """Add a logframe indicator with its baseline, target and means of verification."""
    from socialcover.countries import add_logframe_indicator

    data = {
        "level": level,
        "indicator": indicator,
        "sex": sex,
        "objective_id": objective,
        "baseline_observation_id": baseline,
        "target_value": target,
        "target_year": target_year,
        "means_of_verification": means,
    }
    _write(engagement_id, url, lambda s, a: add_logframe_indicator(s, a, engagement_id, data))


@strategy_app.command("publish")
def strategy_publish_cmd(
    engagement_id: EngagementId,
    withdraw: bool = typer.Option(False, "--withdraw", help="Take it back to a draft instead."),
    url: Url = None,
) -> None:
    """Make the strategy public (or, with --withdraw, a draft again)."""
    from socialcover.countries import publish_strategy, withdraw_strategy

    move = withdraw_strategy if withdraw else publish_strategy
    _write(engagement_id, url, lambda s, a: move(s, a, engagement_id))


@strategy_app.command("issue-report")
def strategy_issue_report_cmd(
    engagement_id: EngagementId,
    period: str = typer.Option(
        ..., "--period", help="The period: 2025, 2025-H1, 2025-Q3, 2025-06 or 2025-06-30."
    ),
    note: str = typer.Option("", "--note", help="The team's note on the period."),
    url: Url = None,
) -> None:
    """Issue a progress report for a period: the logframe as the indicator store reads now
    (observations up to the period's year), kept as read. Prints it as JSON."""
    from socialcover.countries import get_progress_report, issue_progress_report
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url)) as s:
        made = issue_progress_report(s, actor, engagement_id, {"period": period, "note": note})
        s.flush()
        out = get_progress_report(s, actor, engagement_id, made.id)
    _json(out)


@strategy_app.command("reports")
def strategy_reports_cmd(
    engagement_id: EngagementId,
    format: Format = "table",
    url: Url = None,
) -> None:
    """The progress reports issued on the strategy, newest first."""
    from socialcover.countries import progress_reports

    rows = _read(url, lambda s, a: progress_reports(s, a, engagement_id))
    if _as_json(rows, format):
        return
    _table(
        ("id", "period", "issued", "indicators", "statuses"),
        (
            (
                str(r["id"]),
                r["period"],
                f"{r['issued_at']:%Y-%m-%d}",
                str(r["indicators"]),
                ", ".join(f"{k}: {n}" for k, n in r["statuses"].items() if n),
            )
            for r in rows
        ),
    )


@strategy_app.command("report")
def strategy_report_cmd(
    engagement_id: EngagementId,
    report_id: int = typer.Argument(..., help="The issued report's id (see `reports`)."),
    format: str = typer.Option("json", "--format", help="json (as kept) or csv (one row each)."),
    url: Url = None,
) -> None:
    """One issued progress report, as it was kept: JSON, or CSV with each value beside its
    observation's id and revision (cells that a spreadsheet would read as formulas are text)."""
    from socialcover.countries import get_progress_report, progress_report_table

    if format not in ("json", "csv"):
        raise typer.BadParameter(f"{format!r}: give json or csv.", param_hint="--format")
    report = _read(url, lambda s, a: get_progress_report(s, a, engagement_id, report_id))
    if _as_json(report, format):
        return
    from socialcover.monitor.csvfile import write_table

    rows = progress_report_table(report)
    header = list(rows[0]) if rows else []
    typer.echo(write_table(header, [list(r.values()) for r in rows]), nl=False)
