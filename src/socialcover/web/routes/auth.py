"""Sign-in, sign-out and one's account (API tokens)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.params import RecordId
from socialcover.web.render import render
from socialcover.web.security import SESSION_COOKIE, is_https

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only local paths (no open redirect)."""
    # "//host" and "/\\host" leave the site in browsers (a backslash counts as a slash).
    return target if target.startswith("/") and target[1:2] not in ("/", "\\") else "/"


@router.get("/login", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def login_form(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login", dependencies=[Depends(Need(None))])
async def login(
    request: Request,
    email: str = Form(..., max_length=320),
    password: str = Form(..., max_length=1000),
    next: str = Form("/", max_length=500),
) -> Response:
    """Check the password, open a server-side session, set the session cookie."""
    from socialcover import store
    from socialcover.store.models import utcnow

    settings = request.app.state.settings
    ip = request.client.host if request.client else "unknown"

    def _do() -> store.LoginResult:
        engine = store.get_engine(settings.database_url)
        return store.login(
            email, password, ip=ip, user_agent=request.headers.get("user-agent"), engine=engine
        )

    try:
        result = await run_in_threadpool(_do)
    except store.ThrottledError:
        raise
    except store.AuthenticationError as exc:
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "email": email, "flash": exc.message, "flash_error": True},
            status_code=401,
        )
    resp = RedirectResponse(_safe_next(next), status_code=303)
    secure = settings.secure_cookies if settings.secure_cookies is not None else is_https(request)
    resp.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
        max_age=max(60, int((result.expires_at - utcnow()).total_seconds())),
    )
    return resp


@router.post("/logout", dependencies=[Depends(Need(None))])
async def logout(request: Request, session: WriteSession) -> Response:
    """End the session (server side too) and clear the cookie."""
    from socialcover import store

    token = request.cookies.get(SESSION_COOKIE)
    if token:

        def _do() -> None:
            store.set_actor(session, "auth")  # audited as the sign-in service, like the sign-in
            store.revoke_session(session, token)

        await run_in_threadpool(_do)
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return resp


@router.get("/account", response_class=HTMLResponse)
async def account(
    request: Request,
    session: ReadSession,
    user: Principal = Depends(Need(None, browser=True)),
) -> HTMLResponse:
    """One's account: role and API tokens."""
    from socialcover import store

    def _tokens() -> list[dict[str, Any]]:
        if not store.can(user.role, "account.use_tokens"):
            return []
        return [
            {
                "id": t.id,
                "name": t.name,
                "prefix": t.prefix,
                "revoked": t.revoked_at,
                "scope": t.scope,
                "expires": t.expires_at,
                "expired": t.expires_at is not None and t.expires_at <= dt.datetime.now(dt.UTC),
                "created": t.created_at if hasattr(t, "created_at") else None,
            }
            for t in store.list_api_tokens(session, user)
        ]

    tokens = await run_in_threadpool(_tokens)
    return render(request, "account.html", {"tokens": tokens, "new_token": None})


@router.post("/account/tokens", response_class=HTMLResponse)
async def create_token(
    request: Request,
    session: WriteSession,
    name: str = Form(..., min_length=1, max_length=100),
    scope: Literal["read", "write", "admin"] = Form("read"),
    days: int = Form(90, ge=1, le=366),
    user: Principal = Depends(Need("account.use_tokens", browser=True)),
) -> HTMLResponse:
    """Create an API token (a scope and a term in days); it is shown once."""
    from socialcover import store

    def _do() -> str:
        _row, token = store.create_api_token(
            session, user, name, scope=scope, expires_in=dt.timedelta(days=days)
        )
        return token

    token = await run_in_threadpool(_do)
    return render(request, "account.html", {"tokens": None, "new_token": token})


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(
    token_id: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("account.use_tokens", browser=True)),
) -> Response:
    """Revoke one of one's API tokens."""
    from socialcover import store

    def _do() -> None:
        store.revoke_api_token(session, user, token_id)

    await run_in_threadpool(_do)
    return RedirectResponse("/account", status_code=303)


@router.get("/reset", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def reset_form(request: Request, token: str = Query("", max_length=200)) -> HTMLResponse:
    """Choose a password with a one-time link (an invitation or a password reset)."""
    return render(request, "reset.html", {"token": token, "done": False})


@router.post("/reset", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def reset(
    request: Request,
    session: WriteSession,
    token: str = Form(..., max_length=200),
    password: str = Form(..., max_length=200),
    confirm: str = Form(..., max_length=200),
) -> HTMLResponse:
    """Set the password of the link's account; the link is used up and other sessions end."""
    from socialcover import store
    from socialcover.errors import SocialcoverError

    if password != confirm:
        return _form_again(request, "reset.html", {"token": token, "differ": True}, "")

    def _do() -> None:
        store.set_actor(session, "auth")
        store.reset_password(session, token, password)

    try:
        await run_in_threadpool(_do)
    except SocialcoverError as exc:
        return _form_again(request, "reset.html", {"token": token}, exc.message)
    return render(request, "reset.html", {"token": "", "done": True})


@router.get("/account/password", response_class=HTMLResponse)
async def password_form(
    request: Request, user: Principal = Depends(Need(None, browser=True))
) -> HTMLResponse:
    """Change one's password (the current one is asked)."""
    return render(request, "password.html", {"done": False})


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(
    request: Request,
    session: WriteSession,
    current: str = Form(..., max_length=200),
    password: str = Form(..., max_length=200),
    confirm: str = Form(..., max_length=200),
    user: Principal = Depends(Need(None, browser=True)),
) -> HTMLResponse:
    """Set a new password; the account's other sessions end (this one too: sign in again)."""
    from socialcover import store
    from socialcover.errors import SocialcoverError

    if password != confirm:
        return _form_again(request, "password.html", {"differ": True}, "")

    def _do() -> None:
        store.change_password(session, store.get_user(session, user.id), current, password)

    try:
        await run_in_threadpool(_do)
    except SocialcoverError as exc:
        return _form_again(request, "password.html", {}, exc.message)
    return render(request, "password.html", {"done": True})


def _form_again(
    request: Request, template: str, context: dict[str, Any], message: str
) -> HTMLResponse:
    """The form again with what went wrong (nothing was changed)."""
    return render(request, template, {**context, "done": False, "flash": message}, 422)
