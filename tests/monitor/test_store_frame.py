"""validate_frame: the observation frame's schema and rules, every bad row and column named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socialcover.errors import InputError
from socialcover.monitor import OBSERVATION_SCHEMA, validate_frame


def frame(**changes: list[Any]) -> pl.DataFrame:
    """Three good observations, with some columns replaced."""
    data: dict[str, list[Any]] = {
        "indicator": ["sdg131.children", "sdg131.children", "spending.social_protection_pct_gdp"],
        "area": ["KEN", "KEN", "KEN"],
        "year": [2023, 2023, 2022],
        "sex": ["both", "female", "both"],
        "value": [12.5, 11.0, 2.4],
        "se": [0.4, None, None],
        "lower": [11.7, None, None],
        "upper": [13.3, None, None],
        "nature": ["survey_estimate", "observed", "administrative"],
        "source": ["KNBS", "ILO", "ILO SSI"],
        "vintage": ["2024", "2025", "2025"],
        "footnotes": ["", None, "Central government only | provisional"],
    }
    data.update(changes)
    return pl.DataFrame(data, strict=False)


def test_a_good_frame_comes_back_in_the_schema() -> None:
    good = validate_frame(frame().select(reversed(list(OBSERVATION_SCHEMA))))
    assert good.schema == pl.Schema(OBSERVATION_SCHEMA)
    assert good["footnotes"].to_list()[1] == ""


@pytest.mark.parametrize(
    ("changes", "row", "column", "code"),
    [
        ({"sex": ["both", "f", "both"]}, 2, "sex", "monitor.bad-sex"),
        ({"nature": ["observed", "observed", "guess"]}, 3, "nature", "monitor.bad-nature"),
        ({"year": [2023, 2023, 2022.5]}, 3, "year", "monitor.bad-type"),
        ({"year": [2023, 2023, 1850]}, 3, "year", "monitor.bad-year"),
        ({"value": [12.5, None, 2.4]}, 2, "value", "monitor.missing-value"),
        ({"value": [12.5, float("nan"), 2.4]}, 2, "value", "monitor.not-finite"),
        ({"value": [120.0, 11.0, 2.4]}, 1, "value", "monitor.out-of-range"),
        ({"value": [14.0, 11.0, 2.4]}, 1, "value", "monitor.outside-interval"),
        ({"se": [-0.4, None, None]}, 1, "se", "monitor.bad-se"),
        ({"source": ["KNBS", " ", "ILO"]}, 2, "source", "monitor.missing-value"),
        ({"sex": ["both", "both", "both"]}, 1, "indicator", "monitor.duplicate-key"),
        (
            {"indicator": ["sdg131.children", "sdg131.childrn", "sdg131.children"]},
            2,
            "indicator",
            "monitor.unknown-indicator",
        ),
    ],
)
def test_each_bad_value_is_named_by_row_column_and_code(
    changes: dict[str, list[Any]], row: int, column: str, code: str
) -> None:
    with pytest.raises(InputError) as info:
        validate_frame(frame(**changes))
    assert info.value.code == "monitor.invalid-frame"
    problems = info.value.context["problems"]
    assert {"row": row, "column": column, "code": code} in [
        {k: p[k] for k in ("row", "column", "code")} for p in problems
    ]
    assert f"row {row}, {column}" in info.value.message
    assert "nothing was saved" in info.value.hint


def test_the_nearest_code_is_suggested_for_an_unknown_indicator() -> None:
    with pytest.raises(InputError, match=r"row 2, indicator: .*Did you mean sdg131.children"):
        validate_frame(frame(indicator=["sdg131.children", "sdg131.childrn", "sdg131.children"]))


def test_every_bad_row_is_reported_at_once() -> None:
    with pytest.raises(InputError) as info:
        validate_frame(frame(sex=["x", "both", "both"], nature=["observed", "observed", "?"]))
    assert info.value.context["rows"] == [1, 3]
    assert info.value.message.startswith("2 of 3 rows are not valid")


def test_missing_and_unknown_columns_are_refused_first() -> None:
    with pytest.raises(InputError) as info:
        validate_frame(frame().drop("vintage").with_columns(pl.lit(1).alias("weight")))
    assert info.value.code == "monitor.bad-columns"
    assert info.value.context == {"missing": ["vintage"], "unknown": ["weight"]}


@pytest.mark.shared_data
def test_an_unknown_area_is_named_with_its_row_and_the_nearest_areas(installed_pack: Path) -> None:
    rows = [
        ("sdg131.children", area, 2023, "both", 40.0, None, None, None, "observed", "s", "v", "")
        for area in ("KEN", "Afirca", "World")
    ]
    frame = pl.DataFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")
    with pytest.raises(InputError) as refused:
        validate_frame(frame)
    (problem,) = refused.value.context["problems"]
    assert (problem["row"], problem["column"], problem["code"]) == (
        2,
        "area",
        "monitor.unknown-area",
    )
    assert "Africa" in problem["message"]
