"""The home page: world figures (ILO global series) and a world map of coverage."""

from __future__ import annotations

from typing import Any

import polars as pl
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from socialcover import monitor
from socialcover.errors import DataNotInstalledError
from socialcover.web import charts, monitor_view
from socialcover.web.access import Need
from socialcover.web.facts import country_list, coverage_map_rows, global_series
from socialcover.web.labels import contingency_label, contingency_order
from socialcover.web.names import country_name, sort_key
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
            "area": r["contingency"],
            "year": r["year"],
            "value": r["coverage_pct"],
            "nature": "modelled",  # ILO modelled global estimates
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
    # the monitor's line chart, as the explorer, the report and the media kits draw it
    series_spec = monitor.series_chart(
        pl.DataFrame(line_rows),
        title=gt("Effective coverage in the world, %"),
        y_title=gt("% of the group"),
        source=monitor_view.source_line(world, gt),
        description=gt("Share of each group covered by social protection, world, by year."),
        labels={r["area"]: contingency_label(r["area"], gt) for r in line_rows},
        domain=(0, 100),
        width="container",
        height=260,
    )
    shown = _map_rows(map_rows, request.state.lang)
    map_spec = charts.world_map(
        shown,
        title=gt("Population covered by at least one benefit, % (latest year)"),
        description=gt(
            "World map: share of the population covered by at least one social protection "
            "benefit, by country, latest year available."
        ),
        legend_title=gt("% covered"),
        country_title=gt("Country"),
        year_title=gt("Year"),
        no_data=gt("No data"),
    )
    ctx: dict[str, Any] = {
        "figures": figures,
        "latest_year": latest_year,
        "series_spec": series_spec,
        "map_spec": map_spec,
        "map_rows": sorted(
            (r for r in shown if r["value"] is not None), key=lambda r: sort_key(r["name"])
        ),
    }
    return render(request, "home.html", ctx)


def _map_rows(with_data: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every country of the pack on the map (those without a value in grey, still clickable),
    named in the reader's language."""
    by_iso3 = {r["iso3"]: r for r in with_data}
    rows = []
    for c in country_list():
        if c.get("m49") is None:
            continue
        found = by_iso3.get(c["iso3"], {})
        rows.append(
            {
                "id": f"{int(c['m49']):03d}",
                "iso3": c["iso3"],
                "name": country_name(c["iso3"], c["name"], lang),
                "value": found.get("value"),
                "year": found.get("year"),
            }
        )
    return rows
