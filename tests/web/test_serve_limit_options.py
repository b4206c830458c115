"""``socialcover serve`` takes the survey and job limits as options, and its workers get them.

A real ``socialcover serve --workers 2`` with ``--max-survey-rows 1000`` refuses a survey of
2,000 rows (413 ``survey.too-large`` naming 1,000), and with ``--survey-job-seconds 0.3`` a
survey within the limits fails with ``survey.job-time`` naming 0.3 seconds: both settings
reached the worker processes that answered. The settings' environment round-trip is tested
fast below.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from socialcover.errors import InputError
from socialcover.testing import synthetic_survey
from socialcover.web import Settings

from .real_server import serving


def test_settings_travel_to_another_process_through_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = Settings(
        max_upload_bytes=3 * 2**20,
        max_survey_rows=1_000,
        max_survey_decoded_bytes=5 * 2**20,
        job_workers=3,
        survey_job_memory_mb=300,
        survey_job_seconds=0.5,
        report_job_memory_mb=900,
        report_job_seconds=60,
    )
    for var, value in chosen.environment().items():
        monkeypatch.setenv(var, value)
    again = Settings()
    for name in (
        "max_upload_bytes",
        "max_survey_rows",
        "max_survey_decoded_bytes",
        "job_workers",
        "survey_job_memory_mb",
        "survey_job_seconds",
        "report_job_memory_mb",
        "report_job_seconds",
    ):
        assert getattr(again, name) == getattr(chosen, name), name


def test_a_bad_limit_in_the_environment_says_which_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOCIALCOVER_MAX_SURVEY_ROWS", "ten")
    with pytest.raises(InputError, match="SOCIALCOVER_MAX_SURVEY_ROWS='ten' is not a number"):
        Settings()
    monkeypatch.setenv("SOCIALCOVER_MAX_SURVEY_ROWS", "-1")
    with pytest.raises(InputError, match="is negative") as err:
        Settings()
    assert err.value.code == "web.bad-setting" and "unset it" in err.value.hint


@pytest.mark.slow
def test_serve_options_reach_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("SOCIALCOVER_MAX_SURVEY_ROWS", "SOCIALCOVER_SURVEY_JOB_SECONDS"):
        monkeypatch.delenv(var, raising=False)  # only the options may set them
    options = ("--no-seed", "--workers", "2", "--max-survey-rows", "1000")
    with serving(tmp_path, *options, "--survey-job-seconds", "0.3", timeout=90) as server:
        port = server.port
        token = server.token("c@example.org", "contributor", "options")
        auth = {"Authorization": f"Bearer {token}"}
        big, small = tmp_path / "big.csv", tmp_path / "small.csv"
        synthetic_survey(2_000, seed=3).write_csv(big)
        synthetic_survey(500, seed=3).write_csv(small)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(4):  # several requests: both workers answer some
                with big.open("rb") as fh:
                    refused = client.post(
                        "/api/v1/surveys/jobs", files={"file": ("big.csv", fh)}, headers=auth
                    )
                assert refused.status_code == 413, refused.text
                assert refused.json()["error"]["code"] == "survey.too-large"
                assert "1,000" in refused.json()["error"]["message"]
            with small.open("rb") as fh:
                made = client.post(
                    "/api/v1/surveys/jobs",
                    files={"file": ("small.csv", fh)},
                    data={"lonely_psu": "adjust"},
                    headers=auth,
                )
            assert made.status_code == 202, made.text
            job = made.json()["id"]
            for _ in range(300):
                st = client.get(f"/api/v1/surveys/jobs/{job}", headers=auth).json()
                if st["state"] in ("done", "failed"):
                    break
                time.sleep(0.2)
        assert st["state"] == "failed" and st["error"]["code"] == "survey.job-time", st
        assert "0.3 seconds" in st["error"]["message"]
