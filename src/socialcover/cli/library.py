"""`socialcover library ...`: a practice's claims, verifying them one by one, and citations."""

from __future__ import annotations

import datetime as dt
import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="The practice library: key claims and their verification, citations.",
    no_args_is_help=True,
)
console = Console()

URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."


def register(root: typer.Typer) -> None:
    """Add the ``library`` command group to the root app."""
    root.add_typer(app, name="library")


@app.command("claims")
def claims_cmd(
    practice_id: int = typer.Argument(..., help="The practice's id (on its page)."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
    output: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """List a practice's claims with their status, source and verification."""
    from socialcover.knowledge import claim_as_dict, get_practice, list_claims, verification_of
    from socialcover.store import SystemActor, open_database, session_scope

    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url), write=False) as s:
        practice = get_practice(s, actor, practice_id)
        rows = list_claims(s, actor, practice_id)
        state = verification_of(practice, rows).as_dict()
        claims = [claim_as_dict(c) for c in rows]
    if output == "json":
        print(json.dumps({"verification": state, "claims": claims}, ensure_ascii=False))
        return
    table = Table(title=f"Practice {practice_id}: {state['state']} (as of {state['as_of']})")
    for col in ("id", "status", "claim", "source", "verified"):
        table.add_column(col)
    for c in claims:
        src = c["source"] or {}
        source = f"{src.get('title', '')} ({src.get('year', '')})" if src else "-"
        who = f"{c['verified_by']}, {c['verified_on']}" if c["status"] == "verified" else ""
        table.add_row(str(c["id"]), c["status"], c["text"], source, who)
    console.print(table)


@app.command("verify")
def verify_cmd(
    claim_id: int = typer.Argument(..., help="The claim's id (`socialcover library claims`)."),
    against: str = typer.Option(..., "--against", help="The passage read (page or section)."),
    by: str = typer.Option(..., "--by", help="Your name, recorded as the reviewer."),
    on: str = typer.Option(None, "--on", help="Day of the check, YYYY-MM-DD (default today)."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Record that you checked one claim in its cited source."""
    from socialcover.errors import InputError
    from socialcover.knowledge import verify_claim
    from socialcover.store import SystemActor, open_database, session_scope

    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise InputError(
            f"--on {on!r} is not a date.", code="claim.invalid", hint="Write it as 2026-12-05."
        ) from None
    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        row = verify_claim(s, actor, claim_id, against=against, on=day, by=by)
        text = row.text
    console.print(f"Claim {claim_id} verified: {text}")


@app.command("dispute")
def dispute_cmd(
    claim_id: int = typer.Argument(..., help="The claim's id."),
    note: str = typer.Option(..., "--note", help="What the other source says, and where."),
    title: str = typer.Option(..., "--source-title", help="Title of the contradicting source."),
    year: int = typer.Option(..., "--source-year", help="Its year of publication."),
    publisher: str = typer.Option("", "--source-publisher", help="Its publisher."),
    source_url: str = typer.Option(None, "--source-url", help="Its URL."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Mark a claim as contradicted by another source."""
    from socialcover.knowledge import dispute_claim
    from socialcover.store import SystemActor, open_database, session_scope

    other = {"title": title, "year": year, "publisher": publisher, "url": source_url}
    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        dispute_claim(s, actor, claim_id, other_source=other, note=note)
    console.print(f"Claim {claim_id} marked as disputed.")


@app.command("cite")
def cite_cmd(
    kind: str = typer.Argument(..., help="practice or publication"),
    record_id: int = typer.Argument(..., help="The record's id."),
    output: str = typer.Option("text", "--format", help="text, csl-json or bibtex"),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Print a citation of a practice or publication (a line, CSL-JSON or BibTeX)."""
    from socialcover.errors import InputError
    from socialcover.knowledge import bibtex_of, cite_line
    from socialcover.knowledge.citation import csl_of_record
    from socialcover.store import SystemActor, open_database, session_scope

    if output not in ("text", "csl-json", "bibtex"):
        raise InputError(
            f"Unknown citation format {output!r}.",
            code="citation.format",
            hint="Use --format text, csl-json or bibtex.",
        )
    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url), write=False) as s:
        item = csl_of_record(s, actor, kind, record_id)
    if output == "csl-json":
        print(json.dumps([item], ensure_ascii=False, indent=2))
    elif output == "bibtex":
        print(bibtex_of([item]), end="")
    else:
        print(cite_line(item))
