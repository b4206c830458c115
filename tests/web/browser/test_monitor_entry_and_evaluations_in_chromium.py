"""The newer monitoring pages in a real Chromium: the explorer's world map, a region's page, data
entry (a refused row named with its number, a saved value, its data set submitted by its
contributor and approved by a reviewer with the page's buttons), and the register of
evaluations with an evaluation's follow-up form. No console error, no CSP violation.
Screenshots go to /tmp/socialcover-screenshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import PASSWORD, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def approved(server: dict[str, Any]) -> dict[str, Any]:
    """The pack's country series approved, and a published evaluation with a late
    recommendation and an overdue planned evaluation."""
    from socialcover import monitor, store

    actor = store.SystemActor()
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    with store.session_scope(actor, url=server["url"]) as s:
        monitor.load_pack_series(s, actor, approve=True)
        e = monitor.create_evaluation(
            s,
            actor,
            {
                "title": "Mid-term review of the Kenya engagement",
                "subject_type": "country_engagement",
                "subject_ref": "KEN",
                "evaluation_type": "mid_term",
                "started_on": "2025-01-10",
                "ended_on": "2025-04-30",
                "evaluators": ["An Independent Evaluator"],
                "method": "Document review and 30 interviews.",
                "findings": "The diagnosis is used in the budget debate.",
            },
        )
        monitor.add_recommendation(
            s, actor, e.id, {"text": "Cost the child benefit options.", "due_on": yesterday}
        )
        monitor.submit_evaluation(s, actor, e.id)
        monitor.publish_evaluation(s, actor, e.id)
        monitor.schedule(
            s,
            actor,
            {
                "subject_type": "campaign",
                "evaluation_type": "thematic",
                "planned_on": "2025-06-30",
                "note": "Thematic review of the campaign's training.",
            },
        )
    return server


@pytest.fixture
def watched(page: Any) -> Iterator[Any]:
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH_CSP)
    page.console_errors = console
    yield page


def _clean(page: Any) -> None:
    assert not page.js_errors, page.js_errors
    assert not page.console_errors, page.console_errors
    assert page.evaluate("window.__csp") == []


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_the_explorer_map_and_a_region_page(approved: dict[str, Any], watched: Any) -> None:
    base = approved["base"]
    watched.goto(f"{base}/monitor?area=World&area=KEN")
    watched.wait_for_selector("#monitor-map[data-rendered='1'] svg", timeout=30_000)
    assert watched.locator("#monitor-map svg path").count() > 100  # the countries' shapes
    assert watched.locator("a", has_text="SDMX-CSV").count() == 1
    watched.locator("#monitor-map").scroll_into_view_if_needed()
    watched.screenshot(path=str(SHOTS / "monitor-explorer-map.png"))
    watched.goto(f"{base}/monitor/groups/Africa")
    assert watched.locator("#series-title ~ table tbody tr").count() >= 5
    watched.screenshot(path=str(SHOTS / "monitor-group-africa.png"), full_page=True)
    _clean(watched)


def test_entry_refuses_a_bad_value_then_saves_submits_and_approves(
    approved: dict[str, Any], browser: Any, watched: Any
) -> None:
    base = approved["base"]
    _sign_in(watched, base, approved["emails"]["contributor"])
    watched.goto(f"{base}/monitor/enter")
    watched.get_by_label("Indicator", exact=True).select_option("sdg131.children")
    watched.get_by_label("Area", exact=True).select_option("GHA")
    watched.get_by_label("Year", exact=True).fill("2024")
    watched.get_by_label("Value", exact=True).fill("140")
    watched.get_by_label("Source", exact=True).fill("Ghana ministry of gender")
    watched.get_by_label("Edition (vintage)", exact=True).fill("2025-06")
    watched.get_by_role("button", name="Save the value").click()
    watched.wait_for_selector("#problems-title")
    row = watched.locator("section.problems tbody tr").first
    assert row.locator("td").nth(0).inner_text() == "1" and "value" in row.inner_text()
    watched.screenshot(path=str(SHOTS / "monitor-entry-refused.png"), full_page=True)
    # the refused entry answers 422, which Chromium logs; nothing else may be logged
    assert all("status of 422" in m for m in watched.console_errors), watched.console_errors
    watched.console_errors.clear()
    watched.get_by_label("Value", exact=True).fill("14.5")
    watched.get_by_role("button", name="Save the value").click()
    watched.wait_for_selector("#outcome-title")
    form = watched.locator("#data-sets tr", has_text="Ghana").locator("form")
    form.get_by_role("button", name="Submit").click()
    watched.wait_for_selector("#data-sets")
    assert watched.locator("#data-sets tr", has_text="Ghana").get_by_text("submitted").count()
    _clean(watched)

    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reviewer.js_errors = []
    _sign_in(reviewer, base, approved["emails"]["reviewer"])
    reviewer.goto(f"{base}/monitor/enter")
    mine = reviewer.locator("#data-sets tr", has_text="Ghana")
    mine.get_by_role("button", name="Approve").click()
    reviewer.wait_for_selector("#data-sets")
    assert reviewer.locator("#data-sets tr", has_text="Ghana").get_by_text("approved").count()
    reviewer.screenshot(path=str(SHOTS / "monitor-entry-approved.png"), full_page=True)
    reviewer.context.close()


def test_the_register_and_an_evaluations_follow_up(approved: dict[str, Any], watched: Any) -> None:
    base = approved["base"]
    watched.goto(f"{base}/monitor/evaluations")
    assert watched.get_by_text("overdue by", exact=False).count() == 1
    assert watched.locator("#late-title ~ table tbody tr").count() == 1
    watched.screenshot(path=str(SHOTS / "monitor-evaluations.png"), full_page=True)
    _sign_in(watched, base, approved["emails"]["reviewer"])
    watched.goto(f"{base}/monitor/evaluations")
    watched.get_by_role("link", name="Mid-term review of the Kenya engagement").first.click()
    watched.get_by_text("Record the response and follow-up").click()
    watched.get_by_label("Management response").fill("Agreed; the ministry asked for it.")
    watched.get_by_label("Follow-up", exact=True).select_option("in_progress")
    watched.get_by_label("Due", exact=True).fill("2027-06-30")
    watched.get_by_role("button", name="Save").click()
    watched.wait_for_selector("text=Agreed; the ministry asked for it.")
    watched.screenshot(path=str(SHOTS / "monitor-evaluation.png"), full_page=True)
    watched.goto(f"{base}/monitor/evaluations")
    assert watched.get_by_text("No recommendation is late.").count() == 1
    _clean(watched)
