"""Numbers as people read them: survey results with the registry's names and units and
proportions' intervals inside 0-100 % (logit scale, named); the costing table and legend with
benefit names and the price basis; a country page that says where each population comes from."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from socialcover.testing import synthetic_survey

from .conftest import csrf_of, sign_in

pytestmark = pytest.mark.shared_data


def _wait(client: TestClient, job: str, timeout: float = 90) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        html = client.get(f"/surveys/{job}/status").text
        if 'data-state="done"' in html or 'data-state="failed"' in html:
            return html
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_survey_results_show_names_units_and_bounded_intervals(
    client: TestClient, users: dict[str, str]
) -> None:
    buf = io.BytesIO()
    synthetic_survey(2_000, seed=3).write_csv(buf)  # the product's own survey, small domains
    sign_in(client, users["contributor"])
    resp = client.post(
        "/surveys",
        data={"codes": "", "lonely_psu": "", "csrf_token": csrf_of(client, "/surveys")},
        files={"file": ("small.csv", buf.getvalue(), "text/csv")},
        follow_redirects=False,
    )
    job = resp.headers["location"].rsplit("/", 1)[1]
    html = _wait(client, job)
    assert 'data-state="done"' in html
    assert "Persons above pensionable age receiving an old-age pension" in html
    assert '<code class="source">coverage.older_persons</code>' in html
    assert '<th scope="col">Unit</th>' in html and "<td>%</td>" in html and "<td>ratio</td>" in html
    assert "logit scale" in html
    table = pl.read_csv(io.BytesIO(client.get(f"/surveys/{job}/result?format=csv").content))
    shares = table.filter(
        pl.col("code").str.starts_with("coverage.") & pl.col("value").is_not_null()
    )
    assert shares.height > 50
    assert shares["ci_low"].min() >= 0 and shares["ci_high"].max() <= 100  # type: ignore[operator]
    assert shares["method"].str.contains("logit").all()
    french = client.get(f"/surveys/{job}/status", params={"lang": "fr"}).text
    assert "Personnes ayant dépassé l&#39;âge de la retraite percevant une pension" in french


def test_costing_names_benefits_and_its_price_basis(
    installed_pack: Path, client: TestClient
) -> None:
    html = client.get("/costing?country=KEN&package=spf-four-guarantees&end_year=2027&lang=es").text
    spec = json.loads(
        re.search(r'data-chart-for="cost-chart">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )
    benefits = {r["benefit"] for r in spec["data"]["values"]}
    assert benefits == {
        "prestación por hijo",
        "prestación de maternidad",
        "prestación por discapacidad",
        "pensión de vejez",
    }
    assert [t["title"] for t in spec["encoding"]["tooltip"]][1] == "Prestación"
    assert "Costo, millones de dólares EE. UU. a precios corrientes" in html
    assert 'id="price-basis"' in html and "tipo de cambio de ese año" in html
    english = client.get("/costing?country=KEN&package=ess58&end_year=2026&lang=en").text
    assert "million US$ at current prices" in english
    spec = json.loads(
        re.search(r'data-chart-for="cost-chart">(.*?)</script>', english, re.S).group(1)  # type: ignore[union-attr]
    )
    assert "orphans' benefit" in {r["benefit"] for r in spec["data"]["values"]}


def test_country_page_names_the_source_and_year_of_each_population(
    installed_pack: Path, client: TestClient
) -> None:
    from socialcover import data

    html = client.get("/countries/KEN").text
    wpp = float(data.population("KEN", 2025)["population"].sum()) / 1e6
    assert "(UN World Population Prospects 2024, medium variant)" in html
    note = re.search(r'<p class="source" id="population-note">(.*?)</p>', html, re.S)
    assert note, "no note on the two population figures"
    text = note.group(1)
    assert f"{wpp:,.1f} million in 2025 from the UN World Population Prospects 2024" in text
    assert "47.6 million in 2019 from the IMF WEO October 2025 (LP)" in text
    assert '<td class="source">IMF WEO October 2025 (LP)</td>' in html
    fr = client.get("/countries/KEN", params={"lang": "fr"}).text
    assert "Deux chiffres de population" in fr
