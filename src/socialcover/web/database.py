"""The platform database in the web app: prepared on start, then one session per request.

A route takes its session as a dependency, ``session: ReadSession`` or ``session: WriteSession``:
one transaction acting as the request's principal (``None`` for an anonymous reader), committed
once the route has returned and before the response is sent, rolled back on any error that
leaves the route (so an error response always means nothing was saved). A route that turns an
error into a page of its own (a form shown again with the problem) rolls back itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.store import MAX_CONNECTIONS
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


# Requests that may hold a session (and so a connection) at once: fewer than the pool's
# connections, so that the short lookups made outside a request's session (who is signed in,
# jobs) always find one. Without the bound, under a burst of readers every worker thread could
# wait for a connection held by a request that needs a worker thread to give it back: the
# server stalled for the pool's 30 s timeout and answered 500s (120 clients on one page).
SESSION_SLOTS = MAX_CONNECTIONS - 4


def _slots(request: Request) -> asyncio.Semaphore:
    """The app's session slots on the running event loop (tests may run one app on several)."""
    loop = asyncio.get_running_loop()
    held = getattr(request.app.state, "session_slots", None)
    if held is None or held[0] is not loop:
        held = request.app.state.session_slots = (loop, asyncio.Semaphore(SESSION_SLOTS))
    slots: asyncio.Semaphore = held[1]
    return slots


@asynccontextmanager
async def _transaction(request: Request, *, write: bool) -> AsyncIterator[Session]:
    # the slot is waited for here, on the event loop, not in a worker thread
    async with _slots(request), _session(request, write=write) as session:
        yield session


@asynccontextmanager
async def _session(request: Request, *, write: bool) -> AsyncIterator[Session]:
    from socialcover.store import session_scope

    actor = getattr(request.state, "user", None)
    scope = session_scope(actor, url=request.app.state.settings.database_url, write=write)
    # Opening a session does no I/O, so it happens here; ending it (commit or rollback, then
    # close) talks to the database, so it runs in a worker thread.
    session = scope.__enter__()
    try:
        yield session
    except BaseException as exc:
        if not await run_in_threadpool(scope.__exit__, type(exc), exc, exc.__traceback__):
            raise
    else:
        await run_in_threadpool(scope.__exit__, None, None, None)


async def read_session(request: Request) -> AsyncIterator[Session]:
    """A session for reading: on SQLite it never waits for a writer."""
    async with _transaction(request, write=False) as session:
        yield session


async def write_session(request: Request) -> AsyncIterator[Session]:
    """A session for writing: on SQLite it takes the write lock at its first statement."""
    async with _transaction(request, write=True) as session:
        yield session


# scope="function": the transaction ends when the route returns, before the response is sent,
# so that a failed commit (a stale write, a busy database) still becomes the error response.
ReadSession = Annotated[Session, Depends(read_session, scope="function")]
WriteSession = Annotated[Session, Depends(write_session, scope="function")]


def public_version(session: Session) -> tuple[Any, ...]:
    """The version of what anonymous readers can see: the database and its public version.

    The public version (:func:`socialcover.store.public_version.public_version`) grows with
    every committed write the public can see (a publication, a withdrawal, an edit of a public
    record) and only with those, so a cache key that includes it never serves a page or a
    result older than the last public change, and survives private drafts.
    """
    from socialcover.store.public_version import public_version as version

    return (str(session.get_bind().engine.url), version(session))
