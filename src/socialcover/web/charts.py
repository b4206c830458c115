"""Vega-Lite specifications of the web app's charts (rendered in the browser by vega-embed).

Each function takes tidy rows and returns a Vega-Lite v5 spec as a dict; the page puts it
in a ``<script type="application/json">`` block and ``static/app.js`` draws it. Every chart
has a title and a description (read by screen readers) and sits beside a table of the same
numbers. Lines over the years are not here: every page draws them with the monitor's chart
(:func:`socialcover.monitor.series_chart`), the one the report and the media kits draw. The
world map joins coverage to the ``world-atlas`` TopoJSON (Natural Earth
1:110m, countries keyed by ISO 3166-1 numeric = UN M49 code) with a lookup transform.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PALETTE = ["#1f5f8b", "#c8553d", "#2a9d8f", "#8d6a9f", "#e9c46a", "#6c757d"]


def _base(title: str, description: str, source: str = "") -> dict[str, Any]:
    # The source line is the title's subtitle, so that an exported PNG or SVG keeps it.
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "subtitle": source} if source else title,
        "description": description,
        "width": "container",
        "config": {"font": "system-ui, sans-serif", "view": {"stroke": None}},
    }


def bars(
    rows: list[dict[str, Any]],
    *,
    x: str,
    y: str,
    title: str,
    x_title: str,
    description: str,
    color: str | None = None,
    color_title: str = "",
) -> dict[str, Any]:
    """Horizontal bars (``y`` = category, ``x`` = value), optionally grouped by ``color``."""
    spec = _base(title, description)
    encoding: dict[str, Any] = {
        "y": {
            "field": y,
            "type": "nominal",
            "title": None,
            "sort": None,
        },
        "x": {"field": x, "type": "quantitative", "title": x_title},
        "tooltip": [{"field": y}, {"field": x, "format": ".1f"}],
    }
    if color:
        encoding["color"] = {
            "field": color,
            "type": "nominal",
            "title": color_title,
            "scale": {"range": PALETTE},
            "legend": {"orient": "bottom"},
        }
        encoding["yOffset"] = {"field": color}
        encoding["tooltip"].append({"field": color})
    spec.update({"data": {"values": rows}, "mark": {"type": "bar"}, "encoding": encoding})
    return spec


def pyramid(
    rows: list[dict[str, Any]],
    *,
    title: str,
    description: str,
    male: str,
    female: str,
    x_title: str,
) -> dict[str, Any]:
    """A population pyramid: rows of ``age`` (label), ``sex`` (male/female), ``population``."""
    values = [
        {
            "age": r["age"],
            "age_from": r["age_from"],
            "sex": male if r["sex"] == "male" else female,
            "population": r["population"],
            "signed": -r["population"] if r["sex"] == "male" else r["population"],
        }
        for r in rows
    ]
    spec = _base(title, description)
    spec.update(
        {
            "height": 320,
            "data": {"values": values},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {
                    "field": "age",
                    "type": "ordinal",
                    "sort": {"field": "age_from", "order": "descending"},
                    "title": None,
                },
                "x": {
                    "field": "signed",
                    "type": "quantitative",
                    "title": x_title,
                    "axis": {"labelExpr": "format(abs(datum.value), ',')"},
                },
                "color": {
                    "field": "sex",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [male, female], "range": [PALETTE[0], PALETTE[1]]},
                    "legend": {"orient": "bottom"},
                },
                "tooltip": [
                    {"field": "age"},
                    {"field": "sex"},
                    {"field": "population", "format": ","},
                ],
            },
        }
    )
    return spec


def world_map(
    rows: list[dict[str, Any]],
    *,
    title: str,
    description: str,
    legend_title: str,
    atlas_url: str = "/static/vendor/countries-110m.json",
    domain: tuple[float, float] | None = (0, 100),
    source: str = "",
    country_title: str = "Country",
    year_title: str = "Year",
    no_data: str = "No data",
) -> dict[str, Any]:
    """A choropleth: rows of ``id`` (3-digit M49 string), ``iso3``, ``name``, ``value``, ``year``.

    Shapes without a value (no row, or a row whose ``value`` is None) are grey and counted in
    a "no data" legend entry (``no_data``); a row's country opens its page
    (``/countries/{iso3}``) when clicked, with or without a value. ``domain`` is the colour
    scale's range (``None``: from the values, for counts and ratios); ``source`` is printed
    under the title; ``country_title`` and ``year_title`` head the tooltip's lines.
    """
    spec = _base(title, description, source)
    shape = {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4, "cursor": "pointer"}
    href = {"field": "href", "type": "nominal"}
    spec.update(
        {
            "height": 420,
            "usermeta": {"aspect": 2.3},  # inhabited Equal Earth: about 2.3 times as wide as high
            "projection": {"type": "equalEarth"},
            "data": {"url": atlas_url, "format": {"type": "topojson", "feature": "countries"}},
            "transform": [
                {"filter": "datum.id != '010'"},  # Antarctica: no population to show
                {
                    "lookup": "id",
                    "from": {
                        "data": {"values": rows},
                        "key": "id",
                        "fields": ["value", "name", "year", "iso3"],
                    },
                },
                {"calculate": "datum.name || datum.properties.name", "as": "name"},
                {"calculate": "datum.iso3 ? '/countries/' + datum.iso3 : null", "as": "href"},
            ],
            "layer": [
                {
                    "transform": [{"filter": "datum.value != null"}],
                    "mark": shape,
                    "encoding": {
                        "color": {
                            "field": "value",
                            "type": "quantitative",
                            "title": legend_title,
                            "scale": {"scheme": "blues"}
                            | ({"domain": list(domain)} if domain else {}),
                            "legend": {"orient": "bottom-left", "direction": "horizontal"},
                        },
                        "href": href,
                        "tooltip": [
                            {"field": "name", "title": country_title},
                            {"field": "value", "title": legend_title, "format": ",.1f"},
                            {"field": "year", "title": year_title},
                        ],
                    },
                },
                {
                    "transform": [{"filter": "datum.value == null"}],
                    "mark": shape,
                    "encoding": {
                        "color": {
                            "datum": no_data,
                            "type": "nominal",
                            "scale": {"range": ["#d0d4d8"]},
                            "legend": {"title": None, "orient": "bottom-left"},
                        },
                        "href": href,
                        "tooltip": [
                            {"field": "name", "title": country_title},
                            {"datum": no_data, "title": legend_title},
                        ],
                    },
                },
            ],
            "resolve": {"scale": {"color": "independent"}, "legend": {"color": "independent"}},
        }
    )
    return spec
