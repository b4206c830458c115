"""The costing page: pick a country and a package, adjust assumptions, see the cost by year."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.errors import DataNotInstalledError, SocialcoverError
from socialcover.web import costing_view
from socialcover.web.access import Need
from socialcover.web.errors import WebError
from socialcover.web.exports import MEDIA
from socialcover.web.facts import country_list
from socialcover.web.i18n import translations
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)


def _optional_pct(name: str, raw: str, low: float, high: float) -> float | None:
    """An optional percentage from a form field (empty = use the data pack's default)."""
    if not raw.strip():
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = float("nan")
    if not low < value < high:
        raise WebError(
            422,
            f"{name} must be a number between {low:g} and {high:g}, got {raw!r}.",
            code="input.invalid",
            hint="Leave it empty to use the IMF WEO projection.",
        )
    return value


def costing_form(
    country: str = Query("KEN", min_length=2, max_length=60),
    package: str = Query("spf-four-guarantees", max_length=60),
    base_year: int = Query(2025, ge=2023, le=2030),
    end_year: int = Query(2035, ge=2024, le=2060),
    takeup_pct: float = Query(100.0, ge=0, le=100),
    admin_pct: float = Query(0.0, ge=0, lt=50),
    real_growth_pct: str = Query("", max_length=12, description="% a year; empty: IMF WEO."),
    inflation_pct: str = Query("", max_length=12, description="% a year; empty: IMF WEO."),
) -> costing_view.CostingForm:
    """The costing form's fields, checked (GET, so results can be bookmarked and shared)."""
    return costing_view.CostingForm(
        country=country,
        package=package,
        base_year=base_year,
        end_year=end_year,
        takeup_pct=takeup_pct,
        admin_pct=admin_pct,
        real_growth_pct=_optional_pct("real_growth_pct", real_growth_pct, -20, 30),
        inflation_pct=_optional_pct("inflation_pct", inflation_pct, -20, 200),
    )


@router.get("/costing", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def costing_page(
    request: Request, form: costing_view.CostingForm = Depends(costing_form)
) -> HTMLResponse:
    """The form and, once submitted, the result (HTMX swaps only the result)."""
    from socialcover import costing

    gt = translations(request.state.lang).gettext
    ctx: dict[str, object] = {"form": form, "packages": costing.package_names()}
    if "country" in request.query_params:
        try:
            result = await run_in_threadpool(costing_view.run, form)
            ctx["result"] = costing_view.summary(result)
            ctx["chart_spec"] = costing_view.chart(
                result,
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
async def costing_workbook(form: costing_view.CostingForm = Depends(costing_form)) -> Response:
    """The Excel workbook of the scenario (RAP layout, formulas kept)."""

    def _do() -> bytes:
        return costing_view.workbook_bytes(costing_view.run(form))

    content = await run_in_threadpool(_do)
    name = f"costing-{form.country}-{form.package}.xlsx"
    return Response(
        content,
        media_type=MEDIA["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
