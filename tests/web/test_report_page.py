"""The report page: an edition is built in the background from the platform's approved
observations, with progress; the report and its chart files are its author's."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.monitor import load_pack_series
from socialcover.store import SystemActor, session_scope

from .conftest import csrf_of, sign_in

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
LOADER = SystemActor("system:monitor")


def _wait(client: TestClient, job: str, timeout: float = 240) -> str:
    deadline = time.time() + timeout
    seen_running = False
    while time.time() < deadline:
        html = client.get(f"/report/jobs/{job}/status").text
        if 'data-state="done"' in html or 'data-state="failed"' in html:
            return html
        assert 'hx-trigger="every 1s"' in html  # still polling
        seen_running = seen_running or "<progress" in html
        time.sleep(0.5)
    raise AssertionError("the report job did not finish")


def test_a_report_is_built_in_the_background_and_is_private(
    client: TestClient, users: dict[str, str], installed_pack: Path
) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    with session_scope(LOADER, url=settings.database_url) as s:
        load_pack_series(s, LOADER, approve=True)
    anon = TestClient(client.app, raise_server_exceptions=False)
    assert anon.get("/report", follow_redirects=False).status_code in (302, 303, 401)
    sign_in(client, users["contributor"])
    page = client.get("/report")
    assert page.status_code == 200 and 'id="build-report"' in page.text
    token = csrf_of(client, "/report")
    bad = client.post("/report", data={"year": "1990", "csrf_token": token})
    assert bad.status_code == 422
    assert "report" not in {p.name for p in (settings.upload_dir / "reports").glob("*/*")}
    resp = client.post(
        "/report",
        data={"year": "2023", "region": "", "lang": "fr", "format": "html", "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    job = resp.headers["location"].rsplit("/", 1)[1]
    html = _wait(client, job)
    assert 'data-state="done"' in html and 'value="100"' in html, html
    report = client.get(f"/report/jobs/{job}/files/report.html")
    assert report.status_code == 200
    assert "Rapport mondial sur la sécurité sociale 2023" in report.text
    # the report's figures link to the explorer of this site
    assert "http://testserver/monitor/aggregates?indicator=sdg131.at_least_one_benefit" in (
        report.text
    )
    # every chart file is served, and its checksum is the one the page lists
    listed = re.findall(r'files/(report-charts/[^"]+)">[^<]+</a></td><td><code>(\w+)</code>', html)
    assert len(listed) == 12
    for name, sha in listed:
        body = client.get(f"/report/jobs/{job}/files/{name}").content
        assert hashlib.sha256(body).hexdigest() == sha
        assert name in report.text or name.endswith(".json")
    # private to its author; no file outside the job's folder
    other = TestClient(client.app, raise_server_exceptions=False)
    sign_in(other, users["reviewer"])
    assert other.get(f"/report/jobs/{job}").status_code == 404
    assert other.get(f"/report/jobs/{job}/files/report.html").status_code == 404
    assert client.get(f"/report/jobs/{job}/files/../../../web.db").status_code == 404
    assert client.get(f"/report/jobs/{job}/files/edition.json").status_code == 200
