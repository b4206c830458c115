"""The bar of the country engagements, in a real Chromium: a team member opens an engagement,
fills a row of the assessment matrix citing an indicator of the store, costs a recommendation
with a saved scenario, records a validation workshop where government, employers and workers
take different positions, records what was agreed and the endorsement, and downloads the
brief; the page's and the brief's numbers are the store's and the scenario's; a reader sees
the result but no participant's name. No console error, no Content-Security-Policy violation."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from sqlalchemy import select

from socialcover.report.i18n import Formats

from .conftest import PASSWORD, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def setting(server: dict[str, Any]) -> dict[str, Any]:
    """Kenya's approved coverage series, its constituents, an engagement the contributor
    leads, and a costing scenario the contributor saved."""
    from socialcover import countries, monitor, store
    from socialcover.actors import create_organisation
    from socialcover.store.models import DataSet, Observation
    from socialcover.store.scenarios import save_scenario

    admin = store.SystemActor()
    with store.session_scope(admin, url=server["url"]) as s:
        monitor.load_pack_series(s, admin, approve=True)
        orgs = {}
        for constituent, kind, name in (
            ("government", "government", "Kenya Ministry of Labour (test)"),
            ("employers", "employers_organisation", "Kenya employers (test)"),
            ("workers", "workers_organisation", "Kenya workers (test)"),
        ):
            orgs[constituent] = create_organisation(
                s, admin, {"name": name, "actor_type": kind, "country_iso3": "KEN"}
            ).id
        obs = s.scalars(
            select(Observation)
            .join(DataSet, DataSet.id == Observation.data_set_id)
            .where(
                Observation.indicator == "sdg131.children",
                Observation.area == "KEN",
                Observation.sex == "both",
                DataSet.status == "approved",
            )
            .order_by(Observation.year.desc(), Observation.revision.desc())
        ).first()
        assert obs is not None
        lead = store.get_user(s, server["emails"]["contributor"])
        e = countries.create_engagement(
            s,
            lead,
            {
                "country_iso3": "KEN",
                "title": "Kenya: a social protection floor (test)",
                "period_start": 2025,
                "period_end": 2028,
            },
        )
        for constituent, oid in orgs.items():
            countries.add_partner(
                s,
                lead,
                e.id,
                {"organisation_id": oid, "kind": "counterpart", "constituent": constituent},
            )
        scenario = save_scenario(
            s, lead, "Kenya basic package (test)", {"country": "KEN", "package": "campaign-basic"}
        )
        return {
            "engagement": e.id,
            "observation": (obs.id, obs.value, obs.year, obs.source),
            "scenario": scenario.id,
            "orgs": orgs,
        }


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_a_team_member_takes_an_engagement_from_matrix_to_endorsement(
    server: dict[str, Any], setting: dict[str, Any], page: Any
) -> None:
    from socialcover import countries, store

    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH_CSP)
    base, eid = server["base"], setting["engagement"]
    obs_id, obs_value, obs_year, obs_source = setting["observation"]
    _sign_in(page, base, server["emails"]["contributor"])

    page.goto(f"{base}/engagements")
    page.get_by_role("link", name="Kenya: a social protection floor (test)").click()
    page.wait_for_url(f"{base}/engagements/{eid}")

    # a row of the matrix citing the store's observation
    page.get_by_text("Fill a row of the matrix").click()
    form = page.locator("#cell-form")
    form.get_by_label("Guarantee").select_option("children")
    form.get_by_label("Population group").fill("Children aged 0-14")
    form.get_by_label("Existing schemes").fill("Cash transfer for orphans and vulnerable children.")
    form.get_by_label("Effective coverage: observation of the indicator store (id)").fill(
        str(obs_id)
    )
    form.get_by_label("Policy gaps").fill("Most children of informal workers are not covered.")
    form.get_by_role("button", name="Save the row").click()
    page.wait_for_url(f"**/engagements/{eid}#matrix")
    row = page.locator(".matrix-row").first
    assert row.locator(".coverage-value").inner_text() == f"{obs_value:.1f}%"
    assert str(obs_year) in row.inner_text() and obs_source[:20] in row.inner_text()

    # a recommendation, costed with the saved scenario
    page.get_by_text("Add a recommendation").click()
    rec_form = page.locator("#recommendation-form")
    rec_form.get_by_label("Row of the matrix").select_option(index=1)
    rec_form.get_by_label("Recommendation", exact=True).fill("A universal child benefit.")
    rec_form.get_by_label("Saved costing scenario (id)").fill(str(setting["scenario"]))
    rec_form.get_by_role("button", name="Add the recommendation").click()
    page.wait_for_url(f"**/engagements/{eid}#matrix")
    cost_text = page.locator(".recommendation .cost").first.inner_text()
    with store.session_scope(store.SystemActor(), url=server["url"], write=False) as s:
        lead_actor = store.get_user(s, server["emails"]["contributor"])
        (row_data,) = countries.assessment_matrix(s, lead_actor, eid)
        rec = row_data["recommendations"][0]
        expected = countries.scenario_cost(s, setting["scenario"], rec["scenario_version"], "KEN")
    first = expected["first"]
    assert f"{first['year']}: {first['cost_pct_gdp']:.2f}% of GDP" in cost_text
    assert f"{first['cost_pct_gov_expenditure']:.2f}% of government spending" in cost_text

    # the validation workshop
    page.get_by_text("Record a consultation or workshop").click()
    ev = page.locator("#event-form")
    ev.get_by_label("Kind").select_option("validation_workshop")
    ev.get_by_label("Title").fill("Kenya validation workshop (test)")
    ev.get_by_label("Starts (date and time, UTC)").fill("2025-06-10T09:00")
    ev.get_by_label("Ends (date and time, UTC)").fill("2025-06-10T17:00")
    ev.get_by_label("Place").fill("Nairobi")
    ev.get_by_role("button", name="Record the event").click()
    page.wait_for_url(f"**/engagements/{eid}#events")
    participant = page.locator(".participant-form").first
    participant.get_by_label("Name").fill("Wanjiru Test-Participant")
    participant.get_by_label("Sex").select_option("female")
    participant.get_by_label("Constituent").select_option("workers")
    participant.get_by_role("button", name="Add the participant").click()
    page.wait_for_url(f"**/engagements/{eid}#events")
    assert "Wanjiru Test-Participant" in page.locator("#events").inner_text()

    # three constituents, three positions, stated at the workshop
    for constituent, stance in (
        ("government", "supports_with_reservations"),
        ("employers", "opposes"),
        ("workers", "supports"),
    ):
        pos = page.locator(f"#rec-{rec['id']} .position-form")
        pos.get_by_label("Constituent").select_option(str(setting["orgs"][constituent]))
        pos.get_by_label("Position").select_option(stance)
        pos.get_by_label("Text").fill(f"The {constituent}' view.")
        pos.get_by_label("Stated at").select_option(label="Kenya validation workshop (test)")
        pos.get_by_role("button", name="Record the position").click()
        page.wait_for_url(f"**/engagements/{eid}#rec-{rec['id']}")
    stances = page.locator(f"#rec-{rec['id']} .positions .stance").all_inner_texts()
    assert sorted(stances) == sorted(["supports with reservations", "opposes", "supports"])

    # what was agreed, then the endorsement
    agree = page.locator(f"#rec-{rec['id']} .agree-form")
    agree.get_by_label("What was agreed").fill("Agreed: phased in from 2026, from general revenue.")
    agree.get_by_role("button", name="Record the agreement").click()
    page.wait_for_url(f"**/engagements/{eid}#rec-{rec['id']}")
    end = page.locator("#endorsement-form")
    end.get_by_label("Constituent").select_option(str(setting["orgs"]["government"]))
    end.get_by_label("Signed by").fill("Cabinet Secretary (test)")
    end.get_by_label("Date").fill("2025-07-01")
    end.get_by_label("Document").fill("Tripartite declaration (test)")
    end.get_by_role("button", name="Record the endorsement").click()
    page.wait_for_url(f"**/engagements/{eid}#endorsements")
    endorsed = page.locator("#endorsements tbody").inner_text()
    assert "Cabinet Secretary (test)" in endorsed and "2025-07-01" in endorsed
    total = page.locator("#final-cost tbody tr").first.inner_text()
    assert f"{first['cost_pct_gdp']:.2f}" in total
    page.get_by_role("button", name="Make it public").click()
    page.wait_for_url(f"**/engagements/{eid}#top")

    # the brief, downloaded in French: its numbers are the store's and the scenario's
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF (Français)").click()
    pdf = SHOTS / "engagement-brief-fr.pdf"
    download.value.save_as(str(pdf))
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    fr = Formats("fr")
    assert " ".join(fr.percent(obs_value, 1).split()) in text
    assert " ".join(fr.percent(first["cost_pct_gdp"], 2).split()) in text
    assert "Wanjiru Test-Participant" not in text
    page.screenshot(path=str(SHOTS / "engagement.png"), full_page=True)
    assert not page.js_errors, page.js_errors
    assert not console, console
    assert page.evaluate("window.__csp") == []

    # a reader sees the engagement, the positions and the endorsement, never the participant
    reader = page.context.browser.new_context()
    anon = reader.new_page()
    anon.goto(f"{base}/engagements/{eid}")
    text = anon.locator("main").inner_text()
    assert "Cabinet Secretary (test)" in text and "opposes" in text
    assert "Wanjiru Test-Participant" not in anon.content()
    reader.close()
