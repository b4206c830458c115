"""The costing page: pick a country and a package, adjust assumptions, see the cost by year."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.errors import DataNotInstalledError, SocialcoverError
from socialcover.web import costing_view
from socialcover.web.access import Need
from socialcover.web.costing_view import CostingForm, costing_form
from socialcover.web.exports import MEDIA
from socialcover.web.facts import country_list
from socialcover.web.i18n import translations
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
