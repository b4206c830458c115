"""A limit on heavy work by anonymous callers: so many costing runs a minute per address.

A costing run for every country to 2060 takes seconds of CPU; anyone may ask for one. Each
client address (``request.client.host``, as the server sees it: behind a proxy, run uvicorn
with ``--proxy-headers`` so that it is the caller's) may start ``anonymous_heavy_per_minute``
heavy requests in any 60 seconds; the next one answers 429 ``http.rate-limited`` with
``Retry-After`` (the seconds until the oldest of them leaves the window). Signed-in callers
(session or API token) are not limited here: their work is attributable and their role can be
withdrawn. The counts live in the process's memory (one window per worker process).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from fastapi import Request

from socialcover.web.errors import WebError

WINDOW_S = 60.0
MAX_ADDRESSES = 10_000  # windows kept; the least recently seen address is forgotten first


class HeavyWorkLimiter:
    """Sliding one-minute windows of heavy requests, one per client address.

    Parameters
    ----------
    per_minute
        Heavy requests an address may start in any 60 seconds; 0 turns the limit off.
    clock
        Seconds, monotonic (tests pass their own).

    Examples
    --------
    >>> now = [0.0]
    >>> lim = HeavyWorkLimiter(2, clock=lambda: now[0])
    >>> lim.wait_s("10.0.0.1"), lim.wait_s("10.0.0.1"), lim.wait_s("10.0.0.1")
    (0, 0, 60)
    >>> now[0] = 60.5
    >>> lim.wait_s("10.0.0.1")
    0
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def wait_s(self, address: str) -> int:
        """Count one request from ``address``: 0 if it may go on, else the seconds to wait
        (a refused request is not counted)."""
        if self.per_minute <= 0:
            return 0
        now = self._clock()
        with self._lock:
            times = self._seen.pop(address, None) or deque()
            while times and times[0] <= now - WINDOW_S:
                times.popleft()
            wait = 0
            if len(times) >= self.per_minute:
                wait = max(1, math.ceil(times[0] + WINDOW_S - now))
            else:
                times.append(now)
            self._seen[address] = times
            while len(self._seen) > MAX_ADDRESSES:
                self._seen.popitem(last=False)
        return wait


async def heavy_work(request: Request) -> None:
    """Route dependency: refuse an anonymous caller over its address's limit (429)."""
    if getattr(request.state, "user", None) is not None:
        return
    limiter: HeavyWorkLimiter = request.app.state.heavy
    address = request.client.host if request.client else "unknown"
    wait = limiter.wait_s(address)
    if wait:
        raise WebError(
            429,
            f"Too many heavy requests from {address}: at most {limiter.per_minute} a minute "
            "without signing in.",
            code="http.rate-limited",
            hint=f"Wait {wait} s and try again, or send an API token "
            "(`Authorization: Bearer <token>`): signed-in work is not limited this way.",
            retry_after_s=wait,
            limit_per_minute=limiter.per_minute,
        )
