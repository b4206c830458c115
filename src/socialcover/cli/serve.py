"""``socialcover serve``: run the web app and REST API with uvicorn."""

from __future__ import annotations

from typing import Any

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
    max_upload_mb: int | None = typer.Option(
        None, min=1, help="Largest survey or observation file, in MB (default 200)."
    ),
    max_survey_rows: int | None = typer.Option(
        None, min=1, help="Most rows a survey file may declare (default 10,000,000)."
    ),
    max_survey_decoded_mb: int | None = typer.Option(
        None, min=1, help="Most a survey file may expand to once read, in MB (default 1024)."
    ),
    job_workers: int | None = typer.Option(
        None, min=1, max=64, help="Survey and report jobs running at once (default 2)."
    ),
    survey_job_memory_mb: int | None = typer.Option(
        None, min=0, help="Data memory of a survey job's process, in MB (default 2048; 0: none)."
    ),
    survey_job_seconds: float | None = typer.Option(
        None, min=0, help="Time a survey job may run, in seconds (default 1800; 0: no limit)."
    ),
    report_job_memory_mb: int | None = typer.Option(
        None, min=0, help="Data memory of a report build's process, in MB (default 2048; 0: none)."
    ),
    report_job_seconds: float | None = typer.Option(
        None, min=0, help="Time a report build may run, in seconds (default 1800; 0: no limit)."
    ),
    spark_master: str | None = typer.Option(
        None,
        help="Spark master URL for the largest survey jobs (the upload folder must be shared "
        "with the cluster); empty: every job runs on this server.",
    ),
    spark_min_rows: int | None = typer.Option(
        None,
        min=0,
        help="Survey jobs of at least this many rows go to --spark-master (default 1,000,000).",
    ),
) -> None:
    """Run the web app: pages at http://HOST:PORT/, the REST API at /api/v1 (docs at /api/v1/docs).

    The database is migrated to the newest schema and, on first start, seeded with starter
    content. Stop with Ctrl+C. The limits left out keep their settings' values: their
    environment variables (SOCIALCOVER_SURVEY_JOB_MEMORY_MB...), else the defaults.
    """
    from socialcover.web import Settings
    from socialcover.web import serve as run_server

    mb = 1024 * 1024
    limits: dict[str, Any] = {
        "max_upload_bytes": None if max_upload_mb is None else max_upload_mb * mb,
        "max_survey_rows": max_survey_rows,
        "max_survey_decoded_bytes": (
            None if max_survey_decoded_mb is None else max_survey_decoded_mb * mb
        ),
        "job_workers": job_workers,
        "survey_job_memory_mb": survey_job_memory_mb,
        "survey_job_seconds": survey_job_seconds,
        "report_job_memory_mb": report_job_memory_mb,
        "report_job_seconds": report_job_seconds,
        "spark_master": spark_master,
        "spark_min_rows": spark_min_rows,
    }
    settings = Settings(
        database_url=database_url or None,
        seed=not no_seed,
        **{name: value for name, value in limits.items() if value is not None},
    )
    console.print(
        f"socialcover is starting on [bold]http://{host}:{port}/[/] "
        "(database migrated, starter content on first start; Ctrl+C stops it)"
    )
    run_server(settings, host=host, port=port, workers=workers)


def register(root: typer.Typer) -> None:
    """Add ``serve`` as a top-level command."""
    root.command("serve")(serve)
