"""The practice library: list and search, one practice, drafting, review, history and revert."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import InputError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession, public_version
from socialcover.web.paging import Page, page_paging
from socialcover.web.params import FormVersion, RecordId
from socialcover.web.render import page_once, render
from socialcover.web.routes.history import history_page, revert_record
from socialcover.web.search_view import run_search

router = APIRouter(include_in_schema=False)

TEXT_FIELDS = (
    "title",
    "country_iso3",
    "guarantee",
    "mechanism",
    "summary",
    "what_was_done",
    "results",
    "evaluation",
    "lessons",
    "assessment",
    "language",
)


def _choices() -> dict[str, list[str]]:
    from socialcover.store import Assessment, EvidenceStrength, Guarantee

    return {
        "guarantees": [g.value for g in Guarantee],
        "assessments": [a.value for a in Assessment],
        "evidence": [e.value for e in EvidenceStrength],
    }


def form_to_practice(form: dict[str, Any]) -> dict[str, Any]:
    """Turn the drafting form's fields into the store's practice input."""
    data: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in TEXT_FIELDS}
    data["target_groups"] = [
        t.strip() for t in str(form.get("target_groups", "")).split(",") if t.strip()
    ]
    for key in ("period_start", "period_end"):
        raw = str(form.get(key, "")).strip()
        data[key] = int(raw) if raw.isdigit() else None
    ev = str(form.get("evidence_strength", "")).strip()
    data["evidence_strength"] = ev or None
    src_title = str(form.get("source_title", "")).strip()
    if src_title:
        data["sources"] = [
            {
                "title": src_title,
                "publisher": str(form.get("source_publisher", "")).strip(),
                "url": str(form.get("source_url", "")).strip() or None,
            }
        ]
    if not data["language"]:
        data["language"] = "en"
    return data


@router.get("/practices", response_class=HTMLResponse)
async def practice_library(
    request: Request,
    session: ReadSession,
    q: str = Query("", max_length=200),
    branch: str = Query("", max_length=40),
    assessment: str = Query("", max_length=20),
    region: str = Query("", max_length=60),
    country: str = Query("", max_length=3),
    pg: Page = Depends(page_paging),
    user: Principal | None = Depends(Need("practice.read_published")),
) -> HTMLResponse:
    """Published practices (and one's own drafts), with full-text search, facets and pages."""
    filters = {"branch": branch, "assessment": assessment, "region": region, "country": country}
    template = "_practice_results.html" if request.headers.get("hx-request") else "practices.html"
    lang = request.state.lang
    key = None
    if user is None:
        version = await run_in_threadpool(public_version, session)
        key = (version, q, tuple(sorted(filters.items())), pg.page, pg.per_page)

    async def build() -> HTMLResponse:
        result = await run_in_threadpool(
            run_search, session, user, q, filters, "practice", pg.per_page, pg.offset, lang
        )
        pages = pg.links(request, result["total"])
        ctx = {"q": q, "filters": filters, "result": result, "pages": pages}
        return render(request, template, ctx, cache_key=key)

    return await page_once(request, template, key, build)


@router.get("/practices/new", response_class=HTMLResponse)
async def new_practice(
    request: Request, user: Principal = Depends(Need("practice.draft"))
) -> HTMLResponse:
    """The drafting form."""
    return render(request, "practice_form.html", {"p": {}, "choices": _choices(), "mode": "new"})


@router.post("/practices", response_model=None)
async def create_practice(
    request: Request, session: WriteSession, user: Principal = Depends(Need("practice.draft"))
) -> Response:
    """Save a new draft (private to its author and the reviewers)."""
    from socialcover import knowledge

    form = dict(await request.form())
    data = form_to_practice(form)

    def _do() -> int:
        p = knowledge.create_practice(session, user, data)
        session.flush()
        return int(p.id)

    try:
        pid = await run_in_threadpool(_do)
    except InputError as exc:
        await run_in_threadpool(session.rollback)  # the form is shown again: nothing is kept
        return render(
            request,
            "practice_form.html",
            {
                "p": form,
                "choices": _choices(),
                "mode": "new",
                "flash": exc.message + " " + exc.hint,
                "flash_error": True,
            },
            status_code=422,
        )
    return RedirectResponse(f"/practices/{pid}", status_code=303)


def _load(s: Session, user: Principal | None, pid: int, base_url: str = "") -> dict[str, Any]:
    from socialcover import knowledge, monitor, store

    p = knowledge.get_practice(s, user, pid)
    out = knowledge.practice_view(s, user, pid, base_url)
    out["can_verify"] = user is not None and store.can(user.role, "practice.verify")
    out["can_edit"] = user is not None and (
        store.can(user.role, "practice.edit_any")
        or (p.created_by_id == user.id and p.status in ("draft", "returned"))
    )
    out["can_submit"] = (
        user is not None and p.created_by_id == user.id and p.status in ("draft", "returned")
    )
    out["can_review"] = (
        user is not None and store.can(user.role, "practice.publish") and p.status != "published"
    )
    out["can_history"] = user is not None and store.can(user.role, "record.history")
    # an evaluated practice shows its evidence: the evaluations of it the reader may see
    out["evaluations"] = monitor.evaluations_of_practice(s, user, pid).to_dicts()
    return out


@router.get("/practices/{pid}", response_class=HTMLResponse)
async def practice_page(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("practice.read_published")),
) -> HTMLResponse:
    """One practice, its claims and how far they are verified, its evidence, how to cite it."""
    base = str(request.base_url).rstrip("/")
    from babel import Locale

    from socialcover.knowledge import translated

    lang = request.state.lang
    p = await run_in_threadpool(_load, session, user, pid, base)
    original = Locale.parse(lang).languages.get(p["language"], p["language"])
    ctx = {"p": p, "shown": translated(p, lang), "original_language": original}
    return render(request, "practice.html", ctx)


@router.get("/practices/{pid}/edit", response_class=HTMLResponse)
async def edit_practice_form(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("practice.draft")),
) -> HTMLResponse:
    """The form to edit a draft (own drafts; reviewers any)."""
    p = await run_in_threadpool(_load, session, user, pid)
    flat = dict(p)
    flat["target_groups"] = ", ".join(p.get("target_groups") or [])
    if p.get("sources"):
        flat["source_title"] = p["sources"][0].get("title", "")
        flat["source_publisher"] = p["sources"][0].get("publisher", "")
        flat["source_url"] = p["sources"][0].get("url") or ""
    return render(request, "practice_form.html", {"p": flat, "choices": _choices(), "mode": "edit"})


@router.post("/practices/{pid}/edit", response_model=None)
async def edit_practice(
    request: Request,
    pid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("practice.draft")),
) -> Response:
    """Save changes to a practice (checked against the version the editor loaded)."""
    from socialcover import knowledge

    form = dict(await request.form())
    data = form_to_practice(form)
    version_raw = str(form.get("version", ""))
    version = int(version_raw) if version_raw.isdigit() else None

    def _do() -> None:
        knowledge.update_practice(session, user, pid, data, expected_version=version)

    try:
        await run_in_threadpool(_do)
    except InputError as exc:
        await run_in_threadpool(session.rollback)  # the form is shown again: nothing is kept
        shown: dict[str, Any] = {**form, "id": pid}
        return render(
            request,
            "practice_form.html",
            {
                "p": shown,
                "choices": _choices(),
                "mode": "edit",
                "flash": exc.message + " " + exc.hint,
                "flash_error": True,
            },
            status_code=422,
        )
    return RedirectResponse(f"/practices/{pid}", status_code=303)


async def _workflow_step(
    session: Session, user: Principal, pid: int, step: str, *args: Any
) -> Response:
    """Run one workflow step of ``socialcover.knowledge`` in a write session, then show it."""
    from socialcover import knowledge

    def _do() -> None:
        getattr(knowledge, step)(session, user, pid, *args)

    await run_in_threadpool(_do)
    return RedirectResponse(f"/practices/{pid}", status_code=303)


@router.post("/practices/{pid}/submit")
async def submit_practice(
    pid: RecordId, session: WriteSession, user: Principal = Depends(Need("practice.draft"))
) -> Response:
    """Send one's draft to the reviewers."""
    return await _workflow_step(session, user, pid, "submit_practice")


@router.post("/practices/{pid}/publish")
async def publish_practice(
    pid: RecordId,
    session: WriteSession,
    comment: str = Form("", max_length=2000),
    user: Principal = Depends(Need("practice.publish")),
) -> Response:
    """Publish a practice (reviewers)."""
    return await _workflow_step(session, user, pid, "publish_practice", comment)


@router.post("/practices/{pid}/return")
async def return_practice(
    pid: RecordId,
    session: WriteSession,
    comment: str = Form("", max_length=2000),
    user: Principal = Depends(Need("practice.publish")),
) -> Response:
    """Return a submitted practice to its author with a comment (reviewers)."""
    return await _workflow_step(session, user, pid, "return_practice", comment)


@router.get("/review", response_class=HTMLResponse)
async def review_queue(
    request: Request,
    session: ReadSession,
    pg: Page = Depends(page_paging),
    user: Principal = Depends(Need("practice.read_drafts")),
) -> HTMLResponse:
    """Practices waiting for review, a page at a time, with their count."""
    from socialcover import knowledge

    def _do() -> tuple[list[dict[str, Any]], int]:
        rows = knowledge.list_practices(
            session, user, status="submitted", limit=pg.per_page, offset=pg.offset
        )
        total = knowledge.count_practices(session, user, status="submitted")
        return [knowledge.practice_as_dict(p) for p in rows], total

    rows, total = await run_in_threadpool(_do)
    return render(request, "review.html", {"rows": rows, "pages": pg.links(request, total)})


@router.get("/practices/{pid}/history", response_class=HTMLResponse)
async def practice_history(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("record.history")),
) -> HTMLResponse:
    """Every version of a practice, who made it and what changed."""
    return await history_page(request, session, user, "practices", pid)


@router.post("/practices/{pid}/revert")
async def revert_practice(
    pid: RecordId,
    session: WriteSession,
    version: FormVersion,
    user: Principal = Depends(Need("record.revert")),
) -> Response:
    """Restore an earlier version, as a new audited version (editors)."""
    return await revert_record(session, user, "practices", pid, version)
