"""Survey upload: the indicator job runs in the background with progress; results are private."""

from __future__ import annotations

import io
import time
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from socialcover.testing import synthetic_survey

from .conftest import csrf_of, sign_in

CODES = "coverage.older_persons, coverage.children"


@pytest.fixture(scope="module")
def survey_csv() -> bytes:
    frame = synthetic_survey(3_000, seed=7)
    buf = io.BytesIO()
    frame.write_csv(buf)
    return buf.getvalue()


def _wait(client: TestClient, job: str, timeout: float = 60) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        html = client.get(f"/surveys/{job}/status").text
        if 'data-state="done"' in html or 'data-state="failed"' in html:
            return html
        assert 'hx-trigger="every 1s"' in html  # still polling
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_upload_runs_job_with_progress_and_downloads(
    client: TestClient, users: dict[str, str], survey_csv: bytes, tmp_path: Path
) -> None:
    sign_in(client, users["contributor"])
    resp = client.post(
        "/surveys",
        data={"codes": CODES, "lonely_psu": "adjust", "csrf_token": csrf_of(client, "/surveys")},
        files={"file": ("survey.csv", survey_csv, "text/csv")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    job = resp.headers["location"].rsplit("/", 1)[1]
    html = _wait(client, job)
    assert 'data-state="done"' in html and "<progress" in html and 'value="100"' in html
    assert "coverage.older_persons" in html and "hx-trigger" not in html
    csv = client.get(f"/surveys/{job}/result?format=csv")
    table = pl.read_csv(io.BytesIO(csv.content))
    assert {"code", "value", "se", "ci_low", "ci_high"} <= set(table.columns)
    assert set(table["code"]) == {"coverage.older_persons", "coverage.children"}
    assert client.get(f"/surveys/{job}/result?format=xlsx").content[:2] == b"PK"

    # private: another signed-in user cannot see the job or its result
    other = TestClient(client.app, raise_server_exceptions=False)
    sign_in(other, users["reviewer"])
    assert other.get(f"/surveys/{job}").status_code == 404
    assert other.get(f"/surveys/{job}/result?format=csv").status_code == 404
    assert job not in other.get("/surveys").text
    anon = TestClient(client.app, raise_server_exceptions=False)
    assert anon.get(f"/api/v1/surveys/jobs/{job}").status_code == 401


def test_api_job_with_token_and_bad_mapping_fails_with_reason(
    client: TestClient, users: dict[str, str], survey_csv: bytes
) -> None:
    from socialcover import store

    settings = client.app.state.settings  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["contributor"]), "t")
    auth = {"Authorization": f"Bearer {token}"}
    resp = client.post(
        "/api/v1/surveys/jobs",
        headers=auth,
        data={"mapping": "design:\n  weight: no_such_column\n"},
        files={"file": ("s.csv", survey_csv, "text/csv")},
    )
    assert resp.status_code == 202, resp.text
    job = resp.json()["id"]
    for _ in range(300):
        st = client.get(f"/api/v1/surveys/jobs/{job}", headers=auth).json()
        if st["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert st["state"] == "failed"
    assert {"code", "message", "hint"} <= set(st["error"])
    assert "no_such_column" in st["error"]["message"] + st["error"]["hint"]


def test_unreadable_file_type_is_refused(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["contributor"])
    resp = client.post(
        "/surveys",
        data={"csrf_token": csrf_of(client, "/surveys")},
        files={"file": ("survey.exe", b"MZ", "application/octet-stream")},
        headers={"Accept": "application/json"},
    )
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "survey.format"


MAPPING = """
name: Renamed synthetic survey
period: year
design: {weight: wgt, strata: stratum, psu: cluster, lonely_psu: adjust}
concepts:
  hh_id: household
  age: age_years
  sex: {variable: gender, values: {male: [1], female: [2]}}
benefits:
  old_age: {amount: pension_amount}
"""


def test_survey_in_its_own_variables_with_a_mapping_file(
    client: TestClient, users: dict[str, str]
) -> None:
    """A survey that does not use the standard names is mapped by an uploaded YAML file."""
    frame = synthetic_survey(3_000, seed=11)
    raw = frame.select(
        pl.col("weight").alias("wgt"),
        pl.col("strata").alias("stratum"),
        pl.col("psu").alias("cluster"),
        pl.col("hh_id").alias("household"),
        pl.col("age").alias("age_years"),
        pl.when(pl.col("sex") == "male").then(1).otherwise(2).alias("gender"),
        pl.col("amount_old_age").alias("pension_amount"),
    )
    buf = io.BytesIO()
    raw.write_csv(buf)
    sign_in(client, users["contributor"])
    resp = client.post(
        "/surveys",
        data={"codes": "coverage.older_persons", "csrf_token": csrf_of(client, "/surveys")},
        files={
            "file": ("own.csv", buf.getvalue(), "text/csv"),
            "mapping_file": ("mapping.yaml", MAPPING.encode(), "application/yaml"),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    job = resp.headers["location"].rsplit("/", 1)[1]
    html = _wait(client, job)
    assert 'data-state="done"' in html, html[-1500:]
    table = pl.read_csv(io.BytesIO(client.get(f"/surveys/{job}/result?format=csv").content))
    total = table.filter(pl.col("disaggregation") == "total")["value"][0]
    # the same survey in standard columns gives the same estimate
    from socialcover.errors import SocialcoverWarning
    from socialcover.indicators import compute_indicators

    with pytest.warns(SocialcoverWarning, match="fragile"):  # small cells in the breakdowns
        direct = compute_indicators(frame, codes=["coverage.older_persons"], lonely_psu="adjust")
    assert total == pytest.approx(direct.value("coverage.older_persons"), rel=1e-9)


def test_jobs_left_running_by_a_stopped_server_are_marked_failed(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from socialcover.web.jobs import JobRegistry

    with ThreadPoolExecutor(max_workers=1) as pool:
        reg = JobRegistry(tmp_path, pool)
        status, _folder = reg.create(7, "s.csv")
        status.state = "running"
        reg._write(status)
        assert reg.fail_interrupted() == 1
        again = reg.get(7, status.id)
    assert again.state == "failed" and again.error is not None
    assert again.error["code"] == "survey.job-interrupted"


def test_owner_deletes_a_job_with_its_microdata(
    client: TestClient, users: dict[str, str], survey_csv: bytes
) -> None:
    sign_in(client, users["contributor"])
    resp = client.post(
        "/surveys",
        data={
            "codes": "coverage.children",
            "lonely_psu": "adjust",
            "csrf_token": csrf_of(client, "/surveys"),
        },
        files={"file": ("survey.csv", survey_csv, "text/csv")},
        follow_redirects=False,
    )
    job = resp.headers["location"].rsplit("/", 1)[1]
    _wait(client, job)
    root = client.app.state.job_registry.root  # type: ignore[attr-defined]
    assert any(root.glob(f"*/{job}/survey.csv"))
    other = TestClient(client.app, raise_server_exceptions=False)
    sign_in(other, users["reviewer"])
    refused = other.post(f"/surveys/{job}/delete", data={"csrf_token": csrf_of(other)})
    assert refused.status_code == 404
    done = client.post(
        f"/surveys/{job}/delete", data={"csrf_token": csrf_of(client)}, follow_redirects=False
    )
    assert done.status_code == 303
    assert not any(root.glob(f"*/{job}"))
    assert client.get(f"/surveys/{job}").status_code == 404


def test_upload_larger_than_the_limit_is_refused(tmp_path: Path, users: dict[str, str]) -> None:
    from socialcover.web import Settings, create_app

    from .conftest import PASSWORD

    small = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 's.db'}",
            secret_key="k",
            upload_dir=tmp_path / "up",
            max_upload_bytes=1000,
        )
    )
    with TestClient(small, raise_server_exceptions=False) as c:
        from socialcover import store

        with store.session_scope(store.SystemActor(), url=small.state.settings.database_url) as s:
            store.create_user(s, store.SystemActor(), "big@example.org", PASSWORD, "contributor")
        sign_in(c, "big@example.org")
        resp = c.post(
            "/surveys",
            data={"csrf_token": csrf_of(c, "/surveys")},
            files={"file": ("big.csv", b"x" * 5000, "text/csv")},
            headers={"Accept": "application/json"},
        )
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "http.too-large"


def test_the_default_rule_computes_the_products_own_survey(
    client: TestClient, users: dict[str, str]
) -> None:
    # Strata with a single PSU in a domain: the form's default ("as the mapping says, else
    # adjust") gets the table; asking for "fail" gets an error in the words of the form.
    frame = synthetic_survey(2_000, seed=3)
    buf = io.BytesIO()
    frame.write_csv(buf)
    sign_in(client, users["contributor"])
    jobs = {}
    for rule in ("", "fail"):
        resp = client.post(
            "/surveys",
            data={"codes": "", "lonely_psu": rule, "csrf_token": csrf_of(client, "/surveys")},
            files={"file": ("small.csv", buf.getvalue(), "text/csv")},
            follow_redirects=False,
        )
        assert resp.status_code == 303, resp.text
        jobs[rule] = resp.headers["location"].rsplit("/", 1)[1]
    assert 'data-state="done"' in _wait(client, jobs[""])
    failed = _wait(client, jobs["fail"])  # this sample has strata with one PSU
    assert 'data-state="failed"' in failed
    assert "Strata with a single PSU" in failed and "lonely_psu=" not in failed


def test_anonymous_people_are_sent_to_sign_in_and_the_api_answers_json(
    client: TestClient,
) -> None:
    anon = TestClient(client.app, raise_server_exceptions=False)
    page = anon.get("/surveys", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fsurveys"
    form = anon.get(page.headers["location"])
    assert form.status_code == 200 and 'value="/surveys"' in form.text
    api = anon.get("/api/v1/surveys/jobs")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "auth.required"
