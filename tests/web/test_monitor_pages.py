"""The monitoring pages: explorer, indicator metadata, aggregates, progress, the country section.

Observations are recorded in the app's database; only those of approved data sets may show.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover import monitor, store
from socialcover.web import Settings
from socialcover.web.access import route_table

pytestmark = pytest.mark.shared_data

CODE = "sdg131.at_least_one_benefit"
KEN = {2016: 10.0, 2018: 11.5, 2020: 12.0, 2022: 13.5, 2023: 14.25}
SEN = {2019: 20.0, 2021: 22.0, 2023: 24.75}
PENDING = 77.125  # Ghana 2023, submitted but never approved


def _frame(area: str, values: dict[int, float]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (CODE, area, y, "both", v, None, None, None, "observed", "test source", "t", "")
            for y, v in values.items()
        ],
        schema=monitor.OBSERVATION_SCHEMA,
        orient="row",
    )


@pytest.fixture
def with_data(installed_pack: Path, client: TestClient, web_settings: Settings) -> None:
    """Kenya and Senegal approved; Ghana submitted only."""
    actor = store.SystemActor()
    with store.session_scope(actor, url=web_settings.database_url) as s:
        for area, values, approve in (
            ("KEN", KEN, True),
            ("SEN", SEN, True),
            ("GHA", {2023: PENDING}, False),
        ):
            report = monitor.record_observations(s, actor, _frame(area, values))
            for ds in report.data_sets:
                monitor.submit_data_set(s, actor, ds)
                if approve:
                    monitor.approve_data_set(s, actor, ds, "checked")


def _spec(html: str, chart: str) -> dict:
    m = re.search(rf'data-chart-for="{chart}">(.*?)</script>', html, re.S)
    assert m, f"no chart {chart}"
    return json.loads(m.group(1))


def test_every_monitor_route_is_in_the_role_matrix(app: FastAPI) -> None:
    paths = {path: needs for path, _m, needs, is_api in route_table(app) if is_api}
    for path in (
        "/monitor",
        "/monitor/indicators/{code}",
        "/monitor/aggregates",
        "/monitor/progress",
    ):
        assert [n.action for n in paths[path]] == [None]  # public pages


@pytest.mark.parametrize(
    "path",
    [
        "/monitor",
        f"/monitor/indicators/{CODE}",
        "/monitor/aggregates",
        "/monitor/progress",
        "/countries/KEN",
    ],
)
def test_pages_render_without_data(installed_pack: Path, client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200, resp.text
    assert 'href="/monitor"' in resp.text  # the navigation link


def test_explorer_shows_approved_values_only(with_data: None, client: TestClient) -> None:
    html = client.get("/monitor?area=KEN&area=GHA&area=World").text
    spec = _spec(html, "monitor-chart")
    areas = {r["label"] for r in spec["data"]["values"]}
    assert areas == {"Kenya", "World"}  # Ghana has no approved value
    kenya = {r["value"] for r in spec["data"]["values"] if r["label"] == "Kenya"}
    assert kenya == set(KEN.values())
    assert "77.1" not in html and "Ghana</a>" not in html
    ranking = html.split('id="ranking-title"')[1]
    assert ranking.index("Senegal") < ranking.index("Kenya")  # 2023, by value, highest first
    assert "/api/v1/monitor/observations?indicator=sdg131.at_least_one_benefit" in html


def test_explorer_choices_round_trip_in_the_query_string(
    with_data: None, client: TestClient
) -> None:
    query = (
        f"indicator={CODE}&area=SEN&area=KEN&start=2018&end=2022&sex=both"
        "&rank_year=2023&sort=name&order=asc"
    )
    html = client.get("/monitor?" + query).text
    share = re.search(r'id="share-url" type="url" readonly value="([^"]+)"', html)
    assert share
    got = parse_qs(urlsplit(share.group(1).replace("&amp;", "&")).query)
    assert got == parse_qs(query)
    years = {r["year"] for r in _spec(html, "monitor-chart")["data"]["values"]}
    assert years == {2018, 2019, 2020, 2021, 2022}
    ranking = html.split('id="ranking-title"')[1]
    assert ranking.index("Kenya") < ranking.index("Senegal")  # by name, A-Z
    assert 'aria-sort="ascending"' in ranking


def test_indicator_metadata_page(installed_pack: Path, client: TestClient) -> None:
    d = monitor.get_indicator(CODE)
    html = client.get(f"/monitor/indicators/{CODE}").text
    for text in ("Numerator", "Denominator", "Methodology"):
        assert text in html
    assert d.name in html


def test_unknown_indicator_is_a_404_page(installed_pack: Path, client: TestClient) -> None:
    for path in ("/monitor/indicators/sdg131.nothing", "/monitor?indicator=sdg131.nothing"):
        resp = client.get(path)
        assert resp.status_code == 404
        assert "monitor.unknown-indicator" in resp.text and "<h1>" in resp.text


def test_aggregates_page(with_data: None, client: TestClient) -> None:
    html = client.get(f"/monitor/aggregates?indicator={CODE}&year=2023").text
    assert "People not covered" in html
    bars = {r["group"]: r["value"] for r in _spec(html, "aggregate-chart")["data"]["values"]}
    assert {"World", "Africa", "Low income"} <= set(bars)
    assert min(KEN[2023], SEN[2023]) <= bars["Africa"] <= max(KEN[2023], SEN[2023])


def test_progress_page(with_data: None, client: TestClient) -> None:
    html = client.get(f"/monitor/progress?indicator={CODE}&area=KEN").text
    spec = _spec(html, "progress-chart")
    assert [layer["mark"]["type"] for layer in spec["layer"]][-2:] == ["rule", "text"]
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    for area in ("World", "Africa", "Arab States", "Kenya"):  # a country by its name
        assert f">{area}</a>" in rows
    assert "Least-squares line through the values of 2016–2023" in rows


def test_country_page_monitoring_section(with_data: None, client: TestClient) -> None:
    html = client.get("/countries/KEN").text
    section = html.split('id="monitoring-title"')[1].split("</section>")[0]
    assert "2023 14.2" in section and "observed" in section
    assert 'href="/monitor?area=KEN"' in section
    ghana = client.get("/countries/GHA").text.split('id="monitoring-title"')[1]
    assert "77.1" not in ghana.split("</section>")[0]


def test_pages_in_french(with_data: None, client: TestClient) -> None:
    html = unescape(client.get("/monitor?lang=fr").text)
    assert "Explorateur d'indicateurs" in html and "Classement des pays" in html


def test_explorer_downloads_are_the_chosen_observations(
    with_data: None, client: TestClient
) -> None:
    html = client.get(f"/monitor?indicator={CODE}&area=KEN&area=SEN&start=2018&end=2021").text
    link = unescape(re.search(r'href="([^"]*)&amp;format=csv"', html).group(1))
    rows = pl.read_csv(client.get(link + "&format=csv").content)
    got = sorted(zip(rows["area"].to_list(), rows["year"].to_list(), strict=True))
    want = sorted(
        [("KEN", y) for y in KEN if 2018 <= y <= 2021] + [("SEN", y) for y in SEN if y <= 2021]
    )
    assert got == want
