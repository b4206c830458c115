"""`socialcover advocacy ...`: the events calendar, media kits, press releases due for release,
and one person's event data (thin adapter over :mod:`socialcover.advocacy`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from socialcover.errors import InputError

app = typer.Typer(
    help="Advocacy: the events calendar, media kits, press releases and one person's data.",
    no_args_is_help=True,
)
console = Console()
URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."
MEDIA_SUFFIXES = (".svg", ".png", ".csv", ".json")


@app.command("events")
def events(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    kind: Annotated[str, typer.Option("--kind", help="Only this kind (seminar...).")] = "",
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """List the published events (the public calendar), by start time."""
    from socialcover.advocacy import event_as_dict, list_events
    from socialcover.store import open_database, session_scope

    if fmt not in ("table", "json"):
        raise InputError(
            f"Unknown --format {fmt!r}.", code="advocacy.bad-format", hint="Use table or json."
        )
    with session_scope(engine=open_database(url), write=False) as s:
        rows = [event_as_dict(e) for e in list_events(s, None, kind=kind or None)]
    if fmt == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title="Events")
    for name in ("id", "starts_at", "kind", "title", "place"):
        table.add_column(name)
    for r in rows:
        table.add_row(str(r["id"]), r["starts_at"][:16], r["kind"], r["title"], r["place"])
    console.print(table)


@app.command("calendar")
def calendar(
    out: Annotated[Path, typer.Option("--out", help="The .ics file to write.")],
    base_url: Annotated[
        str, typer.Option("--base-url", help="The site's address, for the events' links.")
    ] = "http://localhost:8000",
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Write the public calendar as an iCalendar file."""
    from socialcover.advocacy import icalendar_feed
    from socialcover.store import open_database, session_scope

    with session_scope(engine=open_database(url), write=False) as s:
        out.write_bytes(icalendar_feed(s, base_url))
    console.print(f"Wrote {out}.")


@app.command("course-results")
def course_results(
    course_id: Annotated[int, typer.Argument(help="The training course's id.", min=1)],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Print a training course's results: mean pre, post and gain, overall, by sex and by
    constituent (never a name)."""
    from socialcover.advocacy import course_results as results_of
    from socialcover.store import open_database, session_scope

    if fmt not in ("table", "json"):
        raise InputError(
            f"Unknown --format {fmt!r}.", code="advocacy.bad-format", hint="Use table or json."
        )
    with session_scope(engine=open_database(url), write=False) as s:
        found = results_of(s, course_id).as_dict()
    if fmt == "json":
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"Training course {course_id}: {found['participants']} participants")
    for name in ("group", "assessed", "mean pre", "mean post", "mean gain"):
        table.add_column(name)
    groups = [("all", found["overall"])]
    groups += [(k, g) for k, g in found["by_sex"].items() if g["assessed"]]
    groups += [(k, g) for k, g in found["by_constituent"].items() if g["assessed"]]
    for name, g in groups:
        cells = [g[k] for k in ("mean_pre", "mean_post", "mean_gain")]
        table.add_row(name, str(g["assessed"]), *("-" if v is None else f"{v:.1f}" for v in cells))
    console.print(table)


@app.command("media-kit")
def media_kit(
    indicator: Annotated[str, typer.Argument(help="An indicator code (sdg131.children).")],
    area: Annotated[str, typer.Argument(help="An ISO3 code, World, or a region.")],
    out: Annotated[Path, typer.Option("--out", help="card.svg, card.png, data.csv or data.json.")],
    sex: Annotated[str, typer.Option("--sex", help="both, female or male.")] = "both",
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Write a media kit's chart card (SVG, PNG) or the data behind it (CSV, JSON)."""
    from socialcover import advocacy
    from socialcover.store import open_database, session_scope

    suffix = out.suffix.lower()
    if suffix not in MEDIA_SUFFIXES:
        raise InputError(
            f"Cannot write a media kit to {out.name!r}.",
            code="advocacy.bad-output",
            hint="Use a name ending in .svg, .png, .csv or .json.",
        )
    with session_scope(engine=open_database(url), write=False) as s:
        kit = advocacy.media_kit(s, indicator, area, sex=sex)
    if suffix == ".png":
        out.write_bytes(kit.png())
    else:
        text = kit.svg() if suffix == ".svg" else kit.csv() if suffix == ".csv" else kit.json()
        out.write_text(text, encoding="utf-8")
    console.print(f"Wrote {out} ({kit.title}; {kit.source}).")


@app.command("release-due")
def release_due(url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None) -> None:
    """Freeze the figures of the published press releases whose embargo has passed (for a
    scheduled job; a release is frozen anyway at its first read after the embargo)."""
    from socialcover.advocacy import release_due as due
    from socialcover.store import SystemActor, open_database, session_scope

    with session_scope(SystemActor("cli"), engine=open_database(url)) as s:
        ids = due(s)
    console.print(
        f"Released {len(ids)} press release(s){': ' if ids else '.'}" + ", ".join(map(str, ids))
    )


@app.command("export-person")
def export_person(
    email: Annotated[str, typer.Argument(help="The e-mail the person registered with.")],
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Print, as JSON, everything the events hold about one person."""
    from socialcover.advocacy import export_person as export
    from socialcover.store import SystemActor, open_database, session_scope

    with session_scope(SystemActor("cli"), engine=open_database(url), write=False) as s:
        rows = export(s, SystemActor("cli"), email)
    print(json.dumps(rows, indent=2, ensure_ascii=False))


@app.command("erase-person")
def erase_person(
    email: Annotated[str, typer.Argument(help="The e-mail the person registered with.")],
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
) -> None:
    """Blank the name and e-mail of every registration of one person (counts stay)."""
    from socialcover.advocacy import erase_person as erase
    from socialcover.store import SystemActor, open_database, session_scope

    with session_scope(SystemActor("cli"), engine=open_database(url)) as s:
        n = erase(s, SystemActor("cli"), email)
    console.print(f"Erased the name and e-mail of {n} registration(s).")


def register(root: typer.Typer) -> None:
    """Add the ``advocacy`` command group to the root app."""
    root.add_typer(app, name="advocacy")
