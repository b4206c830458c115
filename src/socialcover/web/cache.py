"""What anonymous readers see is the same for all of them: small caches keyed by data version.

Every write to the platform's database adds an audit row, so the newest audit id is a version
of everything a reader can see; a cache key that includes it can never serve a stale page or
result. Signed-in users always get fresh pages (they may see their own drafts).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Generic, TypeVar

from fastapi import Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from socialcover.web.accounts import db

V = TypeVar("V")


class Lru(Generic[V]):
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[tuple[Any, ...], V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> V | None:
        with self.lock:
            value = self.data.get(key)
            if value is not None:
                self.data.move_to_end(key)
            return value

    def put(self, key: tuple[Any, ...], value: V) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


def audit_head(session: Session) -> int | None:
    """The newest audit row's id: it changes with every write to the platform's database."""
    head: int | None = session.execute(text("SELECT max(id) FROM audit_log")).scalar()
    return head


def public_version(request: Request) -> tuple[Any, ...]:
    """The version of what anonymous readers can see: the database and its newest audit row."""
    with db(request, None, write=False) as s:
        return (request.app.state.settings.database_url, audit_head(s))
