"""Numbers for people and pages in the reader's language, in a real Chromium: survey results
with names, units and intervals inside 0-100 %, the costing legend with benefit names and the
price basis, Kenya's two population figures explained, the monitor and the library in French.
Screenshots go to /tmp/socialcover-screenshots/numbers-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import SHOTS
from .test_pages_in_chromium import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]


def test_survey_results_name_indicators_units_and_keep_shares_in_0_100(
    server: dict[str, Any], page: Any, tmp_path: Path
) -> None:
    from socialcover.testing import synthetic_survey

    csv = tmp_path / "survey.csv"
    synthetic_survey(2_000, seed=3).write_csv(csv)
    sign_in(page, server["base"], server["emails"]["contributor"])
    page.goto(server["base"] + "/surveys")
    page.get_by_label("Survey file (.csv, .dta, .sav, .parquet)").set_input_files(str(csv))
    page.get_by_role("button", name="Upload and compute").click()
    page.wait_for_selector("[data-state='done'] table tbody tr", timeout=60_000)
    rows = page.locator("table tbody tr")
    first = rows.first.inner_text()
    assert "Population covered by at least one social protection benefit" in first
    assert "coverage.at_least_one" in first and "%" in first
    shares = 0
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        if cells.nth(1).inner_text().strip() != "%" or "*" not in cells.nth(4).inner_text():
            continue
        low, high = (float(x) for x in re.findall(r"[\d.]+", cells.nth(4).inner_text())[:2])
        assert 0.0 <= low <= high <= 100.0
        shares += 1
    assert shares >= 10
    assert "logit scale" in page.locator("#ci-logit").inner_text()
    page.screenshot(path=str(SHOTS / "numbers-survey.png"), full_page=True)
    assert not page.js_errors and not page.console_errors


def test_costing_legend_names_benefits_and_says_current_prices(
    server: dict[str, Any], page: Any
) -> None:
    page.goto(server["base"] + "/costing?lang=fr")
    page.get_by_label("Pays").select_option("KEN")
    page.locator("button[type=submit]").first.click()
    page.wait_for_selector("#cost-chart[data-rendered='1'] svg", timeout=30_000)
    legend = page.locator("#cost-chart svg.marks").text_content() or ""
    assert "child_benefit" not in legend and "old_age_pension" not in legend
    assert "prestation pour enfant" in legend and "pension de vieillesse" in legend
    assert "prix courants" in page.locator("#costing-result thead").first.inner_text()
    assert "taux de change" in page.locator("#price-basis").inner_text()
    page.screenshot(path=str(SHOTS / "numbers-costing.png"), full_page=True)
    assert not page.js_errors and not page.console_errors


def test_kenya_page_explains_its_two_population_figures(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/countries/KEN")
    people = page.locator("#people-title + p").inner_text()
    assert "World Population Prospects 2024" in people
    note = page.locator("#population-note").inner_text()
    assert "World Population Prospects 2024" in note and "IMF WEO" in note
    assert "2019" in note and "2025" in note
    page.locator("#population-note").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "numbers-kenya.png"), full_page=True)
    assert not page.js_errors and not page.console_errors


def test_monitor_and_library_in_french(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/monitor?lang=fr&area=DEU&area=Arab+States")
    assert page.locator("#area option[value='DEU']").inner_text() == "Allemagne"
    assert page.locator("#area option[value='Arab States']").inner_text() == "États arabes"
    page.screenshot(path=str(SHOTS / "numbers-monitor-fr.png"), full_page=True)
    page.goto(server["base"] + "/practices?lang=fr")
    page.locator("#q").fill("retraite")
    page.keyboard.press("Enter")
    page.wait_for_selector("form[data-settled='retraite']")
    titles = page.locator("article.hit h3").all_inner_texts()
    assert "Lesotho : pension de vieillesse universelle" in titles
    page.screenshot(path=str(SHOTS / "numbers-library-fr.png"), full_page=True)
    assert not page.js_errors and not page.console_errors
