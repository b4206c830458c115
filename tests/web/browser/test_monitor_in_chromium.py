"""The monitoring pages in a real Chromium, on the data pack's SDG 1.3.1 series (approved):
the explorer's chart, the aggregates and the progress chart drawn, no console error and no
Content-Security-Policy violation. Screenshots go to /tmp/socialcover-screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def approved(server: dict[str, Any]) -> dict[str, Any]:
    """The pack's country series recorded and approved in the server's database."""
    from socialcover import monitor, store

    actor = store.SystemActor()
    with store.session_scope(actor, url=server["url"]) as s:
        monitor.load_pack_series(s, actor, approve=True)
    return server


@pytest.fixture
def watched(page: Any) -> Iterator[Any]:
    """The page, with its console errors and CSP violations collected."""
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH_CSP)
    page.console_errors = console
    yield page


def _clean(page: Any) -> None:
    assert not page.js_errors, page.js_errors
    assert not page.console_errors, page.console_errors
    assert page.evaluate("window.__csp") == []


def test_explorer_draws_the_chart(approved: dict[str, Any], watched: Any) -> None:
    base = approved["base"]
    watched.goto(f"{base}/monitor?area=World&area=Africa&area=KEN&area=SEN&start=2015")
    watched.wait_for_selector("#monitor-chart[data-rendered='1'] svg", timeout=30_000)
    assert watched.locator("#monitor-chart svg .mark-line path").count() == 4  # one line per area
    assert watched.locator("table tbody tr").count() > 20
    watched.screenshot(path=str(SHOTS / "monitor-explorer.png"), full_page=True)
    watched.get_by_role("link", name="Country").click()  # sort the ranking by name
    watched.wait_for_url("**sort=name**")
    names = watched.locator("#ranking-title ~ table tbody tr td a").all_inner_texts()
    assert len(names) > 20 and names == sorted(names, key=str.casefold)
    _clean(watched)


def test_aggregates_and_progress_draw(approved: dict[str, Any], watched: Any) -> None:
    base = approved["base"]
    watched.goto(f"{base}/monitor/aggregates?year=2023")
    watched.wait_for_selector("#aggregate-chart[data-rendered='1'] svg", timeout=30_000)
    assert watched.locator("#aggregate-chart svg .mark-rect path").count() == 10
    watched.screenshot(path=str(SHOTS / "monitor-aggregates.png"), full_page=True)
    watched.goto(f"{base}/monitor/progress?area=World")
    watched.wait_for_selector("#progress-chart[data-rendered='1'] svg", timeout=30_000)
    watched.screenshot(path=str(SHOTS / "monitor-progress.png"), full_page=True)
    watched.goto(f"{base}/countries/KEN")
    watched.wait_for_selector("#monitoring-title")
    watched.locator("#monitoring-title").scroll_into_view_if_needed()
    watched.screenshot(path=str(SHOTS / "monitor-country.png"))
    _clean(watched)
