"""A small thread-safe least-recently-used cache, for what every anonymous reader sees alike.

Keys of cached pages and search results include the data version
(:func:`socialcover.web.database.public_version`), so an entry is never served after a write.
A write makes every entry out of date at once, and the readers who arrive together then all
miss the same key: :meth:`Lru.once` lets one of them compute it while the others wait for
its value, so a page is computed once per write, not once per waiting reader.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Lru(Generic[V]):
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[tuple[Any, ...], V] = OrderedDict()
        self.lock = threading.Lock()
        self.making: dict[tuple[Any, ...], threading.Event] = {}

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

    def once(self, key: tuple[Any, ...], make: Callable[[], V], wait: float = 30.0) -> V:
        """The value under ``key``; on a miss, made by one caller while the others wait for it.

        A caller that waited longer than ``wait`` seconds, or whose maker failed, makes the
        value itself.
        """
        with self.lock:
            value = self.data.get(key)
            if value is not None:
                self.data.move_to_end(key)
                return value
            event = self.making.get(key)
            leader = event is None
            if event is None:
                event = self.making[key] = threading.Event()
        if not leader:
            event.wait(wait)
            value = self.get(key)
            return value if value is not None else make()
        try:
            value = make()
            self.put(key, value)
            return value
        finally:
            with self.lock:
                self.making.pop(key, None)
            event.set()
