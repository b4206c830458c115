"""Vega-Lite specs (plain dicts) for costing results, and their rendering to SVG/PNG.

One spec serves the web page (vega-embed), the PDF and the media kit (DESIGN.md section 3);
:func:`render_chart` renders it on the server with vl-convert (no browser, no network).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from socialcover.costing.result import CostingResult
from socialcover.costing.uncertainty import MonteCarloResult

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
Spec = dict[str, Any]


def _values(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in frame.iter_rows(named=True)
    ]


def cost_by_benefit_chart(result: CostingResult, iso3: str | None = None) -> Spec:
    """Stacked areas: cost as % of GDP by benefit over the years (one country)."""
    iso = iso3 or result.iso3s[0]
    data = result.rows.filter(pl.col("iso3") == iso).select("year", "benefit", "cost_pct_gdp")
    return {
        "$schema": SCHEMA,
        "title": f"{result.scenario.name}: cost by benefit, % of GDP ({iso})",
        "width": 480,
        "height": 280,
        "data": {"values": _values(data)},
        "mark": {"type": "area", "line": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "Year"},
            "y": {
                "field": "cost_pct_gdp",
                "type": "quantitative",
                "stack": "zero",
                "title": "Cost, % of GDP",
            },
            "color": {"field": "benefit", "type": "nominal", "title": "Benefit"},
            "tooltip": [
                {"field": "year"},
                {"field": "benefit"},
                {"field": "cost_pct_gdp", "format": ".3f"},
            ],
        },
    }


BAND_SERIES = {
    "5th-95th percentile": "#9ecae1",
    "25th-75th percentile": "#4292c6",
    "Median of the draws": "#08519c",
    "Central projection": "#d94801",
}
"""The band chart's legend: each series and its colour."""

BANDS_SOURCE = (
    "Source: socialcover costing (ILO RAP method); UN WPP 2024, IMF WEO Oct 2025, World Bank "
    "WDI, ILOSTAT. Draws over the scenario's uncertainty ranges, seed {seed}."
)
"""The band chart's source line."""


def bands_chart(mc: MonteCarloResult, iso3: str | None = None, group: str | None = None) -> Spec:
    """Monte Carlo bands of the total cost (% of GDP): 5-95 and 25-75 percentiles, the median,
    and the central projection (every assumption at its central value), with a legend and a
    source line."""
    if group is not None:
        data = mc.aggregates.filter(pl.col("group") == group)
        label = group
    else:
        iso = iso3 or mc.iso3s[0]
        data = mc.bands.filter(pl.col("iso3") == iso, pl.col("benefit") == "total")
        label = iso
    data = data.select("year", "p5", "p25", "p50", "p75", "p95", "central", "central_percentile")
    x = {"field": "year", "type": "ordinal", "title": "Year"}
    names = list(BAND_SERIES)
    colour = {
        "scale": {"domain": names, "range": [BAND_SERIES[n] for n in names]},
        "legend": {"title": None, "orient": "bottom"},
    }

    def series(name: str) -> dict[str, Any]:
        return {**colour, "datum": name}

    return {
        "$schema": SCHEMA,
        "title": {
            "text": f"Total cost, % of GDP ({label}): Monte Carlo, {mc.draws} draws",
            "subtitle": BANDS_SOURCE.format(seed=mc.seed),
        },
        "width": 480,
        "height": 280,
        "data": {"values": _values(data)},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.25},
                "encoding": {
                    "x": x,
                    "y": {"field": "p5", "type": "quantitative", "title": "Cost, % of GDP"},
                    "y2": {"field": "p95"},
                    "color": series(names[0]),
                },
            },
            {
                "mark": {"type": "area", "opacity": 0.45},
                "encoding": {
                    "x": x,
                    "y": {"field": "p25", "type": "quantitative"},
                    "y2": {"field": "p75"},
                    "color": series(names[1]),
                },
            },
            {
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "p50", "type": "quantitative"},
                    "color": series(names[2]),
                },
            },
            {
                "mark": {"type": "line", "strokeDash": [6, 3], "point": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "central", "type": "quantitative"},
                    "color": series(names[3]),
                    "tooltip": [
                        {"field": "year"},
                        {"field": "p5", "format": ".3f"},
                        {"field": "p50", "format": ".3f"},
                        {"field": "p95", "format": ".3f"},
                        {"field": "central", "format": ".3f"},
                        {
                            "field": "central_percentile",
                            "format": ".0f",
                            "title": "central case: % of draws at or below",
                        },
                    ],
                },
            },
        ],
    }


def tornado_chart(table: pl.DataFrame, title: str = "One-way sensitivities") -> Spec:
    """Tornado: the total cost (% of GDP) at each end of each assumption's range."""
    base = float(table["base"][0]) if table.height else 0.0
    order = table["parameter"].to_list()
    long = pl.concat(
        [
            table.select(
                "parameter",
                pl.col("low").alias("value"),
                pl.col("low_input").alias("input"),
                pl.lit("low").alias("end"),
            ),
            table.select(
                "parameter",
                pl.col("high").alias("value"),
                pl.col("high_input").alias("input"),
                pl.lit("high").alias("end"),
            ),
        ]
    ).with_columns(pl.lit(base).alias("base"))
    return {
        "$schema": SCHEMA,
        "title": f"{title} (base {base:.3f}% of GDP)",
        "width": 420,
        "height": {"step": 28},
        "data": {"values": _values(long)},
        "layer": [
            {
                "mark": "bar",
                "encoding": {
                    "y": {"field": "parameter", "type": "nominal", "sort": order, "title": None},
                    "x": {
                        "field": "value",
                        "type": "quantitative",
                        "title": "Cost, % of GDP",
                        "scale": {"zero": False},
                    },
                    "x2": {"field": "base"},
                    "color": {"field": "end", "type": "nominal", "title": "End of range"},
                    "tooltip": [
                        {"field": "parameter"},
                        {"field": "input"},
                        {"field": "value", "format": ".3f"},
                    ],
                },
            },
            {
                "mark": {"type": "rule", "color": "black"},
                "encoding": {"x": {"datum": base, "type": "quantitative"}},
            },
        ],
    }


def render_chart(spec: Spec, path: str | Path) -> Path:
    """Render a spec to ``.svg`` or ``.png`` with vl-convert (offline)."""
    import vl_convert as vlc

    p = Path(path)
    if p.suffix.lower() == ".svg":
        p.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    elif p.suffix.lower() == ".png":
        p.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    else:
        from socialcover.costing._errors import ScenarioError

        raise ScenarioError(
            f"Cannot render a chart to {p.name!r}.",
            code="costing.bad-output",
            hint="Use a name ending in .svg or .png.",
        )
    return p
