"""The strategy page over the Demoland engagement: a team member writes objectives, measures
and logframe rows with the page's forms and issues a progress report; a bad field is named
beside it and saves nothing; readers see the published strategy and its reports without forms,
and nothing of a draft; issued reports through the API, as JSON, CSV (formulas written as text)
and Excel."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcover import countries, store
from socialcover.data import install_demo
from socialcover.web import Settings

from .conftest import csrf_of, sign_in


@pytest.fixture
def demo(
    client: TestClient,
    web_settings: Settings,
    users: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """The Demoland engagement with the contributor on its team, and API tokens for the
    contributor and for a reviewer who is not on the team."""
    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "demo-home"))
    install_demo()
    admin = store.SystemActor("test")
    with store.session_scope(admin, url=web_settings.database_url) as s:
        e = countries.install_demo_engagement(s)
        countries.add_member(s, admin, e.id, {"email": users["contributor"], "role": "member"})
        tokens = {}
        for who, email in (("team", users["contributor"]), ("outsider", users["reviewer"])):
            _row, tokens[who] = store.create_api_token(s, store.get_user(s, email), "test")
        recs = [
            r["id"]
            for row in countries.assessment_matrix(s, admin, e.id)
            for r in row["recommendations"]
        ]
        return {
            "id": e.id,
            "recs": recs,
            "auth": {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()},
        }


def _post(client: TestClient, eid: int, path: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client, f"/engagements/{eid}/strategy")
    return client.post(
        f"/engagements/{eid}/strategy{path}",
        data={**data, "csrf_token": token},
        follow_redirects=False,
    )


def _plan(web_settings: Settings, eid: int) -> dict[str, Any]:
    with store.session_scope(store.SystemActor(), url=web_settings.database_url, write=False) as s:
        return countries.strategy_as_dict(s, store.SystemActor(), eid)


def test_a_team_member_writes_the_strategy_with_the_page_forms(
    client: TestClient, web_settings: Settings, users: dict[str, str], demo: dict[str, Any]
) -> None:
    eid = demo["id"]
    sign_in(client, users["contributor"])
    page = client.get(f"/engagements/{eid}/strategy").text
    assert 'id="measure-form"' in page and 'id="report-form"' in page
    resp = _post(client, eid, "/objectives", {"text": "Every worker contributes."})
    assert resp.status_code == 303 and resp.headers["location"].endswith("#objective")
    objective = _plan(web_settings, eid)["objectives"][-1]
    assert objective["text"] == "Every worker contributes."
    resp = _post(
        client,
        eid,
        "/measures",
        {
            "text": "Contributions of informal workers subsidised.",
            "objective_id": objective["id"],
            "start_year": "2027",
            "end_year": "2029",
            "responsible": "Social Security Fund",
            "recommendation_ids": [str(demo["recs"][1])],
        },
    )
    assert resp.status_code == 303
    measure = _plan(web_settings, eid)["measures"][-1]
    assert (measure["start_year"], measure["recommendation_ids"]) == (2027, [demo["recs"][1]])
    assert measure["scenarios"] and measure["scenarios"][0]["label"].endswith("@2")
    with store.session_scope(store.SystemActor(), url=web_settings.database_url, write=False) as s:
        base = next(
            o
            for o in countries.logframe_baselines(s, store.SystemActor(), eid)
            if o["indicator"] == "sdg131.mothers_with_newborns" and o["sex"] == "female"
        )
    resp = _post(
        client,
        eid,
        "/logframe",
        {
            "level": "outcome",
            "indicator": "sdg131.mothers_with_newborns",
            "sex": "female",
            "objective_id": str(objective["id"]),
            "baseline_observation_id": str(base["id"]),
            "target_value": "45,5",
            "target_year": "2030",
            "means_of_verification": '=HYPERLINK("http://x")',
        },
    )
    assert resp.status_code == 303, resp.text
    row = _plan(web_settings, eid)["logframe"][-1]
    assert (row["target_value"], row["baseline"]["id"]) == (45.5, base["id"])
    page = client.get(f"/engagements/{eid}/strategy").text
    assert "Contributions of informal workers subsidised." in page
    assert f"observation {base['id']}" in page  # the baseline names its observation
    resp = _post(client, eid, "/reports", {"period": "2026", "note": "Mid-term."})
    assert resp.status_code == 303
    report_url = resp.headers["location"]
    assert re.fullmatch(rf"/engagements/{eid}/strategy/reports/\d+", report_url)
    shown = client.get(report_url).text
    assert "Progress report 2026" in shown and "Mid-term." in shown
    download = re.search(r'href="([^"]+\?format=csv)"', shown)
    assert download is not None
    csv_text = client.get(download.group(1).replace("&amp;", "&")).text
    assert "'=HYPERLINK" in csv_text  # the means of verification, written as text
    assert shown.count('class="progress-status"') == 4
    # remove the logframe row: the issued report keeps it
    resp = _post(client, eid, f"/logframe/{row['id']}/remove", {})
    assert resp.status_code == 303
    assert len(_plan(web_settings, eid)["logframe"]) == 3
    assert client.get(report_url).text.count('class="progress-status"') == 4


@pytest.mark.parametrize(
    ("path", "data", "field", "words"),
    [
        ("/reports", {"period": "next year"}, "period", "give a year (2025), a half (2025-H1)"),
        ("/reports", {"period": "2025"}, "period", "was issued already"),
        (
            "/measures",
            {"text": "Too late", "start_year": "2031", "end_year": "2032"},
            "start_year",
            "outside the strategy",
        ),
        (
            "/logframe",
            {
                "level": "impact",
                "indicator": "sdg131.children",
                "target_value": "a lot",
                "target_year": "2030",
            },
            "target_value",
            "valid number",
        ),
        (
            "",
            {"title": "<b>x</b>", "start_year": "2030", "end_year": "2026"},
            "end_year",
            "end (2026)",
        ),
    ],
)
def test_a_bad_field_is_named_beside_it_and_nothing_is_saved(
    client: TestClient,
    web_settings: Settings,
    users: dict[str, str],
    demo: dict[str, Any],
    path: str,
    data: dict[str, str],
    field: str,
    words: str,
) -> None:
    eid = demo["id"]
    sign_in(client, users["contributor"])
    before = _plan(web_settings, eid)
    resp = _post(client, eid, path, data)
    assert resp.status_code == 422
    form = (
        "strategy"
        if not path
        else {"/reports": "report", "/measures": "measure", "/logframe": "logframe"}[path]
    )
    m = re.search(
        rf'<small class="field-error" id="{form}-{field}-error">([^<]*)</small>', resp.text
    )
    assert m and words in m.group(1), resp.text[:3000]
    assert f'aria-describedby="{form}-{field}-error"' in resp.text
    assert "<b>x</b>" not in resp.text  # the posted value comes back escaped
    assert _plan(web_settings, eid) == before
    with store.session_scope(store.SystemActor(), url=web_settings.database_url, write=False) as s:
        assert len(countries.progress_reports(s, store.SystemActor(), eid)) == 1


def test_readers_see_the_published_strategy_without_forms_and_never_a_draft(
    client: TestClient, users: dict[str, str], demo: dict[str, Any]
) -> None:
    eid = demo["id"]
    page = client.get(f"/engagements/{eid}/strategy")
    assert page.status_code == 200 and "National strategy" in page.text
    assert "<form" not in page.text.split("<main", 1)[1].split("</main>")[0]
    reports = client.get(f"/api/v1/engagements/{eid}/progress-reports").json()["items"]
    assert [r["period"] for r in reports] == ["2025"] and "issued_by" not in reports[0]
    assert client.get(f"/engagements/{eid}/strategy/reports/{reports[0]['id']}").status_code == 200
    # someone signed in but not on the team gets no form, and cannot post one
    sign_in(client, users["reviewer"])
    assert 'id="report-form"' not in client.get(f"/engagements/{eid}/strategy").text
    assert _post(client, eid, "/reports", {"period": "2027"}).status_code == 403
    client.cookies.clear()
    sign_in(client, users["contributor"])
    assert _post(client, eid, "/withdraw", {}).status_code == 303
    client.cookies.clear()
    assert client.get(f"/engagements/{eid}/strategy").status_code == 404
    assert client.get(f"/engagements/{eid}/strategy/reports/{reports[0]['id']}").status_code == 404
    assert client.get(f"/api/v1/engagements/{eid}/progress-reports").status_code == 404


def test_issued_reports_through_the_api_in_json_csv_and_excel(
    client: TestClient, demo: dict[str, Any]
) -> None:
    eid, auth = demo["id"], demo["auth"]
    base = f"/api/v1/engagements/{eid}/progress-reports"
    refused = client.post(base, json={"period": "2026"}, headers=auth["outsider"])
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "engagement.not-team"
    bad = client.post(base, json={"period": "2026-13"}, headers=auth["team"])
    assert bad.status_code == 422
    made = client.post(base, json={"period": "2026-Q2", "note": "@SUM(1)"}, headers=auth["team"])
    assert made.status_code == 201, made.text
    report = made.json()
    assert report["period"] == "2026-Q2" and report["issued_by"] == "contributor@example.org"
    assert [r["indicator"] for r in report["rows"]][:1] == ["sdg131.at_least_one_benefit"]
    again = client.post(base, json={"period": "2026-Q2"}, headers=auth["team"])
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "engagement.progress-duplicate"
    one = client.get(f"{base}/{report['id']}").json()
    assert one["rows"] == report["rows"] and "issued_by" not in one
    text = client.get(f"{base}/{report['id']}?format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    first = report["rows"][0]
    assert rows[0]["latest_observation_id"] == str(first["latest"]["id"])
    assert float(rows[0]["latest_value"]) == first["latest"]["value"]
    assert rows[0]["status"] == first["status"]
    xlsx = client.get(f"{base}/{report['id']}?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"{base}/{report['id'] + 999}").status_code == 404
    listed = client.get(base, headers=auth["team"]).json()["items"]
    assert [r["period"] for r in listed] == ["2026-Q2", "2025"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ("Mesures et responsabilités", "Rapports d'avancement", "en retard")),
        ("es", ("Medidas y responsabilidades", "Informes de avance", "con retraso")),
    ],
)
def test_the_strategy_page_and_its_forms_in_french_and_spanish(
    client: TestClient,
    users: dict[str, str],
    demo: dict[str, Any],
    lang: str,
    words: tuple[str, ...],
) -> None:
    eid = demo["id"]
    sign_in(client, users["contributor"])
    page = html.unescape(client.get(f"/engagements/{eid}/strategy?lang={lang}").text)
    for word in words:
        assert word in page, (lang, word)
    issued = client.get(f"/api/v1/engagements/{eid}/progress-reports").json()["items"][0]
    report = client.get(f"/engagements/{eid}/strategy/reports/{issued['id']}?lang={lang}").text
    assert words[2] in report
