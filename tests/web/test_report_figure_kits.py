"""One chart definition for the page, the report and the media kit; and a media kit for every
figure of the report, linked from the report and served at /media/report/{edition}/{figure}.

The explorer's chart of the world's coverage, the report's trend figure and the media kit of the
same indicator and area are the monitor's line chart (socialcover.monitor.series_chart) over the
same rows: same values, same source line, same colours.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient

from socialcover import advocacy, monitor, store
from socialcover.report import FIGURE_IDS, Edition, build_edition, write_report
from socialcover.web import Settings

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]

CODE = "sdg131.at_least_one_benefit"
SAMPLE = ["KEN", "SEN", "IND", "BRA", "DEU", "EGY", "CHN", "USA", "JOR", "IDN", "NGA", "FRA"]


@pytest.fixture
def approved(installed_pack: Path, client: TestClient, web_settings: Settings) -> None:
    """The pack's headline series of a dozen countries, 2015-2023, approved in the app's store."""
    frame = monitor.observations_from_pack(CODE).filter(
        pl.col("area").is_in(SAMPLE), pl.col("year").is_between(2015, 2023)
    )
    actor = store.SystemActor()
    with store.session_scope(actor, url=web_settings.database_url) as s:
        for ds in monitor.record_observations(s, actor, frame).data_sets:
            monitor.submit_data_set(s, actor, ds)
            monitor.approve_data_set(s, actor, ds, "checked")


def _spec(html: str, chart: str) -> dict[str, Any]:
    m = re.search(rf'data-chart-for="{chart}">(.*?)</script>', html, re.S)
    assert m, f"no chart {chart}"
    return dict(json.loads(m.group(1)))


def _world(spec: dict[str, Any]) -> dict[int, float]:
    return {v["year"]: v["value"] for v in spec["data"]["values"] if v["area"] == monitor.WORLD}


def _fill(spec: dict[str, Any]) -> dict[str, Any]:
    """How points are filled (solid where observed), less the order of the areas shown."""
    fill = dict(spec["layer"][1]["encoding"]["fill"])
    fill["condition"] = {k: v for k, v in fill["condition"].items() if k != "sort"}
    return fill


def test_page_report_and_media_kit_draw_one_chart_definition(
    approved: None, client: TestClient, web_settings: Settings
) -> None:
    with store.session_scope(url=web_settings.database_url, write=False) as s:
        data = build_edition(Edition(2023, draws=5), session=s)
        kit = advocacy.media_kit(s, CODE, monitor.WORLD)
    first, last = data.edition.years[0], data.edition.years[-1]
    page = client.get(
        "/monitor", params={"indicator": CODE, "area": "World", "start": first, "end": last}
    )
    assert page.status_code == 200
    on_page = _spec(page.text, "monitor-chart")
    from socialcover.report import edition_figures

    in_report = edition_figures(data, "en")["coverage-trend"].spec
    on_card = kit.spec["vconcat"][0]
    # the same series: the world's aggregate of the approved values, year by year
    values = _world(on_page)
    assert len(values) >= 5
    assert _world(in_report) == values
    assert {y: v for y, v in _world(on_card).items() if first <= y <= last} == values
    # the same source line, under the page's and the report's title and on the card
    line = on_page["title"]["subtitle"]
    assert line == in_report["title"]["subtitle"] == [kit.source]
    assert monitor.AGGREGATE_SOURCE in line[0]
    # the same definition: marks, colours, and how observed and modelled points are drawn
    for spec in (in_report, on_card):
        assert [layer["mark"] for layer in spec["layer"]] == [
            layer["mark"] for layer in on_page["layer"]
        ]
        assert _fill(spec) == _fill(on_page)
        assert spec["layer"][0]["encoding"]["color"]["scale"] == {"range": monitor.charts.COLOURS}
    # the explorer's downloads are that chart too
    svg = client.get(
        "/api/v1/monitor/chart",
        params={"indicator": CODE, "area": "World", "year_from": first, "year_to": last},
    )
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    assert "weighted aggregate of approved country observations" in svg.text


def test_every_report_figure_has_a_media_kit(
    approved: None, client: TestClient, web_settings: Settings, tmp_path: Path
) -> None:
    site = "http://testserver"
    with store.session_scope(url=web_settings.database_url, write=False) as s:
        data = build_edition(Edition(2023, draws=5, site=site), session=s)
    html = write_report(data, "en", tmp_path / "report.html").report.read_text("utf-8")
    kits = re.findall(r'href="http://testserver(/media/report/world-2023/([a-z-]+))"', html)
    assert [figure for _, figure in kits] == list(FIGURE_IDS)  # each figure, in order
    for path, figure in kits:
        page = client.get(path)
        assert page.status_code == 200, (figure, page.text[:300])
        assert f"{site}{path}" in page.text  # the share link
        assert "/monitor" in page.text  # its data in the explorer
        files = f"/api/v1/media/report/world-2023/{figure}"
        for fmt, start in (("svg", b"<svg"), ("png", b"\x89PNG")):
            got = client.get(files, params={"format": fmt})
            assert got.status_code == 200 and got.content.startswith(start), (figure, fmt)
        card = client.get(files, params={"format": "svg"}).text
        assert "CC BY 4.0" in card and data.cutoff.taken_at[:10] in card  # licence, date
        meta = client.get(files, params={"format": "json"}).json()
        assert meta["figure"] == f"world-2023/{figure}" and meta["source"] in card
        rows = list(csv.DictReader(io.StringIO(client.get(files, params={"format": "csv"}).text)))
        assert len(rows) == len(meta["rows"]) > 0
    # the trend's data file holds the figure's numbers
    trend = client.get("/api/v1/media/report/world-2023/coverage-trend?format=csv").text
    world = data.aggregates.filter(
        pl.col("indicator") == CODE, pl.col("group") == "World", pl.col("year") == 2023
    )["value"][0]
    assert f"World,2023,{world!r}" in trend
    # in French: the card's words from the report's catalogue
    fr = client.get("/api/v1/media/report/world-2023/coverage-by-sex?format=svg&lang=fr").text
    assert "Femmes" in fr
    # unknown editions and figures: a clear error, with the names that exist
    bad = client.get("/api/v1/media/report/world-2023/coverage-trnd")
    assert bad.status_code == 404 and "coverage-trend" in bad.text
    assert client.get("/api/v1/media/report/atlantis-2023/headlines").status_code in (400, 422)


def test_a_report_built_from_the_pack_links_to_kits_built_from_the_pack(
    installed_pack: Path, client: TestClient, tmp_path: Path
) -> None:
    """With nothing approved in the store, a report built with ``--source pack`` still links to
    working kits: its links carry ``source=pack``, and the store's edition is refused plainly."""
    site = "http://testserver"
    data = build_edition(Edition(2023, draws=5, site=site, source="pack"))
    html = write_report(data, "en", tmp_path / "report.html").report.read_text("utf-8")
    kits = re.findall(
        r'href="http://testserver(/media/report/world-2023/[a-z-]+\?source=pack)"', html
    )
    assert len(kits) == len(FIGURE_IDS)
    page = client.get(kits[0])
    assert page.status_code == 200 and "source=pack&amp;lang=en" in page.text
    card = client.get("/api/v1/media/report/world-2023/coverage-trend?source=pack&format=svg")
    assert card.status_code == 200 and card.text.startswith("<svg")
    refused = client.get("/api/v1/media/report/world-2023/coverage-trend?format=svg")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "report.no-data"
