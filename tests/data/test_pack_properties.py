"""Property tests: any one corrupted cell is caught at its line; exact splits sum exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from badpacks.slices import AGE5_LINES, edit_cell, make_slice
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from socialcover.data._demography import split_exact
from socialcover.data.catalog import BY_ID
from socialcover.data.validate import check_file, known_iso3_codes

AGE5 = BY_ID["wpp_population_age5"]


@pytest.fixture(scope="module")
def good_slice(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_slice(shared_data, tmp_path_factory.mktemp("slice"))


@pytest.fixture(scope="module")
def known(good_slice: Path) -> set[str]:
    checked, problems = check_file(BY_ID["wpp_locations"], good_slice, None)
    assert checked is not None and not problems
    return known_iso3_codes(checked.frame)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    line=st.integers(min_value=2, max_value=AGE5_LINES),
    value=st.integers(min_value=-(10**9), max_value=-1),
)
def test_a_negative_population_is_caught_at_its_line(
    good_slice: Path, known: set[str], tmp_path_factory: pytest.TempPathFactory, line: int,
    value: int,
) -> None:  # fmt: skip
    bad = tmp_path_factory.mktemp("bad") / "pack"
    shutil.copytree(good_slice, bad)
    edit_cell(bad, AGE5.path, line, "population", str(value))
    checked, problems = check_file(AGE5, bad, known)
    assert checked is None
    assert [(p.code, p.line, p.column) for p in problems] == [
        ("data.pack-negative-value", line, "population")
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    line=st.integers(min_value=2, max_value=AGE5_LINES),
    code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
)
def test_an_unknown_country_code_is_caught_at_its_line(
    good_slice: Path, known: set[str], tmp_path_factory: pytest.TempPathFactory, line: int,
    code: str,
) -> None:  # fmt: skip
    assume(code not in known)  # a real code in the wrong row is another error
    bad = tmp_path_factory.mktemp("bad") / "pack"
    shutil.copytree(good_slice, bad)
    edit_cell(bad, AGE5.path, line, "iso3", code)
    _, problems = check_file(AGE5, bad, known)
    assert [(p.code, p.line) for p in problems] == [("data.pack-unknown-country", line)]


@given(
    total=st.integers(min_value=0, max_value=10**10),
    shares=st.lists(st.floats(min_value=0.001, max_value=1.0), min_size=1, max_size=50),
)
def test_split_exact_sums_to_the_total(total: int, shares: list[float]) -> None:
    parts = split_exact(total, np.array(shares))
    assert int(parts.sum()) == total
    assert (parts >= 0).all()
    expected = np.array(shares) / sum(shares) * total
    assert (np.abs(parts - expected) <= 1).all()
