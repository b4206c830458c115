"""SIGKILL the server while clients write: no committed record lost, none half-written.

A real ``socialcover serve`` process on SQLite (WAL, synchronous=FULL) receives practice
drafts from writer threads through the REST API; it is killed with SIGKILL at a random moment,
several times. Every draft whose 201 response reached a client must be in the database with
exactly the fields sent and its audit row; no other draft of the run may exist in a partial
state; SQLite's integrity check must pass.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .real_server import start

pytestmark = pytest.mark.slow
ROUNDS = 4
WRITERS = 4


def _body(tag: str) -> dict[str, Any]:
    return {
        "title": f"Kill test {tag}",
        "country_iso3": "KEN",
        "guarantee": "old_age",
        "mechanism": "social pension",
        "summary": f"Summary of {tag}: " + "x" * 500,
        "what_was_done": f"Body of {tag}: " + "y" * 2000,
        "assessment": "good",
    }


def test_no_committed_write_is_lost_or_half_written(tmp_path: Path) -> None:
    from sqlalchemy import text

    from socialcover import store

    url = f"sqlite:///{tmp_path / 'kill.db'}"
    home = tmp_path / "home"
    home.mkdir()
    log = tmp_path / "server.log"
    server = start(url, home, log, "--no-seed")
    token = server.token("w@example.org", "contributor", "kill")

    committed: dict[int, str] = {}
    attempted: set[str] = set()
    lock = threading.Lock()
    rng = random.Random(42)
    for rnd in range(ROUNDS):
        if rnd:
            server = start(url, home, log, "--no-seed")
        proc, base = server.proc, server.base
        stop = threading.Event()

        def writer(w: int, base: str = base, rnd: int = rnd, stop: threading.Event = stop) -> None:
            n = 0
            with httpx.Client(
                base_url=base, timeout=5, headers={"Authorization": f"Bearer {token}"}
            ) as c:
                while not stop.is_set():
                    tag = f"r{rnd}-w{w}-{n}"
                    n += 1
                    with lock:
                        attempted.add(tag)
                    try:
                        r = c.post("/api/v1/practices", json=_body(tag))
                    except httpx.HTTPError:
                        continue  # the server died mid-request: not acknowledged
                    if r.status_code == 201:
                        with lock:
                            committed[r.json()["id"]] = tag

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.8, 2.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        stop.set()
        for t in threads:
            t.join()

    assert len(committed) > 20, "too few writes to mean anything"
    with store.session_scope(None, url=url, write=False) as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        rows = s.execute(
            text(
                "SELECT id, title, summary, what_was_done FROM practices "
                "WHERE title LIKE 'Kill test %'"
            )
        ).all()
        by_id = {r.id: r for r in rows}
        audited = {
            r[0]
            for r in s.execute(
                text("SELECT entity_id FROM audit_log WHERE entity_type = 'practices'")
            )
        }
    for pid, tag in committed.items():
        assert pid in by_id, f"committed practice {pid} ({tag}) was lost"
    for r in rows:
        tag = r.title.removeprefix("Kill test ")
        assert tag in attempted
        expected = _body(tag)
        assert r.summary == expected["summary"] and r.what_was_done == expected["what_was_done"], (
            f"practice {r.id} is half-written"
        )
        assert r.id in audited, f"practice {r.id} has no audit row"
    store.dispose_engines()
