"""The scheme page in a real Chromium: run the example scheme on the demo survey with take-up
calibrated to an enrolment, then read it in French."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SHOTS
from .test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]


def test_demo_run_with_calibration_shows_members_cost_and_coverage(
    server: dict[str, Any], page: Any
) -> None:
    base = server["base"]
    sign_in(page, base, server["emails"]["contributor"])
    page.goto(f"{base}/schemes")
    assert "pension_credit" in page.get_by_label("Scheme (YAML)").input_value()
    page.get_by_label("Demo survey (Demoland, 20,000 persons)").check()
    page.get_by_label("Members observed", exact=False).fill("150000")
    page.get_by_label("Monte Carlo draws (0-500)").fill("20")
    page.get_by_role("button", name="Run the scheme").click()
    page.wait_for_selector("#scheme-result", timeout=120_000)
    assert "150,000 members" in page.locator("#calibration").inner_text()
    members = page.locator("table").first.locator("tr", has_text="members").first
    assert "150,000" in members.inner_text()
    assert page.locator("caption", has_text="no subsidy").count() == 1
    assert page.locator("td", has_text="subsidy_cost").count() >= 4
    assert page.js_errors == []
    page.screenshot(path=str(SHOTS / "scheme-done.png"), full_page=True)
    page.goto(f"{base}/schemes?lang=fr")
    assert page.get_by_role("button", name="Simuler le régime").count() == 1
    page.get_by_role("button", name="Simuler le régime").click()
    page.wait_for_selector("#scheme-result", timeout=120_000)
    assert page.locator("#calibration").count() == 0  # no enrolment given: no calibration
