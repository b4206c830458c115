"""Monitoring pages: the indicator explorer, indicator metadata, aggregates and progress.

Every page reads approved observations only (:mod:`socialcover.web.monitor_view`); downloads
link to the REST API (``/api/v1/monitor/observations``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from socialcover import monitor
from socialcover.errors import InputError
from socialcover.web import monitor_view
from socialcover.web.access import Need
from socialcover.web.database import ReadSession
from socialcover.web.i18n import translations
from socialcover.web.monitor_view import DEFAULT_INDICATOR, Choice
from socialcover.web.names import group_name
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)

Sex = Literal["both", "female", "male"]
Year = Annotated[int | None, Query(ge=1950, le=2100)]


@router.get("/monitor", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def explorer(
    request: Request,
    session: ReadSession,
    indicator: str = Query(DEFAULT_INDICATOR, max_length=80),
    area: list[str] = Query([], max_length=40),
    start: Year = None,
    end: Year = None,
    sex: Sex | None = Query(None),
    rank_year: Year = None,
    sort: Literal["value", "name"] = Query("value"),
    order: Literal["desc", "asc"] = Query("desc"),
) -> HTMLResponse:
    """Choose an indicator, areas, years and sex: a chart, a table, downloads, a ranking."""
    definition = monitor.get_indicator(indicator)
    choice = Choice(
        indicator=definition.code,
        areas=tuple(area) or (monitor.WORLD,),
        start=start,
        end=end,
        sex=sex or definition.sex,
        rank_year=rank_year,
        sort=sort,
        order=order,
    )
    gt = translations(request.state.lang).gettext
    found = await run_in_threadpool(
        monitor_view.explore, session, request.state.user, choice, gt, request.state.lang
    )
    spec = monitor_view.series_chart(found["rows"], gt(definition.name), definition.unit, gt)
    map_spec = monitor_view.ranking_map(
        found["ranking"], f"{gt(definition.name)}, {found['rank_year']}", definition.unit, gt
    )
    api = "/api/v1/monitor/observations?" + choice.api_query()
    ctx: dict[str, Any] = {
        **found,
        "choice": choice,
        "definition": definition,
        "indicators": monitor_view.indicator_options(),
        "groups": await run_in_threadpool(monitor_view.groups),
        "countries": await run_in_threadpool(monitor_view.country_names, request.state.lang),
        "sexes": monitor_view.SEX_LABELS,
        "spec": spec,
        "map_spec": map_spec,
        "api": api,
        "chart_api": "/api/v1/monitor/chart?" + choice.api_query(),
        "share_url": str(request.url.replace(query=choice.query())),
    }
    return render(request, "monitor/explorer.html", ctx)


@router.get(
    "/monitor/indicators/{code}", response_class=HTMLResponse, dependencies=[Depends(Need(None))]
)
async def indicator_page(request: Request, code: str) -> HTMLResponse:
    """The metadata of one indicator: definition, numerator, denominator, weight, source."""
    definition = monitor.get_indicator(code)
    return render(request, "monitor/indicator.html", {"d": definition.to_dict()})


@router.get("/monitor/aggregates", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def aggregates_page(
    request: Request,
    session: ReadSession,
    indicator: str = Query(DEFAULT_INDICATOR, max_length=80),
    year: Year = None,
    sex: Sex | None = Query(None),
) -> HTMLResponse:
    """World, ILO-region and income-group aggregates of one year, with people not covered."""
    definition = monitor.get_indicator(indicator)
    gt = translations(request.state.lang).gettext
    ctx: dict[str, Any] = {
        "definition": definition,
        "indicators": monitor_view.indicator_options(weighted_only=True),
        "sex": sex or definition.sex,
        "sexes": monitor_view.SEX_LABELS,
        "rows": [],
        "spec": None,
        "year": year,
    }
    try:
        ctx["year"], ctx["rows"] = await run_in_threadpool(
            monitor_view.aggregates, session, request.state.user, definition.code, year, sex
        )
    except InputError as exc:
        ctx["problem"] = exc.to_dict()
    for r in ctx["rows"]:
        r["type_label"] = gt(monitor_view.GROUP_TYPE_LABELS[r["group_type"]])
    shown = [
        {
            "group": group_name(r["group"], gt),
            "value": r["value"],
        }
        for r in ctx["rows"]
        if r["value"] is not None
    ]
    if shown:
        # the report's chart of the same numbers (one definition: socialcover.monitor.charts)
        ctx["spec"] = monitor.aggregate_chart(
            pl.DataFrame(shown),
            title=f"{gt(definition.name)}, {ctx['year']}",
            description=gt("Bar chart: the indicator for the world, each region and income group."),
            value_title=definition.unit,
            width="container",
        )
    return render(request, "monitor/aggregates.html", ctx)


@router.get("/monitor/progress", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def progress_page(
    request: Request,
    session: ReadSession,
    indicator: str = Query(DEFAULT_INDICATOR, max_length=80),
    area: str = Query(monitor.WORLD, max_length=40),
    sex: Sex | None = Query(None),
) -> HTMLResponse:
    """Progress of the world and the ILO regions towards universal coverage by 2030."""
    definition = monitor.get_indicator(indicator)
    gt = translations(request.state.lang).gettext
    chosen_sex = sex or definition.sex
    rows, series = await run_in_threadpool(
        monitor_view.progress_rows, session, request.state.user, definition.code, area, chosen_sex
    )
    for r in rows:
        r["status_label"] = gt(monitor_view.STATUS_LABELS.get(r["status"] or "", r["status"] or ""))
    ctx: dict[str, Any] = {
        "definition": definition,
        "indicators": monitor_view.indicator_options(weighted_only=True),
        "area": area,
        "sex": chosen_sex,
        "rows": rows,
        "spec": monitor_view.progress_chart(series, definition.code, area, gt(definition.name)),
        "target": monitor_view.UNIVERSAL,
        "target_year": monitor_view.TARGET_YEAR,
        "groups": await run_in_threadpool(monitor_view.groups),
        "countries": await run_in_threadpool(monitor_view.country_names, request.state.lang),
    }
    return render(request, "monitor/progress.html", ctx)


@router.get(
    "/monitor/groups/{group}", response_class=HTMLResponse, dependencies=[Depends(Need(None))]
)
async def group_page(request: Request, session: ReadSession, group: str) -> HTMLResponse:
    """A region's or an income group's page (the world's too): series, people not covered,
    countries."""
    if group not in monitor_view.groups():
        from socialcover.errors import NotFoundError

        raise NotFoundError(
            f"No group {group!r}.",
            code="monitor.unknown-group",
            hint="Use World, an ILO region or an income group; /monitor/aggregates lists them.",
            value=group,
        )
    gt = translations(request.state.lang).gettext
    ctx = await run_in_threadpool(
        monitor_view.group_page, session, request.state.user, group, gt, request.state.lang
    )
    ctx |= {"group": group, "type_label": gt(monitor_view.GROUP_TYPE_LABELS[ctx["kind"]])}
    return render(request, "monitor/group.html", ctx)
