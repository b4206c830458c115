"""`socialcover db ...`: migrate, back up, restore, seed and inspect the platform database."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

app = typer.Typer(
    help="The platform database: migrations, backup and restore, starter content, history.",
    no_args_is_help=True,
)
console = Console()

URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."


def register(root: typer.Typer) -> None:
    """Add the ``db`` command group to the root app."""
    root.add_typer(app, name="db")


@app.command("upgrade")
def upgrade_cmd(url: str = typer.Option(None, "--url", help=URL_HELP)) -> None:
    """Migrate the database to the newest schema (safe to run again)."""
    from socialcover.store import database_url, upgrade

    revision = upgrade(url)
    console.print(f"Database {_safe(database_url(url))} is at schema revision [bold]{revision}[/].")


@app.command("status")
def status_cmd(
    url: str = typer.Option(None, "--url", help=URL_HELP),
    output: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Show the database, its schema revision and the number of rows per table."""
    from sqlalchemy import func, select

    from socialcover.store import current_revision, database_url, get_engine, head_revision
    from socialcover.store.models import Base

    engine = get_engine(url)
    revision = current_revision(engine)
    counts: dict[str, int] = {}
    if revision:
        with engine.connect() as conn:
            for db_table in Base.metadata.sorted_tables:
                counts[db_table.name] = conn.execute(
                    select(func.count()).select_from(db_table)
                ).scalar_one()
    info = {
        "url": _safe(database_url(url)),
        "revision": revision,
        "head": head_revision(),
        "rows": counts,
    }
    if output == "json":
        print(json.dumps(info, indent=2))
        return
    console.print(f"Database: {info['url']}")
    console.print(f"Schema: {revision or 'empty'} (newest: {info['head']})")
    table = Table("table", "rows")
    for name, n in counts.items():
        table.add_row(name, str(n))
    console.print(table)


@app.command("backup")
def backup_cmd(
    file: Path = typer.Argument(..., help="Backup file to write (.json, or .json.gz to compress)."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Write a checksummed dump of every table (restore it with `db restore`)."""
    from socialcover.store import backup

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task("Reading tables", total=None)
        report = backup(
            file, url, progress=lambda name, n: bar.update(task, description=f"{name}: {n} rows")
        )
    total = sum(report.counts.values())
    console.print(
        f"Backed up {total} rows from {len(report.counts)} tables to {report.path} "
        f"(schema {report.schema_revision}, sha256 {report.checksum[:12]}...)."
    )
    console.print("Uploaded files are not included: copy the 'files' folder of the home too.")


@app.command("restore")
def restore_cmd(
    file: Path = typer.Argument(..., help="Backup file made by `socialcover db backup`."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
    force: bool = typer.Option(
        False, "--force", help="Replace the content of a non-empty database."
    ),
) -> None:
    """Check a backup (checksum, row counts, schema) and restore it, all or nothing."""
    from socialcover.store import restore

    with console.status("Checking and restoring..."):
        counts = restore(file, url, force=force)
    console.print(f"Restored {sum(counts.values())} rows in {len(counts)} tables from {file}.")


@app.command("seed")
def seed_cmd(url: str = typer.Option(None, "--url", help=URL_HELP)) -> None:
    """Load the starter practices, organisations and publications (idempotent)."""
    from socialcover.knowledge import seed_starter_content
    from socialcover.store import SystemActor, open_database, session_scope

    with session_scope(SystemActor("system:seed"), engine=open_database(url)) as s:
        report = seed_starter_content(s)
    table = Table("kind", "created", "already there")
    for kind in sorted(set(report.created) | set(report.kept)):
        table.add_row(kind, str(report.created.get(kind, 0)), str(report.kept.get(kind, 0)))
    console.print(table)
    console.print("Starter content is marked for verification by reviewers.")


@app.command("history")
def history_cmd(
    record_type: str = typer.Argument(..., help="Table name, e.g. practices, organisations."),
    record_id: int = typer.Argument(..., help="The record's id."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
    output: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """List the versions of a record: who changed what, when."""
    from socialcover.store import history, open_database, session_scope

    with session_scope(engine=open_database(url), write=False) as s:
        rows = history(s, record_type, record_id)
    if output == "json":
        print(json.dumps([r.__dict__ for r in rows], default=str, indent=2))
        return
    table = Table("version", "when (UTC)", "who", "action", "changed", "comment")
    for r in rows:
        changed = ", ".join(f for f in r.changed_fields() if f not in {"updated_at", "version"})
        table.add_row(
            str(r.version or "-"),
            r.at.strftime("%Y-%m-%d %H:%M:%S"),
            r.actor,
            r.action,
            changed[:60],
            r.comment[:40],
        )
    console.print(table)


@app.command("revert")
def revert_cmd(
    record_type: str = typer.Argument(..., help="Table name, e.g. practices."),
    record_id: int = typer.Argument(..., help="The record's id."),
    version: int = typer.Argument(..., help="The version to go back to (see `db history`)."),
    comment: str = typer.Option("", "--comment", help="Why (kept in the audit log)."),
    url: str = typer.Option(None, "--url", help=URL_HELP),
) -> None:
    """Restore an earlier version of a record, as a new audited version."""
    from socialcover.store import SystemActor, open_database, revert, session_scope

    actor = SystemActor("cli")
    with session_scope(actor, engine=open_database(url)) as s:
        obj = revert(s, actor, record_type, record_id, version, comment=comment)
        new_version = obj.version
    console.print(f"{record_type} {record_id} is now version {new_version} (= version {version}).")


@app.command("rebuild-search")
def rebuild_search_cmd(url: str = typer.Option(None, "--url", help=URL_HELP)) -> None:
    """Rebuild the full-text search index from the records."""
    from socialcover.store import SystemActor, open_database, rebuild_documents, session_scope

    with (
        console.status("Rebuilding the search index..."),
        session_scope(SystemActor("cli"), engine=open_database(url)) as s,
    ):
        n = rebuild_documents(s)
    console.print(f"Indexed {n} records.")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
