"""Saved costing scenarios in Chromium: a signed-in analyst costs a package, saves it twice
under one name, finds it in the list and compares the two versions year by year."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import PASSWORD
from .test_pages_in_chromium import UNLABELLED_JS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]


def test_save_list_and_compare_in_the_browser(server: dict[str, Any], page: Any) -> None:
    base = server["base"]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(server["emails"]["contributor"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    for takeup in ("100", "50"):
        page.goto(f"{base}/costing?country=KEN&package=campaign-basic&end_year=2028")
        page.get_by_label("Take-up, % of the eligible").fill(takeup)
        page.get_by_role("button", name="Compute the cost").click()
        # the page shows a result for the URL's scenario already: wait for this take-up's
        page.wait_for_selector(f"#save-scenario[action*='takeup_pct={takeup}']", timeout=30_000)
        page.wait_for_selector("#cost-chart[data-rendered='1'] svg", timeout=30_000)
        page.get_by_label("Save this scenario as").fill("Kenya basic, browser")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(re.compile(r"/costing/scenarios\?saved="))
    # the server is shared with other browser tests, which may have saved scenarios of their own
    ours = page.locator("tbody tr", has_text="Kenya basic, browser")
    assert ours.count() == 1
    assert ours.locator("td").nth(2).inner_text() == "2"
    assert "highlight" in (page.locator("tbody tr").first.get_attribute("class") or "")
    assert page.evaluate(UNLABELLED_JS) == []
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"/costing/scenarios/compare\?a="))
    text = page.locator("main").inner_text()
    assert "Kenya basic, browser@1" in text and "Kenya basic, browser@2" in text
    assert page.locator("tbody tr").count() == 4  # 2025-2028
    assert errors == []
