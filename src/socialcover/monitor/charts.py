"""Charts of progress: a series, its projection at the current pace, and its target.

The chart is a Vega-Lite spec (a dict), drawn by the platform's pages or any Vega-Lite
renderer; the numbers come from :mod:`socialcover.monitor.progress`.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from socialcover.monitor.progress import DEFAULT_WINDOW, Scale, project, trend
from socialcover.monitor.targets import Target

__all__ = ["progress_chart"]


def progress_chart(
    series: pl.DataFrame,
    target: Target,
    *,
    window: int = DEFAULT_WINDOW,
    scale: Scale = "linear",
) -> dict[str, Any]:
    """A Vega-Lite spec of a series against its target: what was observed, modelled, projected.

    Observed points are solid dots on a solid line, modelled ones hollow on a dashed line, the
    projection (from the latest year to the target year) a dashed line in its 95% band, and the
    target a horizontal rule. The subtitle is the source line.

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
    y = {"field": "value", "type": "quantitative", "title": "Value"}

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


def _tooltip() -> list[dict[str, Any]]:
    return [{"field": "year"}, {"field": "value", "format": ".1f"}, {"field": "part"}]


def _values(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [dict(r) for r in frame.iter_rows(named=True)]
