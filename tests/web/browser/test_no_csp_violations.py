"""A walk through the site in Chromium meets no Content-Security-Policy violation, no console
error, no script error and no HTTP error: home, the countries with the region filter used, a
country page, the practices and a search, costing, monitoring, the API docs, sign-in and the
account page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(location.pathname + ": " + e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def walker(browser: Any) -> Iterator[Any]:
    """A page that records CSP violations, console errors, script errors and HTTP errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_CSP)
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on(
        "response",
        lambda r: pg.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    yield pg
    context.close()


def _clean(page: Any) -> None:
    """No problem so far on this page (violations are kept per document, so check each)."""
    assert page.evaluate("window.__csp") == [], page.url
    assert page.problems == [], page.url


def test_walk_meets_no_csp_violation_or_console_error(server: dict[str, Any], walker: Any) -> None:
    base = server["base"]
    page = walker

    page.goto(f"{base}/")
    page.wait_for_selector("#coverage-map[data-rendered='1'] svg", timeout=30_000)
    _clean(page)

    page.goto(f"{base}/countries")
    everyone = page.locator("tbody tr").count()
    region = page.locator("#region option").nth(1).get_attribute("value")
    page.get_by_label("ILO region").select_option(region)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"region="))
    assert 0 < page.locator("tbody tr").count() < everyone
    _clean(page)

    page.goto(f"{base}/countries/KEN")
    page.wait_for_selector("#pyramid-chart[data-rendered='1'] svg", timeout=30_000)
    _clean(page)

    page.goto(f"{base}/practices")
    page.get_by_label("Search the practices").fill("pension")
    page.wait_for_function("document.querySelectorAll('.hit mark').length > 0")
    _clean(page)

    page.goto(f"{base}/costing")
    page.get_by_label("Country").select_option("SEN")
    page.get_by_role("button", name="Compute the cost").click()
    page.wait_for_selector("#cost-chart[data-rendered='1'] svg", timeout=30_000)
    _clean(page)

    page.goto(f"{base}/monitor")
    page.wait_for_selector("h1")
    _clean(page)

    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    _clean(page)

    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(server["emails"]["contributor"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account")
    page.wait_for_selector("h1")
    _clean(page)
