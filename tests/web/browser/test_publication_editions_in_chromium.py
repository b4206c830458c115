"""A reviewer adds a language edition from the publication page in Chromium: a bad ISBN is shown
next to its field with the form kept, the corrected edition is listed, the page stays readable."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import PASSWORD, SHOTS
from .test_pages_in_chromium import CONTRAST_JS, UNLABELLED_JS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]


def test_reviewer_adds_a_language_edition(server: dict[str, Any], page: Any) -> None:
    base = server["base"]
    pubs = httpx.get(f"{base}/api/v1/publications", params={"per_page": 100}).json()["items"]
    book = next(p for p in pubs if p["title"].startswith("Reversing Pension"))
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(server["emails"]["reviewer"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/publications/{book['id']}")
    form = page.locator("#edition-form")
    form.get_by_label("Language (two-letter code)").fill("es")
    form.get_by_label("Title of this edition").fill("Revertir las privatizaciones de pensiones")
    form.get_by_label("ISBN").fill("978-92-2-031949-8")  # wrong check digit
    form.get_by_role("button", name="Add the edition").click()
    error = page.locator("#ed-isbn-error")
    assert "check digit" in error.inner_text()
    assert page.get_by_label("ISBN").get_attribute("aria-invalid") == "true"
    kept = page.get_by_label("Title of this edition").input_value()
    assert kept == "Revertir las privatizaciones de pensiones"  # nothing typed is lost
    page.screenshot(path=str(SHOTS / "publication-edition-error.png"), full_page=True)

    page.get_by_label("ISBN").fill("")
    page.get_by_label("Address (URL)").last.fill("https://example.org/es")
    page.locator("#edition-form").get_by_role("button", name="Add the edition").click()
    page.wait_for_url(f"{base}/publications/{book['id']}#editions")
    listed = page.locator("#editions li").inner_text()
    assert "Revertir las privatizaciones de pensiones" in listed and "(es" in listed
    assert page.evaluate(UNLABELLED_JS) == []
    assert page.evaluate(CONTRAST_JS) == []
    page.screenshot(path=str(SHOTS / "publication-edition.png"), full_page=True)
    api = httpx.get(f"{base}/api/v1/publications/{book['id']}").json()
    assert [e["language"] for e in api["editions"]] == ["es"]
    bib = httpx.get(f"{base}/publications/{book['id']}/cite.bib")
    assert bib.status_code == 200 and bib.text.lstrip().startswith("@")
