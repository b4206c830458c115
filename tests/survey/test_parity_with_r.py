"""Estimates, SEs, design effects, df and intervals equal R survey's to 1e-9 (relative).

The golden file ``golden/parity.json`` was written by ``golden/parity.R`` (its header has the
command and R survey version); ``test_golden_file_is_what_r_says_now`` re-runs R live
(marker ``r_oracle``) so the golden numbers cannot drift from the oracle.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from survey_oracle import DATA, GOLDEN, compare, estimate_case, read_fixture, run_r

CASES: list[dict[str, Any]] = json.loads((GOLDEN / "parity.json").read_text())["cases"]
_DATA: dict[str, pl.DataFrame] = {}


def data_of(name: str) -> pl.DataFrame:
    if name not in _DATA:
        _DATA[name] = read_fixture(name)
    return _DATA[name]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_matches_r_survey(case: dict[str, Any]) -> None:
    est = estimate_case(case, data_of(case["data"]))
    problems = compare(case, est)
    assert not problems, "\n".join(problems)


@pytest.mark.r_oracle
@pytest.mark.slow
def test_golden_file_is_what_r_says_now(tmp_path: Path) -> None:
    out = tmp_path / "parity.json"
    run_r(GOLDEN / "parity.R", DATA, out)
    live = json.loads(out.read_text())["cases"]
    assert [c["id"] for c in live] == [c["id"] for c in CASES]
    for c_live, c_gold in zip(live, CASES, strict=True):
        assert c_live["results"] == c_gold["results"], c_live["id"]
