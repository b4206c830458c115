"""Sessions, CSRF tokens, cookie flags and security headers.

- Sessions are server-side: the ``sc_session`` cookie holds a random id (HttpOnly,
  SameSite=Lax, Secure behind https); the registry maps it to the signed-in account.
- CSRF: the ``sc_csrf`` cookie holds a random nonce; every form carries
  ``csrf_token = HMAC(secret, nonce)`` (HTMX sends it as the ``X-CSRF-Token`` header).
  Any POST/PUT/PATCH/DELETE to a page route without the right token is refused (403).
  The REST API does not use cookies for writes: it requires a Bearer token, so it needs no
  CSRF token (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from fastapi import Request

from socialcover.web.error_shape import WebError

SESSION_COOKIE = "sc_session"
CSRF_COOKIE = "sc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_SECONDS = 12 * 3600
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Session:
    """One signed-in browser session."""

    user_id: int
    created: float


class SessionRegistry:
    """Server-side sessions of one app process (thread-safe)."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, user_id: int) -> str:
        """Start a session for ``user_id``; returns the cookie value."""
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = Session(user_id, time.time())
        return sid

    def get(self, sid: str | None) -> Session | None:
        """The live session behind a cookie value, if any."""
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session and time.time() - session.created > SESSION_SECONDS:
                del self._sessions[sid]
                return None
            return session

    def close(self, sid: str | None) -> None:
        """End a session (sign-out)."""
        if sid:
            with self._lock:
                self._sessions.pop(sid, None)


def csrf_token_for(secret: str, nonce: str) -> str:
    """The CSRF token that matches a ``sc_csrf`` nonce."""
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()


def is_https(request: Request) -> bool:
    """True when the browser reached us over https (directly or through a proxy)."""
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    return proto.split(",")[0].strip() == "https"


async def csrf_protect(request: Request) -> None:
    """Refuse an unsafe page request whose CSRF token is missing or wrong (app-wide dependency)."""
    if request.method not in UNSAFE_METHODS or request.url.path.startswith("/api/"):
        return
    secret: str = request.app.state.secret
    nonce = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD, "")
            sent = value if isinstance(value, str) else ""
    if not nonce or not sent or not hmac.compare_digest(sent, csrf_token_for(secret, nonce)):
        raise WebError(
            403,
            "The form's security token is missing or out of date; nothing was changed.",
            code="auth.csrf",
            hint="Reload the page and submit the form again (cookies must be enabled).",
        )
