"""`socialcover engagement ...`: country engagements (list, show, matrix, costs, participants,
the Demoland demo), run as the local operator."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from socialcover.store import SystemActor

app = typer.Typer(
    help="Country engagements: diagnosis, dialogue and endorsement.", no_args_is_help=True
)
console = Console()

URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."
FORMAT_HELP = "table or json."


def register(root: typer.Typer) -> None:
    """Add the ``engagement`` command group to the root app."""
    root.add_typer(app, name="engagement")


def _operator() -> SystemActor:
    from socialcover.store import SystemActor

    return SystemActor("cli")


def _json(value: Any) -> None:
    typer.echo(json.dumps(value, default=str, indent=2, ensure_ascii=False))


@app.command("list")
def list_cmd(
    region: str = typer.Option(None, "--region", help="ILO region, e.g. Africa."),
    stage: str = typer.Option(None, "--stage", help="Current stage, e.g. dialogue."),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Every engagement with where it stands."""
    from socialcover.countries import list_engagements
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url), write=False) as s:
        rows = list_engagements(s, actor, region=region, stage=stage)
    if format == "json":
        _json(rows)
        return
    table = Table("id", "country", "region", "period", "stage", "status", "title")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["country_iso3"],
            r["region"],
            f"{r['period_start']}-{r['period_end']}",
            r["current_stage"],
            r["status"],
            r["title"],
        )
    console.print(table)


@app.command("show")
def show_cmd(
    engagement_id: int = typer.Argument(..., help="The engagement's id."),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """One engagement: its stages, the assessment matrix with positions, the endorsements."""
    from socialcover import countries
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url), write=False) as s:
        e = countries.engagement_as_dict(
            s, actor, countries.get_engagement(s, actor, engagement_id)
        )
        e["matrix"] = countries.assessment_matrix(s, actor, engagement_id)
        e["endorsements"] = countries.endorsements_of(s, actor, engagement_id)
    if format == "json":
        _json(e)
        return
    console.print(
        f"[bold]{e['title']}[/] ({e['country_iso3']}, {e['period_start']}-"
        f"{e['period_end']}, {e['status']}); stage: {e['current_stage']}"
    )
    stages = Table("stage", "status", "from", "to")
    for st in e["stages"]:
        stages.add_row(
            st["stage"], st["status"], str(st["starts_on"] or ""), str(st["ends_on"] or "")
        )
    console.print(stages)
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
    engagement_id: int = typer.Argument(..., help="The engagement's id."),
    recommendation: list[int] = typer.Option(
        None, "--recommendation", "-r", help="A recommendation id (repeat); none: the agreed set."
    ),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """The cost of a set of recommendations, year by year, with the financing gap."""
    from socialcover.countries import set_cost
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url), write=False) as s:
        out = set_cost(s, actor, engagement_id, recommendation or None)
    if format == "json":
        _json(out)
        return
    table = Table("year", "% of GDP", "% of gov. spending", "financing gap, % of GDP")
    for y in out["years"]:
        table.add_row(
            str(y["year"]),
            f"{y['cost_pct_gdp']:.3f}",
            f"{y['cost_pct_gov_expenditure']:.3f}",
            f"{y['financing_gap_pct_gdp']:.3f}",
        )
    console.print(f"Recommendations: {', '.join(map(str, out['recommendation_ids']))}")
    console.print(table)


@app.command("participants")
def participants_cmd(
    engagement_id: int = typer.Argument(..., help="The engagement's id."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Export the participants of the engagement's events with their personal data (JSON)."""
    from socialcover.countries import engagement_participants
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url), write=False) as s:
        _json(engagement_participants(s, actor, engagement_id))


@app.command("demo")
def demo_cmd(url: str = typer.Option(None, "--url", help=URL_HELP)) -> None:
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
    engagement_id: int = typer.Argument(..., help="The engagement's id."),
    out: str = typer.Option(..., "--out", help="The file to write: brief.pdf or brief.html."),
    lang: str = typer.Option("en", "--lang", help="en, fr or es."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Write the engagement's country brief (HTML or PDF) in English, French or Spanish."""
    from pathlib import Path

    from socialcover.report import write_brief
    from socialcover.store import open_database, session_scope

    actor = _operator()
    with session_scope(actor, engine=open_database(url), write=False) as s:
        path = write_brief(s, actor, engagement_id, Path(out), lang)
    console.print(f"Wrote {path}")
