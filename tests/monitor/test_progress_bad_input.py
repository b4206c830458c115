"""Bad targets and bad series are refused with a coded error that names what is wrong."""

from __future__ import annotations

import math

import polars as pl
import pytest

from socialcover.errors import InputError
from socialcover.monitor.frame import OBSERVATION_SCHEMA
from socialcover.monitor.progress import progress, status, trend, year_reached
from socialcover.monitor.targets import Target


def series(values: dict[int, float], indicator: str = "sdg131.children", sex: str = "both"):
    return pl.DataFrame(
        [
            (indicator, "XDM", y, sex, v, None, None, None, "observed", "test", "", "")
            for y, v in sorted(values.items())
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"indicator": ""}, "indicator", "non-empty indicator"),
        ({"area": " "}, "area", "non-empty area"),
        ({"value": math.nan}, "value", "not a finite number"),
        ({"value": "100"}, "value", "not a finite number"),
        ({"value": 120.0}, "value", "outside 0-100"),
        ({"year": 2030.5}, "year", "not a whole year"),
        ({"baseline_year": 2015}, "baseline", "both its year and its value"),
        ({"baseline_year": 2031, "baseline_value": 40.0}, "baseline_year", "not before"),
        ({"baseline_year": 2015, "baseline_value": math.inf}, "baseline_value", "not a number"),
    ],
)
def test_a_bad_target_names_its_field(kwargs, field, words):
    args = {"indicator": "sdg131.children", "area": "XDM", "value": 100.0, "year": 2030} | kwargs
    with pytest.raises(InputError, match=words) as caught:
        Target(**args)
    assert caught.value.code == "monitor.bad-target"
    assert caught.value.context["field"] == field


def test_a_target_outside_0_100_is_fine_for_other_units():
    assert Target("spending.social_protection_pct_gdp", "XDM", 120.0, 2030).value == 120.0


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: trend(series({2020: 1.0, 2021: 2.0}), window=1), "monitor.bad-window"),
        (lambda: trend(series({2020: 1.0, 2021: 2.0}), scale="log"), "monitor.bad-scale"),  # type: ignore[arg-type]
        (lambda: trend(series({2020: 1.0})), "monitor.too-few-points"),
        (lambda: trend(series({2010: 1.0, 2020: 2.0})), "monitor.too-few-points"),
        (lambda: trend(series({2020: 0.0, 2021: 2.0}), scale="logit"), "monitor.logit-bounds"),
        (
            lambda: trend(pl.concat([series({2020: 1.0}), series({2020: 2.0})])),
            "monitor.duplicate-year",
        ),
        (
            lambda: trend(pl.concat([series({2020: 1.0}), series({2020: 2.0}, sex="male")])),
            "monitor.not-one-series",
        ),
        (lambda: trend(series({2020: 1.0}).drop("nature")), "monitor.bad-observations"),
        (
            lambda: progress(
                series({2020: 1.0}),
                [Target("sdg131.children", "XDM", 100, 2030)] * 2,
            ),
            "monitor.duplicate-target",
        ),
    ],
)
def test_a_bad_series_is_refused_with_its_code(call, code):
    with pytest.raises(InputError) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.to_dict()["hint"] or code == "monitor.too-few-points"


def test_missing_values_are_left_out_not_read_as_zero():
    rows = series({2016: 40.0, 2018: math.nan, 2020: 48.0})
    assert trend(rows).n == 2
    assert status(rows, Target("sdg131.children", "XDM", 100.0, 2030)) == "off track"


def test_a_target_of_100_is_never_reached_on_the_logit_scale():
    rows = series({2016: 40.0, 2018: 44.0, 2020: 48.0})
    reached = year_reached(rows, Target("sdg131.children", "XDM", 100.0, 2030), scale="logit")
    assert reached.year is None and "never reached on the logit scale" in reached.reason
    assert year_reached(rows, Target("sdg131.children", "XDM", 90.0, 2030), scale="logit").year
