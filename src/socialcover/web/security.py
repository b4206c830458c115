"""Sessions, CSRF tokens, cookie flags and security headers.

- Sessions are server-side (``socialcover.store``): the ``sc_session`` cookie holds a random
  token (HttpOnly, SameSite=Lax, Secure behind https); the store keeps its hash.
- CSRF: the ``sc_csrf`` cookie holds a random nonce; every form carries
  ``csrf_token = HMAC(secret, nonce)`` (HTMX sends it as the ``X-CSRF-Token`` header).
  Any POST/PUT/PATCH/DELETE to a page route without the right token is refused (403).
  The REST API does not use cookies for writes: it requires a Bearer token, so it needs no
  CSRF token (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie").
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from socialcover.web.errors import WebError

SESSION_COOKIE = "sc_session"
CSRF_COOKIE = "sc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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
