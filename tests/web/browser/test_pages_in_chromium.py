"""The pages in a real Chromium: charts drawn, search with a facet, the practice workflow,
costing, and a survey upload with progress. Screenshots go to /tmp/socialcover-screenshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]
TITLE = "Mobile registration of street vendors in the Kenyan pension scheme"


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("text=Sign in")


def test_home_draws_map_and_series(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/")
    page.wait_for_selector("#coverage-map[data-rendered='1'] svg", timeout=30_000)
    page.wait_for_selector("#coverage-series[data-rendered='1'] svg")
    paths = page.locator("#coverage-map svg path").count()
    assert paths > 150  # one shape per country
    assert page.locator(".figures article").count() >= 7
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    assert not page.js_errors


def test_country_page_draws_its_charts(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/countries/KEN")
    for chart in ("pyramid-chart", "coverage-chart", "growth-chart"):
        page.wait_for_selector(f"#{chart}[data-rendered='1'] svg", timeout=30_000)
    assert page.locator("#pyramid-chart svg .mark-rect path").count() >= 40
    page.screenshot(path=str(SHOTS / "country-KEN.png"), full_page=True)
    assert not page.js_errors


def test_language_switch_in_the_browser(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/countries/KEN")
    page.get_by_role("link", name="Français").click()
    page.wait_for_selector("h2:has-text('Couverture de protection sociale')")
    page.goto(server["base"] + "/")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_search_with_a_facet(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/practices")
    page.get_by_label("Search the practices").fill("pension")
    page.wait_for_function("document.querySelectorAll('.hit mark').length > 0")
    before = page.locator(".hit").count()
    radio = page.locator("fieldset:has(legend:text('Assessment')) input[type=radio]").nth(1)
    value = radio.get_attribute("value")
    radio.check()
    page.wait_for_url(re.compile(rf"assessment={value}"))
    page.wait_for_selector("#search-form[data-settled='pension']")
    after = page.locator(".hit").count()
    assert 0 < after <= before
    page.screenshot(path=str(SHOTS / "search-facet.png"), full_page=True)


def test_search_sends_one_request_on_enter(server: dict[str, Any], page: Any) -> None:
    """Typing then Enter at once sends one search, not one per trigger; nothing is aborted."""
    page.goto(server["base"] + "/practices")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/practices?" in r.url else None)
    page.get_by_label("Search the practices").press_sequentially("pension", delay=20)
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-form[data-settled='pension']")
    page.wait_for_timeout(800)  # past the 400 ms typing delay: no second request comes
    assert len(sent) == 1, sent
    assert "q=pension" in sent[0]
    page.get_by_label("Search the practices").press_sequentially(" old", delay=20)
    page.wait_for_selector("#search-form[data-settled='pension old']")
    page.wait_for_timeout(800)
    assert len(sent) == 2, sent
    assert not page.js_errors
    assert not page.console_errors


def test_contributor_drafts_reviewer_publishes_reader_finds(
    server: dict[str, Any], browser: Any
) -> None:
    base = server["base"]
    contributor = browser.new_context().new_page()
    sign_in(contributor, base, server["emails"]["contributor"])
    contributor.goto(base + "/practices/new")
    contributor.get_by_label("Title", exact=True).fill(TITLE)
    contributor.get_by_label("Country (ISO3 code)").fill("KEN")
    contributor.get_by_label("Branch").select_option("old_age")
    contributor.get_by_label("Assessment").select_option("good")
    contributor.get_by_label("Mechanism").fill("mobile registration")
    contributor.get_by_label("Summary").fill(
        "Street vendors join the voluntary pension scheme by mobile phone in two minutes."
    )
    contributor.get_by_role("button", name="Save the draft").click()
    contributor.wait_for_selector(f"h1:has-text('{TITLE}')")
    contributor.get_by_role("button", name="Submit for review").click()
    contributor.wait_for_selector(".badge.submitted")
    contributor.screenshot(path=str(SHOTS / "practice-submitted.png"), full_page=True)
    contributor.context.close()

    reviewer = browser.new_context().new_page()
    sign_in(reviewer, base, server["emails"]["reviewer"])
    reviewer.goto(base + "/review")
    reviewer.get_by_role("link", name=TITLE).click()
    reviewer.get_by_label("Comment (required to return it)").fill("Clear; sourced.")
    reviewer.get_by_role("button", name="Publish").click()
    reviewer.wait_for_selector(".badge.published")
    reviewer.context.close()

    reader = browser.new_context().new_page()
    reader.goto(base + "/practices")
    reader.get_by_label("Search the practices").fill("street vendors")
    # the list for these words is in place and no other request is pending (before it, the
    # unfiltered list may show the same practice and be replaced under the click)
    reader.wait_for_selector("#search-form[data-settled='street vendors']:not(.htmx-request)")
    reader.wait_for_selector(".hit h3 a:has-text('Street')")
    reader.screenshot(path=str(SHOTS / "reader-finds.png"), full_page=True)
    reader.locator(".hit h3 a").first.click()
    reader.wait_for_selector(f"h1:has-text('{TITLE}')")
    reader.context.close()


def test_costing_page(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/costing")
    page.get_by_label("Country").select_option("SEN")
    page.get_by_label("Take-up, % of the eligible").fill("80")
    page.get_by_role("button", name="Compute the cost").click()
    page.wait_for_selector("#cost-chart[data-rendered='1'] svg", timeout=30_000)
    assert "country=SEN" in page.url
    rows = page.locator("#costing-result tbody tr").count()
    assert rows >= 10
    with page.expect_download() as dl:
        page.locator("#workbook-link").click()
    assert dl.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path=str(SHOTS / "costing.png"), full_page=True)
    assert not page.js_errors


def test_survey_upload_shows_progress_then_results(
    server: dict[str, Any], page: Any, tmp_path: Path
) -> None:
    from socialcover.testing import synthetic_survey

    csv = tmp_path / "survey.csv"
    synthetic_survey(20_000, seed=3).write_csv(csv)
    sign_in(page, server["base"], server["emails"]["contributor"])
    page.goto(server["base"] + "/surveys")
    page.get_by_label("Survey file (.csv, .dta, .sav, .parquet)").set_input_files(str(csv))
    page.get_by_label("Strata with a single PSU").select_option("adjust")
    page.get_by_role("button", name="Upload and compute").click()
    page.wait_for_selector("progress")
    states = set()
    for _ in range(600):
        state = page.locator("[data-state]").get_attribute("data-state")
        states.add(state)
        if state in ("done", "failed"):
            break
        page.wait_for_timeout(100)
    assert state == "done", page.content()[-2000:]
    assert states & {"queued", "running"}, states  # progress was shown before the end
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.locator("table tbody tr").count() > 5
    page.screenshot(path=str(SHOTS / "survey-done.png"), full_page=True)


UNLABELLED_JS = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) bad.push(el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('img')) {
    if (!el.hasAttribute('alt')) bad.push(el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('.chart')) {
    if (!el.getAttribute('aria-label')) bad.push('chart without a label: ' + el.id);
  }
  return bad;
}
"""


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/countries/KEN",
        "/practices",
        "/publications",
        "/actors",
        "/costing",
        "/login",
        "/costing?country=KEN",
    ],
)
def test_pages_have_landmarks_labels_and_names(
    server: dict[str, Any], page: Any, path: str
) -> None:
    page.goto(server["base"] + path)
    page.wait_for_load_state("networkidle")
    for landmark in ("header", "nav", "main", "footer"):
        assert page.locator(landmark).count() >= 1, landmark
    assert page.locator("h1").count() == 1
    assert page.evaluate(UNLABELLED_JS) == []
    assert page.locator("html").get_attribute("lang") == "en"


def test_keyboard_reaches_the_skip_link_then_the_menu(server: dict[str, Any], page: Any) -> None:
    page.goto(server["base"] + "/countries/KEN")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_small_screens(server: dict[str, Any], browser: Any) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    pg = ctx.new_page()
    for path, name in (("/", "home-mobile.png"), ("/countries/KEN", "country-mobile.png")):
        pg.goto(server["base"] + path)
        pg.wait_for_selector(".chart[data-rendered='1'] svg", timeout=30_000)
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{path} scrolls sideways ({width}px)"
        pg.screenshot(path=str(SHOTS / name), full_page=True)
    ctx.close()


CONTRAST_JS = """
() => {
  function rgb(c) { const m = c.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; }
  function lum([r, g, b]) {
    const f = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  function bg(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0.9) return c;
    }
    return [255, 255, 255];
  }
  const bad = [];
  const sel = 'p, a, li, td, th, label, legend, h1, h2, h3, .badge, small, summary, button, '
    + 'caption';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const fg = rgb(getComputedStyle(el).color), back = bg(el);
    const [a, b] = [lum(fg), lum(back)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < 4.5) bad.push(el.tagName + ' "' + text + '" ' + ratio.toFixed(2));
  }
  return bad.slice(0, 10);
}
"""


@pytest.mark.parametrize("path", ["/", "/countries/KEN", "/practices?q=pension", "/costing"])
def test_text_contrast_is_at_least_4_5(server: dict[str, Any], page: Any, path: str) -> None:
    page.goto(server["base"] + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(CONTRAST_JS) == []
