"""Press release forms: a text in English, French and Spanish whose figures are placeholders
(``{{ name }}``, the syntax of :mod:`socialcover.advocacy.press`) filled from the store, the
figures themselves, the embargo; a live preview of the filled text; the review steps.

The form refuses a placeholder no figure declares, naming every such placeholder next to the
text that uses it (and the nearest declared names). The preview is a POST of the whole form
(``/press/preview``): the page's script sends it as the author types (HTMX), and without a
script the "Preview" button shows the same thing, so nothing needs JavaScript.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from typing import Any

from fastapi import APIRouter, Depends, Request
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
from socialcover.web.routes.advocacy import clock
from socialcover.web.routes.form_fields import as_datetime_local, field_errors, form_text

router = APIRouter(include_in_schema=False)

LANGS = ("en", "fr", "es")
FIGURE_ROWS = 6
FIGURE_KEYS = ("name", "indicator", "area", "year", "sex", "source", "field", "format", "digits")
STEPS = ("submit", "publish", "withdraw")


def release_input(form: Any) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The form as :class:`socialcover.advocacy.PressReleaseInput` reads it, the form's own
    errors (an unreadable embargo, undeclared placeholders), and the schema-to-input names."""
    from socialcover import advocacy

    errors: dict[str, str] = {}
    rename: dict[str, str] = {"embargo_until": "embargo_until", "texts": ""}
    texts: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        title, body = form_text(form, f"title_{lang}", 300), form_text(form, f"body_{lang}", 20000)
        if title or body:
            texts[lang] = {"title": title, "body": body}
        rename[f"texts.{lang}.title"] = f"title_{lang}"
        rename[f"texts.{lang}.body"] = f"body_{lang}"
    figures: list[dict[str, Any]] = []
    for row in range(1, FIGURE_ROWS + 1):
        spec = {k: form_text(form, f"fig_{k}_{row}", 80) for k in FIGURE_KEYS}
        if not (spec["name"] or spec["indicator"] or spec["area"]):
            continue
        for k in FIGURE_KEYS:
            rename[f"figures.{len(figures)}.{k}"] = f"fig_{k}_{row}"
        rename[f"figures.{len(figures)}"] = f"fig_name_{row}"
        figures.append({k: v for k, v in spec.items() if v != ""})
    declared = [f.get("name", "") for f in figures]
    for lang, text in texts.items():
        for part in ("title", "body"):
            unknown = sorted(advocacy.placeholders(text[part]) - set(declared))
            if unknown:
                near = {n: difflib.get_close_matches(n, declared, n=1) for n in unknown}
                guesses = [f"{n} → {m[0]}" for n, m in near.items() if m]
                errors[f"{part}_{lang}"] = (
                    "Unknown placeholder"
                    + ("s " if len(unknown) > 1 else " ")
                    + ", ".join("{{ " + n + " }}" for n in unknown)
                    + ": no figure below has that name. Declare it as a figure, or correct it"
                    + (f" ({'; '.join(guesses)})" if guesses else "")
                    + f". Declared: {', '.join(declared) or 'none'}."
                )
    embargo = form_text(form, "embargo_until")
    zone = form_text(form, "embargo_zone") or "UTC"
    data: dict[str, Any] = {"texts": texts, "figures": figures, "embargo_until": embargo}
    try:
        place = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["embargo_zone"] = f"{zone!r} is not a time zone; give one such as Europe/Paris."
        place = zoneinfo.ZoneInfo("UTC")
    try:
        when = dt.datetime.fromisoformat(embargo)
        data["embargo_until"] = when if when.tzinfo else when.replace(tzinfo=place)
    except ValueError:
        errors["embargo_until"] = (
            f"{embargo[:40]!r} is not a date and time; give one such as 2027-06-30T08:00."
            if embargo
            else "Give the date and time before which nothing of the release is public."
        )
    if not texts:
        errors[""] = "Write the release in at least one language (a title and a text)."
    return data, errors, rename


def form_values(form: Any) -> dict[str, Any]:
    """The posted form as the template shows it back (text inputs only)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def values_of(release: Any) -> dict[str, Any]:
    """A stored release as the form's inputs."""
    out: dict[str, Any] = {"version": release.version, "embargo_zone": "UTC"}
    for lang, text in release.texts.items():
        out[f"title_{lang}"], out[f"body_{lang}"] = text["title"], text["body"]
    for row, spec in enumerate(release.figures, start=1):
        for k in FIGURE_KEYS:
            if spec.get(k) is not None:
                out[f"fig_{k}_{row}"] = str(spec[k])
    out["embargo_until"] = as_datetime_local(release.embargo_until)
    return out


def _context(values: dict[str, Any], errors: dict[str, str], **more: Any) -> dict[str, Any]:
    from socialcover import advocacy, monitor

    return {
        "values": values,
        "errors": errors,
        "langs": LANGS,
        "rows": range(1, FIGURE_ROWS + 1),
        "formats": advocacy.FIGURE_FORMATS,
        "indicators": [i.code for i in monitor.list_indicators()],
        **more,
    }


def _preview(s: Session, user: Any, form: Any) -> dict[str, Any]:
    """The preview of the posted form: the filled texts, or the reasons there is none."""
    from socialcover import advocacy

    data, errors, rename = release_input(form)
    if errors:
        return {"preview": None, "preview_errors": errors}
    try:
        return {"preview": advocacy.preview_press_release(s, user, data), "preview_errors": {}}
    except SocialcoverError as exc:
        return {
            "preview": None,
            "preview_errors": field_errors(exc, advocacy.PressReleaseInput, data, rename=rename),
        }


@router.get("/press/new", response_class=HTMLResponse)
async def new_release(
    request: Request, user: Principal = Depends(Need("press.draft"))
) -> HTMLResponse:
    """The form that drafts a press release."""
    values = {"embargo_zone": "UTC", "fig_year_1": str(dt.date.today().year - 2)}
    return render(request, "advocacy/press_form.html", _context(values, {}, action="/press/new"))


@router.post("/press/preview", response_class=HTMLResponse)
async def preview(
    request: Request, session: WriteSession, user: Principal = Depends(Need("press.draft"))
) -> HTMLResponse:
    """The filled text of the posted form, as a fragment (nothing saved)."""
    form = await request.form()
    shown = await run_in_threadpool(_preview, session, user, form)
    await run_in_threadpool(session.rollback)
    return render(request, "advocacy/_press_preview.html", shown)


async def _save(request: Request, session: Session, user: Any, rid: int | None) -> Response:
    from socialcover import advocacy

    form = await request.form()
    action = f"/press/{rid}/edit" if rid else "/press/new"
    values = form_values(form)
    if form.get("do") == "preview":
        shown = await run_in_threadpool(_preview, session, user, form)
        await run_in_threadpool(session.rollback)
        errors = shown["preview_errors"]  # beside their fields too, as a save would show them
        return render(
            request, "advocacy/press_form.html", _context(values, errors, action=action, **shown)
        )
    data, errors, rename = release_input(form)

    def _do() -> int:
        if rid is None:
            release = advocacy.create_press_release(session, user, data)
        else:
            _editable(session, user, rid)
            version = form_text(form, "version")
            release = advocacy.update_press_release(
                session,
                user,
                rid,
                data,
                expected_version=int(version) if version.isdigit() else None,
            )
        session.flush()
        return int(release.id)

    if not errors:
        try:
            return RedirectResponse(
                f"/press/{await run_in_threadpool(_do)}/edit?saved=1", status_code=303
            )
        except SocialcoverError as exc:
            await run_in_threadpool(session.rollback)
            errors = field_errors(exc, advocacy.PressReleaseInput, data, rename=rename)
            if exc.code == "auth.forbidden":
                return render(
                    request,
                    "advocacy/press_form.html",
                    _context(values, errors, action=action),
                    403,
                )
    return render(request, "advocacy/press_form.html", _context(values, errors, action=action), 422)


@router.post("/press/new", response_model=None)
async def create_release(
    request: Request, session: WriteSession, user: Principal = Depends(Need("press.draft"))
) -> Response:
    """Draft the release (or show its preview); refused with the problem next to each field."""
    return await _save(request, session, user, None)


def _editable(s: Session, user: Any, rid: int) -> Any:
    """The release, for its author and the editors only (others: 404, as under embargo)."""
    from socialcover import advocacy, store
    from socialcover.store.models import PressRelease

    release = s.get(PressRelease, rid)
    if release is None or not (
        advocacy.PRESS_RELEASES.is_owner(user, release)
        or store.can(getattr(user, "role", None), "press.read_drafts")
    ):
        raise store.RecordNotFoundError(
            f"No press release {rid}.",
            hint="It may not exist, or not be public yet; list the public releases.",
        )
    return release


@router.get("/press/{rid}/edit", response_class=HTMLResponse)
async def edit_release(
    request: Request,
    rid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("press.draft")),
) -> HTMLResponse:
    """The release's form, its preview and its review steps (its author; editors)."""
    from socialcover import advocacy, store

    def _do() -> dict[str, Any]:
        release = _editable(session, user, rid)
        return _context(
            values_of(release),
            {},
            action=f"/press/{rid}/edit",
            release=release,
            may_edit=advocacy.PRESS_RELEASES.may_edit(user, release),
            may_review=store.can(user.role, "press.publish"),
            public=release.status == "published"
            and release.embargo_until <= (clock(request) or dt.datetime.now(dt.UTC)),
            saved=request.query_params.get("saved") == "1",
        )

    return render(request, "advocacy/press_form.html", await run_in_threadpool(_do))


@router.post("/press/{rid}/edit", response_model=None)
async def update_release(
    request: Request,
    rid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("press.draft")),
) -> Response:
    """Save the release's texts, figures and embargo."""
    return await _save(request, session, user, rid)


@router.post("/press/{rid}/steps/{step}", response_model=None)
async def move_release(
    rid: RecordId, step: str, session: WriteSession, user: Principal = Depends(Need("press.draft"))
) -> Response:
    """Submit (its author), publish or withdraw (reviewers) the release."""
    from socialcover import advocacy

    if step not in STEPS:
        raise WebError(
            404, f"No step {step!r}.", code="http.not-found", hint=f"Use {', '.join(STEPS)}."
        )
    await run_in_threadpool(advocacy.PRESS_RELEASES.move, session, user, rid, step)
    return RedirectResponse(f"/press/{rid}/edit?saved=1", status_code=303)
