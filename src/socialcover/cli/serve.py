"""``socialcover serve``: run the web app and REST API with uvicorn."""

from __future__ import annotations

import typer
from rich.console import Console

console = Console(stderr=True)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    database_url: str = typer.Option(
        "", help="Database URL (default: the embedded SQLite in the socialcover home)."
    ),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (one per core)."),
    no_seed: bool = typer.Option(False, "--no-seed", help="Do not add starter content."),
    spark_master: str = typer.Option(
        "",
        envvar="SOCIALCOVER_SPARK_MASTER",
        help="Spark master URL for the largest survey jobs (the upload folder must be shared "
        "with the cluster); empty: every job runs on this server.",
    ),
    spark_min_rows: int = typer.Option(
        1_000_000,
        min=0,
        envvar="SOCIALCOVER_SPARK_MIN_ROWS",
        help="Survey jobs of at least this many rows go to --spark-master.",
    ),
) -> None:
    """Run the web app: pages at http://HOST:PORT/, the REST API at /api/v1 (docs at /api/v1/docs).

    The database is migrated to the newest schema and, on first start, seeded with starter
    content. Stop with Ctrl+C.
    """
    from socialcover.web import Settings
    from socialcover.web import serve as run_server

    settings = Settings(
        database_url=database_url or None,
        seed=not no_seed,
        spark_master=spark_master,
        spark_min_rows=spark_min_rows,
    )
    console.print(
        f"socialcover is starting on [bold]http://{host}:{port}/[/] "
        "(database migrated, starter content on first start; Ctrl+C stops it)"
    )
    run_server(settings, host=host, port=port, workers=workers)


def register(root: typer.Typer) -> None:
    """Add ``serve`` as a top-level command."""
    root.command("serve")(serve)
