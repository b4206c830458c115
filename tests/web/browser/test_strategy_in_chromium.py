"""The national strategy in a real Chromium: a team member writes the strategy with the page's
forms, adds an objective, a measure citing a recommendation costed by a saved scenario (a bad
year first, named beside its field), a logframe indicator whose baseline is an observation of
the store, and issues a progress report whose figures are the store's; a reader sees nothing
of the draft strategy, then the published one without any form. No console error, no
Content-Security-Policy violation. The server is shared with other modules: this one makes its
own engagement and counts only its own rows."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from .conftest import PASSWORD, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""
TITLE = "Kenya: from the floor to a national strategy (strategy test)"


@pytest.fixture(scope="module")
def setting(server: dict[str, Any]) -> dict[str, Any]:
    """Kenya's approved coverage series, an engagement the contributor leads with one
    recommendation costed by a scenario the contributor saved, and the store's latest approved
    child coverage of Kenya."""
    from socialcover import countries, monitor, store
    from socialcover.actors import create_organisation
    from socialcover.store.models import DataSet, Observation
    from socialcover.store.scenarios import save_scenario

    admin = store.SystemActor()
    with store.session_scope(admin, url=server["url"]) as s:
        approved = (
            select(Observation.id)
            .join(DataSet)
            .where(Observation.area == "KEN", DataSet.status == "approved")
        )
        if s.scalars(approved).first() is None:  # another module may have loaded them
            monitor.load_pack_series(s, admin, approve=True)
        ministry = create_organisation(
            s,
            admin,
            {"name": "Kenya Treasury (strategy test)", "actor_type": "government"},
        ).id
        lead = store.get_user(s, server["emails"]["contributor"])
        e = countries.create_engagement(
            s,
            lead,
            {"country_iso3": "KEN", "title": TITLE, "period_start": 2029, "period_end": 2032},
        )
        countries.add_partner(
            s,
            lead,
            e.id,
            {"organisation_id": ministry, "kind": "counterpart", "constituent": "government"},
        )
        scenario = save_scenario(
            s,
            lead,
            "Kenya package (strategy test)",
            {"country": "KEN", "package": "campaign-basic"},
        )
        rec = countries.add_recommendation(
            s,
            lead,
            e.id,
            {"text": "A universal child benefit (strategy test).", "scenario_id": scenario.id},
        )
        obs = s.scalars(
            select(Observation)
            .join(DataSet)
            .where(
                Observation.indicator == "sdg131.children",
                Observation.area == "KEN",
                Observation.sex == "both",
                DataSet.status == "approved",
            )
            .order_by(Observation.year.desc(), Observation.revision.desc())
        ).first()
        assert obs is not None
        s.flush()
        return {
            "engagement": e.id,
            "recommendation": rec.id,
            "scenario": scenario.id,
            "ministry": ministry,
            "latest": (obs.id, obs.value, obs.year),
        }


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_a_team_member_writes_the_strategy_and_a_reader_sees_only_the_published_one(
    server: dict[str, Any], setting: dict[str, Any], page: Any
) -> None:
    from socialcover import countries, store

    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH_CSP)
    base, eid = server["base"], setting["engagement"]
    obs_id, obs_value, obs_year = setting["latest"]
    _sign_in(page, base, server["emails"]["contributor"])

    page.goto(f"{base}/engagements/{eid}")
    page.locator("#strategy-link").click()
    page.wait_for_url(f"{base}/engagements/{eid}/strategy")
    form = page.locator("#strategy-form")
    form.get_by_label("Title").fill("Kenya social protection strategy 2026-2030 (test)")
    form.get_by_label("Vision").fill("Every child and every older person covered by 2030.")
    form.get_by_label("First year").fill("2026")
    form.get_by_label("Last year").fill("2030")
    form.get_by_role("button", name="Save the strategy").click()
    page.wait_for_url(f"**/engagements/{eid}/strategy#top")
    assert "Kenya social protection strategy 2026-2030 (test)" in page.locator("h1").inner_text()
    assert page.locator("#strategy-status").inner_text() == "draft"

    objective = page.locator("#objective-form")
    objective.get_by_label("New objective").fill("Income security for every child.")
    objective.get_by_role("button", name="Add the objective").click()
    page.wait_for_url(f"**/engagements/{eid}/strategy#objective")
    assert "Income security for every child." in page.locator("ol.objectives").inner_text()

    # a measure that starts before the strategy: refused, the problem beside the year
    page.get_by_text("Add a measure").click()
    measure = page.locator("#measure-form")
    measure.get_by_label("What is done").fill("A child benefit for ages 0-5 (test).")
    measure.get_by_label("First year").fill("2024")
    measure.get_by_label("Last year").fill("2030")
    measure.get_by_role("button", name="Add the measure").click()
    page.wait_for_load_state()
    error = page.locator("#measure-start_year-error")
    assert error.is_visible() and "outside the strategy" in error.inner_text()
    assert page.evaluate("document.activeElement.id") == "me-start"  # the page goes to it
    measure = page.locator("#measure-form")
    assert (
        measure.get_by_label("What is done").input_value() == "A child benefit for ages 0-5 (test)."
    )
    page.screenshot(path=str(SHOTS / "strategy-field-error.png"), full_page=False)
    measure.get_by_label("First year").fill("2026")
    measure.get_by_label("Objective").select_option(index=1)
    measure.get_by_label("Responsible (person or body)").fill("Ministry of Labour (test)")
    measure.get_by_label("Responsible organisation").select_option(str(setting["ministry"]))
    measure.locator(
        f'input[name="recommendation_ids"][value="{setting["recommendation"]}"]'
    ).check()
    measure.get_by_role("button", name="Add the measure").click()
    page.wait_for_url(f"**/engagements/{eid}/strategy#measure")
    row = page.locator("table.measures tbody tr").first.inner_text()
    assert (
        "A child benefit for ages 0-5 (test)." in row and "Kenya package (strategy test)@1" in row
    )
    with store.session_scope(store.SystemActor(), url=server["url"], write=False) as s:
        lead = store.get_user(s, server["emails"]["contributor"])
        money = countries.strategy_financing(s, lead, eid)
    first = money["years"][0]
    assert (
        f"{first['cost_pct_gdp']:.2f}"
        in page.locator("table.strategy-financing tbody tr").first.inner_text()
    )

    # a logframe indicator whose baseline is the store's observation
    page.get_by_text("Add a logframe indicator").click()
    lf = page.locator("#logframe-form")
    lf.get_by_label("Level").select_option("outcome")
    lf.get_by_label("Indicator of the indicator store").select_option("sdg131.children")
    lf.get_by_label("Baseline: an approved observation of the country").select_option(str(obs_id))
    lf.get_by_label("Target value").fill("50")
    lf.get_by_label("Target year").fill("2030")
    lf.get_by_label("Means of verification").fill("ILOSTAT SDG 1.3.1, each year.")
    lf.get_by_role("button", name="Add the indicator").click()
    page.wait_for_url(f"**/engagements/{eid}/strategy#logframe")
    logframe = page.locator("table.strategy-progress tbody tr").first.inner_text()
    assert f"{obs_value:.1f} ({obs_year}; observation {obs_id}" in logframe
    page.screenshot(path=str(SHOTS / "strategy-team.png"), full_page=True)

    # a progress report, kept as the store reads now
    page.get_by_label("Period (a year, 2025-H1, 2025-Q3, 2025-06 or a date)").fill("2026")
    page.get_by_label("Note", exact=True).fill("First annual report (test).")
    page.get_by_role("button", name="Issue the progress report").click()
    page.wait_for_url(f"**/engagements/{eid}/strategy/reports/*")
    report_url = page.url
    latest = page.locator("table.issued-progress td.latest").first.inner_text()
    assert f"{obs_value:.1f} ({obs_year};" in latest and f"observation {obs_id}" in latest
    assert page.locator("table.issued-progress .progress-status").first.inner_text().split()[0] in (
        "reached",
        "on",
        "off",
        "no",
    )
    page.screenshot(path=str(SHOTS / "strategy-report.png"), full_page=True)

    # the engagement made public; the strategy still a draft: a reader sees none of it
    page.goto(f"{base}/engagements/{eid}")
    page.get_by_role("button", name="Make it public").click()
    page.wait_for_url(f"**/engagements/{eid}#top")
    reader = page.context.browser.new_context()
    anon = reader.new_page()
    assert anon.goto(f"{base}/engagements/{eid}/strategy").status == 404
    assert anon.goto(report_url).status == 404
    anon.goto(f"{base}/engagements/{eid}")
    assert "Kenya social protection strategy" not in anon.locator("main").inner_text()

    # published: the reader sees the strategy and its report, and no form
    page.goto(f"{base}/engagements/{eid}/strategy")
    page.get_by_role("button", name="Publish the strategy").click()
    page.wait_for_url(f"**/engagements/{eid}/strategy#top")
    assert page.locator("#strategy-status").inner_text() == "published"
    assert anon.goto(f"{base}/engagements/{eid}/strategy").status == 200
    main = anon.locator("main")
    assert "A child benefit for ages 0-5 (test)." in main.inner_text()
    assert main.locator("form").count() == 0
    assert anon.locator("table.progress-reports a", has_text="2026").count() == 1
    anon.screenshot(path=str(SHOTS / "strategy-reader.png"), full_page=True)
    assert anon.goto(report_url).status == 200
    reader.close()
    assert not page.js_errors, page.js_errors
    # the one refused form answers 422, which Chromium logs; nothing else
    assert [c for c in console if "status of 422" not in c] == [], console
    assert len(console) == 1, console
    assert page.evaluate("window.__csp") == []
