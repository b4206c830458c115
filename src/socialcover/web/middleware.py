"""The request context, as a plain ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware).

For each HTTP request: choose the language; make sure the browser has a CSRF nonce cookie
and compute the form token; find the principal (API token or session cookie); then add the
cookies to the response (``security.SecurityHeadersMiddleware`` adds the security headers).
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcover.web.accounts import principal
from socialcover.web.i18n import LANG_COOKIE, LANGUAGES, choose_language
from socialcover.web.security import CSRF_COOKIE, SESSION_COOKIE, csrf_token_for, is_https

YEAR = 365 * 86400


def _cookie(name: str, value: str, *, secure: bool, max_age: int | None = None) -> str:
    jar: SimpleCookie = SimpleCookie()
    jar[name] = value
    morsel = jar[name]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "lax"
    if secure:
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString()


class ContextMiddleware:
    """Language, CSRF token, principal and cookies for every request."""

    def __init__(self, app: ASGIApp, web: Any) -> None:
        self.app = app
        self.web = web  # the FastAPI app (its state holds the secret and the settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        query_lang = request.query_params.get("lang")
        lang = choose_language(
            query_lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
        )
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        new_nonce = not nonce
        if new_nonce:  # a first visit has no cookie, so no posted token can match yet
            nonce = secrets.token_urlsafe(24)
        state = scope.setdefault("state", {})
        state["lang"] = lang
        state["csrf_token"] = csrf_token_for(
            self.web.state.secret, nonce, request.cookies.get(SESSION_COOKIE, "")
        )
        state["user"] = await principal(request)
        settings = self.web.state.settings
        secure = (
            settings.secure_cookies if settings.secure_cookies is not None else is_https(request)
        )
        path: str = scope["path"]
        set_lang = bool(query_lang and query_lang[:2] in LANGUAGES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if new_nonce:
                    headers.append("set-cookie", _cookie(CSRF_COOKIE, nonce, secure=secure))
                if set_lang:
                    headers.append(
                        "set-cookie", _cookie(LANG_COOKIE, lang, secure=secure, max_age=YEAR)
                    )
                if not path.startswith("/static/"):
                    headers.setdefault("content-language", lang)
            await send(message)

        await self.app(scope, receive, send_with_headers)
