"""REST API over the reference data: countries, population, macro, poverty, coverage."""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.exports import frame_rows, table_response
from socialcover.web.facts import country_list, global_series
from socialcover.web.paging import Page, paging
from socialcover.web.schemas.data import CountryOut

router = APIRouter(prefix="/api/v1", tags=["data"], dependencies=[Depends(Need(None))])

Format = Literal["json", "csv", "xlsx"]
FORMAT_QUERY = Query("json", description="json (paginated), csv or xlsx (all rows).")


def _list(
    request: Request, rows: list[dict[str, Any]], page: Page, fmt: str, name: str
) -> Response:
    if fmt == "json":
        return table_response(page.slice(rows), fmt, name, page.meta(request, len(rows)))
    return table_response(rows, fmt, name)


@router.get("/countries", summary="List countries")
async def list_countries(
    request: Request,
    ilo_region: str | None = Query(None, max_length=80, description="Filter: ILO region."),
    income_group: str | None = Query(None, max_length=80, description="Filter: income group."),
    q: str | None = Query(None, max_length=80, description="Filter: name contains."),
    page: Page = Depends(paging),
    format: Format = FORMAT_QUERY,
) -> Response:
    """Countries with their codes, ILO region and income group."""
    rows = await run_in_threadpool(country_list)
    if ilo_region:
        rows = [r for r in rows if r.get("ilo_region") == ilo_region]
    if income_group:
        rows = [r for r in rows if r.get("income_group") == income_group]
    if q:
        rows = [r for r in rows if q.lower() in str(r.get("name", "")).lower()]
    return _list(request, rows, page, format, "countries")


@router.get("/countries/{code}", response_model=CountryOut, summary="One country")
async def get_country(code: str) -> dict[str, Any]:
    """A country's codes and groups (ISO3, ISO2, M49, name, regions, income group)."""
    from dataclasses import asdict

    from socialcover import data

    c = await run_in_threadpool(data.country, code)
    return asdict(c)


@router.get("/countries/{code}/population", summary="Population by age and sex")
async def get_population(
    request: Request,
    code: str,
    year: int = Query(2025, ge=1950, le=2100),
    sex: Literal["male", "female", "both"] | None = None,
    variant: Literal["medium", "low", "high"] = "medium",
    page: Page = Depends(paging),
    format: Format = FORMAT_QUERY,
) -> Response:
    """UN WPP 2024 population by 5-year age group and sex for one year."""
    from socialcover import data

    frame: pl.DataFrame = await run_in_threadpool(
        lambda: data.population(code, year, sex=sex, variant=variant)
    )
    return _list(request, frame_rows(frame), page, format, f"population-{code}-{year}")


@router.get("/countries/{code}/macro", summary="Macroeconomic series")
async def get_macro(
    request: Request,
    code: str,
    indicator: str | None = Query(None, max_length=60, description="One indicator name."),
    page: Page = Depends(paging),
    format: Format = FORMAT_QUERY,
) -> Response:
    """GDP, growth, inflation, exchange rate, government finance (IMF WEO, WDI fallback)."""
    from socialcover import data

    frame: pl.DataFrame = await run_in_threadpool(
        lambda: data.macro(code, indicators=[indicator] if indicator else None)
    )
    return _list(request, frame_rows(frame), page, format, f"macro-{code}")


@router.get("/countries/{code}/poverty", summary="Poverty and inequality")
async def get_poverty(
    request: Request, code: str, page: Page = Depends(paging), format: Format = FORMAT_QUERY
) -> Response:
    """Poverty headcount and gap, Gini and survey mean (World Bank PIP)."""
    from socialcover import data

    frame: pl.DataFrame = await run_in_threadpool(data.poverty, code)
    return _list(request, frame_rows(frame), page, format, f"poverty-{code}")


@router.get("/countries/{code}/coverage", summary="Social protection coverage")
async def get_coverage(
    request: Request,
    code: str,
    sex: Literal["male", "female", "both"] | None = None,
    page: Page = Depends(paging),
    format: Format = FORMAT_QUERY,
) -> Response:
    """SDG 1.3.1 effective coverage by group, with year and source."""
    from socialcover import data

    frame: pl.DataFrame = await run_in_threadpool(data.coverage, code)
    if sex:
        frame = frame.filter(pl.col("sex") == sex)
    return _list(request, frame_rows(frame), page, format, f"coverage-{code}")


@router.get("/coverage/global", summary="World coverage series")
async def get_coverage_global(
    request: Request,
    contingency: str | None = Query(None, max_length=60),
    sex: Literal["male", "female", "both"] | None = None,
    page: Page = Depends(paging),
    format: Format = FORMAT_QUERY,
) -> Response:
    """ILO global SDG 1.3.1 series, 2009-2023 (world and low-income countries)."""
    rows = await run_in_threadpool(global_series)
    if contingency:
        rows = [r for r in rows if r["contingency"] == contingency]
    if sex:
        rows = [r for r in rows if r["sex"] == sex]
    return _list(request, rows, page, format, "coverage-global")
