"""``spark-submit --master spark://...`` runs survey estimates and a simulation on that master.

Needs the standalone master and worker that ``scripts/test`` starts (``scripts/spark-cluster``):
``SOCIALCOVER_TEST_SPARK_MASTER=spark://127.0.0.1:PORT`` and
``SOCIALCOVER_TEST_SPARK_MASTER_UI=http://127.0.0.1:WEBPORT``. The job is the cluster guide's
example (docs/examples/spark/survey_and_simulation.py); the application must appear on the
master's JSON status, and its numbers must equal DuckDB's on the same file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

import polars as pl
import pytest

from socialcover.microsim import simulate
from socialcover.survey import Design, Sample
from socialcover.testing import synthetic_survey

pytestmark = [pytest.mark.spark, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
JOB = REPO / "docs" / "examples" / "spark" / "survey_and_simulation.py"


def test_spark_submit_runs_on_the_submitted_master(tmp_path: Path) -> None:
    master = os.environ.get("SOCIALCOVER_TEST_SPARK_MASTER", "")
    ui = os.environ.get("SOCIALCOVER_TEST_SPARK_MASTER_UI", "")
    if not master.startswith("spark://") or not ui:
        pytest.skip("no standalone Spark master (scripts/spark-cluster start; see scripts/test)")
    pyspark = pytest.importorskip("pyspark")
    persons = synthetic_survey(20_000, seed=7, path=tmp_path / "persons.parquet")
    out = tmp_path / "out.json"
    name = f"socialcover-submit-{uuid.uuid4().hex[:8]}"
    submit = Path(pyspark.__file__).parent / "bin" / "spark-submit"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "SPARK_HOME": str(submit.parent.parent),
    }
    proc = subprocess.run(
        [
            str(submit),
            "--master",
            master,
            "--name",
            name,
            "--driver-memory",
            "1g",
            "--executor-memory",
            "768m",
            "--conf",
            "spark.cores.max=1",
            "--conf",
            "spark.sql.shuffle.partitions=3",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            str(JOB),
            str(persons),
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(out.read_text())
    assert got["master"] == master  # the submitted master, not a local one of ours
    assert got["backend"] == ["spark", "spark"]
    with urllib.request.urlopen(f"{ui}/json/", timeout=10) as resp:
        state = json.load(resp)
    apps = {a["id"]: a for a in [*state["activeapps"], *state["completedapps"]]}
    assert got["app_id"] in apps and apps[got["app_id"]]["name"] == name
    # the same numbers as DuckDB on the same file
    d = Design(weights="weight", strata="strata", psu="psu")
    duck = Sample(str(persons), d)
    cov = duck.mean("receives_old_age", where="age >= 65").to_polars()
    med = duck.quantile("welfare", 0.5).to_polars()
    assert got["coverage_65_plus"] == pytest.approx(cov["estimate"][0], rel=1e-12)
    assert got["coverage_se"] == pytest.approx(cov["se"][0], rel=1e-10)
    assert got["median_welfare"] == med["estimate"][0]
    assert got["median_ci"] == pytest.approx([med["ci_low"][0], med["ci_high"][0]], rel=1e-12)
    people = pl.read_parquet(persons)
    cost = float((people["weight"] * (people["age"] >= 65).cast(pl.Float64) * 1200).sum())
    assert got["old_age_cost"] == pytest.approx(cost, rel=1e-12)
    # the simulation ran on the master too: its impact equals DuckDB's on the same file
    pension = REPO / "docs" / "examples" / "microsim" / "social_pension.yaml"
    reform = {"parameters": {"social_pension.age": 60}}
    sim = simulate(pension, str(persons), period=2025, reform=reform, breakdowns=False).impact
    assert len(got["impact"]) == 9
    for key, (estimate, se) in got["impact"].items():
        ind, sc = key.split("/")
        want = sim.get(ind, sc, line="national" if ind == "fgt0" else None)
        assert [estimate, se] == pytest.approx(list(want), rel=1e-9, abs=1e-12), key
    assert got["impact"]["cost/change"][0] > 0
