"""Training and networks in a real Chromium: a signed-in contributor creates a course, adds a
session, registers a participant, enters the pre and post scores and sees the gain; then
records a person who belongs to no organisation (a bad language first: the problem shows next
to the field) and finds the person with "who knows what". The server is shared with other
tests: every name here carries this run's own suffix."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from .conftest import PASSWORD, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_a_course_with_scores_and_a_person_without_an_organisation(
    server: dict[str, Any], page: Any
) -> None:
    base, tag = server["base"], uuid.uuid4().hex[:6]
    _sign_in(page, base, server["emails"]["contributor"])

    page.goto(f"{base}/training")
    page.get_by_role("button", name="New training course").click()
    page.get_by_label("Title", exact=True).fill(f"Costing the floor {tag}")
    page.get_by_label("Topics (comma-separated)").fill("costing, RAP")
    page.get_by_label("Highest score").fill("20")
    page.get_by_label("Trainers, one per line: name | affiliation").fill("Awa Diop | ITC-ILO")
    page.get_by_role("button", name="Create the course").click()
    page.wait_for_url("**/training/*")
    assert page.locator("h1").inner_text() == f"Costing the floor {tag}"
    cid = page.url.rstrip("/").rsplit("/", 1)[1]

    page.locator("#sessions summary").click()
    page.fill("#session-title", f"Module one {tag}")
    page.fill("#session-starts", "2031-04-01T09:00")
    page.fill("#session-ends", "2031-04-01T17:00")
    page.fill("#session-timezone", "Africa/Nairobi")
    page.get_by_role("button", name="Add the session").click()
    page.wait_for_url(f"**/training/{cid}#sessions")
    assert f"Module one {tag}" in page.inner_text("main")

    form = page.locator("#participants form")
    form.get_by_label("Name", exact=True).fill(f"Amina {tag}")
    form.get_by_label("E-mail").fill(f"amina-{tag}@example.org")
    form.get_by_label("Sex").select_option("female")
    form.get_by_label("Constituent").select_option("workers")
    form.get_by_label("Country (ISO3)").fill("KEN")
    page.get_by_role("button", name="Register the participant").click()
    page.wait_for_url(f"**/training/{cid}#participants")

    row = page.locator("#scores tr", has_text=f"Amina {tag}")
    row.get_by_label(f"Pre score of Amina {tag}").fill("6")
    row.get_by_label(f"Post score of Amina {tag}").fill("15,5")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/training/{cid}#scores")
    row = page.locator("#scores tr", has_text=f"Amina {tag}")
    assert row.locator("td.gain").inner_text() == "9.5"
    page.screenshot(path=str(SHOTS / "training-course.png"), full_page=True)

    page.goto(f"{base}/networks")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill(f"Fatou Ndiaye {tag}")
    page.get_by_label("Expertise (comma-separated)").fill(f"zakat pensions {tag}, costing")
    page.get_by_label("Languages (two-letter codes, comma-separated)").fill("french")
    page.get_by_label("Country where the person works (ISO3)").fill("SEN")
    assert page.get_by_label("Organisation", exact=True).input_value() == ""  # none: an independent
    page.get_by_role("button", name="Save the person").click()
    error = page.locator("#person-languages-error")
    assert "french" in error.inner_text()
    assert page.get_by_label("Name", exact=True).input_value() == f"Fatou Ndiaye {tag}"
    page.screenshot(path=str(SHOTS / "networks-person-error.png"), full_page=True)
    page.get_by_label("Languages (two-letter codes, comma-separated)").fill("fr, wo")
    page.get_by_role("button", name="Save the person").click()
    page.wait_for_url("**/networks/people/*")
    assert "none (independent)" in page.inner_text("main")

    page.goto(f"{base}/networks")
    page.get_by_label("Expertise", exact=True).fill(f"zakat pensions {tag}")
    page.get_by_label("Language (two letters)").fill("wo")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/networks\?.*expertise="))  # the results, not the form left
    link = page.locator("ul.people a", has_text=f"Fatou Ndiaye {tag}")
    link.first.wait_for(timeout=15_000)
    assert link.count() == 1
    assert "no organisation" in page.locator("ul.people li").first.inner_text()
    page.screenshot(path=str(SHOTS / "networks-who-knows-what.png"), full_page=True)
    link.click()
    page.wait_for_url("**/networks/people/*")
    assert page.locator("h1").inner_text() == f"Fatou Ndiaye {tag}"
    page.locator("#m-org").select_option(index=1)  # any organisation of the shared registry
    page.get_by_label("Role").fill("adviser")
    page.get_by_label("From").fill("2024-03-01")
    page.get_by_role("button", name="Add the membership").click()
    page.wait_for_url("**/networks/people/*#memberships")
    assert "adviser" in page.inner_text("#memberships")
    page.screenshot(path=str(SHOTS / "networks-person.png"), full_page=True)
    page.goto(f"{base}/networks/partnerships/new")
    page.screenshot(path=str(SHOTS / "networks-partnership-form.png"), full_page=True)
    page.goto(f"{base}/training/{cid}?lang=fr")
    assert "Participants et leurs scores" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "training-course-fr.png"), full_page=True)
    assert page.js_errors == []
    # the one refused form answers 422, which Chromium logs as a failed resource
    assert [e for e in page.console_errors if "422" not in e] == []
