"""Indicators on the real synthetic EU-SILC file (read in place), checked against R on raw data."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path

import polars as pl
import pytest

from socialcover.errors import SocialcoverWarning
from socialcover.indicators import IndicatorTable, compute_indicators
from socialcover.survey.io import Mapping, load_survey

pytestmark = pytest.mark.shared_data

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "eusilc_austria2006.yaml"


@pytest.fixture(scope="module")
def csv_path(shared_data: Path) -> Path:
    return shared_data / "microdata" / "synthetic_eusilc_austria2006_laeken.csv.gz"


@pytest.fixture(scope="module")
def table(csv_path: Path) -> IndicatorTable:
    mapping = Mapping.from_yaml(EXAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        return compute_indicators(load_survey(csv_path, mapping), mapping=mapping, by=["region"])


def test_indicators_the_file_cannot_support_say_why(table: IndicatorTable) -> None:
    frame = table.frame.filter(pl.col("code") == "coverage.contributors_employed")
    assert frame["value"][0] is None
    assert "needs contributes" in frame["reason"][0]


def test_austrian_family_allowances_are_near_universal(table: IndicatorTable) -> None:
    children = table.value("coverage.children")
    assert children is not None and children > 95


def test_breakdowns_by_federal_state(table: IndicatorTable) -> None:
    states = table.frame.filter(
        (pl.col("code") == "coverage.older_persons") & (pl.col("disaggregation") == "region")
    )
    assert states.height == 9
    assert states["value"].is_not_null().all()


R_SCRIPT = r"""
suppressMessages(library(survey))
d <- read.csv(gzfile(commandArgs(trailingOnly = TRUE)[1]))
d$old <- as.numeric(d$age >= 65)
d$old_pension <- d$old * as.numeric(!is.na(d$py100n) & d$py100n > 0)
d$unemp <- as.numeric(!is.na(d$pl030) & d$pl030 == 3)
d$unemp_benefit <- d$unemp * as.numeric(!is.na(d$py090n) & d$py090n > 0)
des <- svydesign(ids = ~db030, strata = ~db040, weights = ~rb050, data = d)
a <- svyratio(~old_pension, ~old, des)
b <- svyby(~unemp_benefit, ~rb090, des, svyratio, denominator = ~unemp)
cat(jsonlite::toJSON(list(old = c(coef(a), SE(a)), unemp = unname(coef(b)),
                          unemp_se = unname(SE(b)), sex = as.character(b$rb090)), digits = NA))
"""


@pytest.mark.r_oracle
def test_eusilc_coverage_matches_r_on_the_raw_file(table: IndicatorTable, csv_path: Path) -> None:
    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    r = subprocess.run(
        ["Rscript", "-e", R_SCRIPT, str(csv_path)], capture_output=True, text=True, timeout=300
    )
    if r.returncode != 0 and "jsonlite" in r.stderr:
        pytest.skip("R package jsonlite is needed")
    assert r.returncode == 0, r.stderr
    oracle = json.loads(r.stdout)
    old = table.frame.filter(
        (pl.col("code") == "coverage.older_persons") & (pl.col("disaggregation") == "total")
    )
    assert old["value"][0] == pytest.approx(oracle["old"][0] * 100, rel=1e-9)
    assert old["se"][0] == pytest.approx(oracle["old"][1] * 100, rel=1e-7)
    unemp = table.frame.filter(
        (pl.col("code") == "coverage.unemployed") & (pl.col("disaggregation") == "sex")
    ).sort("group")
    assert unemp["group"].to_list() == oracle["sex"]
    assert unemp["value"].to_list() == pytest.approx([v * 100 for v in oracle["unemp"]], rel=1e-9)
    assert unemp["se"].to_list() == pytest.approx([v * 100 for v in oracle["unemp_se"]], rel=1e-7)
