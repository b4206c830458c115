"""The figures of an edition: one Vega-Lite spec each, by a stable id, in any language.

Each figure is drawn by the chart definitions of the monitor (:func:`socialcover.monitor.
aggregate_chart`, :func:`~socialcover.monitor.series_chart`, :func:`~socialcover.monitor.
progress_chart`) or the costing engine (:func:`socialcover.costing.charts.bands_chart`): the
definitions the platform's pages and media kits draw. Its id (:data:`FIGURE_IDS`) names its
files (``<id>.svg``, ``<id>.json``), its anchor in the report (``#fig-<id>``) and its media kit
(``/media/report/<edition>/<id>``, :func:`socialcover.report.figure_kit`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import polars as pl

from socialcover.costing.charts import bands_chart
from socialcover.monitor import AGGREGATE_SOURCE, WORLD, Target
from socialcover.monitor.charts import (
    aggregate_chart,
    progress_chart,
    series_chart,
    source_line,
)
from socialcover.report.edition import (
    HEADLINE,
    HEADLINES,
    INCOME_GROUPS,
    TARGET_SOURCE,
    TARGET_YEAR,
    UNIVERSAL,
    EditionData,
)
from socialcover.report.figures import Figure
from socialcover.report.i18n import N_, Formats, translations

__all__ = ["FIGURE_IDS", "GROUP_NAMES", "edition_figures", "group_names", "regions", "value_of"]

FIGURE_IDS = (
    "headlines",
    "coverage-by-group",
    "coverage-trend",
    "coverage-by-sex",
    "cost-band",
    "progress",
)
"""The stable ids of an edition's figures, in the report's order."""

GROUP_NAMES = {
    WORLD: N_("World"),
    "Africa": N_("Africa"),
    "Americas": N_("Americas"),
    "Arab States": N_("Arab States"),
    "Asia and the Pacific": N_("Asia and the Pacific"),
    "Europe and Central Asia": N_("Europe and Central Asia"),
    "Low income": N_("Low income"),
    "Lower-middle income": N_("Lower-middle income"),
    "Upper-middle income": N_("Upper-middle income"),
    "High income": N_("High income"),
    "female": N_("Women"),
    "male": N_("Men"),
}
"""Group (and sex) names as the data name them -> the message translated for the reader."""

ILO_SOURCE = N_("ILOSTAT (SDG 1.3.1), UN SDG Global Database; socialcover aggregates")
"""The source of the coverage figures (a message: translated in the report's languages)."""
# monitor.AGGREGATE_SOURCE, written out so that the report's catalogue translates it
N_("socialcover: weighted aggregate of approved country observations")


def group_names(lang: str) -> dict[str, str]:
    gt = translations(lang).gettext
    return {k: gt(v) for k, v in GROUP_NAMES.items()} | {code: gt(name) for code, name in HEADLINES}


def _link(data: EditionData, path: str, **query: Any) -> str:
    pairs = [
        (k, v)
        for k, values in query.items()
        for v in (values if isinstance(values, list) else [values])
    ]
    return f"{data.edition.site.rstrip('/')}{path}?{urlencode(pairs)}"


def edition_figures(data: EditionData, lang: str) -> dict[str, Figure]:
    """The figures of an edition in ``lang``, by their stable ids (:data:`FIGURE_IDS`, in the
    report's order; ``cost-band`` and ``progress`` only when their numbers exist)."""
    gt = translations(lang).gettext
    fmt = Formats(lang)
    names = group_names(lang)
    e = data.edition
    area = names.get(e.area, e.area)
    year = e.year
    source = gt("Source: %(source)s.") % {"source": gt(ILO_SOURCE)}
    unit = gt("Per cent")
    now = data.aggregates.filter(pl.col("year") == year)
    out: dict[str, Figure] = {}

    # 1. The eight headline series in the edition's area
    heads = now.filter(pl.col("group") == e.area).select(
        pl.col("indicator").alias("group"), "value"
    )
    order = {code: i for i, (code, _) in enumerate(HEADLINES)}
    heads = heads.sort(pl.col("group").replace_strict(order))
    out["headlines"] = Figure(
        "headlines",
        aggregate_chart(
            heads,
            title=gt("Effective coverage, %(area)s, %(year)s") % {"area": area, "year": year},
            description="",
            value_title=unit,
            source=source,
            labels=names,
        ),
        alt=gt("Bar chart of effective social protection coverage in %(area)s in %(year)s: ")
        % {"area": area, "year": year}
        + "; ".join(f"{names[r['group']]} {fmt.percent(r['value'])}" for r in heads.to_dicts())
        + ".",
        caption=gt("SDG indicator 1.3.1: share of each group receiving a benefit."),
        data_url=_link(data, "/monitor/aggregates", indicator=HEADLINE, year=year),
        rows=tuple(heads.to_dicts()),
    )

    # 2. The headline series by group: regions and income groups (world), or the region's
    # countries (a regional edition)
    if e.region is None:
        groups = now.filter(pl.col("indicator") == HEADLINE, pl.col("value").is_not_null())
        rank = {g: i for i, g in enumerate([WORLD, *regions(), *INCOME_GROUPS])}
        groups = groups.select("group", "value").sort(
            pl.col("group").replace_strict(rank, default=len(rank))
        )
        caption = gt("Weighted by population; countries without a value are imputed.")
    else:
        short = HEADLINE.removeprefix("sdg131.")
        groups = (
            data.annex.filter(pl.col(f"{short}_value").is_not_null())
            .sort(f"{short}_value", descending=True)
            .select(pl.col("name").alias("group"), pl.col(f"{short}_value").alias("value"))
        )
        caption = gt("Each country's latest value up to %(year)s (country annex).") % {"year": year}
    out["coverage-by-group"] = Figure(
        "coverage-by-group",
        aggregate_chart(
            groups,
            title=gt("Population covered by at least one benefit, %(year)s") % {"year": year},
            description="",
            value_title=unit,
            source=source,
            labels=names,
        ),
        alt=gt("Bar chart of the share of the population covered by at least one benefit: ")
        + "; ".join(
            f"{names.get(r['group'], r['group'])} {fmt.percent(r['value'])}"
            for r in groups.to_dicts()
        )
        + ".",
        caption=caption,
        data_url=_link(data, "/monitor/aggregates", indicator=HEADLINE, year=year),
        rows=tuple(groups.to_dicts()),
    )

    # 3. Trends
    trend_groups = [WORLD, *([e.region] if e.region else regions())]
    # the explorer's series of the same groups: the years with observed values, modelled
    rank = {g: i for i, g in enumerate(trend_groups)}
    trend = (
        data.aggregates.filter(
            pl.col("indicator") == HEADLINE,
            pl.col("group").is_in(trend_groups),
            pl.col("value").is_not_null(),
            pl.col("population_share_observed") > 0,
        )
        .sort(pl.col("group").replace_strict(rank), "year")
        .select("group", "year", "value")
    )
    first, last = e.years[0], e.years[-1]
    # the explorer's source line for the same series (monitor.SOURCE_LINE, written out so that
    # the catalogue extracts it)
    trend_source = source_line(
        [gt(AGGREGATE_SOURCE)], template=gt("Source: %(sources)s. Chart: socialcover monitoring.")
    )
    out["coverage-trend"] = Figure(
        "coverage-trend",
        series_chart(
            trend.select(pl.col("group").alias("area"), "year", "value").with_columns(
                nature=pl.lit("modelled")
            ),
            title=gt("Population covered by at least one benefit, %(first)s-%(last)s")
            % {"first": first, "last": last},
            y_title=unit,
            source=trend_source,
            labels=names,
            domain=(0, 100),
            width=420,
            height=240,
        ),
        alt=gt("Line chart of coverage by at least one benefit from %(first)s to %(last)s: ")
        % {"first": first, "last": last}
        + "; ".join(
            f"{names.get(g, g)} {fmt.percent(value_of(trend, g, first))} → "
            f"{fmt.percent(value_of(trend, g, last))}"
            for g in trend_groups
        )
        + ".",
        caption=gt("Each year's aggregate, with the same imputation as the reference year."),
        data_url=_link(
            data, "/monitor", indicator=HEADLINE, area=trend_groups, start=first, end=last
        ),
        rows=tuple(trend.to_dicts()),
    )

    # 4. By sex
    sex_groups = [WORLD, *([e.region] if e.region else regions())]
    by_sex = data.by_sex.filter(
        pl.col("group").is_in(sex_groups), pl.col("value").is_not_null()
    ).select("group", "sex", "value")
    by_sex = by_sex.sort(pl.col("group").replace_strict({g: i for i, g in enumerate(sex_groups)}))
    out["coverage-by-sex"] = Figure(
        "coverage-by-sex",
        aggregate_chart(
            by_sex,
            title=gt("Coverage by at least one benefit, women and men, %(year)s") % {"year": year},
            description="",
            value_title=unit,
            source=source,
            labels=names,
            colour_by="sex",
        ),
        alt=gt("Bar chart of coverage by at least one benefit for women and men: ")
        + "; ".join(
            f"{names.get(r['group'], r['group'])}, {names[r['sex']]} {fmt.percent(r['value'])}"
            for r in by_sex.to_dicts()
        )
        + ".",
        caption=gt("Few countries publish the series by sex: most of it is imputed."),
        data_url=_link(data, "/monitor/aggregates", indicator=HEADLINE, year=year, sex="female"),
        rows=tuple(by_sex.to_dicts()),
    )

    # 5. The cost of the floor, with its Monte Carlo band
    mc = data.costing.monte_carlo
    if mc is not None:
        spec = bands_chart(mc, group=WORLD)
        cost_source = gt(
            "Source: socialcover costing engine (package spf-four-guarantees), from the data "
            "pack's population and macroeconomic series."
        )
        spec["title"] = {
            "text": gt("Cost of the floor's cash guarantees, %% of GDP, %(first)s-%(last)s")
            % {"first": year, "last": TARGET_YEAR},
            "subtitle": [
                gt(
                    "Low- and middle-income countries of %(area)s; median, 50%% and 90%% bands "
                    "of %(draws)s draws."
                )
                % {"area": area, "draws": mc.draws},
                cost_source,
            ],
            "anchor": "start",
        }
        spec["layer"][0]["encoding"]["y"]["title"] = gt("Per cent of GDP")
        spec["layer"][0]["encoding"]["x"]["title"] = None
        band = mc.aggregates.filter(pl.col("group") == WORLD)
        out["cost-band"] = Figure(
            "cost-band",
            spec,
            alt=gt("Band chart of the cost of the floor as a share of GDP: ")
            + "; ".join(
                f"{r['year']} {fmt.number(r['p50'], 2)} ({fmt.number(r['p5'], 2)}–"
                f"{fmt.number(r['p95'], 2)})"
                for r in band.to_dicts()
                if r["year"] in (year, TARGET_YEAR)
            )
            + ".",
            caption=gt("Package spf-four-guarantees (methodology annex); costing engine."),
            data_url=_link(data, "/costing", package="spf-four-guarantees"),
            rows=tuple(band.to_dicts()),
        )

    # 6. Progress towards universal coverage
    series = data.progress_series
    if series.height >= 2:
        target = Target(HEADLINE, e.area, UNIVERSAL, TARGET_YEAR, source=TARGET_SOURCE)
        spec = progress_chart(series, target, value_title=unit)
        spec["title"]["text"] = gt("%(area)s: progress towards universal coverage by %(year)s") % {
            "area": area,
            "year": TARGET_YEAR,
        }
        spec["title"]["subtitle"] = [source]
        spec["layer"][-1]["encoding"]["text"]["value"] = gt("Target: %(value)s by %(year)s") % {
            "value": fmt.percent(UNIVERSAL, 0),
            "year": TARGET_YEAR,
        }
        row = data.progress.filter(pl.col("area") == e.area).row(0, named=True)
        out["progress"] = Figure(
            "progress",
            spec,
            alt=gt(
                "Line chart of coverage in %(area)s and its projection at the current pace of "
                "%(pace)s points a year to %(value)s in %(year)s, against a target of 100%%."
            )
            % {
                "area": area,
                "pace": fmt.number(row["pace_pp_year"], 2),
                "value": fmt.percent(row["projected_value"]),
                "year": TARGET_YEAR,
            },
            caption=gt("Least-squares line over the last eight years; band of 95 per cent."),
            data_url=_link(data, "/monitor/progress", indicator=HEADLINE, area=e.area),
            rows=tuple(series.select("year", "value").to_dicts()),
        )
    sources = {"coverage-trend": trend_source}
    if "cost-band" in out:
        sources["cost-band"] = cost_source
    for key, figure in out.items():
        out[key] = replace(
            figure,
            spec={**figure.spec, "description": figure.alt},
            source=sources.get(key, source),
            indicator="costing.cost_pct_gdp" if key == "cost-band" else HEADLINE,
            kit_url=f"{e.site.rstrip('/')}/media/report/{e.slug}/{key}"
            + ("?source=pack" if e.source == "pack" else ""),
        )
    return out


def regions() -> list[str]:
    """The ILO regions, in the report's order."""
    from socialcover.data import ILO_REGIONS

    return list(ILO_REGIONS)


def value_of(frame: pl.DataFrame, group: str, year: int) -> float | None:
    rows = frame.filter(pl.col("group") == group, pl.col("year") == year)
    return float(rows["value"][0]) if rows.height else None
