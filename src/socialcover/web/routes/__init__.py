"""The routers of the web app: pages and the REST API (``/api/v1``)."""

from __future__ import annotations

from fastapi import FastAPI


def include_all(app: FastAPI) -> None:
    """Add every router to ``app``."""
    from socialcover.web.routes import (
        actors,
        advocacy,
        api_advocacy,
        api_costing,
        api_countries,
        api_data,
        api_evaluations,
        api_library,
        api_monitor,
        api_networks,
        api_practices,
        api_progress,
        api_search,
        api_surveys,
        api_training,
        auth,
        claims,
        costing,
        country,
        docs,
        engagements,
        evaluations,
        history,
        home,
        monitor,
        monitor_entry,
        networks,
        practices,
        publications,
        report,
        schemes,
        strategy,
        surveys,
        training,
    )

    for module in (
        home,
        country,
        auth,
        claims,
        practices,
        publications,
        actors,
        history,
        costing,
        surveys,
        schemes,
        report,
        monitor,
        evaluations,
        monitor_entry,
        engagements,
        strategy,
        advocacy,
        training,
        networks,
        api_data,
        api_practices,
        api_library,
        api_search,
        api_costing,
        api_surveys,
        api_monitor,
        api_evaluations,
        api_countries,
        api_progress,
        api_advocacy,
        api_training,
        api_networks,
        docs,
    ):
        app.include_router(module.router)
    app.include_router(api_costing.scenarios_router)
