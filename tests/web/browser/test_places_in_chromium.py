"""Places in Chromium: the world map opens a country's page and shows "no data"; the country
list in French, with its figures and sorting; chart numbers in the page's format; no console
error and no CSP violation on any of these pages."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SHOTS
from .test_no_csp_violations import WATCH_CSP

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]


@pytest.fixture
def watched(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on(
        "response", lambda r: pg.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    yield pg
    context.close()


def _clean(page: Any) -> None:
    assert page.evaluate("window.__csp") == [], page.url
    assert page.problems == [], page.url


def test_clicking_a_country_on_the_map_opens_its_page(server: dict[str, Any], watched: Any) -> None:
    page = watched
    page.goto(server["base"] + "/?lang=fr")
    page.wait_for_selector("#coverage-map[data-rendered='1'] svg", timeout=30_000)
    legend = page.locator("#coverage-map svg.marks").text_content()
    assert "Pas de données" in legend  # the "no data" entry
    page.screenshot(path=str(SHOTS / "home-fr-map.png"), full_page=True)
    _clean(page)
    # each shape's label (read by screen readers) carries its values and its link
    brazil = page.locator("#coverage-map path[aria-label*='/countries/BRA']")
    assert "Brésil" in (brazil.get_attribute("aria-label") or "")
    brazil.click()
    page.wait_for_url("**/countries/BRA")
    page.wait_for_selector("h1:has-text('Brésil')")
    page.wait_for_selector("#pyramid-chart[data-rendered='1'] svg", timeout=30_000)
    ticks = page.eval_on_selector_all(
        "#pyramid-chart svg.marks .role-axis-label text", "els => els.map(e => e.textContent)"
    )
    # thousands separated as in French (a narrow no-break space), not with commas
    assert any("\u202f" in t or "\u00a0" in t for t in ticks), ticks
    assert not any("," in t for t in ticks), ticks
    page.screenshot(path=str(SHOTS / "country-BRA-fr.png"), full_page=True)
    _clean(page)


def test_country_list_in_french_sorts_by_its_figures(server: dict[str, Any], watched: Any) -> None:
    page = watched
    page.goto(server["base"] + "/countries?lang=fr")
    page.get_by_role("link", name="Population, millions").click()
    page.wait_for_url("**sort=population&order=desc")
    first = page.locator("tbody tr").first.locator("td").first.inner_text()
    assert first in ("Inde", "Chine")
    page.get_by_label("Région de l'OIT").select_option("Arab States")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**region=Arab+States**")
    assert "sort=population" in page.url  # the sort is kept with the filter
    cells = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert cells and set(cells) == {"États arabes"}
    page.screenshot(path=str(SHOTS / "countries-fr.png"), full_page=True)
    _clean(page)
