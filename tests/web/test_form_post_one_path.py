"""A page's form post has one path (``form_fields``): the posted text inputs without the CSRF
token or files, a multiple select joined; a refused step rolls back and answers the page's
refusal, a done one flushes and redirects (303)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from socialcover.errors import InputError, SocialcoverError
from socialcover.web.routes.form_fields import posted_form, run_form

BOUNDARY = "b0undary"


def _request(parts: list[tuple[str, str, str | None]]) -> Request:
    """A multipart POST of (name, value, filename or None) parts."""
    body = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n{value}\r\n".encode()
    body += f"--{BOUNDARY}--\r\n".encode()
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())],
    }
    return Request(scope, receive)


def test_posted_form_keeps_text_inputs_only_and_joins_a_multiple_select() -> None:
    request = _request(
        [
            ("csrf_token", "secret", None),
            ("text", " A measure ", None),
            ("recommendation_ids", "3", None),
            ("recommendation_ids", "5", None),
            ("file", "%PDF-1.7", "slides.pdf"),
        ]
    )

    async def read() -> dict[str, str]:
        try:
            return await posted_form(request, lists=("recommendation_ids",))
        finally:
            await request.close()  # the uploaded file's spool, as the app closes it

    form = asyncio.run(read())
    assert form == {"text": " A measure ", "recommendation_ids": "3,5"}


def _session(folder: Path) -> Session:
    session = Session(create_engine(f"sqlite:///{folder / 'forms.db'}"))
    session.execute(text("CREATE TABLE t (x INTEGER)"))
    session.commit()
    return session


async def _refused(exc: SocialcoverError) -> Response:
    return Response(exc.message, status_code=422)


def test_a_refused_step_saves_nothing_and_answers_the_refusal(tmp_path: Path) -> None:
    session = _session(tmp_path)

    def step() -> None:
        session.execute(text("INSERT INTO t VALUES (1)"))
        raise InputError("The title is too short.", hint="Give 3 letters or more.")

    response = asyncio.run(run_form(session, step, "/done", _refused))
    assert response.status_code == 422 and response.body == b"The title is too short."
    assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0


def test_a_done_step_redirects_to_the_address_made_from_its_result(tmp_path: Path) -> None:
    session = _session(tmp_path)

    def step() -> int:
        session.execute(text("INSERT INTO t VALUES (7)"))
        return 7

    response = asyncio.run(run_form(session, step, lambda n: f"/records/{n}", _refused))
    assert response.status_code == 303 and response.headers["location"] == "/records/7"
    assert session.execute(text("SELECT x FROM t")).scalar() == 7


def test_an_error_that_is_not_a_refusal_goes_to_the_error_page(tmp_path: Path) -> None:
    session = _session(tmp_path)

    def step() -> None:
        raise SocialcoverError("Not allowed.", code="auth.forbidden", hint="Ask the team.")

    try:
        asyncio.run(run_form(session, step, "/done", _refused))
    except SocialcoverError as exc:
        assert exc.code == "auth.forbidden"
    else:
        raise AssertionError("a refusal it is not must propagate")
