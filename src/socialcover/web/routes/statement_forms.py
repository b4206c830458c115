"""Statement forms: draft a joint statement or policy position citing report figures,
practices and publications (picked from a search, or by id), share the draft with partner
organisations, let their people sign it from its page, and take it through review.

Who may do what is the store's: ``statement.draft`` at the gate of the author's forms, then
the statement's workflow (its author or an editor); ``statement.sign`` for the signature form,
then :func:`socialcover.advocacy.sign_statement` (one's own organisation, a partner of it).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import SocialcoverError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import WriteSession
from socialcover.web.errors import WebError
from socialcover.web.params import RecordId
from socialcover.web.render import render
from socialcover.web.routes.form_fields import field_errors, form_text

router = APIRouter(include_in_schema=False)

FIGURE_ROWS = 3
STEPS = ("submit", "publish", "withdraw")


def citations_of(form: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The citations the form picks: checked records, typed ``practice:12`` ids, figures."""
    errors: dict[str, str] = {}
    picked = [str(v) for v in form.getlist("cite")]
    typed = [t.strip() for t in form_text(form, "cite_ids", 2000).replace(";", ",").split(",")]
    out: list[dict[str, Any]] = []
    bad = []
    for ref in picked + [t for t in typed if t]:
        kind, _, rid = ref.partition(":")
        if kind in ("practice", "publication") and rid.isdigit() and len(rid) < 19:
            item = {"type": kind, "id": int(rid)}
            if item not in out:
                out.append(item)
        else:
            bad.append(ref)
    if bad:
        errors["cite_ids"] = (
            f"Not a citation: {', '.join(repr(b[:40]) for b in bad)}. Write practice:12 or "
            "publication:3 (the id is on the record's page), separated by commas."
        )
    for row in range(1, FIGURE_ROWS + 1):
        indicator = form_text(form, f"fig_indicator_{row}", 80)
        area = form_text(form, f"fig_area_{row}", 60)
        year = form_text(form, f"fig_year_{row}", 4)
        if indicator or area or year:
            out.append({"type": "figure", "indicator": indicator, "area": area, "year": year})
    return out, errors


def statement_input(form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as :class:`socialcover.advocacy.StatementInput` reads it, and its own errors."""
    citations, errors = citations_of(form)
    data = {
        "kind": form_text(form, "kind") or "joint_statement",
        "title": form_text(form, "title", 300),
        "text": form_text(form, "text"),
        "language": form_text(form, "language") or "en",
        "citations": citations,
    }
    return data, errors


def candidates(s: Session, user: Any, q: str) -> list[dict[str, Any]]:
    """Practices and publications ``user`` may cite, matching ``q`` (the library's search)."""
    from socialcover import knowledge

    hits = knowledge.search(s, user, q, limit=20, with_facets=False).hits
    return [
        {"ref": f"{h.kind}:{h.record_id}", "kind": h.kind, "id": h.record_id, "title": h.title}
        for h in hits
        if h.kind in ("practice", "publication")
    ]


def _values(data: dict[str, Any], form: Any | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {k: data[k] for k in ("kind", "title", "text", "language")}
    values["cited"] = [f"{c['type']}:{c['id']}" for c in data["citations"] if "id" in c]
    figures = [c for c in data["citations"] if c["type"] == "figure"]
    for row, c in enumerate(figures, start=1):
        for k in ("indicator", "area", "year"):
            values[f"fig_{k}_{row}"] = str(c[k])
    if form is not None:
        values["cite_ids"] = form_text(form, "cite_ids", 2000)
    return values


def _rename(data: dict[str, Any]) -> dict[str, str]:
    """Schema locations to inputs: a figure citation to its row, records to the id box."""
    rename: dict[str, str] = {}
    row = 0
    for i, c in enumerate(data["citations"]):
        if c["type"] == "figure":
            row += 1
            for k in ("indicator", "area", "year"):
                rename[f"citations.{i}.figure.{k}"] = f"fig_{k}_{row}"
                rename[f"citations.{i}.{k}"] = f"fig_{k}_{row}"
        rename[f"citations.{i}"] = "cite_ids"
    rename["citations"] = "cite_ids"
    return rename


def _context(
    s: Session, user: Any, values: dict[str, Any], errors: dict[str, str], q: str, **more: Any
) -> dict[str, Any]:
    from socialcover import advocacy, monitor

    found = candidates(s, user, q)
    cited = set(values.get("cited", []))
    return {
        "values": values,
        "errors": errors,
        "q": q,
        "found": found,
        "already": sorted(cited - {f["ref"] for f in found}),
        "kinds": advocacy.STATEMENT_KINDS,
        "rows": range(1, FIGURE_ROWS + 1),
        "indicators": [i.code for i in monitor.list_indicators()],
        **more,
    }


@router.get("/statements/new", response_class=HTMLResponse)
async def new_statement(
    request: Request,
    session: WriteSession,
    q: str = Query("", max_length=200),
    user: Principal = Depends(Need("statement.draft")),
) -> HTMLResponse:
    """The drafting form (``q`` searches the practices and publications to cite)."""
    values = {"language": getattr(request.state, "lang", "en"), "kind": "joint_statement"}
    context = await run_in_threadpool(_context, session, user, values, {}, q)
    return render(request, "advocacy/statement_form.html", context | {"action": "/statements/new"})


async def _save(request: Request, session: Session, user: Any, sid: int | None) -> Response:
    from socialcover import advocacy

    form = await request.form()
    data, errors = statement_input(form)
    action = f"/statements/{sid}/edit" if sid else "/statements/new"
    q = form_text(form, "q", 200)
    if form.get("do") == "search":  # the citation search, without losing what was written
        context = await run_in_threadpool(_context, session, user, _values(data, form), {}, q)
        return render(request, "advocacy/statement_form.html", context | {"action": action})

    def _do() -> int:
        if sid is None:
            st = advocacy.create_statement(session, user, data)
        else:
            version = form_text(form, "version")
            st = advocacy.update_statement(
                session,
                user,
                sid,
                data,
                expected_version=int(version) if version.isdigit() else None,
            )
        session.flush()
        return int(st.id)

    status = 422
    if not errors:
        try:
            return RedirectResponse(f"/statements/{await run_in_threadpool(_do)}/edit?saved=1", 303)
        except SocialcoverError as exc:
            await run_in_threadpool(session.rollback)
            errors = field_errors(exc, advocacy.StatementInput, data, rename=_rename(data))
            status = 403 if exc.code == "auth.forbidden" else 422
    context = await run_in_threadpool(_context, session, user, _values(data, form), errors, q)
    return render(request, "advocacy/statement_form.html", context | {"action": action}, status)


@router.post("/statements/new", response_model=None)
async def create_statement(
    request: Request, session: WriteSession, user: Principal = Depends(Need("statement.draft"))
) -> Response:
    """Draft the statement; refused with the problem next to each field."""
    return await _save(request, session, user, None)


def manage_context(s: Session, user: Any, sid: int, q: str = "", org_q: str = "") -> dict[str, Any]:
    """The author's page of a statement: its form, partners, endorsers and steps."""
    from socialcover import actors, advocacy, store

    st = advocacy.get_statement(s, user, sid)
    may_edit = advocacy.STATEMENTS.may_edit(user, st)
    may_share = advocacy.STATEMENTS.is_owner(user, st) or store.can(user.role, "statement.edit_any")
    if not (may_edit or may_share):
        raise store.PermissionDeniedError(
            f"Statement {sid} is not yours to manage.",
            hint="Its page shows it; its author and the editors manage it.",
        )
    d = advocacy.statement_as_dict(st)
    values = {k: d[k] for k in ("kind", "title", "text", "language")} | {"version": d["version"]}
    values["cited"] = [f"{c['type']}:{c['id']}" for c in d["citations"] if "id" in c]
    figures = [c for c in d["citations"] if c["type"] == "figure"]
    for row, c in enumerate(figures, start=1):
        for k in ("indicator", "area", "year"):
            values[f"fig_{k}_{row}"] = str(c[k])
    shared = {p.organisation_id for p in st.partners}
    orgs = [
        o
        for o in actors.list_organisations(s, name_contains=org_q or None, limit=200)
        if o.id not in shared
    ]
    return _context(
        s,
        user,
        values,
        {},
        q,
        st=d,
        partners=[{"id": p.organisation_id, "name": p.organisation.name} for p in st.partners],
        organisations=[{"id": o.id, "name": o.name} for o in orgs],
        org_q=org_q,
        may_edit=may_edit,
        may_share=may_share,
        may_submit=advocacy.STATEMENTS.is_owner(user, st) and d["status"] in ("draft", "returned"),
        may_review=store.can(user.role, "statement.publish"),
        action=f"/statements/{sid}/edit",
    )


@router.get("/statements/{sid}/edit", response_class=HTMLResponse)
async def manage_statement(
    request: Request,
    sid: RecordId,
    session: WriteSession,
    q: str = Query("", max_length=200),
    org_q: str = Query("", max_length=200),
    user: Principal = Depends(Need("statement.draft")),
) -> HTMLResponse:
    """The statement's form, its partners (share with one more), and its review steps."""
    context = await run_in_threadpool(manage_context, session, user, sid, q, org_q)
    context["saved"] = request.query_params.get("saved") == "1"
    return render(request, "advocacy/statement_form.html", context)


@router.post("/statements/{sid}/edit", response_model=None)
async def update_statement(
    request: Request,
    sid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("statement.draft")),
) -> Response:
    """Save the statement's text and citations."""
    return await _save(request, session, user, sid)


async def _page_with(
    request: Request, session: Session, user: Any, sid: int, exc: SocialcoverError, key: str
) -> HTMLResponse:
    from socialcover.store import PermissionDeniedError

    await run_in_threadpool(session.rollback)
    context = await run_in_threadpool(manage_context, session, user, sid)
    context[key] = {"": f"{exc.message} {exc.hint}".strip()}
    status = 403 if isinstance(exc, PermissionDeniedError) else 422
    return render(request, "advocacy/statement_form.html", context, status)


@router.post("/statements/{sid}/partners", response_model=None)
async def share(
    request: Request,
    sid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("statement.draft")),
) -> Response:
    """Share the statement with a partner organisation (its people read and sign the draft)."""
    from socialcover import advocacy

    form = await request.form()
    org = form_text(form, "organisation_id")
    try:
        if not org.isdigit() or len(org) > 18:
            from socialcover.store import ValidationError

            raise ValidationError(
                "Choose the partner organisation in the list.",
                hint="Search the registry by name to find it.",
                fields=["organisation_id"],
            )
        await run_in_threadpool(advocacy.share_statement, session, user, sid, int(org))
    except SocialcoverError as exc:
        return await _page_with(request, session, user, sid, exc, "share_errors")
    return RedirectResponse(f"/statements/{sid}/edit?saved=1#partners", status_code=303)


@router.post("/statements/{sid}/sign", response_model=None)
async def sign(
    request: Request,
    sid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("statement.sign")),
) -> Response:
    """Sign the statement for one's organisation (a partner of it): who, in which capacity."""
    from socialcover import advocacy
    from socialcover.store import PermissionDeniedError
    from socialcover.web.routes.advocacy import statement_detail

    form = await request.form()
    signed_by = form_text(form, "signed_by", 400)
    title = form_text(form, "signed_by_title", 200)
    try:
        await run_in_threadpool(
            lambda: advocacy.sign_statement(
                session, user, sid, signed_by=signed_by, signed_by_title=title
            )
        )
    except SocialcoverError as exc:
        await run_in_threadpool(session.rollback)
        st = await run_in_threadpool(statement_detail, session, user, sid)
        field = "signed_by" if exc.code == "statement.signatory-required" else ""
        return render(
            request,
            "advocacy/statement.html",
            {
                "st": st,
                "may_sign": field == "signed_by",
                "sign_errors": {field: f"{exc.message} {exc.hint}".strip()},
                "sign_values": {"signed_by": signed_by, "signed_by_title": title},
            },
            status_code=403 if isinstance(exc, PermissionDeniedError) else 422,
        )
    return RedirectResponse(f"/statements/{sid}?signed=1#endorsers", status_code=303)


@router.post("/statements/{sid}/steps/{step}", response_model=None)
async def move_statement(
    sid: RecordId,
    step: str,
    session: WriteSession,
    user: Principal = Depends(Need("statement.draft")),
) -> Response:
    """Submit (its author), publish with its endorsers or withdraw (reviewers)."""
    from socialcover import advocacy

    if step not in STEPS:
        raise WebError(
            404, f"No step {step!r}.", code="http.not-found", hint=f"Use {', '.join(STEPS)}."
        )
    await run_in_threadpool(advocacy.STATEMENTS.move, session, user, sid, step)
    return RedirectResponse(f"/statements/{sid}/edit?saved=1", status_code=303)
