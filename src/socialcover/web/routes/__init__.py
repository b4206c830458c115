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
        event_forms,
        history,
        home,
        monitor,
        monitor_entry,
        networks,
        practices,
        press_forms,
        publications,
        report,
        schemes,
        statement_forms,
        strategy,
        surveys,
        training,
        training_forms,
    )

    # Routes are matched in order, and each route tried costs a few microseconds: the pages
    # and the search that anonymous readers ask for most come first.
    for module in (
        home,
        country,
        practices,
        api_search,
        auth,
        claims,
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
        event_forms,
        press_forms,
        statement_forms,
        strategy,
        advocacy,
        training_forms,
        training,
        networks,
        api_data,
        api_practices,
        api_library,
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
