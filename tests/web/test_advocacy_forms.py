"""Advocacy from the pages: an advocate drafts an event (agenda with speakers, a PDF material,
participants seen only by the organisers), a press release whose unknown placeholders are
refused by name and whose preview fills the store's figures, and a statement shared with a
partner organisation whose people sign it from its page; errors beside their fields, nothing
saved on a refusal, and the role matrix (no account: no drafting; a non-partner: no signing)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from socialcover import store
from socialcover.store.models import Event, PressRelease, Statement, StatementSignature
from socialcover.web import Settings, create_app

from .conftest import PASSWORD, csrf_of, sign_in
from .test_advocacy_pages import EMBARGO, _store_value

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ADMIN = store.SystemActor("test")


def _count(url: str, model: Any) -> int:
    with store.session_scope(ADMIN, url=url) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _signed_in(app: FastAPI, email: str) -> TestClient:
    c = TestClient(app, raise_server_exceptions=False)
    sign_in(c, email)
    return c


def _error_beside(html: str, field: str) -> str:
    """The text of the error shown next to ``field`` (its input points at it)."""
    assert f'aria-describedby="{field}-error"' in html, f"no error tied to {field}"
    m = re.search(
        rf'<small class="field-error" id="{field}-error" role="alert">([^<]*)</small>', html
    )
    assert m, f"no error next to {field}"
    return m.group(1)


EVENT = {
    "kind": "training_session",
    "title": "Training on extending coverage",
    "summary": "Two days on the social protection floor.",
    "starts_at": "2027-05-10T09:00",
    "ends_at": "2027-05-10T17:00",
    "timezone": "Africa/Nairobi",
    "place": "Nairobi",
    "country_iso3": "KEN",
    "language": "en",
    "capacity": "",
    "online_url": "",
    "outcomes": "",
    "registration_open": "on",
}


def test_an_event_drafted_from_the_pages(
    app: FastAPI, client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    url = web_settings.database_url
    owner = _signed_in(app, users["contributor"])
    form = owner.get("/events/new")
    assert form.status_code == 200 and '<label for="starts_at">' in form.text
    token = csrf_of(owner, "/events/new")
    before = _count(url, Event)
    bad = owner.post(
        "/events/new",
        data=EVENT | {"csrf_token": token, "ends_at": "2027-05-09T17:00", "online_url": "ftp://x"},
    )
    assert bad.status_code == 422
    assert "https://" in _error_beside(bad.text, "online_url")
    assert 'value="Training on extending coverage"' in bad.text  # what was typed stays
    assert _count(url, Event) == before
    bad = owner.post(
        "/events/new", data=EVENT | {"csrf_token": token, "ends_at": "2027-05-09T17:00"}
    )
    assert "before starts_at" in bad.text and bad.status_code == 422
    no_csrf = owner.post("/events/new", data=EVENT)
    assert no_csrf.status_code == 403 and _count(url, Event) == before
    made = owner.post("/events/new", data=EVENT | {"csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303, made.text
    eid = int(made.headers["location"].split("/")[2])
    # the agenda: an item outside the event's times is refused beside its field
    item = {
        "csrf_token": token,
        "title": "Opening session",
        "position": "1",
        "starts_at": "2027-05-10T09:00",
        "ends_at": "2027-05-10T10:00",
        "speaker_name_1": "Amina Odhiambo",
        "speaker_affiliation_1": "Ministry of Labour",
        "speaker_name_2": "Juan Pérez",
    }
    late = owner.post(f"/events/{eid}/sessions", data=item | {"starts_at": "2027-05-11T09:00"})
    assert late.status_code == 422 and "outside the event" in _error_beside(late.text, "s-starts")
    assert owner.post(f"/events/{eid}/sessions", data=item).status_code == 200  # redirected
    page = owner.get(f"/events/{eid}/edit").text
    assert "Amina Odhiambo (Ministry of Labour)" in page and "Juan Pérez" in page
    # a material: a PDF through the streaming upload, and a non-PDF refused beside the file
    notpdf = owner.post(
        f"/events/{eid}/materials",
        data={"csrf_token": token, "title": "Slides", "kind": "slides", "language": "en"},
        files={"file": ("slides.pdf", b"not a pdf", "application/pdf")},
    )
    assert notpdf.status_code == 422 and _error_beside(notpdf.text, "m-file")
    up = owner.post(
        f"/events/{eid}/materials",
        data={"csrf_token": token, "title": "Slides", "kind": "slides", "language": "en"},
        files={"file": ("slides.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert up.status_code == 303, up.text
    (link,) = re.findall(
        rf'href="(/events/{eid}/materials/\d+/file)"', owner.get(f"/events/{eid}/edit").text
    )
    assert owner.get(link).content == PDF
    # a participant, seen by name by the organisers only
    person = {
        "csrf_token": token,
        "name": "Grace Secretname",
        "email": "grace@example.org",
        "organisation_name": "COTU",
        "constituent": "workers",
        "country_iso3": "KEN",
        "sex": "female",
        "role": "participant",
    }
    assert owner.post(f"/events/{eid}/participants", data=person).status_code == 200
    twice = owner.post(f"/events/{eid}/participants", data=person)
    assert twice.status_code == 409 or twice.status_code == 422
    assert "already registered" in _error_beside(twice.text, "p-email")
    assert "Grace Secretname" in owner.get(f"/events/{eid}/edit").text
    # registration closed, outcomes written: the event's own form
    edit = owner.post(
        f"/events/{eid}/edit",
        data=EVENT | {"csrf_token": token, "outcomes": "A road map.", "registration_open": ""},
        follow_redirects=False,
    )
    assert edit.status_code == 303, edit.text
    # publish: the owner submits, a contributor cannot publish, a reviewer does
    assert owner.post(f"/events/{eid}/steps/submit", data={"csrf_token": token}).status_code == 200
    assert owner.post(f"/events/{eid}/steps/publish", data={"csrf_token": token}).status_code == 403
    reviewer = _signed_in(app, users["reviewer"])
    rtoken = csrf_of(reviewer)
    assert (
        reviewer.post(f"/events/{eid}/steps/publish", data={"csrf_token": rtoken}).status_code
        == 200
    )
    public = client.get(f"/events/{eid}")
    assert public.status_code == 200 and "A road map." in public.text
    assert "Opening session" in public.text and "Grace Secretname" not in public.text
    assert 'id="register"' not in public.text  # registration closed
    assert "Manage this event" not in public.text
    # unpublish: off the public calendar again
    assert (
        reviewer.post(f"/events/{eid}/steps/withdraw", data={"csrf_token": rtoken}).status_code
        == 200
    )
    assert client.get(f"/events/{eid}").status_code == 404


def test_who_may_use_the_event_forms(
    app: FastAPI, client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    url = web_settings.database_url
    before = _count(url, Event)
    token = csrf_of(client, "/events")
    anonymous = client.post(
        "/events/new", data=EVENT | {"csrf_token": token}, follow_redirects=False
    )
    assert anonymous.status_code in (303, 401) and _count(url, Event) == before
    assert client.get("/events/new", follow_redirects=False).status_code in (303, 401)
    owner = _signed_in(app, users["contributor"])
    made = owner.post(
        "/events/new", data=EVENT | {"csrf_token": csrf_of(owner)}, follow_redirects=False
    )
    eid = int(made.headers["location"].split("/")[2])
    with store.session_scope(ADMIN, url=url) as s:
        store.create_user(s, ADMIN, "other@example.org", PASSWORD, "contributor")
    other = _signed_in(app, "other@example.org")
    otoken = csrf_of(other)
    assert other.get(f"/events/{eid}/edit").status_code == 404  # someone else's draft
    changed = other.post(
        f"/events/{eid}/edit", data=EVENT | {"csrf_token": otoken, "title": "Taken"}
    )
    assert changed.status_code == 404
    added = other.post(
        f"/events/{eid}/participants", data={"csrf_token": otoken, "name": "X", "sex": "male"}
    )
    assert added.status_code == 404
    with store.session_scope(ADMIN, url=url) as s:
        assert s.get(Event, eid).title == EVENT["title"]


def test_a_material_over_the_pdf_limit_is_refused_with_413(
    web_settings: Settings, tmp_path: Path
) -> None:
    small = Settings(
        database_url=web_settings.database_url,
        secret_key=web_settings.secret_key,
        upload_dir=web_settings.upload_dir,
        job_workers=1,
        max_body_bytes=10_000,
        max_pdf_bytes=50_000,
    )
    with TestClient(create_app(small), raise_server_exceptions=False) as c:
        with store.session_scope(ADMIN, url=small.database_url) as s:
            store.create_user(s, ADMIN, "owner@example.org", PASSWORD, "contributor")
        sign_in(c, "owner@example.org")
        token = csrf_of(c)
        made = c.post("/events/new", data=EVENT | {"csrf_token": token}, follow_redirects=False)
        eid = int(made.headers["location"].split("/")[2])
        data = {"csrf_token": token, "title": "Paper", "kind": "paper", "language": "en"}
        ok = c.post(
            f"/events/{eid}/materials",
            data=data,
            files={"file": ("p.pdf", PDF + b"%" * 30_000, "application/pdf")},
            follow_redirects=False,
        )
        assert ok.status_code == 303, ok.text  # over the general limit, under the PDF one
        big = c.post(
            f"/events/{eid}/materials",
            data=data,
            files={"file": ("p.pdf", PDF + b"%" * 60_000, "application/pdf")},
        )
        assert big.status_code == 413
        with store.session_scope(ADMIN, url=small.database_url) as s:
            assert len(s.get(Event, eid).materials) == 1


def _release_form(token: str, **more: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "embargo_until": EMBARGO.strftime("%Y-%m-%dT%H:%M"),
        "embargo_zone": "UTC",
        "title_en": "{{ kenya }} of children covered",
        "body_en": "In Kenya, {{ kenya }} of children receive a benefit.",
        "title_fr": "{{ kenya }} des enfants couverts",
        "body_fr": "Au Kenya, {{ kenia }} des enfants et {{ monde }} dans le monde.",
        "fig_name_1": "kenya",
        "fig_indicator_1": "sdg131.children",
        "fig_area_1": "KEN",
        "fig_year_1": "2023",
        "fig_source_1": "store",
        "fig_field_1": "value",
        "fig_format_1": "percent",
        "fig_digits_1": "1",
        **more,
    }


def test_a_press_release_from_the_form_under_embargo(
    app: FastAPI, client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    url = web_settings.database_url
    _store_value(url, 12.5)
    author = _signed_in(app, users["contributor"])
    token = csrf_of(author, "/press/new")
    before = _count(url, PressRelease)
    bad = author.post("/press/new", data=_release_form(token, do="save"))
    assert bad.status_code == 422 and _count(url, PressRelease) == before
    message = _error_beside(bad.text, "body_fr").replace("&#39;", "'")
    assert "{{ kenia }}" in message and "{{ monde }}" in message and "kenia → kenya" in message
    assert 'aria-describedby="body_en-error"' not in bad.text
    # the live preview (what the page's script posts) fills the figure from the store
    fixed = _release_form(token, body_fr="Au Kenya, {{ kenya }} des enfants.")
    shown = author.post("/press/preview", data=fixed)
    assert shown.status_code == 200
    assert "12.5% of children covered" in shown.text and "12,5\u00a0% des enfants" in shown.text
    refused = author.post("/press/preview", data=_release_form(token))
    assert (
        "{{ kenia }}" in refused.text.replace("&#39;", "'")
        and 'id="preview-errors"' in refused.text
    )
    # without a script, the Preview button shows the same on the form
    nojs = author.post("/press/new", data=fixed | {"do": "preview"})
    assert nojs.status_code == 200 and "12.5% of children covered" in nojs.text
    assert _count(url, PressRelease) == before
    typed = author.post("/press/new", data=fixed | {"do": "save", "body_en": "About 45% of them."})
    assert typed.status_code == 422 and "45%" in typed.text and _count(url, PressRelease) == before
    saved = author.post("/press/new", data=fixed | {"do": "save"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    rid = int(saved.headers["location"].split("/")[2])
    reviewer = _signed_in(app, users["reviewer"])
    published = reviewer.post(f"/press/{rid}/steps/publish", data={"csrf_token": csrf_of(reviewer)})
    assert published.status_code == 200
    # before the embargo: 404 for the public page, the API and the edit form of another person
    app.state.clock = lambda: EMBARGO - dt.timedelta(minutes=1)
    assert client.get(f"/press/{rid}").status_code == 404
    assert client.get(f"/api/v1/press/{rid}").status_code == 404
    assert "children covered" not in client.get("/press").text
    with store.session_scope(ADMIN, url=url) as s:
        store.create_user(s, ADMIN, "nosy@example.org", PASSWORD, "contributor")
    nosy = _signed_in(app, "nosy@example.org")
    assert nosy.get(f"/press/{rid}").status_code == 404
    assert nosy.get(f"/press/{rid}/edit").status_code == 404
    assert author.get(f"/press/{rid}").status_code == 200  # its author previews it
    app.state.clock = lambda: EMBARGO
    page = client.get(f"/press/{rid}?lang=fr")
    assert page.status_code == 200 and "12,5\u00a0% des enfants couverts" in page.text


def _partner_users(url: str) -> None:
    with store.session_scope(ADMIN, url=url) as s:
        store.create_user(
            s,
            ADMIN,
            "partner@example.org",
            PASSWORD,
            "contributor",
            organisation="Trade Union Confederation of Kenya",
            organisation_type="workers_organisation",
            display_name="Mary Partner",
        )
        store.create_user(
            s,
            ADMIN,
            "outsider@example.org",
            PASSWORD,
            "contributor",
            organisation="Employers of Elsewhere",
            organisation_type="employers_organisation",
        )


def test_a_statement_shared_signed_and_published_from_the_pages(
    app: FastAPI, client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    from socialcover import knowledge

    url = web_settings.database_url
    _partner_users(url)
    with store.session_scope(ADMIN, url=url) as s:
        pub = knowledge.create_publication(
            s,
            ADMIN,
            {"title": "World Social Protection Report", "kind": "report", "language": "en"},
        )
        knowledge.publish_publication(s, ADMIN, pub.id)
        pid = pub.id
    author = _signed_in(app, users["contributor"])
    token = csrf_of(author, "/statements/new")
    found = author.get("/statements/new?q=protection")
    assert f'value="publication:{pid}"' in found.text
    text = {
        "csrf_token": token,
        "kind": "joint_statement",
        "title": "For social protection floors",
        "text": "We call for universal coverage.",
        "language": "en",
        "do": "save",
    }
    before = _count(url, Statement)
    bad = author.post("/statements/new", data=text | {"cite_ids": "publication:999999, nonsense"})
    assert bad.status_code == 422 and "nonsense" in _error_beside(bad.text, "cite_ids")
    missing = author.post("/statements/new", data=text | {"cite_ids": "publication:999999"})
    assert missing.status_code == 422 and "does not exist" in _error_beside(
        missing.text, "cite_ids"
    )
    figure = author.post(
        "/statements/new",
        data=text
        | {"fig_indicator_1": "sdg131.nonexistent", "fig_area_1": "KEN", "fig_year_1": "2023"},
    )
    assert figure.status_code == 422 and _count(url, Statement) == before
    made = author.post(
        "/statements/new",
        data=text
        | {
            "cite": f"publication:{pid}",
            "fig_indicator_1": "sdg131.children",
            "fig_area_1": "KEN",
            "fig_year_1": "2023",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    sid = int(made.headers["location"].split("/")[2])
    partner = _signed_in(app, "partner@example.org")
    outsider = _signed_in(app, "outsider@example.org")
    assert partner.get(f"/statements/{sid}").status_code == 404  # not shared yet
    with store.session_scope(ADMIN, url=url) as s:
        org = store.get_user(s, "partner@example.org").organisation_id
    share = author.post(
        f"/statements/{sid}/partners", data={"csrf_token": token, "organisation_id": str(org)}
    )
    assert share.status_code == 200 and "Trade Union Confederation of Kenya" in share.text
    # the partner's people read the draft and sign it from its page
    draft = partner.get(f"/statements/{sid}")
    assert draft.status_code == 200 and 'id="sign-form"' in draft.text
    assert f"/publications/{pid}" in draft.text
    ptoken = csrf_of(partner)
    empty = partner.post(f"/statements/{sid}/sign", data={"csrf_token": ptoken, "signed_by": " "})
    assert empty.status_code == 422 and _error_beside(empty.text, "signed_by")
    # a non-partner cannot sign, and nothing is saved
    otoken = csrf_of(outsider)
    assert 'id="sign-form"' not in outsider.get(f"/statements/{sid}").text
    refused = outsider.post(
        f"/statements/{sid}/sign", data={"csrf_token": otoken, "signed_by": "Bob"}
    )
    assert refused.status_code in (403, 404)
    assert _count(url, StatementSignature) == 0
    signed = partner.post(
        f"/statements/{sid}/sign",
        data={"csrf_token": ptoken, "signed_by": "Mary Partner", "signed_by_title": "Secretary"},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text
    again = partner.get(f"/statements/{sid}")
    assert 'id="sign-form"' not in again.text and "Mary Partner, Secretary" in again.text
    # published by a reviewer, with its endorsers, for everyone
    reviewer = _signed_in(app, users["reviewer"])
    assert (
        reviewer.post(
            f"/statements/{sid}/steps/publish", data={"csrf_token": csrf_of(reviewer)}
        ).status_code
        == 200
    )
    public = client.get(f"/statements/{sid}")
    assert public.status_code == 200 and "Trade Union Confederation of Kenya" in public.text
    assert "Mary Partner" in public.text and "sdg131.children" in public.text
    # anonymous: no drafting form; a contributor cannot share another's statement
    assert client.get("/statements/new", follow_redirects=False).status_code in (303, 401)
    assert (
        outsider.post(
            f"/statements/{sid}/partners", data={"csrf_token": otoken, "organisation_id": str(org)}
        ).status_code
        == 403
    )
