"""The costing page: pick a country and a package, adjust assumptions, see the cost by year;
save a run's scenario under a name, list the saved ones, compare two of them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.errors import DataNotInstalledError, SocialcoverError
from socialcover.web import costing_view
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.costing_view import CostingForm, costing_form
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import MEDIA
from socialcover.web.facts import country_list
from socialcover.web.i18n import translations
from socialcover.web.labels import term
from socialcover.web.params import MAX_ID
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/costing", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def costing_page(request: Request, form: CostingForm = Depends(costing_form)) -> HTMLResponse:
    """The form and, once submitted, the result (HTMX swaps only the result)."""
    from socialcover import costing

    gt = translations(request.state.lang).gettext
    ctx: dict[str, object] = {"form": form, "packages": costing.package_names()}
    if "country" in request.query_params:
        try:
            run = await run_in_threadpool(costing_view.run, form.scenario())
            ctx["result"] = costing_view.summary(run)
            ctx["chart_spec"] = costing_view.chart(
                run,
                gt("Cost of the package, % of GDP"),
                gt("% of GDP"),
                gt("Year"),
                gt("Benefit"),
                lambda code: term(code, gt),
            )
            ctx["query"] = request.url.query
        except SocialcoverError as exc:
            ctx["problem"] = exc.to_dict()
    if request.headers.get("hx-request"):
        return render(request, "_costing_result.html", ctx)
    try:
        ctx["countries"] = await run_in_threadpool(country_list)
    except DataNotInstalledError as exc:
        ctx["countries"], ctx["problem"] = [], exc.to_dict()
    ctx["package_info"] = {p: costing.describe_package(p)["title"] for p in ctx["packages"]}  # type: ignore[attr-defined]
    return render(request, "costing.html", ctx)


@router.get("/costing/workbook", dependencies=[Depends(Need(None))])
async def costing_workbook(form: CostingForm = Depends(costing_form)) -> Response:
    """The Excel workbook of the scenario (RAP layout, formulas kept)."""
    content = await run_in_threadpool(costing_view.workbook_bytes, form.scenario())
    name = f"costing-{form.country}-{form.package}.xlsx"
    return Response(
        content,
        media_type=MEDIA["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- saved scenarios: save the form's scenario under a name, list them, compare two ---------


@router.post("/costing/scenarios")
async def save_costing_scenario(
    request: Request,
    session: WriteSession,
    form: CostingForm = Depends(costing_form),
    name: str = Form(..., min_length=1, max_length=120),
    user: Principal = Depends(Need("scenario.draft")),
) -> Response:
    """Save the scenario of the costing form (its fields are the query string) under ``name``."""
    from socialcover.store.scenarios import save_scenario

    saved = await run_in_threadpool(save_scenario, session, user, name, form.scenario())
    return RedirectResponse(f"/costing/scenarios?saved={saved.id}", status_code=303)


@router.get("/costing/scenarios", response_class=HTMLResponse)
async def costing_scenarios(
    request: Request,
    session: ReadSession,
    saved: int | None = Query(None, ge=1, le=MAX_ID),
    user: Principal | None = Depends(Need("scenario.read_published")),
) -> HTMLResponse:
    """The saved scenarios the reader may see, and a form to compare two of them."""
    from socialcover.store.scenarios import list_scenarios

    rows = await run_in_threadpool(list_scenarios, session, user)
    return render(request, "costing_scenarios.html", {"rows": rows, "saved": saved})


@router.get("/costing/scenarios/compare", response_class=HTMLResponse)
async def compare_costing_scenarios(
    request: Request,
    session: ReadSession,
    a: str = Query(..., min_length=1, max_length=140),
    b: str = Query(..., min_length=1, max_length=140),
    user: Principal | None = Depends(Need("scenario.read_published")),
) -> HTMLResponse:
    """Two saved scenarios (or two versions of one) year by year, with the differences."""
    from socialcover.store import scenarios

    ctx: dict[str, object] = {"a": a, "b": b}
    try:
        versions, table = await run_in_threadpool(scenarios.compare_saved, session, user, a, b)
        labels = table["scenario"].unique(maintain_order=True).to_list()
        first = {(r["iso3"], r["year"]): r for r in table.to_dicts() if r["scenario"] == labels[0]}
        pairs = [
            (first.get((r["iso3"], r["year"])), r)
            for r in table.to_dicts()
            if r["scenario"] == labels[-1]
        ]
        ctx |= {"versions": versions, "labels": labels, "pairs": pairs}
    except SocialcoverError as exc:
        ctx["problem"] = exc.to_dict()
    return render(request, "costing_compare.html", ctx)
