"""Page forms: reading a posted form, running the domain call it asks for, and the errors of a
refused form, each next to the field it is about.

:func:`run_form` is the one path of a page's form post: run the domain call in the request's
write session and flush, then redirect (303, the post-redirect-get); on bad input roll back
(nothing saved) and answer the page's own refusal (the form again, 422).

A domain function validates its input whole (``store.validate_input``) and raises one
:class:`~socialcover.errors.InputError` naming the bad fields in ``context["fields"]``. A form
shows each problem beside its input: :func:`field_errors` re-reads the input with the domain's
own schema to get one message per field (the domain stays the only judge), and puts a refusal
without a field-level cause (a conflict, a missing organisation) under the field the error
names, else at the top of the form (key ``""``).

Examples
--------
>>> from pydantic import BaseModel, Field
>>> class Note(BaseModel):
...     title: str = Field(min_length=3)
>>> from socialcover.store import ValidationError
>>> exc = ValidationError("The note is not valid.", fields=["title"])
>>> field_errors(exc, Note, {"title": "x"})["title"]
'String should have at least 3 characters'
>>> form_int(" 12 "), form_int(""), form_int("12b")
(12, None, '12b')
>>> form_float("2,5"), form_float("  "), form_float("n/a")
(2.5, None, 'n/a')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import suppress
from typing import Any, TypeVar

import pydantic
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import InputError, SocialcoverError

__all__ = [
    "as_datetime_local",
    "field_errors",
    "form_float",
    "form_int",
    "form_text",
    "posted_form",
    "problem",
    "run_form",
]

T = TypeVar("T")


async def posted_form(request: Request, *, lists: Iterable[str] = ()) -> dict[str, str]:
    """The posted text inputs by name (files and the CSRF token left out; a repeated name keeps
    its last value); each name of ``lists`` (a multiple select) holds its values joined with
    commas."""
    posted = await request.form()
    form = {k: v for k, v in posted.multi_items() if isinstance(v, str) and k != "csrf_token"}
    for name in lists:
        form[name] = ",".join(str(v) for v in posted.getlist(name))
    return form


def _is_input_error(exc: SocialcoverError) -> bool:
    return isinstance(exc, InputError)


async def run_form(
    session: Session,
    step: Callable[[], T],
    done: str | Callable[[T], str],
    refused: Callable[[SocialcoverError], Awaitable[Response]],
    *,
    refusable: Callable[[SocialcoverError], bool] = _is_input_error,
) -> Response:
    """Run a form's domain call and flush, then redirect to ``done`` (a URL, or one made from
    what ``step`` returned); a refusal (by default an :class:`InputError`) rolls the session
    back, so nothing is saved, and answers ``refused(exc)``; any other error propagates to the
    error page."""
    try:
        result = await run_in_threadpool(step)
        await run_in_threadpool(session.flush)
    except SocialcoverError as exc:
        if not refusable(exc):
            raise
        await run_in_threadpool(session.rollback)
        return await refused(exc)
    return RedirectResponse(done if isinstance(done, str) else done(result), status_code=303)


def problem(exc: SocialcoverError, form: str) -> dict[str, Any]:
    """A refused form's problem as the pages' ``invalid`` macro reads it: which form, the
    message with its hint, and the fields it names (top-level names)."""
    fields = [str(f).split(".")[0] for f in exc.context.get("fields", []) or []]
    return {"form": form, "message": f"{exc.message} {exc.hint}".strip(), "fields": fields}


def form_int(text: str | None) -> int | str | None:
    """A number input's value: an int, ``None`` when blank, else the text as typed (for the
    domain's validation to refuse, naming the field)."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


def form_float(text: str | None) -> float | str | None:
    """A decimal input's value (a decimal comma accepted), ``None`` when blank, else the text
    as typed (refused by validation, named beside its field)."""
    text = (text or "").strip()
    if not text:
        return None
    with suppress(ValueError):
        return float(text.replace(",", "."))
    return text


def field_errors(
    exc: SocialcoverError,
    schema: type[pydantic.BaseModel] | None = None,
    data: Mapping[str, Any] | None = None,
    *,
    rename: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """One message per form field for a refused input (``""``: the form as a whole).

    ``rename`` maps a schema field (dotted, as pydantic locates it) to the form input that
    holds it (``texts.fr.body`` -> ``body_fr``); a prefix is enough (``figures.0``).
    """
    names = dict(rename or {})

    def place(loc: str) -> str:
        for key in sorted(names, key=len, reverse=True):
            if loc == key or loc.startswith(key + "."):
                return names[key]
        return loc.split(".")[0] if loc else ""

    out: dict[str, str] = {}
    if schema is not None and data is not None and exc.code == "store.invalid":
        try:
            schema.model_validate(dict(data))
        except pydantic.ValidationError as bad:
            for err in bad.errors():
                loc = ".".join(str(p) for p in err["loc"])
                msg = str(err["msg"]).removeprefix("Value error, ")
                out.setdefault(place(loc), msg)
    if not out:
        fields = [str(f) for f in exc.context.get("fields", []) if f and f != "(record)"]
        text = f"{exc.message} {exc.hint}".strip()
        out[place(fields[0]) if fields else ""] = text
    return out


def form_text(form: Mapping[str, Any], key: str, limit: int = 50000) -> str:
    """A text input's value, stripped (a file or a missing input is ``""``); cut at ``limit``
    so that an oversized post cannot grow the form shown back."""
    value = form.get(key, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def as_datetime_local(value: Any, zone: str = "UTC") -> str:
    """An ISO time as a ``datetime-local`` input shows it, in ``zone`` (``""`` when empty)."""
    if not value:
        return ""
    import zoneinfo

    t = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if t.tzinfo is not None:
        t = t.astimezone(zoneinfo.ZoneInfo(zone))
    return t.strftime("%Y-%m-%dT%H:%M")
