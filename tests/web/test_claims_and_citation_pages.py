"""Practice and publication pages: verification state, unverified claims said plainly, per-claim
verification by reviewers, evidence, and "cite this" with CSL-JSON and BibTeX downloads."""

from __future__ import annotations

import json
import re
from typing import Any

import bibtexparser
from fastapi.testclient import TestClient

from .conftest import csrf_of, sign_in


def _practice_id(client: TestClient, title_part: str) -> int:
    found = client.get("/api/v1/practices", params={"q": title_part}).json()["items"]
    return int(found[0]["record_id"] if "record_id" in found[0] else found[0]["id"])


def test_starter_page_says_being_verified_and_lists_unverified_claims(client: TestClient) -> None:
    pid = _practice_id(client, "Lesotho")
    page = client.get(f"/practices/{pid}").text
    assert "Starter, being verified" in page
    assert "as of 2026-12-05" in page
    assert 'id="unverified-claims"' in page
    assert "People receiving a public service pension are not eligible" in page
    assert "Lesotho pension system proves sceptics wrong" in page  # a claim's source
    assert "verified</strong> by socialcover starter fact-check on 2026-12-05" in page
    assert 'id="cite-this"' in page and f"/practices/{pid}/cite.bib" in page
    # a practice whose key claims were all checked says so, and lists nothing as unverified
    kenya = client.get(f"/practices/{_practice_id(client, 'Inua Jamii')}").text
    assert "every key claim was checked in its source" in kenya
    assert 'id="unverified-claims"' not in kenya
    assert "400,000 elderly locked out of cash transfer plan" in kenya


def test_page_is_translated(client: TestClient) -> None:
    pid = _practice_id(client, "Lesotho")
    fr = client.get(f"/practices/{pid}", headers={"Accept-Language": "fr"}).text
    es = client.get(f"/practices/{pid}", headers={"Accept-Language": "es"}).text
    assert "Contenu de départ, en cours de vérification" in fr and "Citer" in fr
    assert "Contenido inicial, en verificación" in es and "Citar" in es


def test_practice_and_publication_downloads_parse(client: TestClient) -> None:
    pid = _practice_id(client, "Inua Jamii")
    csl = client.get(f"/practices/{pid}/cite.json")
    assert csl.status_code == 200
    assert csl.headers["content-type"].startswith("application/vnd.citationstyles.csl+json")
    item = json.loads(csl.text)[0]
    assert item["type"] == "webpage" and item["URL"].endswith(f"/practices/{pid}")
    assert item["issued"] == {"date-parts": [[2026, 12, 5]]}  # the day it was last verified
    pubs = client.get("/api/v1/publications", params={"per_page": 100}).json()["items"]
    book = next(p for p in pubs if p["title"].startswith("Reversing Pension"))
    bib = client.get(f"/publications/{book['id']}/cite.bib")
    assert bib.status_code == 200 and "attachment" in bib.headers["content-disposition"]
    entry = bibtexparser.parse_string(bib.text).entries[0]
    assert "editor" in entry.fields_dict and "author" not in entry.fields_dict
    page = client.get(f"/publications/{book['id']}").text
    assert "Editors" in page and "Cite this" in page and "(eds.)" in page
    api = client.get(f"/api/v1/publications/{book['id']}/citation", params={"format": "text"})
    assert api.status_code == 200 and "Reversing Pension Privatizations" in api.text


def test_reviewer_verifies_a_claim_on_the_page(client: TestClient, users: dict[str, str]) -> None:
    pid = _practice_id(client, "Lesotho")
    claims = client.get(f"/api/v1/practices/{pid}/claims").json()
    assert claims["verification"]["state"] == "starter"
    todo = next(c for c in claims["claims"] if c["status"] == "unverified")
    sign_in(client, users["contributor"])
    assert f"/claims/{todo['id']}/verify" not in client.get(f"/practices/{pid}").text
    sign_in(client, users["reviewer"])
    page = client.get(f"/practices/{pid}").text
    assert f"/claims/{todo['id']}/verify" not in page  # no source: nothing to verify against
    mongolia = _practice_id(client, "Mongolia")
    undated = next(
        c
        for c in client.get(f"/api/v1/practices/{mongolia}/claims").json()["claims"]
        if c["key"] == "targeted-2023"
    )
    assert f"/claims/{undated['id']}/verify" not in client.get(f"/practices/{mongolia}").text
    pid2 = _practice_id(client, "Renta Dignidad")
    claims2 = client.get(f"/api/v1/practices/{pid2}/claims").json()["claims"]
    target = next(c for c in claims2 if c["key"] == "coverage-near-universal")
    assert f"/claims/{target['id']}/verify" in client.get(f"/practices/{pid2}").text
    resp = client.post(
        f"/practices/{pid2}/claims/{target['id']}/verify",
        data={
            "against": "Article, paragraph 2",
            "csrf_token": csrf_of(client, f"/practices/{pid2}"),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    after = client.get(f"/api/v1/practices/{pid2}/claims").json()
    done = next(c for c in after["claims"] if c["id"] == target["id"])
    assert done["status"] == "verified" and done["verified_by"] == "Reviewer"
    assert done["verified_against"] == "Article, paragraph 2"
    assert re.search(r"as of \d{4}-\d{2}-\d{2}", client.get(f"/practices/{pid2}").text)


def test_publication_form_records_editors_series_and_checks_the_isbn(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["reviewer"])
    form = {
        "title": "Social protection for domestic workers",
        "kind": "working_paper",
        "year": "2021",
        "language": "en",
        "publisher": "International Labour Office",
        "editors": "Ortiz, Isabel; Fabio Durán-Valverde",
        "series": "ESS Working Paper",
        "series_number": "77",
        "isbn": "978-92-2-031949-8",  # wrong check digit
    }
    bad = client.post(
        "/publications",
        data={**form, "csrf_token": csrf_of(client, "/publications/new")},
        follow_redirects=False,
    )
    assert bad.status_code == 422 and "978-92-2-031949-8" in bad.text
    ok = client.post(
        "/publications",
        data={
            **form,
            "isbn": "978-92-2-031949-9",
            "csrf_token": csrf_of(client, "/publications/new"),
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303, ok.text
    item = client.get(ok.headers["location"] + "/cite.json").json()[0]
    assert item["editor"] == [
        {"family": "Ortiz", "given": "Isabel"},
        {"family": "Durán-Valverde", "given": "Fabio"},
    ]
    assert item["collection-title"] == "ESS Working Paper" and item["ISBN"] == "978-92-2-031949-9"
    assert item["genre"] == "Working paper"


def test_a_published_evaluation_shows_as_evidence_on_the_practice_page(
    client: TestClient, users: dict[str, str], web_settings: Any
) -> None:
    from socialcover import store
    from socialcover.monitor.evaluations import (
        create_evaluation,
        publish_evaluation,
        submit_evaluation,
    )

    pid = _practice_id(client, "Inua Jamii")
    assert 'id="evidence-title"' not in client.get(f"/practices/{pid}").text
    url = web_settings.database_url
    with store.session_scope(store.SystemActor(), url=url) as s:
        sa = store.SystemActor()
        eid = create_evaluation(
            s,
            sa,
            {
                "title": "Impact evaluation of Inua Jamii 70+",
                "subject_type": "practice",
                "subject_ref": str(pid),
                "evaluation_type": "impact",
                "started_on": "2020-01-01",
                "evaluators": ["Independent team"],
                "findings": "Consumption rose in recipient households.",
                "report": "https://example.org/report.pdf",
            },
        ).id
        submit_evaluation(s, sa, eid)
        publish_evaluation(s, sa, eid)
    page = client.get(f"/practices/{pid}").text
    assert 'id="evidence-title"' in page
    assert "Impact evaluation of Inua Jamii 70+" in page and "Independent team" in page
