"""REST API: costing packages and runs (a country and package with assumptions, or a scenario),
and saved scenarios (save, list, read a version, compare)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from socialcover.web import costing_view
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.costing_view import CostingForm, costing_form
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable, table_response
from socialcover.web.heavy import heavy_work
from socialcover.web.paging import Page
from socialcover.web.params import MAX_ID, RecordId, Version
from socialcover.web.schemas.costing import (
    CostRunOut,
    PackagesOut,
    SavedScenarioOut,
    SavedScenariosOut,
)

router = APIRouter(prefix="/api/v1/costing", tags=["costing"], dependencies=[Depends(Need(None))])


@router.get("/packages", response_model=PackagesOut, summary="Preset benefit packages")
async def packages() -> dict[str, Any]:
    """The preset packages with their title, source and benefits."""
    from socialcover import costing

    return {
        "items": [
            {"name": p, **jsonable(costing.describe_package(p))} for p in costing.package_names()
        ]
    }


def _row_paging(
    page: int = Query(1, ge=1, le=1_000_000, description="Page of rows, from 1."),
    per_page: int = Query(
        2000, ge=1, le=10_000, description="Rows per page (at most 10,000; totals are whole)."
    ),
) -> Page:
    return Page(page, per_page)


@router.get("/run", summary="Cost a package for a country", dependencies=[Depends(heavy_work)])
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


@router.get(
    "/workbook", summary="Excel workbook of a costing run", dependencies=[Depends(heavy_work)]
)
async def workbook(form: CostingForm = Depends(costing_form)) -> Response:
    """The RAP-style workbook (assumptions, population, economy, one sheet per benefit, summary)."""
    content = await run_in_threadpool(costing_view.workbook_bytes, form.scenario())
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="costing.xlsx"'},
    )


@router.post(
    "/run",
    response_model=CostRunOut,
    summary="Cost a full scenario",
    dependencies=[Depends(heavy_work)],
)
async def run_scenario(
    request: Request,
    scenario: dict[str, Any] = Body(
        ...,
        examples=[{"country": "KEN", "package": "spf-four-guarantees", "horizon": 2030}],
        description="A costing scenario as in docs/costing.md (validated completely first).",
    ),
    page: Page = Depends(_row_paging),
) -> dict[str, Any]:
    """Any scenario the costing engine accepts (several countries, own benefits...).

    ``totals``, ``provenance`` and ``missing`` are whole; ``rows`` (per country, year and
    benefit) come a page at a time (``page``, ``per_page``; ``total`` counts them all)."""
    out = costing_view.summary(await run_in_threadpool(costing_view.run, scenario))
    rows = out["rows"]
    meta = page.meta(request, len(rows))
    # a POST cannot be followed as a link: the next page is the same body with ``page=N+1``
    return out | {"rows": page.slice(rows)} | meta


# --- saved scenarios (socialcover.store.scenarios) ---------------------------------------------

scenarios_router = APIRouter(prefix="/api/v1/costing/scenarios", tags=["costing"])


class ScenarioSave(BaseModel):
    """A scenario to save under a name (a new version if the caller has one of that name)."""

    name: str = Field(min_length=1, max_length=120, examples=["Kenya basic"])
    description: str | None = Field(None, max_length=5000)
    scenario: dict[str, Any] = Field(
        description="A costing scenario as in docs/costing.md (validated completely first).",
        examples=[{"country": "KEN", "package": "campaign-basic", "horizon": 2030}],
    )
    expected_version: Version | None = None


def _saved(x: Any, *, document: bool = True) -> dict[str, Any]:
    out = dict(jsonable(x.to_dict()))
    if not document:
        out.pop("document")
    return out


@scenarios_router.get("", response_model=SavedScenariosOut, summary="Saved costing scenarios")
async def list_saved(
    session: ReadSession,
    country: str = Query("", max_length=3, description="Only this country (ISO3)."),
    user: Principal | None = Depends(Need("scenario.read_published")),
) -> dict[str, Any]:
    """The saved scenarios the caller may see (published ones, one's drafts), last changed
    first, without their documents."""
    from socialcover.store.scenarios import list_scenarios

    def _do() -> list[dict[str, Any]]:
        found = list_scenarios(session, user, country=country or None)
        return [_saved(x, document=False) for x in found]

    return {"items": await run_in_threadpool(_do)}


@scenarios_router.post(
    "", response_model=SavedScenarioOut, status_code=201, summary="Save a costing scenario"
)
async def save_saved(
    body: ScenarioSave, session: WriteSession, user: Principal = Depends(Need("scenario.draft"))
) -> JSONResponse:
    """Validate the scenario whole, then save it as a draft of the caller's, or as a new
    version of the caller's scenario of that name (``expected_version`` guards lost updates)."""
    from socialcover.store.scenarios import save_scenario

    def _do() -> dict[str, Any]:
        saved = save_scenario(
            session,
            user,
            body.name,
            body.scenario,
            description=body.description,
            expected_version=body.expected_version,
        )
        return _saved(saved)

    out = await run_in_threadpool(_do)
    return JSONResponse(
        out, status_code=201, headers={"Location": f"/api/v1/costing/scenarios/{out['id']}"}
    )


@scenarios_router.get("/compare", summary="Compare two saved scenarios year by year")
async def compare_saved(
    session: ReadSession,
    a: str = Query(..., min_length=1, max_length=140, description="ID, NAME, ID@V or NAME@V."),
    b: str = Query(..., min_length=1, max_length=140, description="The other one."),
    format: Literal["json", "csv", "xlsx"] = Query("json"),
    user: Principal | None = Depends(Need("scenario.read_published")),
) -> Response:
    """Cost in LCU, US$, % of GDP and % of government expenditure per scenario, country and
    year, with the second's differences from the first (``diff_*``)."""
    from socialcover.store import scenarios

    def _do() -> tuple[list[Any], list[dict[str, Any]]]:
        versions, table = scenarios.compare_saved(session, user, a, b)
        return versions, [jsonable(r) for r in table.to_dicts()]

    versions, rows = await run_in_threadpool(_do)
    if format != "json":
        return table_response(rows, format, "costing-comparison")
    meta = {"scenarios": [_saved(v, document=False) for v in versions]}
    return table_response(rows, "json", "costing-comparison", meta)


@scenarios_router.get("/{sid}", response_model=SavedScenarioOut, summary="One saved scenario")
async def get_saved(
    sid: RecordId,
    session: ReadSession,
    version: int | None = Query(None, ge=1, le=MAX_ID, description="An earlier version."),
    user: Principal | None = Depends(Need("scenario.read_published")),
) -> dict[str, Any]:
    """The scenario (latest, or at ``version``) with its document, ready to post to
    ``/api/v1/costing/run``."""
    from socialcover.store.scenarios import get_scenario

    def _do() -> dict[str, Any]:
        return _saved(get_scenario(session, user, sid, version))

    return await run_in_threadpool(_do)
