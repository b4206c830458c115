"""Each domain's df with 200 replicate-weight columns is R's ``degf`` of the domain's design.

R's ``svyby(..., svyciprop)`` subsets a replicate design per domain, and the subset
recomputes ``degf``: the rank of the domain's replicate weights (``qr(..., tol = 1e-5)``)
minus 1. Domains here cover different numbers of PSUs (so different ranks: 39, 79, 79 and
199), one spans every PSU, and the df must be R's per domain, not the design's. The
proportion's interval (``svyciprop``, beta), estimate and SE are compared at 1e-9 too. R runs
live through Rscript (marker ``r_oracle``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from survey_oracle import close, run_r

from socialcover.survey import ReplicateDesign, Sample

R = 200

R_SCRIPT = r"""
suppressMessages(library(survey))
suppressMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
df <- read.csv(args[1])
nrep <- sum(grepl("^r[0-9]+$", names(df)))
d <- svrepdesign(data = df, repweights = "^r[0-9]+$", weights = ~w, type = "JK1",
                 combined.weights = TRUE, scale = (nrep - 1) / nrep)
levs <- sort(unique(df$g))
out <- lapply(levs, function(l) {
  s <- subset(d, g == l)
  m <- svyciprop(~I(y > 0), s, method = "beta")
  ci <- attr(m, "ci")
  list(g = l, degf = degf(s), estimate = as.numeric(coef(m)),
       se = as.numeric(sqrt(vcov(m)))[1], ci_low = as.numeric(ci[1]), ci_high = as.numeric(ci[2]))
})
b <- svyby(~I(y > 0), ~g, d, svyciprop, method = "beta", vartype = "ci")
writeLines(toJSON(list(domains = out, design_degf = degf(d),
                       svyby_ci_low = as.numeric(b$ci_l), svyby_ci_high = as.numeric(b$ci_u)),
                  digits = NA, auto_unbox = TRUE), args[2])
"""


def _data() -> pl.DataFrame:
    rng = np.random.default_rng(11)
    n = 1_200
    psu = np.arange(n) % R
    w = rng.uniform(1, 4, n)
    # domains over PSUs 0-39, 40-119 and 120-199, and a fourth drawn from every PSU
    g = np.where(psu < 40, 0, np.where(psu < 120, 1, 2))
    g = np.where(rng.uniform(size=n) < 0.15, 3, g)
    cols = {f"r{j}": np.where(psu == j, 0.0, w * R / (R - 1)) for j in range(R)}
    return pl.DataFrame({"y": rng.normal(0.3, 1, n), "g": g, "w": w, **cols})


@pytest.mark.r_oracle
@pytest.mark.slow
def test_domain_df_with_200_replicates_is_r_degf(tmp_path: Path) -> None:
    df = _data()
    csv, out = tmp_path / "d.csv", tmp_path / "r.json"
    df.write_csv(csv, float_precision=17)
    script = tmp_path / "degf.R"
    script.write_text(R_SCRIPT)
    run_r(script, csv, out)
    want = json.loads(out.read_text())
    s = Sample(df, ReplicateDesign.from_columns("w", [f"r{j}" for j in range(R)], type="JK1"))
    got = s.proportion("y > 0", by="g", method="beta").to_polars().sort("g")
    assert s.df == want["design_degf"]
    dfs = [d["degf"] for d in want["domains"]]
    assert len(set(dfs)) > 2  # the domains really differ in rank
    assert got["df"].to_list() == dfs
    for row, r in zip(got.iter_rows(named=True), want["domains"], strict=True):
        assert row["g"] == r["g"]
        for k in ("estimate", "se", "ci_low", "ci_high"):
            assert close(row[k], r[k]), (row["g"], k, row[k], r[k])
    # svyby gives the same intervals as the subsets (so the same per-domain df)
    np.testing.assert_allclose(got["ci_low"], want["svyby_ci_low"], rtol=1e-9)
    np.testing.assert_allclose(got["ci_high"], want["svyby_ci_high"], rtol=1e-9)
    # a second estimate by the same domains reads its df from the memo: the same numbers
    again = s.proportion("y > 1", by="g", method="beta").to_polars().sort("g")
    assert again["df"].to_list() == dfs
