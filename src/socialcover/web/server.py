"""Running the app: prepare the database once, then serve with uvicorn (one or more workers)."""

from __future__ import annotations

import gc
import os

from socialcover.web.settings import Settings


def serve(
    settings: Settings | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Migrate (and on first start seed) the database, then serve the app until stopped.

    Parameters
    ----------
    settings
        Database URL, cookie policy... (default: the embedded SQLite in the socialcover home).
    host, port
        Where to listen.
    workers
        Worker processes; with more than one, each worker builds the app from the environment
        (:func:`socialcover.web.app.app_from_env`) after the database was prepared here, once.
    """
    from concurrent.futures import ThreadPoolExecutor

    import uvicorn

    from socialcover.web.app import create_app
    from socialcover.web.database import prepare_database
    from socialcover.web.jobs import JobRegistry, ReportJobs

    settings = settings or Settings()
    prepare_database(settings)
    with ThreadPoolExecutor(max_workers=1) as pool:  # jobs of a previous run cannot resume
        JobRegistry(settings.resolved_upload_dir() / "surveys", pool).fail_interrupted()
        ReportJobs(settings.resolved_upload_dir() / "reports", pool).fail_interrupted()
    # The app keeps large read-only caches (country data, search postings); moving what exists
    # at start-up out of the collector's reach and collecting young objects less often removes
    # most collector pauses from the latency tail.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    if workers == 1:
        uvicorn.run(
            create_app(settings), host=host, port=port, proxy_headers=True, log_level=log_level
        )
        return
    os.environ.update(settings.environment())  # the limits, for the workers' own settings
    if settings.database_url:
        os.environ["SOCIALCOVER_DATABASE_URL"] = settings.database_url
    if settings.secure_cookies is not None:
        os.environ["SOCIALCOVER_SECURE_COOKIES"] = "1" if settings.secure_cookies else "0"
    os.environ["SOCIALCOVER_SEED"] = "0"  # seeded above, once, before the workers start
    uvicorn.run(
        "socialcover.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level=log_level,
    )
