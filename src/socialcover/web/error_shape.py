"""One error shape for the whole web app: ``{"error": {"code", "message", "hint"}}``.

Every error a request can meet ends here: socialcover errors (by the builtin they inherit),
HTTP errors raised by Starlette (404 unknown path, 405 wrong method), request validation
(422), authentication (401), permission (403), throttling (429) and unexpected failures
(500, logged, with no internals shown). API paths (``/api/...``) get JSON; pages get an HTML
page saying the same three things, except that a person opening a page for signed-in people is
sent to the sign-in page (and back after it).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcover.errors import SocialcoverError
from socialcover.web.cache import Lru
from socialcover.web.errors import error_body, status_for
from socialcover.web.render import render

log = logging.getLogger("socialcover.web")

_HTTP_CODES: dict[int, tuple[str, str, str]] = {
    400: ("http.bad-request", "The request could not be read.", "Check the request's syntax."),
    401: (
        "auth.required",
        "You need to sign in (or send an API token) for this.",
        "Sign in at /login, or send `Authorization: Bearer <token>`.",
    ),
    403: (
        "auth.forbidden",
        "Your role does not allow this.",
        "Ask an administrator for a role that allows it.",
    ),
    404: (
        "http.not-found",
        "Nothing here.",
        "Check the address; the API's routes are listed at /api/v1/docs.",
    ),
    405: (
        "http.method-not-allowed",
        "This address does not accept that method.",
        "See the allowed methods in the Allow header or at /api/v1/docs.",
    ),
    413: ("http.too-large", "The upload is too large.", "Send a smaller file."),
    429: (
        "http.too-many-requests",
        "Too many attempts.",
        "Wait a few minutes before trying again.",
    ),
}


def _respond(
    request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> Response:
    if (
        request.url.path.startswith("/api/")
        or "application/json" in request.headers.get("accept", "").split(",")[0]
    ):
        return JSONResponse(body, status_code=status, headers=headers)
    if (
        status == 401
        and request.method in ("GET", "HEAD")
        and "authorization" not in request.headers
    ):
        # A person following a link to a page for signed-in people: sign in, then come back.
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': back})}", status_code=303)
    resp = render(request, "error.html", {"status": status, "error": body["error"]}, status)
    if headers:
        resp.headers.update(headers)
    return resp


def _route_table(app: Any) -> list[tuple[Any, int, frozenset[str]]]:
    """Each route's compiled path, how many of its segments are literal (not ``{param}``), and
    its methods."""
    from fastapi.routing import iter_route_contexts
    from starlette.routing import compile_path

    table = getattr(app.state, "route_patterns", None)
    if table is None:
        table = [
            (
                compile_path(str(ctx.path))[0],
                sum("{" not in part for part in str(ctx.path).split("/")),
                frozenset(ctx.methods or ()),
            )
            for ctx in iter_route_contexts(app.routes)
            if ctx.methods
        ]
        app.state.route_patterns = table
    return table


def _most_literal(app: Any, path: str) -> tuple[list[frozenset[str]], bool]:
    """The method sets of the routes matching ``path`` that name most of it literally, and
    whether a less literal route matches it too (``/evaluations/schedule`` and
    ``/evaluations/{eid}``; ``/courses/{cid}/scores/file`` and ``/courses/{cid}/scores/{pid}``).

    Matching a path against every route costs more than the rest of a cached page, so the
    answer is kept per path (a bounded cache: paths are chosen by whoever sends them).
    """
    cache = getattr(app.state, "literal_owners", None)
    if cache is None:
        cache = app.state.literal_owners = Lru(4096)
    found = cache.get((path,))
    if found is None:
        matches = [(lit, ms) for regex, lit, ms in _route_table(app) if regex.match(path)]
        best = max((lit for lit, _ms in matches), default=0)
        found = (
            [ms for lit, ms in matches if lit == best],
            any(lit < best for lit, _ms in matches),
        )
        cache.put((path,), found)
    return found


def allowed_methods(app: Any, path: str) -> list[str]:
    """Every method some route of ``app`` answers at ``path`` (with HEAD for GET, and OPTIONS).

    Starlette's own 405 names only the methods of the first route that matched the path; a
    path served by several routes (``GET`` and ``POST /api/v1/practices``) needs them all. Where
    routes of different templates match, the path belongs to the one that names most of it
    literally (``/evaluations/schedule``, not ``/evaluations/{eid}``).
    """
    methods: set[str] = set()
    for ms in _most_literal(app, path)[0]:
        methods |= ms
    if "GET" in methods:
        methods.add("HEAD")
    if methods:
        methods.add("OPTIONS")
    return sorted(methods)


class LiteralPathsFirst:
    """A path is the route's that names most of it literally, whatever the method.

    The router takes the first route that matches both path and method, so ``PATCH
    /api/v1/monitor/evaluations/schedule`` (a literal path that answers GET and POST) would
    reach ``PATCH /api/v1/monitor/evaluations/{eid}`` with ``eid="schedule"`` (a 422 on a
    parameter the caller never meant), and ``PUT .../courses/1/scores/file`` would reach
    ``PUT .../courses/{cid}/scores/{pid}``. The methods such a path answers are the ones its
    ``Allow`` header names (:func:`allowed_methods`); any other answers 405, as for every path.
    """

    def __init__(self, app: ASGIApp, web: Any) -> None:
        self.app = app
        self.web = web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] != "OPTIONS":
            path = scope["path"]
            _owners, shadowed = _most_literal(self.web, path)
            if shadowed and scope["method"] not in allowed_methods(self.web, path):
                request = Request(scope)
                code, message, hint = _HTTP_CODES[405]
                allow = ", ".join(allowed_methods(self.web, path))
                response = _respond(request, 405, error_body(code, message, hint), {"Allow": allow})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class HeadAsGet:
    """HEAD is answered as GET is, without the body (RFC 9110, 9.3.2).

    FastAPI's routes answer only the methods they declare, and they declare GET, so HEAD met
    405 although every ``Allow`` header names it (:func:`allowed_methods`). Here a HEAD request
    goes through the app as a GET (so it gets the GET's status and headers, ``Content-Length``
    included), and the body is dropped on its way out. The server's own scope (and its access
    log) keeps HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app(dict(scope, method="GET"), receive, headers_only)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""

    @app.exception_handler(SocialcoverError)
    async def _socialcover(request: Request, exc: SocialcoverError) -> Response:
        status = status_for(exc)
        headers = None
        wait = exc.context.get("retry_after_s")
        if status == 429 and isinstance(wait, int):
            headers = {"Retry-After": str(wait)}
        return _respond(request, status, {"error": exc.to_dict()}, headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, message, hint = _HTTP_CODES.get(
            exc.status_code, (f"http.{exc.status_code}", str(exc.detail), "")
        )
        if isinstance(exc.detail, str) and exc.detail and exc.status_code not in (404, 405):
            message = exc.detail
        if exc.status_code == 404 and not request.url.path.startswith("/api/"):
            message = f"There is no page at {request.url.path}."
            hint = "Use the menu, or go back to the home page."
        elif exc.status_code == 404:
            message = f"There is no API route at {request.url.path}."
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:
            allow = ", ".join(allowed_methods(request.app, request.url.path))
            if request.method == "OPTIONS":  # what the path answers, not an error
                return Response(status_code=204, headers={"Allow": allow})
            headers = (headers or {}) | {"Allow": allow}
        return _respond(request, exc.status_code, error_body(code, message, hint), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors()[:10]:
            loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query"))
            problems.append(f"{loc}: {err.get('msg', 'invalid')}")
        message = "The request has invalid fields: " + "; ".join(problems)
        body = error_body(
            "input.invalid",
            message,
            "Correct the fields named; each route's parameters are at /api/v1/docs.",
            fields=[
                {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
                for e in exc.errors()[:10]
            ],
        )
        return _respond(request, 422, body)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("Unexpected error on %s %s", request.method, request.url.path)
        body = error_body(
            "internal",
            "Something went wrong on our side; nothing was changed.",
            "Try again; if it keeps happening, report it with the time of the request.",
        )
        return _respond(request, 500, body)
