"""The home page: world figures (ILO global series) and a world map of coverage."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from socialcover.errors import DataNotInstalledError
from socialcover.web import charts
from socialcover.web.access import Need
from socialcover.web.facts import coverage_map_rows, global_series
from socialcover.web.labels import contingency_label, contingency_order
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def home(request: Request) -> HTMLResponse:
    """World figures, the coverage series and the map."""
    _ = request.state.lang
    try:
        series, map_rows = await run_in_threadpool(lambda: (global_series(), coverage_map_rows()))
    except DataNotInstalledError as exc:
        return render(request, "home.html", {"missing": exc.to_dict()})
    from socialcover.web.i18n import translations

    gt = translations(request.state.lang).gettext
    world = [r for r in series if r["area"] == "World" and r["sex"] == "both"]
    latest_year = max((r["year"] for r in world), default=None)
    figures = sorted(
        (
            {
                "code": r["contingency"],
                "label": contingency_label(r["contingency"], gt),
                "value": r["coverage_pct"],
                "year": r["year"],
            }
            for r in world
            if r["year"] == latest_year
        ),
        key=lambda f: contingency_order(f["code"]),
    )
    line_rows = [
        {
            "year": r["year"],
            "coverage_pct": r["coverage_pct"],
            "group": contingency_label(r["contingency"], gt),
        }
        for r in world
        if r["contingency"]
        in (
            "at_least_one_benefit",
            "children",
            "older_persons_pension",
            "unemployed",
            "persons_with_severe_disabilities",
        )
    ]
    series_spec = charts.line_series(
        line_rows,
        x="year",
        y="coverage_pct",
        color="group",
        title=gt("Effective coverage in the world, %"),
        y_title=gt("% of the group"),
        color_title=gt("Group"),
        description=gt("Share of each group covered by social protection, world, by year."),
    )
    map_spec = charts.world_map(
        map_rows,
        title=gt("Population covered by at least one benefit, % (latest year)"),
        description=gt(
            "World map: share of the population covered by at least one social protection "
            "benefit, by country, latest year available."
        ),
        legend_title=gt("% covered"),
    )
    ctx: dict[str, Any] = {
        "figures": figures,
        "latest_year": latest_year,
        "series_spec": series_spec,
        "map_spec": map_spec,
        "map_rows": sorted(map_rows, key=lambda r: r["name"]),
    }
    return render(request, "home.html", ctx)
