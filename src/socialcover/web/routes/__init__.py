"""The routers of the web app: pages and the REST API (``/api/v1``)."""

from __future__ import annotations

from fastapi import FastAPI


def include_all(app: FastAPI) -> None:
    """Add every router to ``app``."""
    from socialcover.web.routes import (
        actors,
        api_costing,
        api_countries,
        api_data,
        api_library,
        api_monitor,
        api_practices,
        api_search,
        api_surveys,
        auth,
        costing,
        country,
        docs,
        engagements,
        history,
        home,
        monitor,
        practices,
        publications,
        report,
        surveys,
    )

    for module in (
        home,
        country,
        auth,
        practices,
        publications,
        actors,
        history,
        costing,
        surveys,
        report,
        monitor,
        engagements,
        api_data,
        api_practices,
        api_library,
        api_search,
        api_costing,
        api_surveys,
        api_monitor,
        api_countries,
        docs,
    ):
        app.include_router(module.router)
