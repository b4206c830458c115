"""Properties of the current pace: exact on a straight line, shifted by a constant, unchanged in
status by an increasing affine change of units, and reached whatever monotone map is applied."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcover.monitor.frame import OBSERVATION_SCHEMA
from socialcover.monitor.progress import (
    progress,
    project,
    status,
    trend,
    year_reached,
)
from socialcover.monitor.targets import Target


def series(values: dict[int, float], indicator: str = "test.index", nature: str = "observed"):
    return pl.DataFrame(
        [
            (indicator, "XDM", y, "both", v, None, None, None, nature, "test", "", "")
            for y, v in sorted(values.items())
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )


years = st.lists(st.integers(2000, 2024), min_size=2, max_size=12, unique=True)
slopes = st.floats(0.1, 5.0)
levels = st.floats(-50.0, 50.0)


@settings(max_examples=60, deadline=None)
@given(years=years, slope=slopes, level=levels, ahead=st.floats(1.0, 40.0))
def test_a_straight_line_gives_its_slope_and_year_reached(years, slope, level, ahead):
    rows = series({y: level + slope * (y - 2000) for y in years})
    t = trend(rows, window=30)
    assert t.pace == pytest.approx(slope, rel=1e-9, abs=1e-9)
    last = max(years)
    goal = level + slope * (last + ahead - 2000)
    reached = year_reached(rows, Target("test.index", "XDM", goal, 2100), window=30)
    assert reached.year == pytest.approx(last + ahead, abs=1e-6)
    if len(years) >= 3:  # no residual: the interval shrinks to the year itself
        assert reached.lower == pytest.approx(last + ahead, abs=1e-6)
        assert reached.upper == pytest.approx(last + ahead, abs=1e-6)
    else:
        assert reached.lower is None and "no interval" in reached.reason


@settings(max_examples=60, deadline=None)
@given(
    noise=st.lists(st.floats(-1.0, 1.0), min_size=8, max_size=8),
    slope=slopes,
    shift=st.floats(-10.0, 10.0),
)
def test_adding_a_constant_shifts_the_year_by_minus_constant_over_pace(noise, slope, shift):
    base = {2016 + i: 30 + slope * i + e for i, e in enumerate(noise)}
    target = Target("test.index", "XDM", 90.0, 2030)
    before = year_reached(series(base), target)
    after = year_reached(series({y: v + shift for y, v in base.items()}), target)
    pace = trend(series(base)).pace
    if before.year is None or after.year is None or max(base.values()) + abs(shift) >= 90:
        return
    assert after.year - before.year == pytest.approx(-shift / pace, rel=1e-9, abs=1e-9)
    assert trend(series({y: v + shift for y, v in base.items()})).pace == pytest.approx(pace)


# Values on a 0.1 grid and goals between its points, so that no value equals its goal.
tenths = st.lists(st.integers(0, 1000).map(lambda k: k / 10), min_size=2, max_size=10)
goals = st.integers(0, 999).map(lambda k: k / 10 + 0.05)


@settings(max_examples=60, deadline=None)
@given(
    values=tenths,
    goal=goals,
    scale=st.sampled_from([0.25, 0.5, 2.0, 8.0, 64.0]),
    offset=st.integers(-1000, 1000),
)
def test_an_increasing_change_of_units_keeps_the_status(values, goal, scale, offset):
    data = {2014 + i: v for i, v in enumerate(values)}
    before = status(series(data), Target("test.index", "XDM", goal, 2030))
    moved = {y: offset + scale * v for y, v in data.items()}
    after = status(series(moved), Target("test.index", "XDM", offset + scale * goal, 2030))
    assert before == after or _on_the_edge(data, goal)


@settings(max_examples=60, deadline=None)
@given(values=tenths, goal=goals)
def test_a_decreasing_change_of_units_with_a_falling_target_keeps_the_status(values, goal):
    data = {2014 + i: v for i, v in enumerate(values)}
    rising = Target("test.index", "XDM", goal, 2030, 2010, goal - 1)
    falling = Target("test.index", "XDM", -goal, 2030, 2010, -goal + 1)
    flipped = {y: -v for y, v in data.items()}
    assert status(series(data), rising) == status(series(flipped), falling) or _on_the_edge(
        data, goal
    )


@settings(max_examples=60, deadline=None)
@given(values=tenths.map(lambda vs: [1 + 0.98 * v for v in vs]), goal=goals)
def test_any_increasing_map_keeps_reached(values, goal):
    data = {2014 + i: v for i, v in enumerate(values)}
    target = Target("test.index", "XDM", goal, 2030)
    mapped = {y: math.log(v / (100 - v)) for y, v in data.items()}
    mapped_target = Target("test.index", "XDM", math.log(goal / (100 - goal)), 2030)
    was = status(series(data), target) == "reached"
    assert was == (status(series(mapped), mapped_target) == "reached")


def _on_the_edge(data: dict[int, float], goal: float) -> bool:
    """Float rounding can flip a projection that lands on the target itself."""
    rows = series(data)
    t = trend(rows)
    return abs(t.value(2030) - goal) < 1e-6 * max(1.0, abs(goal))


def test_the_logit_scale_keeps_the_projection_inside_0_100():
    rows = series({2016 + i: 80 + 2.5 * i for i in range(8)}, "sdg131.children")
    linear = project(rows, [2040])
    logit = project(rows, [2040], scale="logit")
    assert linear["value"][0] > 100
    assert 0 < logit["lower"][0] <= logit["value"][0] <= logit["upper"][0] < 100


def test_project_marks_observed_modelled_and_projected():
    rows = pl.concat(
        [
            series({2019: 40.0, 2020: 42.0}, nature="survey_estimate"),
            series({2021: 44.5, 2022: 46.0}, nature="imputed"),
        ]
    )
    out = project(rows, [2019, 2021, 2025])
    assert out["part"].to_list() == ["observed", "modelled", "projected"]
    assert out["lower"][2] < out["value"][2] < out["upper"][2]


def test_the_window_keeps_only_the_recent_years():
    old_then_flat = {2000 + i: 10.0 * i for i in range(10)} | {2010 + i: 95.0 for i in range(8)}
    t = trend(series(old_then_flat), window=8)
    assert (t.first_year, t.last_year, t.n, t.pace) == (2010, 2017, 8, 0.0)


def test_a_falling_pace_never_reaches_a_rising_target():
    rows = series({2016: 50.0, 2018: 49.0, 2020: 47.5})
    reached = year_reached(rows, Target("test.index", "XDM", 100.0, 2030))
    assert reached.year is None and "does not lead to the target" in reached.reason
    assert status(rows, Target("test.index", "XDM", 100.0, 2030)) == "off track"


def test_a_target_met_then_lost_is_not_reached():
    rows = series({2016: 40.0, 2017: 61.0, 2018: 62.0, 2019: 55.0, 2020: 61.0, 2021: 63.0})
    target = Target("test.index", "XDM", 60.0, 2030)
    assert year_reached(rows, target).year == 2020.0
    fell = series({2016: 40.0, 2017: 61.0, 2018: 55.0, 2019: 56.0})
    assert status(fell, target) != "reached"
    assert year_reached(fell, target).reason != "reached in the series"


def test_statuses():
    rows = series({2016: 40.0, 2018: 44.0, 2020: 48.0})
    assert status(rows, Target("test.index", "XDM", 45.0, 2030)) == "reached"
    assert status(rows, Target("test.index", "XDM", 60.0, 2030)) == "on track"
    assert status(rows, Target("test.index", "XDM", 90.0, 2030)) == "off track"
    assert status(rows, Target("test.index", "XDM", 60.0, 2019)) == "off track"
    assert status(series({2020: 48.0}), Target("test.index", "XDM", 60.0, 2030)) == "no data"
    assert status(series({}), Target("test.index", "XDM", 60.0, 2030)) == "no data"


def test_the_table_says_why_instead_of_zero_or_infinity():
    rows = pl.concat(
        [
            series({2016: 40.0, 2018: 44.0, 2020: 48.0}),  # 3 points
            series({2020: 10.0}, "test.one"),  # 1 point: no pace
            series({2019: 10.0, 2020: 12.0}, "test.two"),  # 2 points: no interval
            series({2016: 30.0, 2018: 29.0, 2020: 28.0}, "test.falling"),
            series({2016: 30.0, 2020: 31.0}, "test.untargeted"),
        ]
    )
    targets = [
        Target(code, "XDM", 100.0, 2030)
        for code in ("test.index", "test.one", "test.two", "test.falling", "test.absent")
    ]
    table = progress(rows, targets)
    assert table.height == 6
    by = {r["indicator"]: r for r in table.iter_rows(named=True)}
    assert by["test.index"]["status"] == "off track" and by["test.index"]["reason"] == ""
    assert by["test.one"]["status"] == "no data" and by["test.one"]["pace_pp_year"] is None
    assert by["test.one"]["reason"] == "one value in the 8 years to 2020: no pace can be fitted"
    assert by["test.two"]["year_reached"] == pytest.approx(2064.0)
    assert (
        by["test.two"]["year_reached_lower"] is None and "no interval" in by["test.two"]["reason"]
    )
    assert by["test.falling"]["year_reached"] is None
    assert "does not lead" in by["test.falling"]["reason"]
    assert by["test.untargeted"]["status"] is None
    assert "no target" in by["test.untargeted"]["reason"]
    assert by["test.absent"]["status"] == "no data" and by["test.absent"]["latest_year"] is None
    assert by["test.absent"]["reason"] == "no value: no pace can be fitted"
    for column in table.select(pl.selectors.numeric()).columns:
        assert table[column].drop_nulls().is_finite().all()
