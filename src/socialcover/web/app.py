"""The app factory: middleware, error handlers, static files and the routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from socialcover.web import error_shape, openapi
from socialcover.web.database import prepare_database
from socialcover.web.heavy import HeavyWorkLimiter
from socialcover.web.jobs import JobRegistry, ReportJobs
from socialcover.web.limits import BodyLimitMiddleware
from socialcover.web.middleware import ContextMiddleware
from socialcover.web.routes import include_all
from socialcover.web.security import SecurityHeadersMiddleware, csrf_protect
from socialcover.web.settings import Settings
from socialcover.web.spark_jobs import SparkTarget
from socialcover.web.worker import Limits

log = logging.getLogger("socialcover.web")
STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    settings
        Database URL, cookie policy, upload folder... (defaults: the embedded SQLite
        database in the socialcover home, cookies Secure when the request came over https).

    Returns
    -------
    FastAPI
        The app; run it with ``uvicorn`` (``socialcover serve`` does).
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(prepare_database, settings)
        try:
            yield
        finally:
            app.state.jobs.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="socialcover",
        summary="Social security coverage: data, practices, costing and survey indicators.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served below from the vendored Swagger UI (no CDN at run time)
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.secret = settings.resolved_secret()
    app.state.jobs = ThreadPoolExecutor(max_workers=settings.job_workers, thread_name_prefix="job")
    app.state.job_registry = JobRegistry(
        settings.resolved_upload_dir() / "surveys",
        app.state.jobs,
        Limits(memory_mb=settings.survey_job_memory_mb, seconds=settings.survey_job_seconds),
        spark=SparkTarget(settings.spark_master, settings.spark_min_rows),
    )
    app.state.report_jobs = ReportJobs(
        settings.resolved_upload_dir() / "reports",
        app.state.jobs,
        Limits(memory_mb=settings.report_job_memory_mb, seconds=settings.report_job_seconds),
    )
    app.state.heavy = HeavyWorkLimiter(settings.anonymous_heavy_per_minute)
    error_shape.install(app)

    # Outermost last: HEAD as GET, the context, then the security headers (also on a 413), then
    # the limit, then literal paths before the routes' parameters (a 405 before any body is read).
    app.add_middleware(error_shape.LiteralPathsFirst, web=app)
    app.add_middleware(BodyLimitMiddleware, web=app)
    app.add_middleware(SecurityHeadersMiddleware, web=app)  # inside the context: sees the principal
    app.add_middleware(ContextMiddleware, web=app)
    app.add_middleware(error_shape.HeadAsGet)  # HEAD is a GET, all the way in

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    include_all(app)
    openapi.install(app)
    return app


def app_from_env() -> FastAPI:
    """An app configured from the environment (for ``uvicorn --factory`` and worker processes).

    Reads ``SOCIALCOVER_DATABASE_URL`` (the store's variable), ``SOCIALCOVER_SECURE_COOKIES``
    (``1``/``0``; unset = decide per request) and ``SOCIALCOVER_SEED`` (``0`` to skip seeding).
    """
    import os

    secure = os.environ.get("SOCIALCOVER_SECURE_COOKIES")
    return create_app(
        Settings(
            database_url=os.environ.get("SOCIALCOVER_DATABASE_URL") or None,
            secure_cookies=None if secure is None else secure == "1",
            seed=os.environ.get("SOCIALCOVER_SEED", "1") != "0",
        )
    )
