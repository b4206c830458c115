"""Coded errors: unknown indicator codes suggest the nearest ones; bad groupings say which."""

from __future__ import annotations

import pytest

from socialcover.errors import InputError, NotFoundError
from socialcover.monitor.aggregate import _groupings
from socialcover.monitor.denominators import check_indicator


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
        _groupings("ilo-region,continent")
    assert info.value.code == "monitor.bad-grouping"
    assert "'continent'" in info.value.message
