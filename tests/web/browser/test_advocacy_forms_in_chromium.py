"""An advocate works from the pages in a real Chromium: drafts an event with an agenda item and
its speaker and publishes it; drafts a press release under embargo, sees its live preview, and
an anonymous reader gets 404 for it; drafts a statement, shares it with a partner organisation
whose member signs it from its page, and publishes it with its endorser.

The server is shared with other browser tests: every record here is found by its own id."""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx
import pytest

from .conftest import PASSWORD, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_an_advocate_works_from_the_pages(server: dict[str, Any], browser: Any) -> None:
    from socialcover import store

    base = server["base"]
    tag = secrets.token_hex(3)
    partner_email = f"partner-{tag}@example.org"
    union = f"Workers Union {tag}"
    with store.session_scope(store.SystemActor("browser-test"), url=server["url"]) as s:
        store.create_user(
            s,
            store.SystemActor("browser-test"),
            partner_email,
            PASSWORD,
            "contributor",
            organisation=union,
            organisation_type="workers_organisation",
            display_name="Wanjiku Partner",
        )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, base, server["emails"]["reviewer"])

    # an event with a session and its speaker, published
    page.goto(f"{base}/events")
    page.click("#new-event")
    page.select_option("#kind", "seminar")
    page.fill("#title", f"Seminar on care work {tag}")
    page.fill("#summary", "Paid and unpaid care, and social protection.")
    page.fill("#starts_at", "2031-09-14T09:00")
    page.fill("#ends_at", "2031-09-14T13:00")
    page.fill("#timezone", "Africa/Dakar")
    page.fill("#place", "Dakar")
    page.check("#registration_open")
    page.click("#event-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/events/\d+/edit\?saved=1"))
    eid = int(page.url.split("/")[4])
    page.fill("#s-title", "Care and coverage")
    page.fill("#s-starts", "2031-09-14T09:30")
    page.fill("#s-speaker-1", "Aïssatou Diallo")
    page.fill("#s-affiliation-1", "Ministry of Labour")
    page.click("#session-form button[type=submit]")
    page.wait_for_url(re.compile(r".*saved=1.*"))
    assert "Aïssatou Diallo (Ministry of Labour)" in page.inner_text("#agenda-items")
    page.screenshot(path=str(SHOTS / "advocacy-event-manage.png"), full_page=True)
    page.click("#publish-event")
    page.wait_for_load_state()
    assert page.inner_text("#event-status").strip().lower() == "published"
    assert httpx.get(f"{base}/events/{eid}").status_code == 200

    # a press release under embargo: the preview fills it; the public gets 404
    page.goto(f"{base}/press/new")
    page.fill("#embargo_until", "2031-12-01T08:00")
    page.fill("#title_en", f"Coverage of children {tag}: {{{{ kids }}}}")
    page.fill("#body_en", "Children covered: {{ kids }}. Worldwide: {{ world }}.")
    page.fill("#fig_name_1", "kids")
    page.fill("#fig_indicator_1", "sdg131.children")
    page.fill("#fig_area_1", "KEN")
    page.fill("#fig_year_1", "2023")
    page.click("#preview-button")  # the undeclared {{ world }} is named beside the text
    page.wait_for_load_state()
    assert "{{ world }}" in page.inner_text("#body_en-error")
    page.screenshot(path=str(SHOTS / "advocacy-press-refused.png"), full_page=True)
    page.fill("#body_en", "Children covered: {{ kids }}.")
    page.wait_for_function(
        "document.querySelector('#preview-en') && "
        "!document.querySelector('#preview-en').innerText.includes('{{')"
    )
    assert "Children covered:" in page.inner_text("#preview-en")
    page.click("#save-release")
    page.wait_for_url(re.compile(r".*/press/\d+/edit\?saved=1"))
    rid = int(page.url.split("/")[4])
    page.click("#publish-release")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "advocacy-press-form.png"), full_page=True)
    assert httpx.get(f"{base}/press/{rid}").status_code == 404
    assert httpx.get(f"{base}/api/v1/press/{rid}").status_code == 404
    anonymous = browser.new_context()
    anon = anonymous.new_page()
    assert anon.goto(f"{base}/press/{rid}").status == 404
    anonymous.close()

    # a statement shared with a partner, signed by its member, published with its endorser
    page.goto(f"{base}/statements/new")
    page.fill("#title", f"Joint call for care {tag}")
    page.fill("#text", "We call for social protection of carers.")
    page.fill("#fig_indicator_1", "sdg131.children")
    page.fill("#fig_area_1", "KEN")
    page.fill("#fig_year_1", "2023")
    page.click("#save-statement")
    page.wait_for_url(re.compile(r".*/statements/\d+/edit\?saved=1"))
    sid = int(page.url.split("/")[4])
    page.fill("#org_q", union)
    page.click("#partners form.filters button")
    page.wait_for_load_state()
    page.select_option("#organisation_id", label=union)
    page.click("#share-form button[type=submit]")
    page.wait_for_load_state()
    assert union in page.inner_text("#partner-list")
    page.screenshot(path=str(SHOTS / "advocacy-statement-manage.png"), full_page=True)

    partner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    partner = partner_context.new_page()
    _sign_in(partner, base, partner_email)
    partner.goto(f"{base}/statements/{sid}")
    partner.fill("#signed_by_title", "General Secretary")
    partner.click("#sign-form button[type=submit]")
    partner.wait_for_url(re.compile(r".*signed=1.*"))
    assert "Wanjiku Partner, General Secretary" in partner.inner_text("#endorsers")
    partner.screenshot(path=str(SHOTS / "advocacy-statement-signed.png"), full_page=True)
    partner_context.close()

    page.goto(f"{base}/statements/{sid}/edit")
    page.click("#publish-statement")
    page.wait_for_load_state()
    public = httpx.get(f"{base}/statements/{sid}")
    assert public.status_code == 200 and union in public.text and "Wanjiku Partner" in public.text
    page.goto(f"{base}/statements/{sid}?lang=fr")
    page.screenshot(path=str(SHOTS / "advocacy-statement-public-fr.png"), full_page=True)
    assert not errors, errors
    context.close()
