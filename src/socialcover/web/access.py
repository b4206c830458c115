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
    """

    def __init__(self, action: str | None, *, signed_in: bool = False) -> None:
        self.action = action
        self.signed_in = signed_in

    def __repr__(self) -> str:
        return f"Need({self.action!r})"

    async def __call__(self, request: Request) -> Principal | None:
        user: Principal | None = getattr(request.state, "user", None)
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
