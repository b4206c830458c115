"""Home and country pages on the real data pack: figures, charts (specs), tables, exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.shared_data


def _specs(html: str) -> dict[str, dict]:
    return {
        m.group(1): json.loads(m.group(2))
        for m in re.finditer(
            r'<script type="application/json" data-chart-for="([\w-]+)">(.*?)</script>', html, re.S
        )
    }


def test_home_shows_world_figures_series_and_map(installed_pack: Path, client: TestClient) -> None:
    html = client.get("/").text
    assert "Population covered by at least one benefit" in html
    specs = _specs(html)
    assert {"coverage-map", "coverage-series"} <= set(specs)
    lookup = specs["coverage-map"]["transform"][1]["from"]["data"]["values"]
    ken = next(r for r in lookup if r["iso3"] == "KEN")
    assert ken["id"] == "404" and 0 < ken["value"] < 100  # M49 code joins world-atlas ids
    atlas = json.loads(
        (
            Path(__file__).parents[2] / "src/socialcover/web/static/vendor/countries-110m.json"
        ).read_text()
    )
    atlas_ids = {g.get("id") for g in atlas["objects"]["countries"]["geometries"]}
    matched = sum(1 for r in lookup if r["id"] in atlas_ids)
    assert matched > 100


def test_country_page_has_pyramid_coverage_macro_poverty(
    installed_pack: Path, client: TestClient
) -> None:
    resp = client.get("/countries/KEN")
    assert resp.status_code == 200, resp.text[:2000]
    html = resp.text
    assert "Kenya" in html
    specs = _specs(html)
    assert {"pyramid-chart", "coverage-chart"} <= set(specs)
    pyramid = specs["pyramid-chart"]["data"]["values"]
    assert {r["sex"] for r in pyramid} == {"Men", "Women"}
    assert "GDP" in html and "Gini" in html
    assert "/api/v1/countries/KEN/coverage?format=csv" in html


def test_unknown_country_page_says_did_you_mean(installed_pack: Path, client: TestClient) -> None:
    resp = client.get("/countries/Kenia")
    assert resp.status_code == 404
    assert "Kenya" in resp.text
    api = client.get("/api/v1/countries/Kenia")
    assert api.status_code == 404 and "Kenya" in api.json()["error"]["hint"] + api.text


def test_api_exports_csv_xlsx_json(installed_pack: Path, client: TestClient) -> None:
    j = client.get("/api/v1/countries/KEN/coverage").json()
    assert j["total"] == len(j["items"]) or j["next"]
    csv = client.get("/api/v1/countries/KEN/coverage?format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("iso3,")
    xlsx = client.get("/api/v1/countries/KEN/coverage?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    page = client.get("/api/v1/countries?per_page=10&page=2").json()
    assert page["page"] == 2 and len(page["items"]) == 10 and page["total"] > 150
    region = client.get("/api/v1/countries?ilo_region=Africa&per_page=500").json()
    assert all(r["ilo_region"] == "Africa" for r in region["items"])
