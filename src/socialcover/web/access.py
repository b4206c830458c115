"""May they: the action each route requires, decided by the store's permissions table.

Every route declares the action it needs with ``Depends(Need("practice.publish"))`` (or
``Need(None)`` for a public route). The action names are those of the store's
``PERMISSIONS`` table, and ``can(role, action)`` decides; the role matrix test walks
``app.routes`` and checks each declaration against that table.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute

from socialcover.web.accounts import Principal
from socialcover.web.errors import WebError


class Need:
    """A route dependency: the action a route requires (``None`` = anyone, signed in or not).

    Parameters
    ----------
    action
        A key of ``socialcover.store.PERMISSIONS``, or ``None`` for a public route.
    signed_in
        For a public action, still require a signed-in account (e.g. one's own uploads).
    browser
        Require a browser session, not an API token (managing one's tokens: a leaked token
        must not be able to mint others).
    """

    def __init__(
        self, action: str | None, *, signed_in: bool = False, browser: bool = False
    ) -> None:
        self.action = action
        self.signed_in = signed_in or browser
        self.browser = browser

    def __repr__(self) -> str:
        return f"Need({self.action!r})"

    async def __call__(self, request: Request) -> Principal | None:
        user: Principal | None = getattr(request.state, "user", None)
        if user is not None and user.via_token:
            self._check_token(request, user)
        if self.action is None:
            if self.signed_in and user is None:
                raise _sign_in_error()
            return user
        role = user.role if user else None
        if (
            user is not None
            and request.url.path.startswith("/api/")
            and request.method in ("POST", "PUT", "PATCH", "DELETE")
            and not user.via_token
        ):
            raise WebError(
                401,
                "API writes need an API token, not a browser session.",
                code="auth.token-required",
                hint="Create a token on your account page and send "
                "`Authorization: Bearer <token>`.",
            )
        if allowed(role, self.action):
            return user
        if user is None:
            raise _sign_in_error()
        raise WebError(
            403,
            f"Your role ({user.role}) does not allow {self.action!r}.",
            code="auth.forbidden",
            hint="Ask an administrator for a role that allows it.",
            action=self.action,
            role=user.role,
        )

    def _check_token(self, request: Request, user: Principal) -> None:
        """What an API token's scope allows; token management needs a browser session."""
        if self.browser:
            raise WebError(
                401,
                "Managing API tokens needs a signed-in browser session, not an API token.",
                code="auth.session-required",
                hint="Sign in at /login and manage your tokens on /account.",
            )
        if user.scope == "read" and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise WebError(
                403,
                "This API token may only read.",
                code="auth.token-scope",
                hint="Create a token with the write scope on /account for this.",
                scope=user.scope,
            )
        if self.action is not None and _administrators_only(self.action) and user.scope != "admin":
            raise WebError(
                403,
                f"{self.action!r} needs an API token with the admin scope.",
                code="auth.token-scope",
                hint="An administrator can create an admin-scope token on /account.",
                scope=user.scope,
            )


def _administrators_only(action: str) -> bool:
    from socialcover.store import PERMISSIONS, Role

    return PERMISSIONS.get(action) == frozenset({Role.ADMINISTRATOR})


def _sign_in_error() -> WebError:
    return WebError(
        401,
        "You need to sign in for this.",
        code="auth.required",
        hint="Sign in at /login, or send `Authorization: Bearer <token>` to the API.",
    )


def allowed(role: str | None, action: str) -> bool:
    """Whether ``role`` (``None`` = anonymous reader) may do ``action``, per ``PERMISSIONS``."""
    from socialcover.store import can

    return bool(can(role, action))


def needs_of(route: object) -> list[Need]:
    """The ``Need`` declarations of a route (for the role matrix test and the docs)."""
    dependant = getattr(route, "dependant", None)
    found: list[Need] = []
    stack = list(getattr(dependant, "dependencies", []) or [])
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Need):
            found.append(dep.call)
        stack.extend(dep.dependencies)
    return found


def route_table(app: Any) -> list[tuple[str, frozenset[str], list[Need], bool]]:
    """Every route of the app: path, methods, its ``Need`` declarations, whether an APIRoute.

    Included routers are expanded (FastAPI keeps them lazily since 0.16x), with their prefixes
    and router-level dependencies applied.
    """
    from fastapi.routing import iter_route_contexts

    out: list[tuple[str, frozenset[str], list[Need], bool]] = []
    for ctx in iter_route_contexts(app.routes):
        is_api = isinstance(ctx.original_route, APIRoute)
        needs = needs_of(ctx) if is_api else []
        out.append((str(ctx.path), frozenset(ctx.methods or ()), needs, is_api))
    return out
