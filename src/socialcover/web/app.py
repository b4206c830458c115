"""The app factory: middleware, error handlers, static files and the routers."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from socialcover.web import error_shape
from socialcover.web.i18n import LANG_COOKIE, LANGUAGES, choose_language
from socialcover.web.jobs import JobRegistry
from socialcover.web.security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    csrf_protect,
    csrf_token_for,
    is_https,
)
from socialcover.web.settings import Settings

log = logging.getLogger("socialcover.web")
STATIC_DIR = Path(__file__).parent / "static"

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


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
        from socialcover.web import accounts

        await run_in_threadpool(accounts.prepare_database, settings)
        try:
            yield
        finally:
            app.state.jobs.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="socialcover",
        summary="Social security coverage: data, practices, costing and survey indicators.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url="/api/v1/docs/oauth2-redirect",
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.secret = settings.resolved_secret()
    app.state.jobs = ThreadPoolExecutor(max_workers=settings.job_workers, thread_name_prefix="job")
    app.state.job_registry = JobRegistry(settings.resolved_upload_dir() / "surveys", app.state.jobs)
    error_shape.install(app)

    @app.middleware("http")
    async def _context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        query_lang = request.query_params.get("lang")
        request.state.lang = choose_language(
            query_lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
        )
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        new_nonce = not nonce
        if new_nonce:
            nonce = secrets.token_urlsafe(24)
            # the dependency reads the cookie; a first visit has none, so no token can match
        request.state.csrf_token = csrf_token_for(app.state.secret, nonce)
        request.state.user = await _principal(request)
        response = await call_next(request)
        secure = (
            settings.secure_cookies if settings.secure_cookies is not None else is_https(request)
        )
        if new_nonce:
            response.set_cookie(
                CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=secure, path="/"
            )
        if query_lang and query_lang[:2] in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE,
                request.state.lang,
                max_age=365 * 86400,
                httponly=True,
                samesite="lax",
                secure=secure,
                path="/",
            )
        if request.url.path.startswith("/api/v1/docs"):
            pass  # Swagger UI loads its files itself; keep the default policy off that page
        else:
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Content-Language", request.state.lang)
        return response

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    from socialcover.web.routes import include_all

    include_all(app)
    return app


async def _principal(request: Request) -> Any:
    """The account behind the request: a Bearer token, else a session cookie, else ``None``."""
    from socialcover.web import accounts

    url = request.app.state.settings.database_url
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return await run_in_threadpool(accounts.principal_by_token, url, auth[7:].strip())
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await run_in_threadpool(accounts.principal_by_session, url, token)
