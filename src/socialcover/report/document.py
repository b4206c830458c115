"""An edition in one language: its figures, its text and its files (HTML or PDF).

:func:`write_report` takes the numbers of :func:`socialcover.report.build_edition` and writes
the report: the figures as SVG files (and their data as JSON) in ``<name>-charts/`` beside it,
with their checksums printed in the report's manifest, then the HTML page or the PDF.
Building in three languages computes the numbers once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from socialcover.monitor import WORLD, get_indicator
from socialcover.report.charts import GROUP_NAMES, edition_figures, group_names, regions, value_of
from socialcover.report.edition import (
    HEADLINE,
    HEADLINES,
    INCOME_GROUPS,
    OWN_DENOMINATOR,
    TARGET_YEAR,
    EditionData,
)
from socialcover.report.figures import ChartFile, write_figures
from socialcover.report.i18n import N_, Formats, translations
from socialcover.report.methods import translate_package
from socialcover.report.render import check_output, render_html, write_document

__all__ = ["GROUP_NAMES", "ReportFiles", "write_report"]

STATUS_NAMES = {
    "reached": N_("reached"),
    "on track": N_("on track"),
    "off track": N_("off track"),
    "no data": N_("no data"),
}
NATURE_MARKS = {
    "observed": "o",
    "administrative": "a",
    "survey_estimate": "s",
    "modelled": "m",
    "imputed": "i",
}
GUARANTEE_NAMES = {
    "children": N_("Children"),
    "maternity": N_("Maternity"),
    "disability": N_("Disability"),
    "old_age": N_("Old age"),
}
SHORT_NAMES = (
    N_("At least one"),
    N_("Children"),
    N_("Mothers"),
    N_("Disability"),
    N_("Unemployed"),
    N_("Older"),
    N_("Vulnerable"),
    N_("Injury"),
)
"""Column heads of the country annex, in the order of HEADLINES."""


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` wrote: the report, and each chart and data file with its
    checksum (the manifest)."""

    report: Path
    charts: tuple[ChartFile, ...]

    def manifest(self) -> dict[str, str]:
        """File (relative to the report) -> SHA-256."""
        return {c.path: c.sha256 for c in self.charts}


def write_report(data: EditionData, lang: str, out: Path) -> ReportFiles:
    """Write an edition in ``lang`` to ``out`` (``.pdf`` or ``.html``).

    The figures go to ``<out stem>-charts/`` beside ``out`` (``<key>.svg`` and ``<key>.json``,
    and ``manifest.json``: every file's SHA-256); the report prints the same manifest.

    Raises
    ------
    InputError
        ``report.bad-output`` (not ``.pdf`` or ``.html``, or no such folder) or
        ``report.bad-language``, before anything is written.
    """
    check_output(out)
    gt = translations(lang).gettext
    fmt = Formats(lang)
    folder = out.parent / f"{out.stem}-charts"
    figures = edition_figures(data, lang)
    files = write_figures(list(figures.values()), folder, lang)
    manifest = {c.path: c.sha256 for c in files}
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    svg = {c.key: c.path for c in files if c.path.endswith(".svg")}
    context = _context(data, lang, gt, fmt)
    context.update(figures=figures, files=svg, manifest=files)
    html = render_html("edition.html", context, lang)
    write_document(html, out)
    return ReportFiles(out, tuple(files))


# -- text ---------------------------------------------------------------------------------------


def _context(
    data: EditionData, lang: str, gt: Callable[[str], str], fmt: Formats
) -> dict[str, Any]:
    e = data.edition
    names = group_names(lang)
    area = names.get(e.area, e.area)
    year = e.year
    now = data.aggregates.filter(pl.col("year") == year)
    groups = [WORLD, *regions(), *INCOME_GROUPS] if e.region is None else [e.area, WORLD]
    headline_rows = []
    for code, _ in HEADLINES:
        row = data.headline(code)
        headline_rows.append(
            {
                "code": code,
                "name": names[code],
                "value": row.get("value"),
                "not_covered": row.get("not_covered") if code in OWN_DENOMINATOR else None,
                "population": row.get("population"),
                "observed": row.get("population_share_observed"),
                "unit": get_indicator(code).unit,
            }
        )
    table = []
    for g in groups:
        cells = [names.get(g, g)]
        for code, _ in HEADLINES:
            v = now.filter(pl.col("indicator") == code, pl.col("group") == g)["value"]
            cells.append(fmt.percent(v[0] if v.len() else None))
        table.append(cells)
    shown_years = e.years[::2] if len(e.years) % 2 else e.years[1::2]
    series = data.aggregates.filter(pl.col("indicator") == HEADLINE)
    trend_rows = []
    for g in groups:
        values = [value_of(series, g, y) for y in shown_years]
        change = (
            values[-1] - values[0] if values[0] is not None and values[-1] is not None else None
        )
        trend_rows.append(
            [names.get(g, g), *[fmt.percent(v) for v in values], fmt.number(change, 1)]
        )
    costs = data.costs
    cost_rows = []
    for g in [e.area, *[x for x in INCOME_GROUPS if x in set(costs["group"])]]:
        for y in (year, TARGET_YEAR):
            r = costs.filter(pl.col("group") == g, pl.col("year") == y)
            if r.height:
                r0 = r.row(0, named=True)
                cost_rows.append(
                    [
                        f"{names.get(g, g)}, {y}",
                        str(r0["n_countries"]),
                        fmt.people(r0["population"]),
                        fmt.number(r0["cost_pct_gdp"], 2),
                        fmt.money(r0["cost_usd"]),
                        fmt.number(r0["cost_pct_gov_expenditure"], 1),
                        fmt.number(r0["financing_gap_pct_gdp"], 2),
                    ]
                )
    total = costs.filter(pl.col("group") == e.area)
    mc = data.costing.monte_carlo
    band = mc.aggregates.filter(pl.col("group") == WORLD) if mc is not None else None

    def cost_at(y: int) -> dict[str, Any]:
        r = total.filter(pl.col("year") == y)
        out: dict[str, Any] = r.row(0, named=True) if r.height else {}
        if band is not None:
            b = band.filter(pl.col("year") == y)
            if b.height:
                out.update(p5=b["p5"][0], p95=b["p95"][0])
        return out

    progress_rows = []
    for p in data.progress.to_dicts():
        reached = p["year_reached"]
        interval = (
            f"{p['year_reached_lower']:.0f}–{p['year_reached_upper']:.0f}"
            if p["year_reached_lower"] is not None and p["year_reached_upper"] is not None
            else "–"
        )
        progress_rows.append(
            [
                names.get(p["area"], p["area"]),
                fmt.percent(p["latest_value"]),
                fmt.number(p["pace_pp_year"], 2),
                fmt.number(p["required_pace_pp_year"], 2),
                fmt.percent(p["projected_value"]),
                f"{reached:.0f}" if reached is not None else "–",
                interval,
                gt(STATUS_NAMES.get(p["status"] or "", p["status"] or "")),
            ]
        )
    own = data.progress.filter(pl.col("area") == e.area)
    pace = own.row(0, named=True) if own.height else {}
    annex = []
    for c in data.annex.to_dicts():
        cells = [c["name"], names.get(c["ilo_region"], c["ilo_region"] or "")]
        for code, _ in HEADLINES:
            short = code.removeprefix("sdg131.")
            v = c[f"{short}_value"]
            mark = NATURE_MARKS.get(c[f"{short}_nature"], "?")
            cells.append("–" if v is None else f"{fmt.number(v)} ({c[f'{short}_year']} {mark})")
        annex.append(cells)
    package = translate_package(data.package, gt)
    benefits = [
        {
            "guarantee": gt(GUARANTEE_NAMES.get(b.get("guarantee", ""), b.get("guarantee", ""))),
            "ages": "–".join(str(a) for a in b.get("eligibility", {}).get("ages", [])),
            "level": _level(b.get("level", {}), gt),
            "months": b.get("months", 12),
            "source": b.get("source", ""),
            "unverified": b.get("unverified", []),
        }
        for b in package.get("benefits", [])
    ]
    missing = data.costing.missing_table()
    country_names = dict(zip(data.members["iso3"], data.members["name"], strict=True))
    spending_rows = [
        [
            country_names.get(r["iso3"], r["iso3"]),
            gt(GUARANTEE_NAMES.get(r["guarantee"], r["guarantee"])),
            fmt.number(r["pct_gdp"], 2),
            str(r["year"]),
            r["source"],
        ]
        for r in data.spending.iter_rows(named=True)
    ]
    if e.region is None:
        title = gt("World Social Security Report %(year)s") % {"year": year}
    else:
        title = gt("Social Security Report %(year)s: %(area)s") % {"year": year, "area": area}
    sections = [
        ("key", gt("Key messages")),
        ("coverage", gt("Coverage by region, income group and sex")),
        ("cost", gt("The cost of closing the gaps")),
        ("progress", gt("Progress towards universal coverage")),
        ("countries", gt("Country annex")),
        ("methods", gt("Methodology annex")),
    ]
    return {
        "title": title,
        "subtitle": gt("The state of social protection, generated from approved data"),
        "author": "socialcover",
        "sections": sections,
        "edition": e,
        "area": area,
        "year": year,
        "target_year": TARGET_YEAR,
        "cutoff": data.cutoff,
        "headlines": headline_rows,
        "world": headline_rows[0],
        "is_world": e.region is None,
        "group_head": [gt("Group"), *[gt(n) for n in SHORT_NAMES]],
        "group_rows": table,
        "trend_head": [
            gt("Group"),
            *[str(y) for y in shown_years],
            gt("Change, points %(first)s-%(last)s")
            % {"first": shown_years[0], "last": shown_years[-1]},
        ],
        "trend_rows": trend_rows,
        "cost_head": [
            gt("Group, year"),
            gt("Countries"),
            gt("Population"),
            gt("Cost (per cent of GDP)"),
            gt("Cost"),
            gt("Cost (per cent of government expenditure)"),
            gt("Financing gap (per cent of GDP)"),
        ],
        "cost_rows": cost_rows,
        "cost_now": cost_at(year),
        "cost_end": cost_at(TARGET_YEAR),
        "missing": missing.to_dicts(),
        "spending_head": [
            gt("Country"),
            gt("Guarantee"),
            gt("Current spending (per cent of GDP)"),
            gt("Year"),
            gt("Source"),
        ],
        "spending_rows": spending_rows,
        "no_spending": data.without_spending()["name"].to_list(),
        "progress_head": [
            gt("Area"),
            gt("Latest"),
            gt("Pace, points a year"),
            gt("Pace needed"),
            gt("Projected %(year)s") % {"year": TARGET_YEAR},
            gt("Year of universal coverage"),
            gt("Interval (95 per cent)"),
            gt("Status"),
        ],
        "progress_rows": progress_rows,
        "pace": pace,
        "annex_head": [gt("Country"), gt("ILO region"), *[gt(n) for n in SHORT_NAMES]],
        "annex_rows": annex,
        "definitions": [(names[code], get_indicator(code).definition) for code, _ in HEADLINES],
        "package": package,
        "benefits": benefits,
        "draws": data.edition.draws,
        "seed": data.edition.seed,
    }


def _level(level: dict[str, Any], gt: Callable[[str], str]) -> str:
    if "pct_of_poverty_line" in level:
        return gt("%(pct)s%% of the poverty line") % {"pct": level["pct_of_poverty_line"]}
    if "pct_of_gdp_per_capita" in level:
        return gt("%(pct)s%% of GDP per capita") % {"pct": level["pct_of_gdp_per_capita"]}
    return json.dumps(level, sort_keys=True)
