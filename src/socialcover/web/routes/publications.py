"""Publications: the library (with download counts), one publication, upload, publish, download."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import InputError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.limits import save_upload
from socialcover.web.params import RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)


def _kinds() -> list[str]:
    from socialcover.store import PublicationKind

    return [k.value for k in PublicationKind]


def list_rows(
    s: Session, user: Any, kind: str | None, language: str | None
) -> list[dict[str, Any]]:
    """Publications the caller may see, newest first, as plain dicts."""
    from socialcover import knowledge

    return [
        jsonable(knowledge.publication_as_dict(p))
        for p in knowledge.list_publications(
            s, user, kind=kind or None, language=language or None, limit=10_000
        )
    ]


def one_row(s: Session, user: Any, pid: int, base_url: str = "") -> dict[str, Any]:
    """One publication as a dict, with its citation and its linked organisations."""
    from socialcover import knowledge

    out: dict[str, Any] = jsonable(knowledge.publication_view(s, user, pid, base_url))
    out["organisations"] = [
        {"id": o.id, "name": o.name, "role": role}
        for o, role in knowledge.linked_organisations(s, "publication", pid)
    ]
    return out


@asynccontextmanager
async def saved_pdf(request: Request, file: UploadFile | None) -> AsyncIterator[Path | None]:
    """The uploaded PDF on disk for the block (413 past the PDF limit), removed after it.

    Yields ``None`` when no file (or an empty file field) was sent.
    """
    limit = request.app.state.settings.max_pdf_bytes
    hint = "Compress the PDF (e.g. lower image resolution) or link to it by URL instead."
    with tempfile.TemporaryDirectory(prefix="sc-pdf-") as folder:
        path = Path(folder) / "upload.pdf"
        if file is None or not file.filename or not await save_upload(file, path, limit, hint):
            yield None
        else:
            yield path


def attach_saved(s: Session, user: Any, pid: int, filename: str, path: Path) -> Any:
    """Attach a saved upload as the publication's PDF (checked by the library)."""
    from socialcover import knowledge

    with path.open("rb") as pdf:
        return knowledge.attach_pdf(s, user, pid, filename, pdf)


def download(s: Session, user: Any, pid: int) -> FileResponse:
    """The publication's PDF (counts one download, in its month and the country of the
    downloader's organisation; in a write session)."""
    from socialcover import advocacy

    path, name = advocacy.download_publication(s, user, pid)
    return FileResponse(path, media_type="application/pdf", filename=name)


@router.get("/publications", response_class=HTMLResponse)
async def publications(
    request: Request,
    session: ReadSession,
    kind: str = Query("", max_length=30),
    language: str = Query("", max_length=2),
    user: Principal | None = Depends(Need("publication.read_published")),
) -> HTMLResponse:
    """The publication library."""
    rows = await run_in_threadpool(list_rows, session, user, kind, language)
    return render(
        request,
        "publications.html",
        {"rows": rows, "kinds": _kinds(), "kind": kind, "language": language},
    )


@router.get("/publications/new", response_class=HTMLResponse)
async def new_publication(
    request: Request, user: Principal = Depends(Need("publication.upload"))
) -> HTMLResponse:
    """The upload form."""
    return render(request, "publication_form.html", {"kinds": _kinds(), "p": {}})


@router.post("/publications", response_model=None)
async def create_publication(
    request: Request,
    session: WriteSession,
    file: UploadFile | None = File(None),
    user: Principal = Depends(Need("publication.upload")),
) -> Response:
    """Record a publication (draft) and attach its PDF."""
    from socialcover import knowledge

    form = dict(await request.form())
    data: dict[str, Any] = {
        k: str(form.get(k, "")).strip()
        for k in ("title", "kind", "publisher", "language", "abstract", "url")
    }
    data["url"] = data["url"] or None
    data["authors"] = [a.strip() for a in str(form.get("authors", "")).split(";") if a.strip()]
    data["editors"] = [a.strip() for a in str(form.get("editors", "")).split(";") if a.strip()]
    for key in ("series", "series_number", "doi", "isbn"):
        data[key] = str(form.get(key, "")).strip() or None
    data["keywords"] = [a.strip() for a in str(form.get("keywords", "")).split(",") if a.strip()]
    year = str(form.get("year", "")).strip()
    data["year"] = int(year) if year.isdigit() else None
    fname = file.filename if file is not None and file.filename else ""

    async with saved_pdf(request, file) as pdf:

        def _do() -> int:
            p = knowledge.create_publication(session, user, data)
            session.flush()
            if pdf is not None:
                attach_saved(session, user, p.id, fname, pdf)
            return int(p.id)

        try:
            pid = await run_in_threadpool(_do)
        except InputError as exc:
            await run_in_threadpool(session.rollback)  # the form is shown again: nothing is kept
            return render(
                request,
                "publication_form.html",
                {
                    "kinds": _kinds(),
                    "p": form,
                    "flash": f"{exc.message} {exc.hint}",
                    "flash_error": True,
                },
                status_code=422,
            )
    return RedirectResponse(f"/publications/{pid}", status_code=303)


@router.get("/publications/{pid}", response_class=HTMLResponse)
async def publication_page(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> HTMLResponse:
    """One publication."""
    from socialcover import store

    p = await run_in_threadpool(one_row, session, user, pid, str(request.base_url).rstrip("/"))
    can_publish = user is not None and store.can(user.role, "publication.publish")
    can_edit = await run_in_threadpool(_can_edit, session, user, pid)
    return render(
        request,
        "publication.html",
        {"p": p, "can_publish": can_publish, "can_edit": can_edit, "edition": {}, "errors": {}},
    )


def _can_edit(s: Session, user: Any, pid: int) -> bool:
    from socialcover import knowledge

    return knowledge.can_edit_publication(s, user, pid)


@router.post("/publications/{pid}/editions", response_model=None)
async def add_edition(
    request: Request,
    pid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("publication.upload")),
) -> Response:
    """Add a language edition (the page's form); errors are shown next to their fields."""
    from socialcover import knowledge, store

    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}

    def _do() -> None:
        knowledge.add_edition(session, user, pid, form)

    try:
        await run_in_threadpool(_do)
    except InputError as exc:
        await run_in_threadpool(session.rollback)  # nothing is kept; the form comes back filled
        p = await run_in_threadpool(one_row, session, user, pid, str(request.base_url).rstrip("/"))
        problems = exc.context.get("problems") or {"(record)": exc.message}
        return render(
            request,
            "publication.html",
            {
                "p": p,
                "can_publish": store.can(user.role, "publication.publish"),
                "can_edit": True,
                "edition": form,
                "errors": problems,
                "flash": f"{exc.message} {exc.hint}",
                "flash_error": True,
            },
            status_code=422,
        )
    return RedirectResponse(f"/publications/{pid}#editions", status_code=303)


@router.post("/publications/{pid}/editions/remove", response_model=None)
async def remove_edition(
    pid: RecordId,
    session: WriteSession,
    language: str = Form(..., min_length=2, max_length=2),
    user: Principal = Depends(Need("publication.upload")),
) -> Response:
    """Remove the edition in ``language``."""
    from socialcover import knowledge

    def _do() -> None:
        knowledge.remove_edition(session, user, pid, language)

    await run_in_threadpool(_do)
    return RedirectResponse(f"/publications/{pid}#editions", status_code=303)


@router.get("/publications/{pid}/file")
async def publication_file(
    pid: RecordId,
    session: WriteSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> FileResponse:
    """Download the PDF (counted)."""
    return await run_in_threadpool(download, session, user, pid)


@router.post("/publications/{pid}/publish")
async def publish(
    pid: RecordId, session: WriteSession, user: Principal = Depends(Need("publication.publish"))
) -> Response:
    """Publish a publication (reviewers)."""
    from socialcover import knowledge

    def _do() -> None:
        knowledge.publish_publication(session, user, pid)

    await run_in_threadpool(_do)
    return RedirectResponse(f"/publications/{pid}", status_code=303)
