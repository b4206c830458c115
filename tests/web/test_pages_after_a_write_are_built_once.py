"""After a write, readers arriving together get a page built once, not once per reader.

Every write changes the version anonymous pages and search results are cached under, so the
readers who arrive together right after it all miss the cache: each used to build the same page
at the same moment (50 readers, 50 builds), which made the first requests after a write the
slowest of all (``benchmarks/web.py``, "after write").
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
from fastapi.testclient import TestClient

from socialcover.web import render, search_view
from socialcover.web.cache import Lru


def test_lru_once_makes_a_missing_value_once_for_callers_arriving_together() -> None:
    cache: Lru[int] = Lru(8)
    calls = []

    def make() -> int:
        calls.append(1)
        time.sleep(0.2)  # long enough for every caller to arrive while it is being made
        return 42

    out: list[int] = []
    threads = [
        threading.Thread(target=lambda: out.append(cache.once(("k",), make))) for _ in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [42] * 20 and len(calls) == 1
    assert cache.once(("k",), make) == 42 and len(calls) == 1  # then from the cache


def test_lru_once_a_failed_maker_lets_the_waiting_callers_make_it() -> None:
    cache: Lru[int] = Lru(8)
    first = threading.Event()

    def fails() -> int:
        first.set()
        time.sleep(0.1)
        raise RuntimeError("boom")

    errors: list[BaseException] = []

    def leader() -> None:
        try:
            cache.once(("k",), fails)
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=leader)
    t.start()
    first.wait()
    assert cache.once(("k",), lambda: 7) == 7  # waited, then made it itself
    t.join()
    assert len(errors) == 1


def test_readers_arriving_together_after_a_write_build_the_page_and_the_search_once(
    client: TestClient, users: dict[str, str], monkeypatch
) -> None:
    from socialcover import store
    from socialcover.knowledge import create_practice, publish_practice, submit_practice

    built: list[str] = []
    searched: list[str] = []
    real_render, real_search = render._render, search_view._search

    def counting_render(request, template, context, token):  # type: ignore[no-untyped-def]
        built.append(template)
        return real_render(request, template, context, token)

    def counting_search(*args):  # type: ignore[no-untyped-def]
        searched.append(args[2])
        time.sleep(0.05)  # a search that takes a moment, as on a loaded server
        return real_search(*args)

    monkeypatch.setattr(render, "_render", counting_render)
    monkeypatch.setattr(search_view, "_search", counting_search)
    url = client.app.state.settings.database_url  # type: ignore[attr-defined]

    async def together(path: str, n: int) -> list[int]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            answers = await asyncio.gather(*(c.get(path) for _ in range(n)))
        return [a.status_code for a in answers]

    for path in ("/practices?q=pension", "/api/v1/search?q=pension"):
        with store.session_scope(store.SystemActor(), url=url) as s:  # a public write
            reviewer = store.get_user(s, users["reviewer"])
            made = create_practice(
                s,
                reviewer,
                {
                    "title": "A practice that changes the public version",
                    "country_iso3": "KEN",
                    "guarantee": "old_age",
                    "mechanism": "social pension",
                    "summary": "Written between two bursts of readers.",
                    "assessment": "good",
                },
            )
            submit_practice(s, reviewer, made.id)
            publish_practice(s, reviewer, made.id)
        built.clear()
        searched.clear()
        assert asyncio.run(together(path, 20)) == [200] * 20
        assert searched == ["pension"], (path, searched)
        if path.startswith("/practices"):
            assert built == ["practices.html"], built
