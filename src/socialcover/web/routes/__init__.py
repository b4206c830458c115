"""The routers of the web app: pages and the REST API (``/api/v1``)."""

from __future__ import annotations

from fastapi import FastAPI


def include_all(app: FastAPI) -> None:
    """Add every router to ``app``."""
    from socialcover.web.routes import (
        api_data,
        api_practices,
        api_search,
        auth,
        country,
        home,
        practices,
    )

    app.include_router(home.router)
    app.include_router(country.router)
    app.include_router(auth.router)
    app.include_router(practices.router)
    app.include_router(api_data.router)
    app.include_router(api_practices.router)
    app.include_router(api_search.router)
