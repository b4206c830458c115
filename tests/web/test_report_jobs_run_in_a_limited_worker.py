"""Report builds run in their own worker process, within a memory and a time limit, as survey
jobs do (``socialcover.web.worker``): the server's threads only wait for the process."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.monitor import load_pack_series
from socialcover.store import SystemActor, create_user, session_scope
from socialcover.web import Settings, create_app
from socialcover.web.worker import LOG_NAME

from .conftest import PASSWORD, csrf_of, sign_in

LOADER = SystemActor("system:monitor")


def _start(client: TestClient, fmt: str) -> str:
    resp = client.post(
        "/report",
        data={
            "year": "2023",
            "lang": "en",
            "format": fmt,
            "csrf_token": csrf_of(client, "/report"),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    return resp.headers["location"].rsplit("/", 1)[1]


def _wait(client: TestClient, job: str, timeout: float = 300) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        html = client.get(f"/report/jobs/{job}/status").text
        if 'data-state="done"' in html or 'data-state="failed"' in html:
            return html
        time.sleep(0.3)
    raise AssertionError("the report job did not finish")


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **limits: float) -> Settings:
    import os

    if "SOCIALCOVER_HOME" not in os.environ:  # installed_pack sets it to the pack's home
        monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "home"))
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'r.db'}",
        secret_key="k",
        upload_dir=tmp_path / "up",
        job_workers=1,
        **limits,  # type: ignore[arg-type]
    )


def test_a_report_past_its_time_limit_is_stopped_and_says_which_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _app(tmp_path, monkeypatch, report_job_seconds=0.3)  # less than a start needs
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        with session_scope(SystemActor(), url=settings.database_url) as s:
            create_user(s, SystemActor(), "r@example.org", PASSWORD, "contributor")
        sign_in(client, "r@example.org")
        job = _start(client, "html")
        html = _wait(client, job)
        assert client.get("/login").status_code == 200  # the server answers meanwhile
    assert 'data-state="failed"' in html
    assert "ran longer than the 0.3 seconds a report job may take" in html
    assert "SOCIALCOVER_REPORT_JOB_SECONDS" in html
    (status,) = (tmp_path / "up" / "reports").glob(f"*/{job}/status.json")
    assert '"code": "report.job-time"' in status.read_text()


@pytest.mark.slow
@pytest.mark.shared_data
def test_a_pdf_report_is_built_in_its_worker_within_the_default_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed_pack: Path
) -> None:
    settings = _app(tmp_path, monkeypatch)
    assert (settings.report_job_memory_mb, settings.report_job_seconds) == (2048, 1800)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        with session_scope(LOADER, url=settings.database_url) as s:
            load_pack_series(s, LOADER, approve=True)
            create_user(s, SystemActor(), "r@example.org", PASSWORD, "contributor")
        sign_in(client, "r@example.org")
        job = _start(client, "pdf")
        html = _wait(client, job)
        assert 'data-state="done"' in html, html
        pdf = client.get(f"/report/jobs/{job}/files/report.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (folder,) = (tmp_path / "up" / "reports").glob(f"*/{job}")
    # it ran in a worker process (whose stderr is the job's log), and said nothing there
    log = (folder / LOG_NAME).read_text()
    assert "Error" not in log, log[-2000:]
