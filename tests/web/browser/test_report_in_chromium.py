"""The report page in a real Chromium: a regional edition is built in the background, the page
follows its progress with HTMX, then opens the HTML report with its charts drawn (no console
error, no Content-Security-Policy violation). Screenshots go to /tmp/socialcover-screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SHOTS
from .test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]


def test_a_regional_report_is_built_and_read_in_the_browser(
    server: dict[str, Any], page: Any
) -> None:
    from socialcover import monitor, store

    actor = store.SystemActor()
    with store.session_scope(actor, url=server["url"]) as s:
        monitor.load_pack_series(s, actor, approve=True)
    console: list[str] = []
    missing: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    base = server["base"]
    sign_in(page, base, server["emails"]["contributor"])
    page.goto(f"{base}/report")
    page.get_by_label("Edition").select_option("Africa")
    page.get_by_label("Language of the report").select_option("es")
    page.get_by_label("Format").select_option("html")
    page.get_by_role("button", name="Build the report").click()
    page.wait_for_url("**/report/jobs/*")
    page.wait_for_selector("[data-state='done']", timeout=180_000)  # polled by HTMX
    page.screenshot(path=str(SHOTS / "report-job.png"), full_page=True)
    page.locator("#report-file").click()
    page.wait_for_selector("h1")
    page.wait_for_load_state("load")  # the charts' images are loaded by then, not at the h1
    assert page.locator("h1").inner_text() == "Informe sobre la seguridad social 2023: África"
    images = page.locator("figure img")
    assert images.count() == 6
    for i in range(images.count()):  # every chart loaded (its SVG served) and has alt text
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        assert len(images.nth(i).get_attribute("alt") or "") > 40
    page.screenshot(path=str(SHOTS / "report-africa.png"), full_page=False)
    assert not page.js_errors, page.js_errors
    assert not console and not missing, (console, missing)
