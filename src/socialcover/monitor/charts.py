"""Charts of the monitor's numbers: aggregates by group, their trends, progress to a target, an
indicator's series over the years, and the card that dresses any of them for sharing (title,
subtitle, source line, date, licence).

Each chart is a Vega-Lite spec (a dict), drawn by the platform's pages (vega-embed), rendered to
SVG for the report's PDF and HTML (:mod:`socialcover.report`) and for media kits, with
vl-convert: one definition for all of them (DESIGN.md section 3). The numbers come from
:func:`socialcover.monitor.aggregate`, :mod:`socialcover.monitor.progress` and the store; the
words (titles, axis titles, group names, the description read by screen readers) are
parameters, so that a caller can give them in its reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from socialcover.monitor.progress import DEFAULT_WINDOW, Scale, project, trend
from socialcover.monitor.targets import Target

__all__ = ["aggregate_chart", "card", "progress_chart", "series_chart", "trend_chart"]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
COLOURS = ["#1f5f8b", "#c8553d", "#2a9d8f", "#8d6a9f", "#b08900", "#6c757d", "#3d405b"]
"""The series colours, in order (the first is the monitor's blue)."""


def progress_chart(
    series: pl.DataFrame,
    target: Target,
    *,
    window: int = DEFAULT_WINDOW,
    scale: Scale = "linear",
    value_title: str = "Value",
) -> dict[str, Any]:
    """A Vega-Lite spec of a series against its target: what was observed, modelled, projected.

    Observed points are solid dots on a solid line, modelled ones hollow on a dashed line, the
    projection (from the latest year to the target year) a dashed line in its 95% band, and the
    target a horizontal rule with its label (drawn once). The subtitle is the source line;
    ``value_title`` is the title of the value axis.

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.monitor.frame import OBSERVATION_SCHEMA
    >>> rows = pl.DataFrame([
    ...     ("sdg131.at_least_one_benefit", "World", y, "both", v, None, None, None,
    ...      "modelled", "example", "", "") for y, v in ((2016, 40.0), (2018, 44.0), (2020, 48.0))
    ... ], schema=OBSERVATION_SCHEMA, orient="row")
    >>> spec = progress_chart(rows, Target("sdg131.at_least_one_benefit", "World", 100.0, 2030))
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['area', 'line', 'line', 'line', 'rule', 'text']
    """
    t = trend(series, window=window, scale=scale)  # checks that the rows are one series
    rows = series.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
    last = t.last_year
    history = project(rows, rows["year"].to_list(), window=window, scale=scale)
    ahead = project(
        rows, range(last + 1, max(target.year, last + 1) + 1), window=window, scale=scale
    )
    # The projection starts from the latest value so that its line joins the series.
    start = history.filter(pl.col("year") == last).with_columns(
        pl.lit("projected").alias("part"), lower=pl.col("value"), upper=pl.col("value")
    )
    data = pl.concat([history, start, ahead]).with_columns(pl.col("value").round(3))
    sources = sorted(set(rows["source"].to_list()) - {""})
    fit = (
        f"Projection: least-squares {scale} trend {t.first_year}-{t.last_year}, "
        f"{t.pace:+.2f} points a year; band 95%."
    )
    x = {"field": "year", "type": "quantitative", "title": None, "axis": {"format": "d"}}
    y = {"field": "value", "type": "quantitative", "title": value_title}

    def part(name: str) -> dict[str, Any]:
        return {"filter": {"field": "part", "equal": name}}

    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {
            "text": f"{t.indicator}, {t.area} ({t.sex}): progress towards "
            f"{target.value:g} by {target.year}",
            "subtitle": [f"Source: {'; '.join(sources) or 'not given'}.", fit],
            "anchor": "start",
        },
        "description": (
            f"{t.indicator} in {t.area}, {t.sex}: observed and modelled values to {last}, "
            f"projected to {target.year} at the current pace, against a target of "
            f"{target.value:g}."
        ),
        "width": 480,
        "height": 280,
        "data": {"values": _values(data)},
        "layer": [
            {
                "transform": [part("projected")],
                "mark": {"type": "area", "opacity": 0.2, "color": "#1f5f8b"},
                "encoding": {"x": x, "y": {**y, "field": "lower"}, "y2": {"field": "upper"}},
            },
            {
                "transform": [part("projected")],
                "mark": {"type": "line", "strokeDash": [6, 4], "color": "#1f5f8b"},
                "encoding": {"x": x, "y": y},
            },
            {
                "transform": [part("modelled")],
                "mark": {
                    "type": "line",
                    "strokeDash": [2, 2],
                    "color": "#1f5f8b",
                    "point": {"filled": False, "fill": "white", "color": "#1f5f8b"},
                },
                "encoding": {"x": x, "y": y, "tooltip": _tooltip()},
            },
            {
                "transform": [part("observed")],
                "mark": {"type": "line", "color": "#1f5f8b", "point": {"filled": True}},
                "encoding": {"x": x, "y": y, "tooltip": _tooltip()},
            },
            {
                "mark": {"type": "rule", "color": "#c8553d", "strokeWidth": 1.5},
                "encoding": {"y": {"datum": target.value, "type": "quantitative"}},
            },
            {
                "data": {"values": [{}]},  # one label, not one per row of the series
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "dy": -3,
                    "color": "#c8553d",
                },
                "encoding": {
                    "x": {"value": 4},
                    "y": {"datum": target.value, "type": "quantitative"},
                    "text": {"value": f"Target: {target.value:g} by {target.year}"},
                },
            },
        ],
    }


def aggregate_chart(
    table: pl.DataFrame,
    *,
    title: str,
    description: str,
    value_title: str = "Per cent",
    source: str = "",
    labels: Mapping[str, str] | None = None,
    colour_by: str | None = None,
    width: int | str = 380,
) -> dict[str, Any]:
    """Horizontal bars of aggregates: one bar per group (rows of :func:`aggregate`).

    Parameters
    ----------
    table
        Rows with ``group`` and ``value`` (as :func:`~socialcover.monitor.aggregate` returns,
        one year); a ``colour_by`` column, when given, splits each group into side-by-side bars.
    title, description
        The chart's title, and the sentence a screen reader reads for it (alt text).
    value_title
        Title of the value axis.
    source
        The source line, printed under the title.
    labels
        Names to show for the groups (and the ``colour_by`` values), e.g. in the reader's
        language; a name not in it is shown as it is.
    colour_by
        A column whose values split the bars (``sex``), or ``None``.
    width
        Pixels, or ``"container"`` on a page that sizes the chart to its column.

    Examples
    --------
    >>> import polars as pl
    >>> table = pl.DataFrame({"group": ["World", "Africa"], "value": [52.4, 19.1]})
    >>> spec = aggregate_chart(table, title="At least one benefit", description="Bars.")
    >>> [row["label"] for row in spec["data"]["values"]], spec["layer"][0]["mark"]["type"]
    (['World', 'Africa'], 'bar')
    """
    names = dict(labels or {})
    keep = ["group", "value", *([colour_by] if colour_by else [])]
    rows = [
        {
            **{k: r[k] for k in keep},
            "label": names.get(str(r["group"]), str(r["group"])),
            **({"part": names.get(str(r[colour_by]), str(r[colour_by]))} if colour_by else {}),
            "value": None if r["value"] is None else round(float(r["value"]), 3),
        }
        for r in table.select(keep).iter_rows(named=True)
    ]
    encoding: dict[str, Any] = {
        "y": {
            "field": "label",
            "type": "nominal",
            "title": None,
            "sort": None,
            "axis": {"labelLimit": 260},
        },
        "x": {
            "field": "value",
            "type": "quantitative",
            "title": value_title,
            "scale": {"domain": [0, 100]},
        },
        "tooltip": [{"field": "label"}, {"field": "value", "format": ".1f"}],
    }
    if colour_by:
        encoding["color"] = {
            "field": "part",
            "type": "nominal",
            "title": None,
            "sort": None,
            "scale": {"range": COLOURS},
            "legend": {"orient": "bottom"},
        }
        encoding["yOffset"] = {"field": "part", "sort": None}
    else:
        encoding["color"] = {"value": COLOURS[0]}
    labels_layer = {
        "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 9},
        "encoding": {
            **{k: v for k, v in encoding.items() if k in ("x", "y", "yOffset")},
            "text": {"field": "value", "type": "quantitative", "format": ".1f"},
        },
    }
    return {
        "$schema": SCHEMA,
        "title": _title(title, source),
        "description": description,
        "width": width,
        "height": {"step": 12 if colour_by else 18},
        "data": {"values": rows},
        "layer": [{"mark": {"type": "bar"}, "encoding": encoding}, labels_layer],
    }


def trend_chart(
    table: pl.DataFrame,
    *,
    title: str,
    description: str,
    value_title: str = "Per cent",
    source: str = "",
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Lines over the years: one line per group (rows of :func:`aggregate` for several years).

    Parameters are those of :func:`aggregate_chart`; ``table`` has ``group``, ``year`` and
    ``value``.

    Examples
    --------
    >>> import polars as pl
    >>> table = pl.DataFrame({"group": ["World"] * 2, "year": [2015, 2023], "value": [42.8, 52.4]})
    >>> spec = trend_chart(table, title="At least one benefit", description="Lines.")
    >>> spec["encoding"]["x"]["field"], len(spec["data"]["values"])
    ('year', 2)
    """
    names = dict(labels or {})
    rows = [
        {
            "group": names.get(str(r["group"]), str(r["group"])),
            "year": int(r["year"]),
            "value": None if r["value"] is None else round(float(r["value"]), 3),
        }
        for r in table.select("group", "year", "value").iter_rows(named=True)
    ]
    order = list(dict.fromkeys(r["group"] for r in rows))
    return {
        "$schema": SCHEMA,
        "title": _title(title, source),
        "description": description,
        "width": 420,
        "height": 240,
        "data": {"values": rows},
        "mark": {"type": "line", "point": {"size": 18}},
        "encoding": {
            "x": {"field": "year", "type": "quantitative", "title": None, "axis": {"format": "d"}},
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": value_title,
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "group",
                "type": "nominal",
                "title": None,
                "sort": order,
                "scale": {"range": COLOURS},
                "legend": {"orient": "right", "labelLimit": 180},
            },
            "tooltip": [{"field": "group"}, {"field": "year"}, {"field": "value", "format": ".1f"}],
        },
    }


def _title(text: str, source: str) -> dict[str, Any]:
    return {"text": text, "subtitle": [source] if source else [], "anchor": "start"}


def _tooltip() -> list[dict[str, Any]]:
    return [{"field": "year"}, {"field": "value", "format": ".1f"}, {"field": "part"}]


def _values(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.iter_rows(named=True)]


def series_chart(series: pl.DataFrame, *, title: str, y_title: str = "Value") -> dict[str, Any]:
    """A Vega-Lite spec of one indicator's values over the years, one line per area.

    ``series`` is an observation frame (indicator, area, year, value, nature...): observed
    points are solid, modelled or imputed ones hollow. The same spec serves the page (drawn by
    vega-embed), the report's PDF and the media kit's card (:func:`card` adds its furniture).

    Examples
    --------
    >>> import polars as pl
    >>> rows = pl.DataFrame({"area": ["KEN", "KEN"], "year": [2020, 2023],
    ...                      "value": [10.0, 12.5], "nature": ["observed", "modelled"]})
    >>> series_chart(rows, title="Children covered")["layer"][0]["mark"]["type"]
    'line'
    """
    values = [
        {
            "area": r["area"],
            "year": int(r["year"]),
            "value": None if r["value"] is None else round(float(r["value"]), 3),
            "observed": r.get("nature", "observed") in ("observed", "administrative"),
        }
        for r in series.sort(["area", "year"]).iter_rows(named=True)
    ]
    x = {"field": "year", "type": "quantitative", "title": None, "axis": {"format": "d"}}
    y = {"field": "value", "type": "quantitative", "title": y_title}
    color = {"field": "area", "type": "nominal", "title": None, "legend": {"orient": "bottom"}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "start"},
        "description": f"{title}: values by year"
        + (f" for {', '.join(sorted({v['area'] for v in values}))}." if values else "."),
        "width": 560,
        "height": 300,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "line"}, "encoding": {"x": x, "y": y, "color": color}},
            {
                "mark": {"type": "point", "filled": True, "size": 50},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": color,
                    "fillOpacity": {
                        "condition": {"test": "datum.observed", "value": 1},
                        "value": 0,
                    },
                    "tooltip": [{"field": "area"}, {"field": "year"}, {"field": "value"}],
                },
            },
        ],
    }


def card(
    spec: dict[str, Any],
    *,
    title: str,
    subtitle: str,
    source: str,
    date: str,
    licence: str,
) -> dict[str, Any]:
    """The chart ``spec`` as a card to share: a title, a subtitle, and below the chart the
    source line, the date and the licence (as Our World in Data's grapher carries them).

    Returns a new spec; ``spec`` is left as it is.

    Examples
    --------
    >>> out = card({"mark": "bar", "height": 100}, title="T", subtitle="S",
    ...            source="Source: ILO", date="2026-01-31", licence="CC BY 4.0")
    >>> out["title"]["subtitle"], out["vconcat"][1]["layer"][0]["encoding"]["text"]["value"]
    ('S', 'Source: ILO · 2026-01-31 · CC BY 4.0')
    """
    chart = {k: v for k, v in spec.items() if k not in ("$schema", "title")}
    footer = f"{source} · {date} · {licence}"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "subtitle": subtitle, "anchor": "start", "fontSize": 16},
        "description": spec.get("description", title) + f" {footer}",
        "background": "white",
        "padding": 16,
        "vconcat": [
            chart,
            {
                "width": chart.get("width", 560),
                "height": 16,
                "data": {"values": [{}]},
                "layer": [
                    {
                        "mark": {
                            "type": "text",
                            "align": "left",
                            "baseline": "top",
                            "fontSize": 10,
                            "color": "#555",
                        },
                        "encoding": {
                            "x": {"value": 0},
                            "y": {"value": 0},
                            "text": {"value": footer},
                        },
                    }
                ],
                "config": {"view": {"stroke": None}},
            },
        ],
        "config": {"view": {"stroke": None}},
    }
