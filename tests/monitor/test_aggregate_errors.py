"""Coded errors: unknown indicator codes suggest the nearest ones; bad groupings say which."""

from __future__ import annotations

import polars as pl
import pytest

from socialcover.errors import InputError, NotFoundError
from socialcover.monitor.aggregate import aggregate, observations_from_pack
from socialcover.monitor.denominators import check_indicator
from socialcover.monitor.frame import OBSERVATION_SCHEMA


def test_unknown_indicator_suggests_the_nearest_code() -> None:
    with pytest.raises(NotFoundError) as info:
        check_indicator("sdg131.at_least_one_benfit")
    assert info.value.code == "monitor.unknown-indicator"
    assert "Did you mean sdg131.at_least_one_benefit?" in info.value.hint
    assert "socialcover monitor indicators" in info.value.hint


def test_short_names_are_accepted() -> None:
    assert check_indicator("children") == "sdg131.children"


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(InputError) as info:
        aggregate(pl.DataFrame(schema=OBSERVATION_SCHEMA), "children", 2023, "ilo-region,continent")
    assert info.value.code == "monitor.bad-grouping"
    assert "'continent'" in info.value.message


def test_a_frame_without_the_observation_columns_is_refused() -> None:
    frame = pl.DataFrame({"area": ["KEN"], "year": [2023], "value": [10.0]})
    with pytest.raises(InputError) as info:
        aggregate(frame, "sdg131.children", 2023)
    assert info.value.code == "monitor.bad-frame"
    assert "'indicator'" in info.value.message


def test_an_indicator_without_a_weight_is_not_aggregated() -> None:
    # a count of the campaign's own work (World only) has no denominator to weight by
    with pytest.raises(InputError) as info:
        aggregate(pl.DataFrame(schema=OBSERVATION_SCHEMA), "process.events_held", 2023)
    assert info.value.code == "monitor.no-weight"


def test_the_pack_has_no_series_outside_sdg131() -> None:
    with pytest.raises(InputError) as info:
        observations_from_pack("costing.cost_pct_gdp")
    assert info.value.code == "monitor.not-in-pack"


def test_an_unknown_sex_is_refused() -> None:
    frame = pl.DataFrame(schema=OBSERVATION_SCHEMA)
    with pytest.raises(InputError) as info:
        aggregate(frame, "sdg131.children", 2023, sex="all")
    assert info.value.code == "monitor.bad-sex"
