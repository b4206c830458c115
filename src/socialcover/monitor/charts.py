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

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from socialcover.monitor.progress import DEFAULT_WINDOW, Scale, project, trend
from socialcover.monitor.targets import Target

__all__ = [
    "SOURCE_LINE",
    "aggregate_chart",
    "card",
    "progress_chart",
    "series_chart",
    "source_line",
]

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


def _title(text: str, source: str) -> dict[str, Any]:
    return {"text": text, "subtitle": [source] if source else [], "anchor": "start"}


def _tooltip() -> list[dict[str, Any]]:
    return [{"field": "year"}, {"field": "value", "format": ".1f"}, {"field": "part"}]


def _values(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.iter_rows(named=True)]


SOURCE_LINE = "Source: %(sources)s. Chart: socialcover monitoring."
"""The source line of a chart of observations (a message of the web and report catalogues)."""


def source_line(
    sources: Iterable[str | None], *, template: str = SOURCE_LINE, limit: int = 3
) -> str:
    """The source line of a chart: the distinct ``sources`` of its values, in order, the first
    ``limit`` of them, written into ``template`` (pass the translated template for a reader of
    another language).

    Examples
    --------
    >>> source_line(["ILOSTAT", "ILOSTAT", "UN SDG Global Database"])
    'Source: ILOSTAT; UN SDG Global Database. Chart: socialcover monitoring.'
    >>> source_line(["a", "b", "c", "d"], template="Fuente: %(sources)s.")
    'Fuente: a; b; c; ....'
    """
    distinct = list(dict.fromkeys(str(s) for s in sources if s))
    shown = "; ".join(distinct[:limit]) + ("; ..." if len(distinct) > limit else "")
    return template % {"sources": shown or "-"}


def series_chart(
    series: pl.DataFrame,
    *,
    title: str,
    y_title: str = "Value",
    source: str = "",
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    domain: tuple[float, float] | None = None,
    width: int | str = 560,
    height: int = 300,
) -> dict[str, Any]:
    """Lines over the years, one per area (or group): the one line chart of the platform.

    The explorer's chart, the report's trends, the home and country pages' lines and the media
    kit's card (:func:`card` adds its furniture) are all this spec, so the same rows give the
    same chart on a page, in the PDF and on a card.

    Parameters
    ----------
    series
        Rows with ``area``, ``year`` and ``value`` (an observation frame, or aggregates with
        their ``group`` renamed ``area``), areas in the order of the legend (the order in which
        they first appear); with a ``nature`` column, observed and administrative
        points are solid, modelled, estimated or imputed ones hollow (without it all are solid).
    title, y_title
        The chart's title and the title of the value axis.
    source
        The source line, printed under the title (:func:`source_line`).
    description
        The sentence a screen reader reads for the chart; by default the title and the areas.
    labels
        Names to show for the areas, e.g. in the reader's language; an area not in it is shown
        as it is.
    domain
        The value axis' range (``(0, 100)`` for shares); ``None``: from the values.
    width, height
        Pixels; ``width="container"`` on a page that sizes the chart to its column.

    Examples
    --------
    >>> import polars as pl
    >>> rows = pl.DataFrame({"area": ["KEN", "KEN"], "year": [2020, 2023],
    ...                      "value": [10.0, 12.5], "nature": ["observed", "modelled"]})
    >>> spec = series_chart(rows, title="Children covered", source="Source: ILO.")
    >>> spec["layer"][0]["mark"]["type"], spec["title"]["subtitle"]
    ('line', ['Source: ILO.'])
    >>> [v["observed"] for v in spec["data"]["values"]]
    [True, False]
    """
    names = dict(labels or {})
    has_nature = "nature" in series.columns
    rows = list(
        series.select("area", "year", "value", *(["nature"] if has_nature else [])).iter_rows(
            named=True
        )
    )
    rank = {a: i for i, a in enumerate(dict.fromkeys(str(r["area"]) for r in rows))}
    rows.sort(key=lambda r: (rank[str(r["area"])], r["year"]))  # areas in the order given
    values = [
        {
            "area": str(r["area"]),
            "label": names.get(str(r["area"]), str(r["area"])),
            "year": int(r["year"]),
            "value": None if r["value"] is None else round(float(r["value"]), 3),
            "observed": (r["nature"] in ("observed", "administrative")) if has_nature else True,
        }
        for r in rows
    ]
    order = [str(label) for label in dict.fromkeys(v["label"] for v in values)]
    x = {"field": "year", "type": "quantitative", "title": None, "axis": {"format": "d"}}
    y: dict[str, Any] = {"field": "value", "type": "quantitative", "title": y_title}
    if domain is not None:
        y["scale"] = {"domain": list(domain)}
    color = {
        "field": "label",
        "type": "nominal",
        "title": None,
        "sort": order,
        "scale": {"range": COLOURS},
        "legend": {"orient": "bottom", "columns": 2, "labelLimit": 260},
    }
    shown = ", ".join(order)
    return {
        "$schema": SCHEMA,
        "title": _title(title, source),
        "description": description
        if description is not None
        else f"{title}: values by year" + (f" for {shown}." if shown else "."),
        "width": width,
        "height": height,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "line"}, "encoding": {"x": x, "y": y, "color": color}},
            {
                # solid points where observed, white ones ringed in the line's colour elsewhere
                "mark": {"type": "point", "filled": True, "size": 40, "strokeWidth": 1.5},
                "encoding": {
                    "x": x,
                    "y": y,
                    "stroke": {**color, "legend": None},
                    "fill": {
                        "condition": {"test": "datum.observed", **color, "legend": None},
                        "value": "white",
                    },
                    "opacity": {"value": 1},
                    "tooltip": [
                        {"field": "label", "title": None},
                        {"field": "year"},
                        {"field": "value", "format": ",.1f"},
                    ],
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
    # a view's config belongs to the top level of the card (Vega-Lite allows it nowhere else)
    chart = {k: v for k, v in spec.items() if k not in ("$schema", "title", "config")}
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
        "config": {**spec.get("config", {}), "view": {"stroke": None}},
    }
