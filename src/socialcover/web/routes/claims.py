"""A practice's claims (list, add, verify, dispute) and citations of practices and
publications (CSL-JSON, BibTeX): page forms and the REST API, each over one library function."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.knowledge import CitedSource, ClaimInput
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId
from socialcover.web.schemas.knowledge import ClaimOut, ClaimsOut

router = APIRouter()


class Verify(BaseModel):
    """What the reviewer read, and the source when it replaces the claim's."""

    against: str = Field(min_length=3, max_length=2000, description="Page or section read.")
    source: CitedSource | None = None


class Dispute(BaseModel):
    """The source that contradicts the claim, and what it says."""

    other_source: CitedSource
    note: str = Field(min_length=3, max_length=4000)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _cite(s: Session, user: Any, kind: str, rid: int, base: str) -> dict[str, Any]:
    from socialcover.knowledge.citation import csl_of_record

    return csl_of_record(s, user, kind, rid, base)


async def _csl_response(
    request: Request, session: Session, user: Any, kind: str, rid: int
) -> Response:
    item = await run_in_threadpool(_cite, session, user, kind, rid, _base(request))
    return JSONResponse(
        [item],
        media_type="application/vnd.citationstyles.csl+json",
        headers={"Content-Disposition": f'attachment; filename="{kind}-{rid}.json"'},
    )


async def _bib_response(
    request: Request, session: Session, user: Any, kind: str, rid: int
) -> Response:
    from socialcover.knowledge import bibtex_of

    item = await run_in_threadpool(_cite, session, user, kind, rid, _base(request))
    return Response(
        bibtex_of([item]),
        media_type="application/x-bibtex; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}-{rid}.bib"'},
    )


@router.get("/practices/{pid}/cite.json", include_in_schema=False)
async def practice_csl(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("practice.read_published")),
) -> Response:
    """The practice as CSL-JSON (a one-item array)."""
    return await _csl_response(request, session, user, "practice", pid)


@router.get("/practices/{pid}/cite.bib", include_in_schema=False)
async def practice_bib(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("practice.read_published")),
) -> Response:
    """The practice as BibTeX."""
    return await _bib_response(request, session, user, "practice", pid)


@router.get("/publications/{pid}/cite.json", include_in_schema=False)
async def publication_csl(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> Response:
    """The publication as CSL-JSON (a one-item array)."""
    return await _csl_response(request, session, user, "publication", pid)


@router.get("/publications/{pid}/cite.bib", include_in_schema=False)
async def publication_bib(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> Response:
    """The publication as BibTeX."""
    return await _bib_response(request, session, user, "publication", pid)


@router.post("/practices/{pid}/claims/{cid}/verify", include_in_schema=False)
async def verify_claim_form(
    pid: RecordId,
    cid: RecordId,
    session: WriteSession,
    against: str = Form(..., min_length=3, max_length=2000),
    user: Principal = Depends(Need("practice.verify")),
) -> Response:
    """The page's per-claim form: record that the reviewer checked it in its source."""
    from socialcover import knowledge

    def _do() -> None:
        knowledge.verify_claim(session, user, cid, against=against)

    await run_in_threadpool(_do)
    return RedirectResponse(f"/practices/{pid}#claim-{cid}", status_code=303)


@router.get(
    "/api/v1/practices/{pid}/claims",
    response_model=ClaimsOut,
    tags=["practices"],
    summary="A practice's claims",
)
async def api_claims(
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("practice.read_published")),
) -> dict[str, Any]:
    """The claims with status and source, and the practice's verification state."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        practice = knowledge.get_practice(session, user, pid)
        rows = knowledge.list_claims(session, user, pid)
        return {
            "verification": knowledge.verification_of(practice, rows).as_dict(),
            "claims": [knowledge.claim_as_dict(c) for c in rows],
        }

    return jsonable(await run_in_threadpool(_do))  # type: ignore[no-any-return]


@router.post(
    "/api/v1/practices/{pid}/claims",
    response_model=ClaimOut,
    status_code=201,
    tags=["practices"],
    summary="Add a claim to a practice",
)
async def api_add_claim(
    pid: RecordId,
    body: ClaimInput,
    session: WriteSession,
    user: Principal = Depends(Need("practice.draft")),
) -> dict[str, Any]:
    """Add a key fact with its source (saved unverified unless a reviewer adds it)."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        return knowledge.claim_as_dict(knowledge.add_claim(session, user, pid, body))

    return jsonable(await run_in_threadpool(_do))  # type: ignore[no-any-return]


@router.post(
    "/api/v1/claims/{cid}/verify",
    response_model=ClaimOut,
    tags=["practices"],
    summary="Verify a claim",
)
async def api_verify_claim(
    cid: RecordId,
    body: Verify,
    session: WriteSession,
    user: Principal = Depends(Need("practice.verify")),
) -> dict[str, Any]:
    """Record that the caller checked the claim in its source (reviewers)."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        row = knowledge.verify_claim(session, user, cid, against=body.against, source=body.source)
        return knowledge.claim_as_dict(row)

    return jsonable(await run_in_threadpool(_do))  # type: ignore[no-any-return]


@router.post(
    "/api/v1/claims/{cid}/dispute",
    response_model=ClaimOut,
    tags=["practices"],
    summary="Dispute a claim",
)
async def api_dispute_claim(
    cid: RecordId,
    body: Dispute,
    session: WriteSession,
    user: Principal = Depends(Need("practice.verify")),
) -> dict[str, Any]:
    """Mark the claim as contradicted by another source (reviewers)."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        row = knowledge.dispute_claim(
            session, user, cid, other_source=body.other_source, note=body.note
        )
        return knowledge.claim_as_dict(row)

    return jsonable(await run_in_threadpool(_do))  # type: ignore[no-any-return]


CiteFormat = Literal["csl-json", "bibtex", "text"]


async def _citation(
    request: Request, session: Session, user: Any, kind: str, rid: int, fmt: str
) -> Response:
    from socialcover.knowledge import cite_line

    if fmt == "csl-json":
        return await _csl_response(request, session, user, kind, rid)
    if fmt == "bibtex":
        return await _bib_response(request, session, user, kind, rid)
    item = await run_in_threadpool(_cite, session, user, kind, rid, _base(request))
    return Response(cite_line(item), media_type="text/plain; charset=utf-8")


@router.get("/api/v1/practices/{pid}/citation", tags=["practices"], summary="Cite a practice")
async def api_practice_citation(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    format: CiteFormat = "csl-json",
    user: Principal | None = Depends(Need("practice.read_published")),
) -> Response:
    """CSL-JSON (default), BibTeX, or the "cite this" line as text."""
    return await _citation(request, session, user, "practice", pid, format)


@router.get(
    "/api/v1/publications/{pid}/citation", tags=["publications"], summary="Cite a publication"
)
async def api_publication_citation(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    format: CiteFormat = "csl-json",
    user: Principal | None = Depends(Need("publication.read_published")),
) -> Response:
    """CSL-JSON (default), BibTeX, or the "cite this" line as text."""
    return await _citation(request, session, user, "publication", pid, format)
