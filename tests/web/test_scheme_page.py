"""The scheme page: signed-in users run a scheme on the demo survey or an upload, with take-up
calibrated to an enrolment; bad input shows what and how to fix, and nothing is kept."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.microsim.scheme import run_scheme
from socialcover.testing import synthetic_survey
from socialcover.web.routes.schemes import DEMO_PERSONS, DEMO_SEED, demo_scheme

from .conftest import csrf_of, sign_in

DOCS_SCHEME = Path(__file__).resolve().parents[2] / "docs/examples/microsim/scheme_own_account.yaml"


def _cells(html: str, variant: str, indicator: str, group: str = "all") -> list[str]:
    table = html.split(f"<caption>{variant}</caption>", 1)[1].split("</table>", 1)[0]
    row = re.search(rf"<tr><td>{indicator}</td><td>{re.escape(group)}</td>(.*?)</tr>", table, re.S)
    assert row is not None, (variant, indicator)
    return re.findall(r'<td class="num">(.*?)</td>', row.group(1))


def test_packaged_example_is_the_documented_one() -> None:
    assert demo_scheme() == DOCS_SCHEME.read_text(encoding="utf-8")


def test_page_needs_sign_in(client: TestClient) -> None:
    resp = client.get("/schemes", follow_redirects=False)
    assert resp.status_code in (302, 303) and "/login" in resp.headers["location"]


def test_demo_survey_with_calibration_shows_enrolment_cost_and_coverage(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    page = client.get("/schemes")
    assert "pension_credit" in page.text  # the example scheme is filled in
    resp = client.post(
        "/schemes",
        data={
            "scheme": demo_scheme(),
            "source": "demo",
            "enrolment": "150,000",
            "draws": "10",
            "csrf_token": csrf_of(client, "/schemes"),
        },
    )
    assert resp.status_code == 200, resp.text
    html = resp.text
    assert 'id="calibration"' in html and "150,000" in html
    # the page shows what the engine computes on the same demo survey
    expected = run_scheme(
        None,
        synthetic_survey(DEMO_PERSONS, seed=DEMO_SEED),
        text=demo_scheme(),
        enrolment=150_000,
        draws=10,
    )
    members = _cells(html, "as written", "members")
    assert members[0] == f"{expected.get('as written', 'members')['estimate']:,.0f}" == "150,000"
    cost = _cells(html, "no subsidy", "subsidy_cost")
    assert cost[0] == "0"
    cov = _cells(html, "as written", "coverage_gained_of_eligible")
    assert (
        cov[0]
        == f"{100 * expected.get('as written', 'coverage_gained_of_eligible')['estimate']:,.2f}%"
    )


def test_upload_runs_and_bad_input_says_how_to_fix(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    buf = io.BytesIO()
    synthetic_survey(3_000, seed=4).write_csv(buf)
    token = csrf_of(client, "/schemes")
    ok = client.post(
        "/schemes",
        data={"scheme": demo_scheme(), "source": "upload", "draws": "0", "csrf_token": token},
        files={"file": ("people.csv", buf.getvalue(), "text/csv")},
    )
    assert ok.status_code == 200 and 'id="scheme-result"' in ok.text
    assert 'id="calibration"' not in ok.text
    for data, words in (
        ({"enrolment": "many"}, "&#39;many&#39; is not a number"),
        ({"enrolment": "1e15"}, "eligible"),
        ({"scheme": "groups: [unclosed"}, "not valid YAML"),
        ({"source": "upload"}, "No survey file"),
    ):
        form = {"scheme": demo_scheme(), "source": "demo", "draws": "0", "csrf_token": token}
        resp = client.post("/schemes", data={**form, **data})
        assert resp.status_code == 200
        assert 'id="scheme-problem"' in resp.text and words in resp.text, data
        assert 'id="scheme-result"' not in resp.text


@pytest.mark.parametrize("draws", ["-1", "501"])
def test_draws_are_bounded(client: TestClient, users: dict[str, str], draws: str) -> None:
    sign_in(client, users["contributor"])
    resp = client.post(
        "/schemes",
        data={"scheme": demo_scheme(), "draws": draws, "csrf_token": csrf_of(client, "/schemes")},
    )
    assert resp.status_code == 422
