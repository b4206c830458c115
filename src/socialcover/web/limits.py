"""Request body limits: every route has one, upload routes a larger one; uploads stream to disk.

A body is refused with 413 before the route reads it: at once when its ``Content-Length``
says too much, else as soon as the bytes received (chunked bodies too) pass the limit. Upload
routes then copy the file to disk in chunks with the same early 413, so no upload is ever held
whole in memory and nothing of a refused one is kept.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcover.web.errors import WebError
from socialcover.web.render import render
from socialcover.web.settings import Settings

CHUNK = 1 << 20

# the POST paths that take a file: survey, observation and score files; PDFs
_DATA_UPLOADS = re.compile(
    r"/surveys|/schemes|/api/v1/surveys/jobs|/api/v1/monitor/observations/file|/monitor/enter/file"
    r"|/training/[^/]+/scores/file|/api/v1/training/courses/[^/]+/scores/file"
)
_PDF_UPLOADS = re.compile(
    r"/publications|/api/v1/publications/[^/]+/file|/training/[^/]+/materials/file"
    r"|(/api/v1)?/events/[^/]+/materials"
)


def body_limit(settings: Settings, method: str, path: str) -> int:
    """The largest body accepted for ``method`` on ``path`` (form fields included).

    Parameters
    ----------
    settings
        The app's settings (``max_body_bytes``, ``max_upload_bytes``, ``max_pdf_bytes``).
    method, path
        The request's method and path.

    Returns
    -------
    int
        Bytes: the general limit, plus the file limit on an upload route.
    """
    if method == "POST" and _DATA_UPLOADS.fullmatch(path):
        return settings.max_body_bytes + settings.max_upload_bytes
    if method == "POST" and _PDF_UPLOADS.fullmatch(path):
        return settings.max_body_bytes + settings.max_pdf_bytes
    return settings.max_body_bytes


def too_large(limit: int, hint: str = "Send a smaller file.") -> WebError:
    """The 413 error for a body or file over ``limit`` bytes."""
    size = f"{limit / 2**20:.0f} MB" if limit >= 2**20 else f"{limit} bytes"
    return WebError(
        413,
        f"The upload is larger than {size}.",
        code="http.too-large",
        hint=hint,
        limit_bytes=limit,
    )


async def save_upload(file: UploadFile, target: Path, limit: int, hint: str) -> int:
    """Copy an upload to ``target`` in chunks; 413 (and ``target`` removed) beyond ``limit``.

    Parameters
    ----------
    file
        The uploaded file (Starlette spools it to a temporary file while parsing).
    target
        Where to write it.
    limit
        Largest size in bytes.
    hint
        What the 413 tells the user to do instead.

    Returns
    -------
    int
        The size written.
    """
    size = 0
    try:
        with target.open("wb") as out:
            while chunk := await file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise too_large(limit, hint)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)  # nothing of a refused upload is kept
        raise
    return size


class _BodyTooLarge(HTTPException):
    """The body passed its limit while the app was reading it (the app's handlers answer 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit).message)


class BodyLimitMiddleware:
    """Refuse a request body over its route's limit with 413, before the route reads it."""

    def __init__(self, app: ASGIApp, web: Any) -> None:
        self.app = app
        self.web = web  # the FastAPI app (its state holds the settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(self.web.state.settings, scope["method"], scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, receive, send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _BodyTooLarge:
            if started:
                raise
            await _refuse(scope, receive, send, limit)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    """Answer 413 in the app's error shape (JSON for the API, a page otherwise)."""
    request = Request(scope)
    body = {"error": too_large(limit).to_dict()}
    response: Response
    if (
        scope["path"].startswith("/api/")
        or "application/json" in request.headers.get("accept", "").split(",")[0]
    ):
        response = JSONResponse(body, status_code=413)
    else:
        response = render(request, "error.html", {"status": 413, "error": body["error"]}, 413)
    response.headers["Connection"] = "close"  # the rest of the body is not read
    await response(scope, receive, send)
