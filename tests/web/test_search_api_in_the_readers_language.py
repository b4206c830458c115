"""The search API answers in the reader's language, chosen as pages choose it.

``?lang=``, else the ``sc_lang`` cookie, else Accept-Language, else English: a practice with a
translation into that language comes back by its translated title and summary, with
``translated_from`` naming the original's language and ``original_title`` its title, as the
library's pages show them.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

LSO_EN = "Lesotho: universal old-age pension"
LSO_FR = "Lesotho : pension de vieillesse universelle"
LSO_ES = "Lesoto: pensión universal de vejez"
BOL_ES = "Bolivia: Renta Dignidad, pensión universal no contributiva"
BOL_EN = "Bolivia: Renta Dignidad, universal non-contributory pension"


def _hit(client: TestClient, q: str, title_start: str, **kw: Any) -> dict[str, Any]:
    resp = client.get(
        "/api/v1/search", params={"q": q, "kind": "practice"} | kw.pop("params", {}), **kw
    )
    assert resp.status_code == 200, resp.text
    hits = [h for h in resp.json()["items"] if h["title"].startswith(title_start)]
    assert len(hits) == 1, [h["title"] for h in resp.json()["items"]]
    return hits[0]


def test_lang_gives_the_translated_title_and_says_from_what(client: TestClient) -> None:
    fr = _hit(client, "Lesotho", "Lesotho", params={"lang": "fr"})
    assert fr["title"] == LSO_FR and fr["translated_from"] == "en"
    assert fr["original_title"] == LSO_EN and fr["language"] == "en"
    assert "<mark>Lesotho</mark>" in fr["title_html"]
    es = _hit(client, "Lesotho", "Lesot", params={"lang": "es"})
    assert es["title"] == LSO_ES and es["translated_from"] == "en"


def test_the_original_language_is_not_marked_as_a_translation(client: TestClient) -> None:
    en = _hit(client, "Lesotho", "Lesotho", params={"lang": "en"})
    assert en["title"] == LSO_EN
    assert en["translated_from"] is None and en["original_title"] is None
    bol = _hit(client, "Renta Dignidad", "Bolivia", params={"lang": "es"})
    assert bol["title"] == BOL_ES and bol["translated_from"] is None


def test_accept_language_and_the_cookie_choose_as_for_pages(client: TestClient) -> None:
    header = _hit(client, "Lesotho", "Lesot", headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert header["title"] == LSO_ES
    client.cookies.set("sc_lang", "fr")
    cookie = _hit(client, "Lesotho", "Lesotho", headers={"Accept-Language": "es"})
    assert cookie["title"] == LSO_FR  # the cookie before the browser's languages
    client.cookies.delete("sc_lang")
    plain = _hit(client, "Renta Dignidad", "Bolivia")  # no preference: English, as pages
    assert plain["title"] == BOL_EN and plain["translated_from"] == "es"
    assert plain["original_title"] == BOL_ES


def test_the_answer_names_its_language_and_exports_keep_the_fields(client: TestClient) -> None:
    resp = client.get("/api/v1/search", params={"q": "Lesotho", "lang": "fr"})
    assert resp.headers["content-language"] == "fr"
    csv = client.get("/api/v1/search", params={"q": "Lesotho", "lang": "fr", "format": "csv"})
    assert csv.status_code == 200
    header, *lines = csv.text.splitlines()
    assert "translated_from" in header.split(",") and any(LSO_FR in line for line in lines)


def test_a_language_the_site_does_not_have_is_refused(client: TestClient) -> None:
    resp = client.get("/api/v1/search", params={"q": "pension", "lang": "de"})
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "input.invalid"


def test_the_practice_list_answers_in_the_readers_language_too(client: TestClient) -> None:
    resp = client.get("/api/v1/practices", params={"q": "Lesotho", "lang": "fr"})
    assert resp.status_code == 200, resp.text
    hits = [h for h in resp.json()["items"] if h["title"].startswith("Lesotho")]
    assert [h["title"] for h in hits] == [LSO_FR] and hits[0]["translated_from"] == "en"
    assert hits[0]["original_title"] == LSO_EN
    client.cookies.clear()  # ?lang= set the reader's cookie, as on pages
    plain = client.get("/api/v1/practices", params={"q": "Renta Dignidad"})
    bol = [h for h in plain.json()["items"] if h["title"].startswith("Bolivia")]
    assert bol[0]["title"] == BOL_EN and bol[0]["original_title"] == BOL_ES
    assert client.get("/api/v1/practices", params={"lang": "de"}).status_code == 422
