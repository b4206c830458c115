"""Indicator values and SEs checked live against R's survey package (svyratio via svyby)."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from socialcover.errors import SocialcoverWarning
from socialcover.indicators import compute_indicators, get_indicator, prepare_variables

pytestmark = pytest.mark.r_oracle

CASES = [
    ("coverage.older_persons", "sex"),
    ("coverage.children", "urban"),
    ("aspire.adequacy", "quintile"),
    ("targeting.exclusion_error", "age_band"),
]

R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
cases <- jsonlite::fromJSON(args[2])
des <- svydesign(ids = ~psu, strata = ~strata, weights = ~weight, data = d)
out <- list()
for (i in seq_len(nrow(cases))) {
  f <- svyby(as.formula(paste0("~", cases$y[i])), as.formula(paste0("~", cases$by[i])), des,
             svyratio, denominator = as.formula(paste0("~", cases$x[i])))
  out[[i]] <- list(group = as.character(f[[1]]), estimate = unname(coef(f)), se = unname(SE(f)))
}
cat(jsonlite::toJSON(out, digits = NA))
"""


def test_ratios_and_ses_match_r_survey(survey: pl.DataFrame, tmp_path: Path) -> None:
    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    check = subprocess.run(
        ["Rscript", "-e", "library(survey); library(jsonlite)"], capture_output=True, text=True
    )
    if check.returncode != 0:
        pytest.skip("R packages survey and jsonlite are needed")
    small = survey.head(6_000)
    prepared = prepare_variables(small).frame
    cases = []
    cols = {"psu", "strata", "weight"}
    for code, by in CASES:
        ind = get_indicator(code)
        cases.append({"y": ind.numerator_var, "x": ind.denominator_var, "by": by})
        cols |= {ind.numerator_var, ind.denominator_var, by}
    path = tmp_path / "d.csv"
    prepared.select(sorted(cols)).drop_nulls().write_csv(path)
    assert pl.read_csv(path).height == small.height  # R sees exactly the same persons
    r = subprocess.run(
        ["Rscript", "-e", R_SCRIPT, str(path), json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    oracle = json.loads(r.stdout)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        table = compute_indicators(small, codes=[c for c, _ in CASES]).frame
    for (code, by), got in zip(CASES, oracle, strict=True):
        ours = table.filter((pl.col("code") == code) & (pl.col("disaggregation") == by))
        ours = ours.filter(pl.col("group").is_in(got["group"])).sort("group")
        order = np.argsort(got["group"])
        f = get_indicator(code).factor
        np.testing.assert_allclose(
            ours["value"].to_numpy(), np.asarray(got["estimate"])[order] * f, rtol=1e-9
        )
        np.testing.assert_allclose(
            ours["se"].to_numpy(), np.asarray(got["se"])[order] * f, rtol=1e-7
        )
