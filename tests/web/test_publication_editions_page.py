"""Language editions added from the publication page: validated field by field (errors next to
the field, nothing saved), listed on the page, removable, only by who may edit the publication,
and the CSL-JSON and BibTeX downloads stay valid."""

from __future__ import annotations

import json
import re

import bibtexparser
from fastapi.testclient import TestClient

from .conftest import csrf_of, sign_in, sign_out


def _draft(client: TestClient, title: str = "Extending coverage to domestic workers") -> int:
    resp = client.post(
        "/publications",
        data={
            "title": title,
            "kind": "study",
            "year": "2021",
            "language": "en",
            "publisher": "Example Press",
            "authors": "Ana Pérez; John Smith",
            "isbn": "978-92-2-031949-9",
            "csrf_token": csrf_of(client, "/publications/new"),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    return int(resp.headers["location"].rsplit("/", 1)[1])


def _add(client: TestClient, pid: int, **fields: str) -> object:
    data = {"csrf_token": csrf_of(client, f"/publications/{pid}"), **fields}
    return client.post(f"/publications/{pid}/editions", data=data, follow_redirects=False)


def test_editor_adds_a_french_edition_and_the_page_lists_it(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["reviewer"])
    pid = _draft(client)
    page = client.get(f"/publications/{pid}").text
    assert 'id="edition-form"' in page and 'for="ed-language"' in page and 'for="ed-title"' in page
    resp = _add(
        client,
        pid,
        language="FR",
        title="Étendre la couverture aux travailleurs domestiques",
        year="2022",
        url="https://example.org/fr",
        isbn="978-92-2-031950-5",
        doi="10.1234/abcd.fr",
    )
    assert resp.status_code == 303 and resp.headers["location"].endswith("#editions")
    page = client.get(f"/publications/{pid}").text
    assert 'hreflang="fr"' in page and "Étendre la couverture" in page
    assert "ISBN 978-92-2-031950-5" in page and "10.1234/abcd.fr" in page
    api = client.get(f"/api/v1/publications/{pid}").json()
    assert api["editions"] == [
        {
            "language": "fr",
            "title": "Étendre la couverture aux travailleurs domestiques",
            "year": 2022,
            "url": "https://example.org/fr",
            "isbn": "978-92-2-031950-5",
            "doi": "10.1234/abcd.fr",
        }
    ]
    history = client.get(f"/api/v1/publications/{pid}").json()["version"]
    assert history >= 2  # an audited edit of the publication
    # the citation downloads stay valid
    csl = json.loads(client.get(f"/publications/{pid}/cite.json").text)
    assert csl[0]["title"] == "Extending coverage to domestic workers" and csl[0]["ISBN"]
    entry = bibtexparser.parse_string(client.get(f"/publications/{pid}/cite.bib").text).entries
    assert len(entry) == 1 and "Extending coverage" in entry[0].fields_dict["title"].value
    # removed again from the page
    token = csrf_of(client, f"/publications/{pid}")
    resp = client.post(
        f"/publications/{pid}/editions/remove",
        data={"csrf_token": token, "language": "fr"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert client.get(f"/api/v1/publications/{pid}").json()["editions"] == []


def test_bad_edition_shows_each_error_next_to_its_field_and_saves_nothing(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["reviewer"])
    pid = _draft(client)
    resp = _add(
        client,
        pid,
        language="French",
        title="Étendre <script>alert(1)</script>",
        isbn="978-92-2-031949-8",
        doi="doi:10.1234",
        url="ftp://example.org/x",
    )
    assert resp.status_code == 422
    html = resp.text
    for field in ("language", "isbn", "doi", "url"):
        assert f'id="ed-{field}-error"' in html, field
        assert re.search(rf'id="ed-{field}"[^>]*aria-invalid="true"', html), field
    assert "ISO 639-1" in html and "check digit" in html and "10.1234/abcd" in html
    assert "<script>alert(1)</script>" not in html  # escaped, and the form comes back filled
    assert 'value="Étendre &lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert client.get(f"/api/v1/publications/{pid}").json()["editions"] == []
    # against the publication: its own language, its own ISBN, then a second edition in one
    resp = _add(client, pid, language="en", title="Same book", isbn="9789220319499")
    assert resp.status_code == 422
    assert "the publication itself is in en" in resp.text and "own ISBN" in resp.text
    assert _add(client, pid, language="es", title="Ampliar la cobertura").status_code == 303
    again = _add(client, pid, language="es", title="Otra edición")
    assert again.status_code == 422 and "already listed" in again.text
    assert len(client.get(f"/api/v1/publications/{pid}").json()["editions"]) == 1


def test_only_who_may_edit_the_publication_adds_editions(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["reviewer"])
    pid = _draft(client)
    client.post(f"/publications/{pid}/publish", data={"csrf_token": csrf_of(client)})
    sign_out(client)
    anon_page = client.get(f"/publications/{pid}").text
    assert 'id="edition-form"' not in anon_page
    sign_in(client, users["contributor"])  # not the owner, and it is published
    assert 'id="edition-form"' not in client.get(f"/publications/{pid}").text
    resp = _add(client, pid, language="fr", title="Étendre la couverture")
    assert resp.status_code == 403
    sign_out(client)
    token = csrf_of(client)
    resp = client.post(
        f"/publications/{pid}/editions",
        data={"csrf_token": token, "language": "fr", "title": "Étendre"},
        follow_redirects=False,
    )
    assert resp.status_code in (303, 401, 403)
    assert resp.status_code != 303 or "/login" in resp.headers["location"]
    assert client.get(f"/api/v1/publications/{pid}").json()["editions"] == []


def test_a_contributor_adds_editions_to_their_own_draft(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    pid = _draft(client, "A contributor's draft")
    assert 'id="edition-form"' in client.get(f"/publications/{pid}").text
    assert _add(client, pid, language="pt", title="Um rascunho").status_code == 303
    page = client.get(f"/publications/{pid}").text
    assert 'lang="pt"' in page and "Um rascunho" in page
