"""REST API: costing packages and runs (a country and package with assumptions, or a scenario)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from socialcover.web import costing_view
from socialcover.web.access import Need
from socialcover.web.costing_view import CostingForm, costing_form
from socialcover.web.exports import jsonable, table_response

router = APIRouter(prefix="/api/v1/costing", tags=["costing"], dependencies=[Depends(Need(None))])


@router.get("/packages", summary="Preset benefit packages")
async def packages() -> dict[str, Any]:
    """The preset packages with their title, source and benefits."""
    from socialcover import costing

    return {
        "items": [
            {"name": p, **jsonable(costing.describe_package(p))} for p in costing.package_names()
        ]
    }


@router.get("/run", summary="Cost a package for a country")
async def run(
    form: CostingForm = Depends(costing_form),
    format: Literal["json", "csv", "xlsx"] = Query("json"),
) -> Response:
    """Rows per year and benefit (and a ``total`` per year) with costs in LCU, US$, % of GDP."""
    out = costing_view.summary(await run_in_threadpool(costing_view.run, form.scenario()))
    if format == "json":
        return table_response(
            out["rows"],
            "json",
            "costing",
            {
                "scenario": jsonable(form.scenario()),
                "totals": out["totals"],
                "provenance": out["provenance"],
                "missing": out["missing"],
            },
        )
    return table_response(out["rows"], format, f"costing-{form.country}-{form.package}")


@router.get("/workbook", summary="Excel workbook of a costing run")
async def workbook(form: CostingForm = Depends(costing_form)) -> Response:
    """The RAP-style workbook (assumptions, population, economy, one sheet per benefit, summary)."""
    content = await run_in_threadpool(costing_view.workbook_bytes, form.scenario())
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="costing.xlsx"'},
    )


@router.post("/run", summary="Cost a full scenario")
async def run_scenario(
    scenario: dict[str, Any] = Body(
        ...,
        examples=[{"country": "KEN", "package": "spf-four-guarantees", "horizon": 2030}],
        description="A costing scenario as in docs/costing.md (validated completely first).",
    ),
) -> dict[str, Any]:
    """Any scenario the costing engine accepts (several countries, own benefits...)."""
    return costing_view.summary(await run_in_threadpool(costing_view.run, scenario))
