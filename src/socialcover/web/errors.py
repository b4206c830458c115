"""Errors of the web layer, the HTTP status of every socialcover error, the one JSON error body.

This module renders nothing, so that any module of the app may raise a :class:`WebError`;
:mod:`socialcover.web.error_shape` turns errors into responses (JSON, or an HTML page).
"""

from __future__ import annotations

from typing import Any

from socialcover.errors import SocialcoverError


class WebError(SocialcoverError):
    """An error raised by the web layer itself, with its HTTP status."""

    def __init__(self, status: int, message: str, *, code: str, hint: str = "", **ctx: Any):
        super().__init__(message, code=code, hint=hint, **ctx)
        self.status = status


def status_for(exc: BaseException) -> int:
    """The HTTP status of a socialcover error, by the builtin it also is."""
    if isinstance(exc, WebError):
        return exc.status
    status = getattr(exc, "http_status", None)
    if isinstance(status, int):
        return status
    from socialcover import store

    if isinstance(exc, store.ThrottledError):
        return 429
    if isinstance(exc, store.AuthenticationError):
        return 401
    if isinstance(exc, store.ConflictError):
        return 409
    if isinstance(exc, store.SchemaError):
        return 503
    if isinstance(exc, PermissionError):
        return 403
    if isinstance(exc, KeyError):
        return 404
    if isinstance(exc, FileExistsError):
        return 409
    if isinstance(exc, ValueError):
        return 422
    if isinstance(exc, LookupError):
        return 503
    return 400


def error_body(code: str, message: str, hint: str = "", **extra: Any) -> dict[str, Any]:
    """The one JSON error document."""
    body: dict[str, Any] = {"code": code, "message": message, "hint": hint}
    body.update(extra)
    return {"error": body}
