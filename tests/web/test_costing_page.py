"""The costing page: a country and a package, assumptions, cost % of GDP by year, workbook."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.shared_data


def test_costing_page_shows_cost_by_year_and_chart(
    installed_pack: Path, client: TestClient
) -> None:
    html = client.get("/costing?country=KEN&package=spf-four-guarantees&end_year=2030").text
    assert "Cost, % of GDP" in html
    rows = re.findall(r'<td class="num">(20\d\d)</td><td class="num">([\d.,]+)</td>', html)
    assert [int(y) for y, _ in rows] == list(range(2025, 2031))
    spec = json.loads(
        re.search(r'data-chart-for="cost-chart">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )
    assert spec["encoding"]["y"]["field"] == "cost_pct_gdp"


def test_assumptions_change_the_cost(installed_pack: Path, client: TestClient) -> None:
    base = client.get("/api/v1/costing/run?country=KEN&end_year=2027").json()["totals"]
    half = client.get("/api/v1/costing/run?country=KEN&end_year=2027&takeup_pct=50").json()
    ratio = half["totals"][0]["cost_pct_gdp"] / base[0]["cost_pct_gdp"]
    assert ratio == pytest.approx(0.5, rel=1e-6)
    empty = client.get(
        "/api/v1/costing/run?country=KEN&end_year=2027&real_growth_pct=&inflation_pct="
    )
    assert empty.json()["totals"] == base  # empty fields = the IMF WEO defaults, as the form sends
    slow = client.get("/api/v1/costing/run?country=KEN&end_year=2040").json()["totals"]
    fast = client.get("/api/v1/costing/run?country=KEN&end_year=2040&real_growth_pct=9").json()
    # beyond the WEO horizon, faster growth lowers the cost as a share of GDP
    assert fast["totals"][-1]["cost_pct_gdp"] < slow[-1]["cost_pct_gdp"]
    admin = client.get("/api/v1/costing/run?country=KEN&end_year=2027&admin_pct=10").json()
    assert admin["totals"][0]["cost_pct_gdp"] == pytest.approx(base[0]["cost_pct_gdp"] * 1.1)


def test_workbook_download_is_a_real_workbook(installed_pack: Path, client: TestClient) -> None:
    from openpyxl import load_workbook

    resp = client.get("/costing/workbook?country=KEN&package=ess58&end_year=2028")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    assert "SUM" in wb.sheetnames and "AR" in wb.sheetnames


def test_bad_scenario_gets_the_error_shape(installed_pack: Path, client: TestClient) -> None:
    resp = client.post("/api/v1/costing/run", json={"country": "KEN"})
    assert resp.status_code == 422
    assert set(resp.json()["error"]) >= {"code", "message", "hint"}
    page = client.get("/costing?country=Atlantis")
    assert page.status_code == 200 and "Atlantis" in page.text
