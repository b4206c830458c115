"""Accounts for the web layer: the database on start, and the principal behind a request.

Thin calls into ``socialcover.store``: schema upgrade and starter content on start,
server-side sessions (the cookie holds the token, the store keeps its hash), API tokens.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from socialcover.web.access import Principal
from socialcover.web.settings import Settings

log = logging.getLogger("socialcover.web")


def prepare_database(settings: Settings) -> None:
    """Bring the database to the newest schema; on first start, seed the starter content."""
    from socialcover import knowledge, store

    engine = store.get_engine(settings.database_url)
    first_start = store.current_revision(engine) is None
    store.upgrade(settings.database_url)
    if settings.seed and first_start:
        with store.session_scope(store.SystemActor("system:seed"), url=settings.database_url) as s:
            report = knowledge.seed_starter_content(s)
        log.info("Seeded starter content: %s", report)


@contextmanager
def db(request: Request, actor: Any = None, *, write: bool = True) -> Iterator[Session]:
    """A store session (one transaction) on the app's database, acting as ``actor``."""
    from socialcover.store import session_scope

    with session_scope(actor, url=request.app.state.settings.database_url, write=write) as s:
        yield s


def _principal(user: Any, via_token: bool = False) -> Principal:
    return Principal(
        id=user.id,
        email=user.email,
        name=user.display_name or user.email,
        role=str(getattr(user.role, "value", user.role)),
        via_token=via_token,
    )


def principal_by_session(url: str | None, token: str) -> Principal | None:
    """The active account behind a session cookie (``None`` when unknown or expired)."""
    from socialcover.store import resolve_session, session_scope

    with session_scope(None, url=url, write=False) as s:
        user = resolve_session(s, token)
        return _principal(user) if user is not None else None


def principal_by_token(url: str | None, token: str) -> Principal | None:
    """The account behind an API token (``None`` when unknown, revoked or expired)."""
    from socialcover.store import resolve_api_token, session_scope

    with session_scope(None, url=url, write=False) as s:
        user = resolve_api_token(s, token)
        return _principal(user, via_token=True) if user is not None else None
