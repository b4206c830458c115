"""The page of an engagement's national strategy (``/engagements/{id}/strategy``): the strategy,
its objectives, measures and timeline, financing against fiscal space, the logframe with its
progress, and the progress reports issued on it; the team's forms to write all of it.

Each form posts to a thin adapter over one function of :mod:`socialcover.countries`; a bad
form shows the page again with the problem next to the field (nothing saved), a refused one the
error page. Readers see a published strategy of a published engagement, without the forms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import InputError, NotFoundError, SocialcoverError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.params import RecordId
from socialcover.web.render import render
from socialcover.web.routes.form_fields import form_float, form_int, posted_form, run_form

router = APIRouter(include_in_schema=False)

FORMS = ("strategy", "objective", "measure", "logframe", "report")
"""The page's forms; a refused post names its form, so its errors show beside its fields."""


def page_data(s: Session, user: Any, eid: int) -> dict[str, Any]:
    """Everything the strategy page shows, as ``user`` may see it.

    Raises
    ------
    RecordNotFoundError
        No engagement, or no strategy ``user`` may see and ``user`` not on the team (who sees
        the empty page with the form that writes it).
    """
    from socialcover import countries
    from socialcover.monitor import list_indicators

    e = countries.get_engagement(s, user, eid)
    team = countries.is_team(user, e)
    out: dict[str, Any] = {
        "engagement": {"id": e.id, "title": e.title, "country_iso3": e.country_iso3},
        "team": team,
        "strategy": None,
        "reports": [],
    }
    try:
        out["strategy"] = countries.strategy_as_dict(s, user, eid)
    except NotFoundError:
        if not team:
            raise
    st = out["strategy"]
    if st is not None:
        out["reports"] = countries.progress_reports(s, user, eid)
        try:
            st["financing"] = countries.strategy_financing(s, user, eid)
        except SocialcoverError as exc:  # no data pack to cost with: the rest still shows
            st["financing_error"] = f"{exc.message} {exc.hint}".strip()
        try:
            st["progress"] = countries.progress_report(s, user, eid)
        except SocialcoverError as exc:
            st["progress_error"] = f"{exc.message} {exc.hint}".strip()
        st["objective_text"] = {o["id"]: o["text"] for o in st["objectives"]}
    if team:
        out["recommendations"] = [
            {"id": r["id"], "text": r["text"], "agreed": r["agreed"], "cost": r.get("cost")}
            for row in countries.assessment_matrix(s, user, eid)
            for r in row["recommendations"]
        ]
        info = countries.engagement_as_dict(s, user, e)
        out["organisations"] = [
            {"id": p["organisation_id"], "name": p["name"]} for p in info["partners"]
        ]
        out["indicators"] = [(d.code, d.name) for d in list_indicators()]
        out["baselines"] = countries.logframe_baselines(s, user, eid)
        out["levels"] = countries.LOGFRAME_LEVELS
    return out


def field_errors(exc: SocialcoverError) -> dict[str, str]:
    """The error's message for each field it names (``store.invalid`` names each field's own
    problem, "field: problem (got ...)"; other errors give their whole message)."""
    fields = [str(f).split(".")[0] for f in exc.context.get("fields", []) or []]
    parts = exc.message.split(": ", 1)[-1].rstrip(".").split("; ")
    out = {}
    for name in fields:
        own = [p for p in parts if p.startswith(f"{name}: ") or p.startswith(f"{name}.")]
        out[name] = own[0].split(": ", 1)[1] if own else exc.message
    return out


async def _show(
    request: Request,
    session: Session,
    user: Principal | None,
    eid: int,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    data = await run_in_threadpool(page_data, session, user, eid)
    return render(
        request,
        "strategy.html",
        {"d": data, "errors": {}, "values": {}, **(extra or {})},
        status_code=status_code,
    )


@router.get("/engagements/{eid}/strategy", response_class=HTMLResponse)
async def strategy_page(
    request: Request,
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> HTMLResponse:
    """The national strategy: objectives, measures, timeline, financing, logframe, reports."""
    return await _show(request, session, user, eid)


def _refusable(exc: SocialcoverError) -> bool:
    # an unknown indicator code is typed in the logframe form: shown beside its field
    return isinstance(exc, InputError) or exc.code == "monitor.unknown-indicator"


async def _step(
    request: Request,
    session: Session,
    user: Principal,
    eid: int,
    form_name: str,
    step: Callable[[dict[str, str]], object],
    anchor: str | None = None,
    done: Callable[[Any], str] | None = None,
) -> Response:
    """Run one domain call with the posted form; on bad input show the page again with the
    problem beside the form's fields."""
    form = await posted_form(request, lists=("recommendation_ids",))

    async def refused(exc: SocialcoverError) -> Response:
        errors = field_errors(exc) if isinstance(exc, InputError) else {"indicator": exc.message}
        return await _show(
            request,
            session,
            user,
            eid,
            {
                "flash": f"{exc.message} {exc.hint}".strip(),
                "flash_error": True,
                "failed": form_name,
                "errors": errors,
                "first_error": next(iter(errors), None),
                "values": {form_name: form},
            },
            status_code=422,
        )

    return await run_form(
        session,
        lambda: step(form),
        done or f"/engagements/{eid}/strategy#{anchor or form_name}",
        refused,
        refusable=_refusable,
    )


@router.post("/engagements/{eid}/strategy", response_model=None)
async def set_strategy(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Write the strategy's title, vision and years (its team)."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        data = {
            "title": f.get("title", "").strip(),
            "vision": f.get("vision", ""),
            "start_year": form_int(f.get("start_year")),
            "end_year": form_int(f.get("end_year")),
        }
        return countries.set_strategy(session, user, eid, data)

    return await _step(request, session, user, eid, "strategy", step, "top")


@router.post("/engagements/{eid}/strategy/publish", response_model=None)
async def publish(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Make the strategy public (its team)."""
    from socialcover import countries

    return await _step(
        request,
        session,
        user,
        eid,
        "strategy",
        lambda f: countries.publish_strategy(session, user, eid),
        "top",
    )


@router.post("/engagements/{eid}/strategy/withdraw", response_model=None)
async def withdraw(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Take the strategy back to a draft (its team)."""
    from socialcover import countries

    return await _step(
        request,
        session,
        user,
        eid,
        "strategy",
        lambda f: countries.withdraw_strategy(session, user, eid),
        "top",
    )


@router.post("/engagements/{eid}/strategy/objectives", response_model=None)
async def add_objective(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Add an objective (its team)."""
    from socialcover import countries

    return await _step(
        request,
        session,
        user,
        eid,
        "objective",
        lambda f: countries.add_objective(session, user, eid, {"text": f.get("text", "").strip()}),
    )


@router.post("/engagements/{eid}/strategy/measures", response_model=None)
async def add_measure(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Add a measure citing recommendations of the matrix (its team)."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        recs = [form_int(r) for r in f.get("recommendation_ids", "").split(",") if r]
        data = {
            "text": f.get("text", "").strip(),
            "objective_id": form_int(f.get("objective_id")),
            "start_year": form_int(f.get("start_year")),
            "end_year": form_int(f.get("end_year")),
            "responsible": f.get("responsible", "").strip(),
            "responsible_organisation_id": form_int(f.get("responsible_organisation_id")),
            "recommendation_ids": recs,
        }
        return countries.add_measure(session, user, eid, data)

    return await _step(request, session, user, eid, "measure", step)


@router.post("/engagements/{eid}/strategy/logframe", response_model=None)
async def add_logframe_indicator(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Add a logframe indicator with its baseline, target and means of verification."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        data = {
            "level": f.get("level", ""),
            "indicator": f.get("indicator", ""),
            "sex": f.get("sex", "both") or "both",
            "objective_id": form_int(f.get("objective_id")),
            "baseline_observation_id": form_int(f.get("baseline_observation_id")),
            "target_value": form_float(f.get("target_value")),
            "target_year": form_int(f.get("target_year")),
            "means_of_verification": f.get("means_of_verification", ""),
        }
        return countries.add_logframe_indicator(session, user, eid, data)

    return await _step(request, session, user, eid, "logframe", step)


@router.post("/engagements/{eid}/strategy/{kind}/{item_id}/remove", response_model=None)
async def remove_item(
    request: Request,
    eid: RecordId,
    kind: str,
    item_id: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Remove an objective, a measure or a logframe row (its team)."""
    from socialcover import countries

    return await _step(
        request,
        session,
        user,
        eid,
        kind if kind in FORMS else "strategy",
        lambda f: countries.remove_strategy_item(session, user, eid, kind, item_id),
    )


@router.post("/engagements/{eid}/strategy/reports", response_model=None)
async def issue_report(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Issue a progress report for a period (its team): kept as the store reads now."""
    from socialcover import countries

    def step(f: dict[str, str]) -> int:
        report = countries.issue_progress_report(
            session, user, eid, {"period": f.get("period", "").strip(), "note": f.get("note", "")}
        )
        session.flush()
        return int(report.id)

    return await _step(
        request,
        session,
        user,
        eid,
        "report",
        step,
        done=lambda rid: f"/engagements/{eid}/strategy/reports/{rid}",
    )


@router.get("/engagements/{eid}/strategy/reports/{rid}", response_class=HTMLResponse)
async def report_page(
    request: Request,
    eid: RecordId,
    rid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> HTMLResponse:
    """One issued progress report, as it was read when issued, with its downloads."""
    from socialcover import countries

    def _load() -> dict[str, Any]:
        report = countries.get_progress_report(session, user, eid, rid)
        e = countries.get_engagement(session, user, eid)
        return {"report": report, "engagement": {"id": e.id, "title": e.title}}

    data = await run_in_threadpool(_load)
    return render(request, "strategy_report.html", data)
