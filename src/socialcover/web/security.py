"""Sessions, CSRF tokens, cookie flags and security headers.

- Sessions are server-side (``socialcover.store``): the ``sc_session`` cookie holds a random
  token (HttpOnly, SameSite=Lax, Secure behind https); the store keeps its hash.
- CSRF: the ``sc_csrf`` cookie holds a random nonce; every form carries
  ``csrf_token = HMAC(secret, nonce | SHA-256(session cookie))`` (HTMX sends it as the
  ``X-CSRF-Token`` header), so a token is bound to the browser and to its session.
  Any POST/PUT/PATCH/DELETE to a page route without the right token is refused (403).
  The REST API does not use cookies for writes: it requires a Bearer token, so it needs no
  CSRF token (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie").
- Headers (``SecurityHeadersMiddleware``): one Content-Security-Policy for every page, the
  API docs included (no inline script or handler anywhere, so none is allowed), a
  Permissions-Policy that turns off the browser features the site never uses,
  ``Cache-Control: no-store`` on every answer to a signed-in request but the static files (a
  shared or back-button cache must not keep an account page or a freshly minted token), and
  HSTS when the settings ask for it and the request came over https.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcover.web.errors import WebError

SESSION_COOKIE = "sc_session"
CSRF_COOKIE = "sc_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)


def csrf_token_for(secret: str, nonce: str, session: str = "") -> str:
    """The CSRF token that matches a ``sc_csrf`` nonce and the session cookie sent with it.

    Bound to the session: a token seen by one signed-in browser is worthless in another
    session, and signing in or out changes every form's token.
    """
    message = f"{nonce}|{hashlib.sha256(session.encode()).hexdigest() if session else ''}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


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
    expected = csrf_token_for(secret, nonce, request.cookies.get(SESSION_COOKIE, ""))
    if not nonce or not sent or not hmac.compare_digest(sent, expected):
        raise WebError(
            403,
            "The form's security token is missing or out of date; nothing was changed.",
            code="auth.csrf",
            hint="Reload the page and submit the form again (cookies must be enabled).",
        )


class SecurityHeadersMiddleware:
    """Security headers on every response (plain ASGI; runs inside the request context).

    Parameters
    ----------
    app
        The wrapped ASGI app.
    web
        The FastAPI app, whose state holds the settings (HSTS, cookie policy).
    """

    def __init__(self, app: ASGIApp, web: Any) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.web.state.settings
        # the site's own static files stay cacheable: they hold nothing of the account
        signed_in = scope.get("state", {}).get("user") is not None
        private = signed_in and not scope["path"].startswith("/static/")
        hsts = settings.hsts_seconds > 0 and (settings.secure_cookies or is_https(Request(scope)))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", CSP)
                headers.setdefault("permissions-policy", PERMISSIONS_POLICY)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
                headers.setdefault("x-frame-options", "DENY")
                if private:
                    headers["cache-control"] = "no-store"
                if hsts:
                    headers["strict-transport-security"] = (
                        f"max-age={settings.hsts_seconds}; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
