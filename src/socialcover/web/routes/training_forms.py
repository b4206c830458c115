"""The forms of training courses: create and edit a course, add trainers, materials and
sessions, register participants, and record their pre and post scores one by one or from a CSV
file.

Each form posts to a thin adapter over one function of :mod:`socialcover.advocacy`; a bad form
shows the course page again with the problem next to the fields it names (nothing saved), a
refused one the error page. Who may do what is the domain's: ``training.edit`` to create, the
course's owner (or ``training.edit_any``) to change it, the organisers of a session to register
its participants and record their scores.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import InputError, SocialcoverError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.limits import save_upload
from socialcover.web.params import RecordId
from socialcover.web.render import render
from socialcover.web.routes import publications as pub_pages
from socialcover.web.routes.form_fields import posted_form, problem, run_form
from socialcover.web.routes.training import course_detail

router = APIRouter(include_in_schema=False)

_COURSE_FIELDS = ("title", "summary", "language", "max_score")


def _pairs(text: str, second: str) -> list[dict[str, str]]:
    """Lines of ``first | second`` as dicts (blank lines skipped; the second part optional)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        first, _, rest = line.partition("|")
        out.append({"name": first.strip(), second: rest.strip()})
    return out


def course_data(form: dict[str, str]) -> dict[str, Any]:
    """A course's fields from its form: topics comma-separated, one trainer per line as
    ``Name | affiliation``, one material per line as ``Title | https://...``."""
    data: dict[str, Any] = {k: form.get(k, "").strip() for k in _COURSE_FIELDS}
    data["max_score"] = data["max_score"] or "100"
    data["topics"] = [t.strip() for t in form.get("topics", "").split(",") if t.strip()]
    data["trainers"] = _pairs(form.get("trainers", ""), "affiliation")
    data["materials"] = [
        {"title": m["name"], "url": m["url"]} for m in _pairs(form.get("materials", ""), "url")
    ]
    return data


def _form_values(course: dict[str, Any]) -> dict[str, str]:
    return {
        "title": course["title"],
        "summary": course["summary"],
        "language": course["language"],
        "max_score": f"{course['max_score']:g}",
        "topics": ", ".join(course["topics"]),
        "trainers": "\n".join(
            f"{t['name']} | {t['affiliation']}" if t.get("affiliation") else t["name"]
            for t in course["trainers"]
        ),
        "materials": "\n".join(f"{m['title']} | {m['url']}" for m in course["materials"]),
        "version": str(course["version"]),
    }


@router.get("/training/new", response_class=HTMLResponse)
async def new_course_page(
    request: Request, user: Principal = Depends(Need("training.edit"))
) -> HTMLResponse:
    """The form that creates a course."""
    return render(request, "training/course_form.html", {"f": {"max_score": "100"}, "mode": "new"})


@router.post("/training", response_model=None)
async def create_course(
    request: Request, session: WriteSession, user: Principal = Depends(Need("training.edit"))
) -> Response:
    """Create a course owned by the signed-in person."""
    from socialcover import advocacy

    form = await posted_form(request)

    def _do() -> int:
        course = advocacy.create_course(session, user, course_data(form))
        session.flush()
        return int(course.id)

    async def refused(exc: SocialcoverError) -> Response:
        return render(
            request,
            "training/course_form.html",
            {"f": form, "mode": "new", "problem": problem(exc, "course")},
            status_code=422,
        )

    return await run_form(session, _do, lambda cid: f"/training/{cid}", refused)


@router.get("/training/{cid}/edit", response_class=HTMLResponse)
async def edit_course_page(
    request: Request,
    cid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("training.edit")),
) -> HTMLResponse:
    """The course's form, filled in (its owner or an editor saves it)."""
    found = await run_in_threadpool(course_detail, session, cid, user)
    return render(
        request,
        "training/course_form.html",
        {"f": _form_values(found["course"]), "mode": "edit", "cid": cid},
    )


@router.post("/training/{cid}/edit", response_model=None)
async def update_course(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Save the course's fields, checking the version it was read at."""
    from socialcover import advocacy

    form = await posted_form(request)
    version = int(form["version"]) if form.get("version", "").isdigit() else -1

    def _do() -> None:
        advocacy.update_course(session, user, cid, course_data(form), version=version)

    async def refused(exc: SocialcoverError) -> Response:
        return render(
            request,
            "training/course_form.html",
            {"f": form, "mode": "edit", "cid": cid, "problem": problem(exc, "course")},
            status_code=422,
        )

    return await run_form(session, _do, f"/training/{cid}", refused)


async def _step(
    request: Request,
    session: Session,
    user: Principal,
    cid: int,
    name: str,
    step: Callable[[dict[str, str]], object],
    form: dict[str, str] | None = None,
    row: int | None = None,
) -> Response:
    """Run one domain call with the posted form; on bad input show the course page again with
    the problem next to the form ``name`` (nothing saved)."""
    shown = await posted_form(request) if form is None else form

    async def refused(exc: SocialcoverError) -> Response:
        found = await run_in_threadpool(course_detail, session, cid, user)
        return render(
            request,
            "training/course.html",
            found | {"problem": problem(exc, name) | {"row": row}, "f": shown},
            status_code=422,
        )

    return await run_form(session, lambda: step(shown), f"/training/{cid}#{name}", refused)


def _append(session: Session, user: Any, cid: int, key: str, item: dict[str, str]) -> None:
    from socialcover import advocacy

    course = advocacy.course_as_dict(advocacy.get_course(session, cid))
    data = {k: course[k] for k in ("title", "summary", "topics", "language", "max_score")}
    data["trainers"] = course["trainers"]
    data["materials"] = course["materials"]
    data[key] = [*data[key], item]
    advocacy.update_course(session, user, cid, data, version=course["version"])


@router.post("/training/{cid}/trainers", response_model=None)
async def add_trainer(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Add a trainer (a name and an affiliation) to the course."""
    return await _step(
        request,
        session,
        user,
        cid,
        "trainers",
        lambda f: _append(
            session,
            user,
            cid,
            "trainers",
            {"name": f.get("name", ""), "affiliation": f.get("affiliation", "")},
        ),
    )


@router.post("/training/{cid}/materials", response_model=None)
async def add_material(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Add a material (a title and a link) to the course."""
    return await _step(
        request,
        session,
        user,
        cid,
        "materials",
        lambda f: _append(
            session,
            user,
            cid,
            "materials",
            {"title": f.get("title", ""), "url": f.get("url", "")},
        ),
    )


@router.post("/training/{cid}/materials/file", response_model=None)
async def add_material_file(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    event_id: str = Form("", max_length=20),
    title: str = Form("", max_length=300),
    kind: str = Form("other", max_length=20),
    file: UploadFile | None = File(None),
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Attach a PDF (slides, a paper) to one of the course's sessions that the caller may
    edit; checked and size-capped as publications' PDFs."""
    from socialcover import advocacy

    form = {"event_id": event_id, "title": title, "kind": kind}
    async with pub_pages.saved_pdf(request, file) as pdf:

        def step(f: dict[str, str]) -> object:
            course = advocacy.get_course(session, cid)
            if not event_id.isdigit() or int(event_id) not in {s.event_id for s in course.sessions}:
                raise InputError(
                    f"Event {event_id!r} is not a session of this course.",
                    code="training.unknown-session",
                    hint="Choose one of the course's sessions; nothing was saved.",
                    fields=["event_id"],
                )
            data = {"title": title, "kind": kind, "language": course.language}
            if pdf is None:  # add_material then says a file or a link is needed
                return advocacy.add_material(session, user, int(event_id), data)
            name = file.filename if file is not None and file.filename else "material.pdf"
            with pdf.open("rb") as stream:
                return advocacy.add_material(session, user, int(event_id), data, (name, stream))

        return await _step(request, session, user, cid, "files", step, form=form)


@router.post("/training/{cid}/sessions", response_model=None)
async def add_session(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Create a training session (an event of kind training_session, a draft the signed-in
    person organises) and link it to the course; or link an existing one by its number."""
    from socialcover import advocacy

    def step(f: dict[str, str]) -> object:
        existing = f.get("event_id", "").strip()
        if existing:
            eid = int(existing) if existing.isdigit() else 0
            return advocacy.add_course_session(session, user, cid, eid)
        advocacy.get_course(session, cid)
        event = advocacy.create_event(
            session,
            user,
            {
                "kind": "training_session",
                "title": f.get("title", ""),
                "starts_at": f.get("starts_at", ""),
                "ends_at": f.get("ends_at", ""),
                "timezone": f.get("timezone", "") or "UTC",
                "place": f.get("place", ""),
                "country_iso3": f.get("country_iso3", ""),
                "language": f.get("language", "en"),
            },
        )
        session.flush()
        return advocacy.add_course_session(session, user, cid, event.id)

    return await _step(request, session, user, cid, "sessions", step)


@router.post("/training/{cid}/participants", response_model=None)
async def add_participant(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Register a participant in one of the course's sessions (its organisers)."""
    from socialcover import advocacy

    def step(f: dict[str, str]) -> object:
        eid = f.get("event_id", "")
        course = advocacy.get_course(session, cid)
        if not eid.isdigit() or int(eid) not in {s.event_id for s in course.sessions}:
            raise InputError(
                f"Event {eid!r} is not a session of this course.",
                code="training.unknown-session",
                hint="Choose one of the course's sessions; nothing was saved.",
                fields=["event_id"],
            )
        org = f.get("organisation_id", "").strip()
        return advocacy.add_participant(
            session,
            user,
            int(eid),
            {
                "name": f.get("name", ""),
                "email": f.get("email", ""),
                "sex": f.get("sex", "not_stated"),
                "constituent": f.get("constituent", "other"),
                "country_iso3": f.get("country_iso3", ""),
                "organisation_id": int(org) if org.isdigit() else None,
                "organisation_name": f.get("organisation_name", ""),
            },
        )

    return await _step(request, session, user, cid, "participants", step)


def _score(text: str) -> str | None:
    text = text.strip()
    if text.count(",") == 1 and "." not in text:  # a decimal comma
        text = text.replace(",", ".")
    return text or None


@router.post("/training/{cid}/scores/file", response_model=None)
async def upload_scores(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    file: UploadFile = File(...),
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Record the scores of a CSV file: every row or none; bad rows are named by number."""
    from socialcover import advocacy

    limit = request.app.state.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="sc-scores-") as folder:
        path = Path(folder) / "scores.csv"
        await save_upload(file, path, limit, "Send the scores of one course at a time.")
        return await _step(
            request,
            session,
            user,
            cid,
            "scores",
            lambda f: advocacy.import_scores(session, user, cid, path),
            form={},
        )


@router.post("/training/{cid}/scores/{pid}", response_model=None)
async def record_scores(
    request: Request,
    cid: RecordId,
    pid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> Response:
    """Record one participant's pre and post scores (the organisers of the session)."""
    from socialcover import advocacy

    def step(f: dict[str, str]) -> object:
        return advocacy.record_scores(
            session,
            user,
            cid,
            pid,
            {
                "pre_score": _score(f.get("pre_score", "")),
                "post_score": _score(f.get("post_score", "")),
            },
        )

    return await _step(request, session, user, cid, "scores", step, row=pid)


@router.get("/training/{cid}/scores.csv", response_model=None)
async def scores_sheet(
    cid: RecordId, session: ReadSession, user: Principal = Depends(Need("training.edit"))
) -> Response:
    """The sheet of the participants whose scores the caller records, to fill in."""
    from socialcover import advocacy

    text = await run_in_threadpool(advocacy.scores_sheet, session, user, cid)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="course-{cid}-scores.csv"'},
    )
