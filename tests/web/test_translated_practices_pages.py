"""Pages in French and Spanish show the starter practices' translated titles and summaries (in
the library, its search results, the country page and the practice page), and say so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover import store
from socialcover.web import Settings

pytestmark = pytest.mark.shared_data

LSO_EN = "Lesotho: universal old-age pension"
LSO_FR = "Lesotho : pension de vieillesse universelle"
LSO_ES = "Lesoto: pensión universal de vejez"


def _pid(client: TestClient, title: str) -> int:
    items = client.get("/api/v1/practices", params={"q": title, "per_page": 50}).json()["items"]
    # the list answers in the reader's language (English here): an original in another
    # language comes back by its English title, with original_title as written
    return int(next(i["record_id"] for i in items if title in (i["title"], i["original_title"])))


def _hit_titles(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<h3><a href="[^"]+">(.*?)</a></h3>', html)
    ]


def test_library_lists_translated_titles_by_page_language(client: TestClient) -> None:
    fr = _hit_titles(client.get("/practices", params={"q": "Lesotho", "lang": "fr"}).text)
    es = _hit_titles(client.get("/practices", params={"q": "Lesotho", "lang": "es"}).text)
    en = _hit_titles(client.get("/practices", params={"q": "Lesotho", "lang": "en"}).text)
    assert LSO_FR in fr and LSO_ES in es and LSO_EN in en
    assert LSO_EN not in fr


def test_french_search_finds_english_pensions_with_french_titles(client: TestClient) -> None:
    for q in ("retraite", "vieillesse"):
        titles = _hit_titles(client.get("/practices", params={"q": q, "lang": "fr"}).text)
        assert LSO_FR in titles, q
    titles = _hit_titles(client.get("/practices", params={"q": "jubilación", "lang": "es"}).text)
    assert LSO_ES in titles


def test_practice_page_shows_the_translation_and_the_original_title(client: TestClient) -> None:
    pid = _pid(client, LSO_EN)
    fr = client.get(f"/practices/{pid}", params={"lang": "fr"}).text
    assert f'<h1 lang="fr">{LSO_FR}</h1>' in fr
    assert 'id="translated-from"' in fr and "anglais" in fr and LSO_EN in fr
    assert "pour tout citoyen âgé de 70 ans" in fr.replace("&#39;", "'")
    en = client.get(f"/practices/{pid}", params={"lang": "en"}).text
    assert f"<h1>{LSO_EN}</h1>" in en and 'id="translated-from"' not in en


def test_practice_in_the_pages_own_language_shows_the_original(client: TestClient) -> None:
    bol = _pid(client, "Bolivia: Renta Dignidad, pensión universal no contributiva")
    es = client.get(f"/practices/{bol}", params={"lang": "es"}).text
    assert "<h1>Bolivia: Renta Dignidad, pensión universal no contributiva</h1>" in es
    assert 'id="translated-from"' not in es
    en = client.get(f"/practices/{bol}", params={"lang": "en"}).text
    assert "Bolivia: Renta Dignidad, universal non-contributory pension" in en
    assert "español" not in en and "Spanish" in en


def test_country_page_lists_translated_titles(installed_pack: Path, client: TestClient) -> None:
    fr = client.get("/countries/LSO", params={"lang": "fr"}).text
    assert LSO_FR in fr and LSO_EN not in fr


def test_api_takes_and_returns_translations_and_refuses_the_own_language(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["reviewer"]), "t")
    auth = {"Authorization": f"Bearer {token}"}
    body = {
        "title": "Senegal: a pension for informal workers",
        "country_iso3": "SEN",
        "guarantee": "old_age",
        "mechanism": "voluntary pension",
        "summary": "A voluntary pension scheme open to informal workers.",
        "assessment": "mixed",
        "translations": {
            "fr": {
                "title": "Sénégal : une retraite pour les travailleurs informels",
                "summary": "Un régime de retraite volontaire ouvert aux travailleurs informels.",
            }
        },
    }
    created = client.post("/api/v1/practices", json=body, headers=auth)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    got = client.get(f"/api/v1/practices/{pid}", headers=auth).json()
    assert got["translations"]["fr"]["title"].startswith("Sénégal : une retraite")
    bad = client.patch(
        f"/api/v1/practices/{pid}",
        json={"changes": {"translations": {"en": {"title": "Same", "summary": "The same text."}}}},
        headers=auth,
    )
    assert bad.status_code == 422 and "own language" in bad.text
    after = client.get(f"/api/v1/practices/{pid}", headers=auth).json()
    assert set(after["translations"]) == {"fr"}  # nothing changed
