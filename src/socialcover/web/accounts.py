"""Accounts for the web layer: the database on start, and the principal behind a request.

Thin calls into ``socialcover.store`` (schema upgrade, starter content, sessions, API tokens).
"""

from __future__ import annotations

import logging
from typing import Any

from socialcover.web.access import Principal
from socialcover.web.settings import Settings

log = logging.getLogger("socialcover.web")


def prepare_database(settings: Settings) -> None:
    """Bring the database to the newest schema and seed starter content when it is empty."""
    import os

    from socialcover.store import engine as store_engine

    if settings.database_url:
        os.environ[store_engine.ENV_URL] = settings.database_url
    from socialcover.store import migrate

    migrate.upgrade(settings.database_url)
    if settings.seed:
        seed = _optional("socialcover.store", "seed_starter_content")
        if seed is not None:
            seed()


def _optional(module: str, name: str) -> Any:
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _principal(user: Any, via_token: bool = False) -> Principal:
    return Principal(
        id=user.id,
        email=user.email,
        name=user.display_name or user.email,
        role=str(getattr(user.role, "value", user.role)),
        via_token=via_token,
    )


def principal_by_id(user_id: int) -> Principal | None:
    """The active account with this id, as a principal."""
    from socialcover.store.engine import session_scope
    from socialcover.store.models import User

    with session_scope() as s:
        user = s.get(User, user_id)
        if user is None or not user.is_active:
            return None
        return _principal(user)


def principal_by_token(token: str) -> Principal | None:
    """The account behind an API token (``None`` when unknown, revoked or expired)."""
    check = _optional("socialcover.store", "authenticate_token")
    if check is None:
        return None
    try:
        user = check(token)
    except Exception:  # an unknown token is simply no principal; routes then say 401
        return None
    return _principal(user, via_token=True) if user is not None else None
