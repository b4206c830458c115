"""The explorer's map, its SDMX-CSV download, its chart as SVG and PNG with a source line, and
indicator names in the reader's language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from socialcover import monitor, store
from socialcover.web import Settings

pytestmark = pytest.mark.shared_data

CODE = "sdg131.at_least_one_benefit"
SOURCE = "Kenya ministry of labour"


@pytest.fixture
def approved(installed_pack: Path, client: TestClient, web_settings: Settings) -> None:
    """Kenya 2021 and 2023 and Senegal 2023, approved."""
    rows = [
        (CODE, area, year, "both", value, None, None, None, "administrative", SOURCE, "t", "")
        for area, year, value in (("KEN", 2021, 12.5), ("KEN", 2023, 14.25), ("SEN", 2023, 24.75))
    ]
    frame = pl.DataFrame(rows, schema=monitor.OBSERVATION_SCHEMA, orient="row")
    actor = store.SystemActor()
    with store.session_scope(actor, url=web_settings.database_url) as s:
        for ds in monitor.record_observations(s, actor, frame).data_sets:
            monitor.submit_data_set(s, actor, ds)
            monitor.approve_data_set(s, actor, ds, "checked")


def _spec(html: str, chart: str) -> dict:
    m = re.search(rf'data-chart-for="{chart}">(.*?)</script>', html, re.S)
    assert m, f"no chart {chart}"
    return json.loads(m.group(1))


def test_the_explorer_maps_the_ranking_and_offers_every_download(
    client: TestClient, approved: None
) -> None:
    page = client.get("/monitor", params={"indicator": CODE, "area": ["KEN", "SEN"]})
    assert page.status_code == 200
    shown = _spec(page.text, "monitor-map")
    values = shown["transform"][1]["from"]["data"]["values"]
    assert {(v["iso3"], v["id"], v["value"]) for v in values} == {
        ("KEN", "404", 14.25),  # M49 codes of the world-atlas shapes
        ("SEN", "686", 24.75),
    }
    line = _spec(page.text, "monitor-chart")
    assert SOURCE in line["title"]["subtitle"][0]
    for fmt in ("csv", "xlsx", "json", "sdmx"):
        assert f"format={fmt}" in page.text
    link = re.search(r'href="(/api/v1/monitor/observations\?[^"]*format=sdmx)"', page.text)
    assert link
    sdmx = client.get(link.group(1).replace("&amp;", "&"))
    assert sdmx.status_code == 200 and sdmx.headers["content-type"].startswith(
        "application/vnd.sdmx.data+csv"
    )
    assert "KEN,_T,2023,14.25" in sdmx.text and ",PT," in sdmx.text


def test_the_chart_downloads_as_svg_and_png_with_its_source_line(
    client: TestClient, approved: None
) -> None:
    query = {"indicator": CODE, "area": ["KEN", "SEN"]}
    svg = client.get("/api/v1/monitor/chart", params=query | {"format": "svg"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in svg.text and SOURCE in svg.text and "Kenya" in svg.text
    png = client.get("/api/v1/monitor/chart", params=query | {"format": "png"})
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    spec = client.get("/api/v1/monitor/chart", params=query | {"format": "json"}).json()
    assert {r["year"] for r in spec["data"]["values"]} == {2021, 2023}
    none = client.get("/api/v1/monitor/chart", params={"indicator": CODE, "area": "GHA"})
    assert none.status_code == 404 and none.json()["error"]["code"] == "monitor.no-values"


def test_indicator_names_and_definitions_are_in_french_and_spanish(
    client: TestClient, approved: None
) -> None:
    fr = client.get(f"/monitor/indicators/{CODE}?lang=fr").text
    assert "Population couverte par au moins une prestation de protection sociale" in fr
    es = client.get(f"/monitor?indicator={CODE}&lang=es").text
    assert "Población cubierta por al menos una prestación de protección social" in es


def test_people_not_covered_follow_the_denominators_and_group_pages_exist(
    client: TestClient, approved: None
) -> None:
    page = client.get("/monitor", params={"indicator": CODE, "area": ["KEN"]})
    assert page.status_code == 200
    from socialcover.monitor import denominators

    kenya = denominators(CODE, [2023]).filter(pl.col("iso3") == "KEN")["population"][0]
    expected = (100 - 14.25) / 100 * kenya
    shown = re.search(r"<td>.*?Kenya</a></td><td class=\"num\">2023</td><td class=\"num\">"
                      r"[^<]*</td><td class=\"num\">([^<]*)</td>", page.text)  # fmt: skip
    assert shown, "no people-not-covered cell for Kenya 2023"
    assert int(re.sub(r"\D", "", shown.group(1))) == round(expected)

    africa = client.get("/monitor/groups/Africa")
    assert africa.status_code == 200
    assert 'href="/countries/KEN"' in africa.text and 'href="/countries/SEN"' in africa.text
    assert "People not covered" in africa.text and "modelled" in africa.text
    world = client.get("/monitor/groups/World")
    assert world.status_code == 200
    low = client.get("/monitor/groups/Low income")
    assert low.status_code == 200
    missing = client.get("/monitor/groups/Atlantis")
    assert missing.status_code == 404
    aggregates = client.get("/monitor/aggregates", params={"indicator": CODE, "year": 2023})
    assert 'href="/monitor/groups/Africa"' in aggregates.text


def test_aggregates_download_as_sdmx_csv(client: TestClient, approved: None) -> None:
    query = {"indicator": CODE, "year": 2023, "by": "world,ilo-region"}
    table = client.get("/api/v1/monitor/aggregates", params=query).json()["items"]
    sdmx = client.get("/api/v1/monitor/aggregates", params=query | {"format": "sdmx"})
    assert sdmx.status_code == 200 and sdmx.headers["content-type"].startswith(
        "application/vnd.sdmx.data+csv"
    )
    back = monitor.read_sdmx_csv(sdmx.content, vintage="t")
    values = {r["group"]: r["value"] for r in table if r["value"] is not None}
    assert dict(zip(back["area"], back["value"], strict=True)) == pytest.approx(values)


def test_the_country_page_shows_each_sex_and_the_people_not_covered(
    client: TestClient, approved: None, web_settings: Settings
) -> None:
    rows = [
        (CODE, "KEN", 2023, sex, value, None, None, None, "administrative", SOURCE, "t", "")
        for sex, value in (("female", 12.0), ("male", 16.5))
    ]
    frame = pl.DataFrame(rows, schema=monitor.OBSERVATION_SCHEMA, orient="row")
    actor = store.SystemActor()
    with store.session_scope(actor, url=web_settings.database_url) as s:
        (ds,) = monitor.list_data_sets(s, actor, area="KEN", year=2023)["id"].to_list()
        monitor.unapprove_data_set(s, actor, ds, "add the sexes", back_to="entered")
        monitor.record_observations(s, actor, frame)
        monitor.submit_data_set(s, actor, ds)
        monitor.approve_data_set(s, actor, ds, "checked")
    html = client.get("/countries/KEN").text
    section = html.split('id="monitoring-title"')[1].split("</section>")[0]
    assert "(women):" in section and "2023 12.0%" in section
    assert "(men):" in section and "2023 16.5%" in section
    from socialcover.monitor import denominators

    kenya = denominators(CODE, [2023]).filter(pl.col("iso3") == "KEN")["population"][0]
    shown = re.search(r"<strong>([^<]+)</strong> people not covered \(2023\)", section)
    assert shown and int(re.sub(r"\D", "", shown.group(1))) == round((100 - 14.25) / 100 * kenya)


def test_the_progress_table_gives_the_people_not_covered(
    client: TestClient, approved: None
) -> None:
    html = client.get("/monitor/progress", params={"indicator": CODE, "area": "KEN"}).text
    assert "People not covered" in html
    from socialcover.monitor import denominators

    kenya = denominators(CODE, [2023]).filter(pl.col("iso3") == "KEN")["population"][0]
    expected = f"{round((100 - 14.25) / 100 * kenya):,}"
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    row = next(r for r in body.split("<tr>") if "area=KEN" in r)
    digits = [re.sub(r"\D", "", c) for c in re.findall(r'<td class="num">([^<]*)</td>', row)]
    assert re.sub(r"\D", "", expected) in digits
