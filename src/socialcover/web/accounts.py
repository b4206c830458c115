"""The principal behind a request: the account of its API token or of its session cookie.

Thin calls into ``socialcover.store``: server-side sessions (the cookie holds the token, the
store keeps its hash) and API tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from socialcover.web.security import SESSION_COOKIE


@dataclass(frozen=True)
class Principal:
    """The account behind a request (from a session cookie or an API token)."""

    id: int
    email: str
    name: str
    role: str
    via_token: bool = False
    scope: str | None = None  # an API token's scope (read, write, admin); None for a session


async def principal(request: Request) -> Principal | None:
    """The account behind the request: a Bearer token, else a session cookie, else ``None``."""
    url = request.app.state.settings.database_url
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return await run_in_threadpool(principal_by_token, url, auth[7:].strip())
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await run_in_threadpool(principal_by_session, url, token)


def _principal(user: Any, scope: str | None = None) -> Principal:
    return Principal(
        id=user.id,
        email=user.email,
        name=user.display_name or user.email,
        role=str(getattr(user.role, "value", user.role)),
        via_token=scope is not None,
        scope=scope,
    )


def principal_by_session(url: str | None, token: str) -> Principal | None:
    """The active account behind a session cookie (``None`` when unknown or expired)."""
    from socialcover.store import resolve_session, session_scope

    with session_scope(None, url=url, write=False) as s:
        user = resolve_session(s, token)
        return _principal(user) if user is not None else None


def principal_by_token(url: str | None, token: str) -> Principal | None:
    """The account behind an API token (``None`` when unknown, revoked or expired)."""
    from socialcover.store import api_token_grant, session_scope

    with session_scope(None, url=url, write=False) as s:
        grant = api_token_grant(s, token)
        return _principal(*grant) if grant is not None else None
