"""A burst of readers larger than the database pool is served, not stalled.

A ``socialcover serve`` process on 127.0.0.1 gets 150 anonymous readers at once, each asking
for the practice library three times. Every request holds a database session; with more
readers than connections, worker threads used to wait for connections held by requests that
needed a worker thread to give them back, and the server stalled for the pool's 30 s timeout,
then answered 500s. Now every request is answered 200, each within a few seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from socialcover.store import MAX_CONNECTIONS

from .real_server import serving

pytestmark = pytest.mark.slow
READERS = 150


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path) as server:
        yield server.base


async def _readers(base: str) -> list[tuple[int, float]]:
    limits = httpx.Limits(max_connections=READERS)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def reader() -> list[tuple[int, float]]:
            seen = []
            for _ in range(3):
                t0 = time.perf_counter()
                r = await client.get("/practices")
                seen.append((r.status_code, time.perf_counter() - t0))
            return seen

        done = await asyncio.gather(*(reader() for _ in range(READERS)))
    return [one for seen in done for one in seen]


def test_more_readers_than_connections_are_all_served(base: str) -> None:
    assert READERS > 2 * MAX_CONNECTIONS  # more readers than the pool and the worker threads
    answers = asyncio.run(_readers(base))
    assert [status for status, _s in answers] == [200] * (3 * READERS)
    assert max(seconds for _status, seconds in answers) < 10
