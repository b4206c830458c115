"""A practice page in Chromium: its verification state and unverified claims are readable
(landmarks, labels, contrast), a reviewer verifies one claim, and "cite this" downloads."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import PASSWORD, SHOTS
from .test_pages_in_chromium import CONTRAST_JS, UNLABELLED_JS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]


def _practice(base: str, query: str) -> int:
    item = httpx.get(f"{base}/api/v1/practices", params={"q": query}).json()["items"][0]
    return int(item.get("record_id", item.get("id")))


def test_reviewer_verifies_a_claim_and_the_page_stays_readable(
    server: dict[str, Any], page: Any
) -> None:
    base = server["base"]
    pid = _practice(base, "Renta Dignidad")
    page.goto(f"{base}/practices/{pid}")
    assert "Starter, being verified" in page.locator("#verification").inner_text()
    assert page.locator("#unverified-claims li").count() >= 1
    assert page.evaluate(CONTRAST_JS) == []
    assert page.evaluate(UNLABELLED_JS) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="BibTeX").click()
    assert download.value.suggested_filename == f"practice-{pid}.bib"

    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(server["emails"]["reviewer"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    claims = httpx.get(f"{base}/api/v1/practices/{pid}/claims").json()["claims"]
    target = next(c for c in claims if c["key"] == "coverage-near-universal")
    page.goto(f"{base}/practices/{pid}")
    row = page.locator(f"#claim-{target['id']}")
    row.get_by_label("Passage read (page or section)").fill("Article, paragraph 2")
    row.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{base}/practices/{pid}#claim-{target['id']}")
    assert "by Ana Reviewer on" in page.locator(f"#claim-{target['id']}").inner_text()
    assert page.evaluate(UNLABELLED_JS) == []
    page.screenshot(path=str(SHOTS / "practice-claims.png"), full_page=True)
