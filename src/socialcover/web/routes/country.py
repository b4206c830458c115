"""Country pages: the index and one page per country (people, economy, poverty, coverage)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from socialcover import monitor
from socialcover.web import charts, knowledge_view, monitor_view
from socialcover.web.access import Need
from socialcover.web.database import ReadSession, public_version
from socialcover.web.facts import country_headlines, country_list, pack_key
from socialcover.web.i18n import translations
from socialcover.web.labels import N_, contingency_label, contingency_order
from socialcover.web.names import country_name, group_name, sort_key
from socialcover.web.render import page_once, render

router = APIRouter(include_in_schema=False)

PYRAMID_YEAR = 2025
MACRO_SHOWN = (
    "gdp_usd",
    "gdp_per_capita_usd",
    "real_gdp_growth_pct",
    "inflation_cpi_pct",
    "gov_revenue_pct_gdp",
    "gov_expenditure_pct_gdp",
    "population_millions",
)
MACRO_LABELS = {
    "gdp_usd": N_("GDP, current US$"),
    "gdp_per_capita_usd": N_("GDP per person, current US$"),
    "real_gdp_growth_pct": N_("Real GDP growth, %"),
    "inflation_cpi_pct": N_("Inflation (consumer prices), %"),
    "gov_revenue_pct_gdp": N_("Government revenue, % of GDP"),
    "gov_expenditure_pct_gdp": N_("Government expenditure, % of GDP"),
    "population_millions": N_("Population, millions"),
}
POVERTY_LABELS = {
    "pov_hc_300_pct": N_("Poverty headcount at $3.00 a day (2021 PPP), %"),
    "pov_gap_300_pct": N_("Poverty gap at $3.00 a day, %"),
    "pov_hc_420_pct": N_("Poverty headcount at $4.20 a day (2021 PPP), %"),
    "pov_hc_830_pct": N_("Poverty headcount at $8.30 a day (2021 PPP), %"),
    "share_q1_pct": N_("Income share of the poorest 20%"),
    "share_q5_pct": N_("Income share of the richest 20%"),
    "gini_index": N_("Gini index"),
    "pov_hc_national_pct": N_("Poverty headcount, national line, %"),
    "survey_mean_ppp2021_per_day": N_("Survey mean, 2021 PPP $ a day"),
}


SORTS = ("name", "population", "gdp_per_capita", "coverage")


@router.get("/countries", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def country_index(
    request: Request,
    region: str | None = Query(None, max_length=80),
    sort: Literal["name", "population", "gdp_per_capita", "coverage"] = Query("name"),
    order: Literal["asc", "desc"] = Query("asc"),
) -> HTMLResponse:
    """All countries with their headline figures, filterable by ILO region, sortable."""
    rows = await run_in_threadpool(country_list)
    figures = await run_in_threadpool(country_headlines)
    gt = translations(request.state.lang).gettext
    lang = request.state.lang
    regions = sorted({r["ilo_region"] for r in rows if r.get("ilo_region")})
    if region:
        rows = [r for r in rows if r.get("ilo_region") == region]
    shown = [
        {
            **r,
            **dict.fromkeys(SORTS[1:]),
            **figures.get(r["iso3"], {}),
            "name": country_name(r["iso3"], r["name"], lang),
            "region_name": group_name(r.get("ilo_region"), gt),
            "income_name": group_name(r.get("income_group"), gt),
        }
        for r in rows
    ]
    shown.sort(key=lambda r: sort_key(r["name"]))
    if sort != "name":  # countries without the figure come last, whatever the order
        known = [r for r in shown if r.get(sort) is not None]
        known.sort(key=lambda r: r[sort], reverse=order == "desc")
        shown = known + [r for r in shown if r.get(sort) is None]
    elif order == "desc":
        shown.reverse()
    return render(
        request,
        "countries.html",
        {
            "countries": shown,
            "regions": [(r, group_name(r, gt)) for r in regions],
            "region": region,
            "sort": sort,
            "order": order,
        },
    )


@router.get("/countries/{code}", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def country_page(request: Request, code: str, session: ReadSession) -> HTMLResponse:
    """One country: population pyramid, macro, poverty, coverage, related knowledge."""
    pack, key = pack_key(), None
    if request.state.user is None:
        key = (pack, code, await run_in_threadpool(public_version, session))

    async def build() -> HTMLResponse:
        ctx = dict(await run_in_threadpool(_cached_context, pack, code, request.state.lang))
        ctx["related"] = await run_in_threadpool(
            knowledge_view.related_to_country,
            session,
            request.state.user,
            ctx["country"].iso3,
            request.state.lang,
        )
        ctx["monitoring"] = await run_in_threadpool(
            monitor_view.country_history,
            session,
            request.state.user,
            ctx["country"].iso3,
            translations(request.state.lang).gettext,
        )
        return render(request, "country.html", ctx, cache_key=key)

    return await page_once(request, "country.html", key, build)


@lru_cache(maxsize=1024)
def _cached_context(_pack: str, code: str, lang: str) -> dict[str, Any]:
    """The data part of a country page, kept per installed pack (the data do not change)."""
    return _country_context(code, lang)


def _country_context(code: str, lang: str) -> dict[str, Any]:
    from socialcover import data
    from socialcover.errors import DataNotInstalledError

    gt = translations(lang).gettext
    c = data.country(code)
    ctx: dict[str, Any] = {"country": c, "notes": []}

    pop_rows = [
        r
        for sex in ("male", "female")
        for r in data.population(c.iso3, PYRAMID_YEAR, sex=sex).to_dicts()
    ]
    ages = [
        {
            "age": f"{r['age_from']}+"
            if r["age_to"] is None or r["age_to"] >= 120
            else f"{r['age_from']}-{r['age_to']}",
            "age_from": r["age_from"],
            "sex": r["sex"],
            "population": r["population"],
        }
        for r in pop_rows
    ]
    ctx["pyramid_spec"] = charts.pyramid(
        ages,
        title=gt("Population by age and sex, %(year)s") % {"year": PYRAMID_YEAR},
        description=gt(
            "Population pyramid: men on the left, women on the right, by 5-year age group."
        ),
        male=gt("Men"),
        female=gt("Women"),
        x_title=gt("Persons"),
    )
    ctx["pyramid_year"] = PYRAMID_YEAR
    ctx["pop_total"] = sum(r["population"] for r in pop_rows)

    try:
        macro = data.macro(c.iso3)
        mrows = [r for r in macro.to_dicts() if r["indicator"] in MACRO_SHOWN]
        actual = [r for r in mrows if not r["is_projection"] and r["value"] is not None]
        latest: dict[str, dict[str, Any]] = {}
        for r in sorted(actual, key=lambda r: r["year"]):
            latest[r["indicator"]] = r
        ctx["macro"] = [
            {**latest[k], "label": gt(MACRO_LABELS[k]), "digits": 0 if k == "gdp_usd" else 1}
            for k in MACRO_SHOWN
            if k in latest
        ]
        if "population_millions" in latest:  # two population figures: say which is which
            weo = latest["population_millions"]
            ctx["population_note"] = {
                "weo": weo["value"],
                "weo_year": weo["year"],
                "weo_source": weo["source"],
                "wpp": ctx["pop_total"] / 1e6,
                "wpp_year": PYRAMID_YEAR,
            }
        growth = [
            {
                "area": "projection" if r["is_projection"] else "actual",
                "year": r["year"],
                "value": r["value"],
                "nature": "modelled" if r["is_projection"] else "observed",
                "source": r.get("source", ""),
            }
            for r in mrows
            if r["indicator"] == "real_gdp_growth_pct"
            and r["value"] is not None
            and r["year"] >= 2010
        ]
        # the monitor's line chart, as the explorer, the report and the media kits draw it
        ctx["growth_spec"] = (
            monitor.series_chart(
                pl.DataFrame(growth).select("area", "year", "value", "nature"),
                title=gt("Real GDP growth, %"),
                y_title="%",
                source=monitor_view.source_line(growth, gt),
                description=gt("Real GDP growth by year, actual and projected (IMF WEO)."),
                labels={"actual": gt("actual"), "projection": gt("projection")},
                width="container",
                height=260,
            )
            if growth
            else None
        )
    except DataNotInstalledError:
        ctx["macro"] = []
        ctx["growth_spec"] = None

    try:
        pov = data.poverty(c.iso3).to_dicts()
        latest_pov: dict[str, dict[str, Any]] = {}
        for r in sorted(pov, key=lambda r: r["year"]):
            if r["value"] is not None:
                latest_pov[r["indicator"]] = r
        ctx["poverty"] = [
            {**v, "label": gt(POVERTY_LABELS.get(k, k))} for k, v in latest_pov.items()
        ]
    except DataNotInstalledError:
        ctx["poverty"] = []

    cov = data.coverage(c.iso3).to_dicts()
    both = [r for r in cov if r["sex"] == "both" and r["coverage_pct"] is not None]
    both.sort(key=lambda r: contingency_order(r["contingency"]))
    ctx["coverage"] = [{**r, "label": contingency_label(r["contingency"], gt)} for r in both]
    plain = [{"group": r["label"], "coverage_pct": r["coverage_pct"]} for r in ctx["coverage"]]
    ctx["coverage_spec"] = (
        charts.bars(
            plain,
            x="coverage_pct",
            y="group",
            title=gt("Effective coverage, % of each group"),
            x_title="%",
            description=gt("Bar chart: share of each group covered by social protection."),
        )
        if plain
        else None
    )
    return ctx
