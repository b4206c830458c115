"""The synthetic GLSS Ghana 2006 file, read in place from the pack through the shipped mapping,
runs the shipped informal-economy scheme; members and their SE agree with R's survey package
computing the same take-up from the raw file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.microsim.scheme import run_scheme
from socialcover.survey.io import Mapping, load_survey

pytestmark = pytest.mark.shared_data

DOCS = Path(__file__).resolve().parents[2] / "docs" / "examples"
MAPPING = DOCS / "glss_ghana2006.yaml"
SCHEME = DOCS / "microsim" / "scheme_ghana_informal.yaml"
GROUPS = (
    "skilled agricultural and fishery workers",
    "service workers and shop and market sales workers",
    "craft and related trades workers",
    "elementary occupations",
)


@pytest.fixture(scope="module")
def csv_path(shared_data: Path) -> Path:
    return shared_data / "microdata" / "synthetic_glss_ghana2006_simpop.csv.gz"


@pytest.fixture(scope="module")
def ghana(csv_path: Path) -> pl.DataFrame:
    return load_survey(csv_path, Mapping.from_yaml(MAPPING))


def test_mapping_keeps_every_person_and_the_design(ghana: pl.DataFrame) -> None:
    assert ghana.height == 36_970
    assert ghana["hh_id"].n_unique() == 8_700
    assert ghana["psu"].n_unique() == 580
    assert ghana["strata"].n_unique() == 10
    # persons with an occupation are employed; "none" has no labour status
    counts = dict(ghana["labour_status"].value_counts().iter_rows())
    assert counts == {"employed": 16_113, None: 20_857}


def _by_hand(raw: pl.DataFrame, share: float) -> tuple[float, np.ndarray]:
    """Expected members of the scheme as written, computed from the raw columns."""
    elig = (raw["occupation"].is_in(GROUPS) & raw["age"].is_between(18, 59)).to_numpy()
    y = np.maximum(raw["income"].to_numpy(), 1.0)
    w = raw["weight"].to_numpy()
    contribution = 0.05 * np.maximum(240.0, raw["income"].to_numpy())
    price = np.maximum((1 - share) * contribution, 5.0)
    ye, we = raw["income"].to_numpy()[elig], w[elig]
    order = np.argsort(ye)
    cw = np.cumsum(we[order])
    median = ye[order][np.searchsorted(cw, cw[-1] / 2)]
    u = -5.0 - 0.8 * np.log(price / y) + 0.4 * np.log(y / median)
    p = np.where(elig, 1 / (1 + np.exp(-u)), 0.0)
    return float((w * p).sum()), p


def test_members_equal_the_logit_computed_from_the_raw_file(
    ghana: pl.DataFrame, csv_path: Path
) -> None:
    result = run_scheme(SCHEME, ghana, draws=10)
    raw = pl.read_csv(csv_path)
    for variant, share in (("as written", 0.5), ("no subsidy", 0.0)):
        members, _ = _by_hand(raw, share)
        assert result.get(variant, "members")["estimate"] == pytest.approx(members, rel=1e-9)
    # the four occupation groups, and nobody else
    groups = result.table.filter(pl.col("group").str.starts_with("group="))["group"]
    assert set(groups) == {
        "group=farmers_fishers",
        "group=traders_services",
        "group=crafts",
        "group=elementary",
    }


R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$p <- scan(args[2], quiet = TRUE)
des <- svydesign(ids = ~clust, strata = ~region, weights = ~weight, data = d, nest = TRUE)
t <- svytotal(~p, des)
cat(sprintf("%.15g %.15g\n", coef(t), SE(t)))
"""


@pytest.mark.r_oracle
def test_members_and_se_match_r_survey(ghana: pl.DataFrame, csv_path: Path, tmp_path: Path) -> None:
    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    raw = pl.read_csv(csv_path)
    _, p = _by_hand(raw, 0.5)
    probs = tmp_path / "p.txt"
    probs.write_text("\n".join(repr(float(x)) for x in p))
    r = subprocess.run(
        ["Rscript", "-e", R_SCRIPT, str(csv_path), str(probs)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    total, se = (float(x) for x in r.stdout.split())
    got = run_scheme(SCHEME, ghana, draws=0).get("as written", "members")
    assert got["estimate"] == pytest.approx(total, rel=1e-9)
    assert got["se"] == pytest.approx(se, rel=1e-9)


def test_cli_runs_the_worked_example_and_calibrates(csv_path: Path) -> None:
    args = ["scheme", "run", str(SCHEME), str(csv_path), "--mapping", str(MAPPING)]
    res = CliRunner().invoke(
        app, [*args, "--draws", "5", "--enrolment", "5000", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    cal = out["calibration"]
    assert cal["parameter"] == "intercept" and cal["relative_error"] < 1e-9
    members = [
        r for r in out["rows"] if r["variant"] == "as written" and r["indicator"] == "members"
    ]
    assert members[0]["estimate"] == pytest.approx(5000, rel=1e-9)
    csv = CliRunner().invoke(app, [*args, "--draws", "0", "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    table = pl.read_csv(csv.stdout.encode())
    assert table.columns == ["variant", "indicator", "group", "estimate", "se", "p5", "p95"]
    assert set(table["variant"]) == {"as written", "no subsidy", "income-related"}
