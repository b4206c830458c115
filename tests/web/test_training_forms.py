"""Training courses from the pages: a contributor creates a course, adds a trainer, a material
and a session, registers participants and records their scores one by one and from a CSV file
(a bad file names its rows and saves nothing); the gain shows; another contributor and
anonymous readers never see names or scores, and may not change the course."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from socialcover import store
from socialcover.store.models import EventParticipant, TrainingAssessment, TrainingCourse

from .conftest import csrf_of, sign_in, sign_out


def _post(client: TestClient, path: str, data: dict[str, str], page: str) -> object:
    token = csrf_of(client, page)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def _course(client: TestClient) -> int:
    token = csrf_of(client, "/training/new")
    made = client.post(
        "/training",
        data={
            "csrf_token": token,
            "title": "Costing the social protection floor",
            "topics": "costing, RAP",
            "language": "fr",
            "max_score": "20",
            "trainers": "Awa Diop | University of Dakar\nJ. Smith",
            "materials": "Handbook | https://example.org/handbook",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    return int(made.headers["location"].rsplit("/", 1)[1])


def _session_and_people(client: TestClient, cid: int) -> tuple[int, list[int]]:
    page = f"/training/{cid}"
    added = _post(
        client,
        f"/training/{cid}/sessions",
        {
            "title": "Module 1 in Nairobi",
            "starts_at": "2031-03-02T09:00",
            "ends_at": "2031-03-02T17:00",
            "timezone": "Africa/Nairobi",
            "country_iso3": "KEN",
        },
        page,
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    html = client.get(page).text
    eid = int(re.search(r'<option value="(\d+)"[^>]*>Module 1 in Nairobi', html).group(1))  # type: ignore[union-attr]
    for name, sex, constituent in (("Amina", "female", "workers"), ("Peter", "male", "employers")):
        r = _post(
            client,
            f"/training/{cid}/participants",
            {
                "event_id": str(eid),
                "name": name,
                "email": f"{name.lower()}@example.org",
                "sex": sex,
                "constituent": constituent,
                "country_iso3": "KEN",
                "organisation_name": "COTU",
            },
            page,
        )
        assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=_url(client), write=False) as s:
        pids = [p.id for p in s.query(EventParticipant).filter_by(event_id=eid).order_by("id")]
    return eid, pids


def _url(client: TestClient) -> str:
    return str(client.app.state.settings.database_url)  # type: ignore[attr-defined]


def test_a_course_is_run_from_the_pages(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["contributor"])
    assert client.get("/training/new").status_code == 200
    cid = _course(client)
    page = f"/training/{cid}"
    html = client.get(page).text
    assert "Awa Diop" in html and "University of Dakar" in html and "Handbook" in html
    assert "Edit the course" in html
    r = _post(
        client, f"/training/{cid}/trainers", {"name": "Carlos Ruiz", "affiliation": "ILO"}, page
    )
    assert r.status_code == 303  # type: ignore[attr-defined]
    bad = _post(client, f"/training/{cid}/materials", {"title": "Slides", "url": "ftp://x"}, page)
    assert bad.status_code == 422 and "field-error" in bad.text  # type: ignore[attr-defined]
    assert 'aria-invalid="true"' in bad.text  # type: ignore[attr-defined]
    _post(
        client,
        f"/training/{cid}/materials",
        {"title": "Slides", "url": "https://example.org/slides"},
        page,
    )
    eid, (amina, peter) = _session_and_people(client, cid)
    bad_person = _post(
        client,
        f"/training/{cid}/participants",
        {"event_id": str(eid), "name": "Zoe", "email": "not an address"},
        page,
    )
    assert bad_person.status_code == 422  # type: ignore[attr-defined]
    assert 'id="participants-email-error"' in bad_person.text  # type: ignore[attr-defined]
    one = _post(
        client, f"/training/{cid}/scores/{amina}", {"pre_score": "8", "post_score": "17,5"}, page
    )
    assert one.status_code == 303  # type: ignore[attr-defined]
    html = client.get(page).text
    assert "Carlos Ruiz" in html and "Module 1 in Nairobi" in html
    assert re.search(r'class="num gain">9.5<', html), "the gain 17.5 - 8 shows"
    too_high = _post(client, f"/training/{cid}/scores/{peter}", {"post_score": "21"}, page)
    assert too_high.status_code == 422  # type: ignore[attr-defined]
    assert "above the course" in too_high.text  # type: ignore[attr-defined]

    sheet = client.get(f"/training/{cid}/scores.csv")
    assert sheet.status_code == 200 and "Amina" in sheet.text and "participant_id" in sheet.text
    token = csrf_of(client, page)
    broken = (
        "participant_id,name,pre_score,post_score\n"
        f"{amina},Amina,9,18\n"
        f"{peter},Peter,abc,12\n"
        "999999,Nobody,1,2\n"
        f"{peter},Peter again,30,12\n"
    )
    refused = client.post(
        f"/training/{cid}/scores/file",
        data={"csrf_token": token},
        files={"file": ("scores.csv", broken.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert refused.status_code == 422, refused.text
    for words in ("row 3", "abc", "row 4", "999999", "row 5", "already on row 3"):
        assert words in refused.text, words
    with store.session_scope(store.SystemActor(), url=_url(client), write=False) as s:
        kept = {a.participant_id: (a.pre_score, a.post_score) for a in s.query(TrainingAssessment)}
    assert kept == {amina: (8.0, 17.5)}, "nothing of the refused file is kept"
    good = f"participant_id,pre_score,post_score\n{amina},9,18\n{peter},10,\n"
    token = csrf_of(client, page)
    done = client.post(
        f"/training/{cid}/scores/file",
        data={"csrf_token": token},
        files={"file": ("scores.csv", good.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    with store.session_scope(store.SystemActor(), url=_url(client), write=False) as s:
        kept = {a.participant_id: (a.pre_score, a.post_score) for a in s.query(TrainingAssessment)}
    assert kept == {amina: (9.0, 18.0), peter: (10.0, None)}

    edit = client.get(f"/training/{cid}/edit")
    assert edit.status_code == 200 and "Carlos Ruiz | ILO" in edit.text
    version = re.search(r'name="version" value="(\d+)"', edit.text).group(1)  # type: ignore[union-attr]
    saved = _post(
        client,
        f"/training/{cid}/edit",
        {
            "version": version,
            "title": "Costing the floor (2031)",
            "language": "fr",
            "max_score": "20",
            "topics": "costing",
            "trainers": "Awa Diop",
            "materials": "",
        },
        f"/training/{cid}/edit",
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    stale = _post(
        client,
        f"/training/{cid}/edit",
        {"version": version, "title": "Stale", "language": "fr", "max_score": "20"},
        f"/training/{cid}/edit",
    )
    assert stale.status_code == 409  # type: ignore[attr-defined]

    sign_out(client)  # readers: the results, never a name, no forms
    public = client.get(page).text
    assert "Amina" not in public and "amina@example.org" not in public
    assert "Register a participant" not in public and "Edit the course" not in public
    assert client.get(f"/training/{cid}/scores.csv", follow_redirects=False).status_code in (
        401,
        303,
    )
    store_settings = {"email": "other@example.org"}
    with store.session_scope(store.SystemActor(), url=_url(client)) as s:
        store.create_user(
            s,
            store.SystemActor(),
            store_settings["email"],
            "a long enough passphrase 42",
            "contributor",
        )
    sign_in(client, store_settings["email"])
    other = client.get(page).text
    assert "Amina" not in other and "Add a session" not in other
    refused = _post(client, f"/training/{cid}/trainers", {"name": "Intruder"}, page)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert (
        _post(client, f"/training/{cid}/scores/{amina}", {"pre_score": "1"}, page).status_code
        == 403
    )  # type: ignore[attr-defined]
    assert client.get(f"/training/{cid}/scores.csv").status_code == 403
    with store.session_scope(store.SystemActor(), url=_url(client), write=False) as s:
        course = s.get(TrainingCourse, cid)
        assert course is not None and [t["name"] for t in course.trainers] == ["Awa Diop"]


def test_a_bad_course_form_keeps_what_was_typed(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["contributor"])
    token = csrf_of(client, "/training/new")
    bad = client.post(
        "/training",
        data={"csrf_token": token, "title": "", "max_score": "-3", "summary": "Kept text"},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert "Kept text" in bad.text and 'id="course-max_score-error"' in bad.text
    sign_out(client)
    assert client.get("/training/new", follow_redirects=False).status_code in (401, 303)


def test_score_files_have_the_upload_limit_and_pages_speak_french(
    client: TestClient, users: dict[str, str]
) -> None:
    from socialcover.web.limits import body_limit

    settings = client.app.state.settings  # type: ignore[attr-defined]
    upload = settings.max_body_bytes + settings.max_upload_bytes
    assert body_limit(settings, "POST", "/training/7/scores/file") == upload
    assert body_limit(settings, "POST", "/api/v1/training/courses/7/scores/file") == upload
    assert body_limit(settings, "POST", "/training/7/scores/3") == settings.max_body_bytes
    pdf = settings.max_body_bytes + settings.max_pdf_bytes
    assert body_limit(settings, "POST", "/training/7/materials/file") == pdf
    sign_in(client, users["contributor"])
    cid = _course(client)
    page = client.get(f"/training/{cid}", headers={"Accept-Language": "fr"}).text
    assert "Ajouter une session" in page and "Modifier la formation" in page
    form = client.get("/networks/people/new", headers={"Accept-Language": "es"}).text
    assert "ninguna (independiente)" in form


def test_a_pdf_is_attached_to_a_session_from_the_course_page(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    cid = _course(client)
    eid, _pids = _session_and_people(client, cid)
    page = f"/training/{cid}"
    token = csrf_of(client, page)
    not_pdf = client.post(
        f"/training/{cid}/materials/file",
        data={"csrf_token": token, "event_id": str(eid), "title": "Slides", "kind": "slides"},
        files={"file": ("slides.pdf", b"<html>not a pdf</html>", "application/pdf")},
        follow_redirects=False,
    )
    assert not_pdf.status_code == 422 and 'value="Slides"' in not_pdf.text
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    done = client.post(
        f"/training/{cid}/materials/file",
        data={"csrf_token": token, "event_id": str(eid), "title": "Slides", "kind": "slides"},
        files={"file": ("slides.pdf", pdf, "application/pdf")},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    html = client.get(page).text
    link = re.search(rf'href="(/events/{eid}/materials/\d+/file)">Slides</a> \(PDF\)', html)
    assert link, "the session's PDF is listed on the course page"
    assert client.get(link.group(1)).content == pdf
