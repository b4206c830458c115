"""The progress chart draws observed, modelled and projected parts apart, and renders to SVG."""

from __future__ import annotations

import polars as pl
import vl_convert as vlc

from socialcover.monitor.charts import progress_chart
from socialcover.monitor.frame import OBSERVATION_SCHEMA
from socialcover.monitor.targets import Target


def _rows(values: dict[int, float], nature: str) -> pl.DataFrame:
    return pl.DataFrame(
        [
            ("sdg131.children", "XDM", y, "both", v, None, None, None, nature, "ILO, test", "", "")
            for y, v in sorted(values.items())
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )


def test_the_chart_draws_each_part_its_own_way_and_renders_to_svg() -> None:
    rows = pl.concat(
        [
            _rows({2015: 30.0, 2017: 33.5, 2019: 36.0}, "observed"),
            _rows({2020: 37.8, 2021: 39.0, 2022: 41.1}, "modelled"),
        ]
    )
    spec = progress_chart(rows, Target("sdg131.children", "XDM", 100.0, 2030))
    parts = {r["part"] for r in spec["data"]["values"]}
    assert parts == {"observed", "modelled", "projected"}
    band, projection, modelled, observed, rule, _label = spec["layer"]
    assert band["mark"]["type"] == "area" and band["encoding"]["y2"] == {"field": "upper"}
    assert projection["mark"]["strokeDash"] and modelled["mark"]["strokeDash"]
    assert modelled["mark"]["point"]["filled"] is False
    assert "strokeDash" not in observed["mark"] and observed["mark"]["point"]["filled"] is True
    assert rule["encoding"]["y"]["datum"] == 100.0
    assert spec["title"]["subtitle"][0] == "Source: ILO, test."
    years = [r["year"] for r in spec["data"]["values"] if r["part"] == "projected"]
    assert (min(years), max(years)) == (2022, 2030)  # joins the latest value
    svg = vlc.vegalite_to_svg(spec)
    assert svg.startswith("<svg") and "Target: 100 by 2030" in svg
