"""Places and figures as readers read them: names in French and Spanish, the country list's
headline figures and sorting, the world map's links and "no data" entry."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from fastapi.testclient import TestClient

from socialcover.web.names import country_name, group_name, number_locale

pytestmark = pytest.mark.shared_data


def _map_spec(html: str) -> dict[str, Any]:
    m = re.search(r'data-chart-for="coverage-map">(.*?)</script>', html, re.S)
    assert m
    spec: dict[str, Any] = json.loads(m.group(1))
    return spec


def _rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_country_names_come_from_cldr_through_the_packs_iso2(installed_pack: Path) -> None:
    assert country_name("DEU", "Germany", "fr") == "Allemagne"
    assert country_name("DEU", "Germany", "es") == "Alemania"
    assert country_name("CIV", None, "fr") == Locale("fr").territories["CI"]
    assert country_name("KEN", None, "en") == "Kenya"  # the pack's English name
    assert group_name("Arab States", lambda s: {"Arab States": "États arabes"}.get(s, s)) == (
        "États arabes"
    )


def test_chart_number_format_follows_the_language() -> None:
    fr, es, en = (json.loads(number_locale(lang)) for lang in ("fr", "es", "en"))
    assert (fr["decimal"], es["decimal"], en["decimal"]) == (",", ",", ".")
    assert fr["thousands"] == Locale("fr").number_symbols["latn"]["group"]
    assert es["thousands"] == "." and en["thousands"] == ","


def test_country_list_in_french_names_regions_and_income_groups(
    installed_pack: Path, client: TestClient
) -> None:
    html = client.get("/countries", params={"lang": "fr"}).text
    rows = {r[1]: r for r in _rows(html)}
    assert rows["DEU"][0] == "Allemagne"
    assert rows["DEU"][2:4] == ["Europe et Asie centrale", "Revenu élevé"]
    assert rows["EGY"][0] == "Égypte" and rows["EGY"][2] == "Afrique"
    assert '<option value="Arab States" >États arabes</option>' in html
    names = [r[0] for r in _rows(html)]
    assert names.index("Égypte") < names.index("Équateur") < names.index("Zambie")
    es = client.get("/countries", params={"lang": "es"}).text
    assert "Estados Árabes" in es and "Alemania" in es and "Ingreso alto" in es


def test_country_list_shows_headline_figures_with_years_and_sorts_by_them(
    installed_pack: Path, client: TestClient
) -> None:
    from socialcover import data

    html = client.get("/countries").text
    ken = next(r for r in _rows(html) if r[1] == "KEN")
    population = float(data.population("KEN", 2025)["population"].sum())
    assert ken[4] == f"{population / 1e6:,.1f} (2025)"
    cov = (
        data.coverage("KEN", "at_least_one_benefit")
        .filter(sex="both")
        .sort("year")
        .tail(1)
        .to_dicts()[0]
    )
    assert ken[6] == f"{cov['coverage_pct']:.1f} ({cov['year']})"
    assert re.fullmatch(r"[\d,]+ \(20\d\d\)", ken[5])

    by_pop = _rows(client.get("/countries", params={"sort": "population", "order": "desc"}).text)
    assert {by_pop[0][1], by_pop[1][1]} == {"IND", "CHN"}
    values = [float(r[4].split(" ")[0].replace(",", "")) for r in by_pop if r[4] != "–"]
    assert values == sorted(values, reverse=True)
    by_cov = _rows(
        client.get(
            "/countries", params={"sort": "coverage", "order": "asc", "region": "Africa"}
        ).text
    )
    known = [float(r[6].split(" ")[0]) for r in by_cov if r[6] != "–"]
    assert known == sorted(known) and len(known) > 20
    assert all(r[6] == "–" for r in by_cov[len(known) :])  # without a figure: last
    assert client.get("/countries", params={"sort": "bogus"}).status_code == 422


def test_world_map_links_every_country_and_has_a_no_data_entry(
    installed_pack: Path, client: TestClient
) -> None:
    spec = _map_spec(client.get("/", params={"lang": "fr"}).text)
    lookup = spec["transform"][1]["from"]["data"]["values"]
    by_iso3 = {r["iso3"]: r for r in lookup}
    assert by_iso3["DEU"]["name"] == "Allemagne"
    without = [r for r in lookup if r["value"] is None]
    assert without and all(r["iso3"] for r in without)  # no data, still a link
    assert {"calculate": "datum.iso3 ? '/countries/' + datum.iso3 : null", "as": "href"} in spec[
        "transform"
    ]
    data_layer, none_layer = spec["layer"]
    assert data_layer["encoding"]["href"]["field"] == "href"
    assert none_layer["encoding"]["color"]["datum"] == "Pas de données"
    assert data_layer["encoding"]["tooltip"][0]["title"] == "Pays"


def test_practice_facets_name_regions_in_the_readers_language(
    installed_pack: Path, client: TestClient
) -> None:
    html = client.get("/practices", params={"lang": "es"}).text
    facet = html.split("<legend>Región</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert "África" in facet or "Américas" in facet or "Asia y el Pacífico" in facet
