"""The routers of the web app: pages and the REST API (``/api/v1``)."""

from __future__ import annotations

from fastapi import FastAPI


def include_all(app: FastAPI) -> None:
    """Add every router to ``app``."""
    from socialcover.web.routes import (
        actors,
        api_costing,
        api_data,
        api_library,
        api_practices,
        api_search,
        auth,
        costing,
        country,
        home,
        practices,
        publications,
    )

    for module in (
        home,
        country,
        auth,
        practices,
        publications,
        actors,
        costing,
        api_data,
        api_practices,
        api_library,
        api_search,
        api_costing,
    ):
        app.include_router(module.router)
