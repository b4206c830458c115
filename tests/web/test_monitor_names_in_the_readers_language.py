"""The monitor pages name countries, regions and income groups in the page's language (CLDR
territory names, the catalogues' region names), as the country pages do."""

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


@pytest.fixture
def approved(installed_pack: Path, client: TestClient, web_settings: Settings) -> None:
    actor = store.SystemActor()
    rows = [
        (CODE, area, 2023, "both", v, None, None, None, "observed", "test source", "t", "")
        for area, v in (("DEU", 90.0), ("EGY", 40.0), ("ECU", 50.0))
    ]
    frame = pl.DataFrame(rows, schema=monitor.OBSERVATION_SCHEMA, orient="row")
    with store.session_scope(actor, url=web_settings.database_url) as s:
        report = monitor.record_observations(s, actor, frame)
        for ds in report.data_sets:
            monitor.submit_data_set(s, actor, ds)
            monitor.approve_data_set(s, actor, ds, "checked")


def _spec(html: str, chart: str) -> dict:
    m = re.search(rf'data-chart-for="{chart}">(.*?)</script>', html, re.S)
    assert m, f"no chart {chart}"
    return json.loads(m.group(1))


def test_explorer_in_french_names_countries_and_groups_in_french(
    approved: None, client: TestClient
) -> None:
    html = client.get("/monitor?area=DEU&area=Arab+States&sort=name&order=asc&lang=fr").text
    assert '<option value="DEU" selected>Allemagne</option>' in html
    assert '<option value="Arab States" selected>États arabes</option>' in html
    assert ">Germany<" not in html
    options = re.findall(r'<option value="[A-Z]{3}" (?:selected)?>([^<]+)</option>', html)
    assert options.index("Égypte") < options.index("Équateur") < options.index("Zambie")
    chart = {r["label"] for r in _spec(html, "monitor-chart")["data"]["values"]}
    assert "Allemagne" in chart
    ranking = html.split('id="ranking-title"')[1]
    # by name as a French reader sorts: Allemagne, Égypte, Équateur
    assert ranking.index("Allemagne") < ranking.index("Égypte") < ranking.index("Équateur")
    assert "Allemagne" in json.dumps(_spec(html, "monitor-map"), ensure_ascii=False)


def test_explorer_in_spanish_and_the_group_pages(approved: None, client: TestClient) -> None:
    html = client.get("/monitor?area=DEU&lang=es").text
    assert '<option value="DEU" selected>Alemania</option>' in html
    group = client.get("/monitor/groups/Africa?lang=fr").text
    assert "<h1>Afrique" in group and "Égypte" in group and ">Egypt<" not in group
    aggregates = client.get("/monitor/aggregates?lang=es").text
    assert "Estados Árabes" in aggregates
