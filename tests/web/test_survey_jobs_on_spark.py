"""A ``socialcover serve`` with a Spark master hands its largest survey jobs to the cluster.

The server runs with ``--spark-master`` (the standalone master ``scripts/test`` starts, else
``local[1]``) and ``--spark-min-rows 2000``, within the usual worker memory limit. A survey of
3,000 persons in its own variables, with a mapping, is read, mapped and written back by Spark
and gives the indicator table of the mapping and the table computed in this process; a survey
under the threshold runs on the server as before; a Stata file of the same persons is
streamed to Parquet in the job's folder and gives the same table; a mapping that does not fit
the data fails on Spark with the same coded error as anywhere.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pyreadstat
import pytest
from polars.testing import assert_frame_equal

from socialcover.testing import synthetic_survey

from .real_server import serving

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

MAPPING = """
design: {weight: wt, strata: stratum, psu: ea}
concepts:
  hh_id: hh
  person_id: pid
  age: age_years
  sex: {variable: sexcode, values: {male: [1], female: [2]}}
  urban: urban
  region: region
  labour_status: labour_status
  status_in_employment: status_in_employment
  informal: informal
  contributes: contributes
  disabled: disabled
  gave_birth: gave_birth
  welfare: welfare
  poverty_line: {relative_to_median: 0.6}
benefits:
  old_age: {amount: amount_old_age}
  child: {receives: receives_child, amount: amount_child}
  social_assistance: {amount: amount_social_assistance, level: household}
"""

# Stata has no missing text (""), and stores integers with missing values as doubles.
STATA_MAPPING = (
    MAPPING.replace(
        "  labour_status: labour_status\n",
        "  labour_status: {variable: labour_status, missing: [''], values: {employed: [employed], "
        "unemployed: [unemployed], inactive: [inactive]}}\n",
    )
    .replace(
        "  status_in_employment: status_in_employment\n",
        "  status_in_employment: {variable: status_in_employment, missing: [''], values: "
        "{employee: [employee], employer: [employer], own_account: [own_account], "
        "cooperative_member: [cooperative_member], contributing_family: [contributing_family]}}\n",
    )
    .replace(
        "  informal: informal\n", "  informal: {variable: informal, values: {1: [1], 0: [0]}}\n"
    )
)


def _own_variables(n: int, seed: int) -> pl.DataFrame:
    """A synthetic survey as an office ships it: its own names, sex coded 1/2."""
    frame = synthetic_survey(n, seed=seed)
    return frame.rename(
        {"weight": "wt", "strata": "stratum", "psu": "ea", "hh_id": "hh", "person_id": "pid"}
    ).with_columns(
        age_years=pl.col("age"),
        sexcode=pl.when(pl.col("sex") == "male").then(1).otherwise(2),
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, str, Path, str]]:
    """(port, API token, home, master) of a server handing jobs of 2,000+ rows to Spark."""
    pytest.importorskip("pyspark")
    master = os.environ.get("SOCIALCOVER_TEST_SPARK_MASTER", "local[1]")
    env = {
        # the cluster's settings for the job's application, as an administrator gives them
        "PYSPARK_SUBMIT_ARGS": "--conf spark.cores.max=1 --conf spark.executor.memory=768m "
        "--conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 pyspark-shell",
        "PYSPARK_PYTHON": sys.executable,
    }
    options = ("--no-seed", "--spark-master", master, "--spark-min-rows", "2000")
    with serving(tmp_path, *options, env=env) as server:
        token = server.token("c@example.org", "contributor", "spark-jobs")
        yield server.port, token, server.home, master


def _run(client: httpx.Client, token: str, path: Path, mapping: str) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {token}"}
    with path.open("rb") as fh:
        answer = client.post(
            "/api/v1/surveys/jobs",
            files={"file": (path.name, fh, "application/octet-stream")},
            data={"mapping": mapping, "lonely_psu": "adjust"},
            headers=auth,
        )
    assert answer.status_code == 202, answer.text
    job = answer.json()["id"]
    deadline = time.time() + 600
    while True:
        st: dict[str, Any] = client.get(f"/api/v1/surveys/jobs/{job}", headers=auth).json()
        if st["state"] in ("done", "failed"):
            return st
        assert time.time() < deadline, st
        time.sleep(0.5)


def _expected(path: Path, mapping_text: str) -> pl.DataFrame:
    import yaml

    from socialcover.indicators import compute_indicators
    from socialcover.survey.io import Mapping, apply_mapping, read_survey, read_value_labels

    mapping = Mapping.from_dict(yaml.safe_load(mapping_text))
    persons = apply_mapping(read_survey(path), mapping, value_labels=read_value_labels(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute_indicators(persons, mapping=mapping, lonely_psu="adjust").to_polars()


def test_a_large_job_is_read_and_mapped_on_the_cluster(
    server: tuple[int, str, Path, str], tmp_path: Path
) -> None:
    port, token, home, master = server
    big, small = tmp_path / "big.parquet", tmp_path / "small.parquet"
    _own_variables(3_000, seed=4).write_parquet(big)
    _own_variables(1_500, seed=5).write_parquet(small)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        st = _run(client, token, big, MAPPING)
        assert st["state"] == "done", st
        (folder,) = (home / "uploads" / "surveys").glob(f"*/{st['id']}")
        assert not (folder / "mapped.parquet").exists()  # tabulated on the cluster
        got = pl.read_parquet(folder / "result.parquet")
        # the same table as in this process, up to the order of Spark's sums
        assert_frame_equal(got, _expected(big, MAPPING), check_exact=False, rel_tol=1e-9)

        # without PSUs the persons would all come to the driver: mapped on Spark, written back
        # to the job's folder, tabulated there
        element = MAPPING.replace("{weight: wt, strata: stratum, psu: ea}", "{weight: wt}")
        st = _run(client, token, big, element)
        assert st["state"] == "done", st
        (folder,) = (home / "uploads" / "surveys").glob(f"*/{st['id']}")
        assert list((folder / "mapped.parquet").glob("*.parquet")), "Spark wrote no persons"
        got = pl.read_parquet(folder / "result.parquet")
        assert_frame_equal(got, _expected(big, element), check_exact=False, rel_tol=1e-9)

        # a Stata file of the same persons: streamed to Parquet in the job's folder, then Spark
        stata = tmp_path / "big.dta"
        pyreadstat.write_dta(pl.read_parquet(big).to_pandas(), str(stata))
        st = _run(client, token, stata, STATA_MAPPING)
        assert st["state"] == "done", st.get("error")
        (folder,) = (home / "uploads" / "surveys").glob(f"*/{st['id']}")
        assert (folder / "survey-converted.parquet").exists()
        got = pl.read_parquet(folder / "result.parquet")
        want = _expected(stata, STATA_MAPPING)
        assert_frame_equal(got, want, check_exact=False, rel_tol=1e-9)
        assert_frame_equal(got, _expected(big, MAPPING), check_exact=False, rel_tol=1e-9)

        st = _run(client, token, small, MAPPING)  # under 2,000 rows: on the server
        assert st["state"] == "done", st
        (folder,) = (home / "uploads" / "surveys").glob(f"*/{st['id']}")
        assert not (folder / "mapped.parquet").exists()
        assert_frame_equal(
            pl.read_parquet(folder / "result.parquet"), _expected(small, MAPPING), check_exact=True
        )

        st = _run(client, token, big, MAPPING.replace("age: age_years", "age: age_yrs"))
        assert st["state"] == "failed", st
        assert st["error"]["code"] == "survey.mapping-mismatch", st["error"]
        assert 'variable "age_yrs" named for age' in st["error"]["message"]
    ui = os.environ.get("SOCIALCOVER_TEST_SPARK_MASTER_UI", "")
    if master.startswith("spark://") and ui:  # the applications ran on the standalone master
        with urllib.request.urlopen(f"{ui}/json/", timeout=10) as resp:
            state = json.load(resp)
        names = [a["name"] for a in state.get("completedapps", []) + state.get("activeapps", [])]
        assert sum(n.startswith("socialcover survey job") for n in names) >= 4, names
