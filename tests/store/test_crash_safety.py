"""SIGKILL a writer again and again: no acknowledged commit is lost, nothing is half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from socialcover.store import (
    AuditEntry,
    Organisation,
    SearchDocument,
    SystemActor,
    dispose_engines,
    get_engine,
    history,
    session_scope,
)

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 6


def _run_and_kill(url: str, run: int, seconds: float) -> list[str]:
    acked: list[str] = []
    with subprocess.Popen(  # leaving the block closes the pipes
        [sys.executable, "-u", str(WRITER), url, str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    ) as proc:

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("ACK "):
                    acked.append(line[4:].strip())

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        deadline = time.monotonic() + 30
        while len(acked) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)  # wait until the writer is past its start-up and committing
        time.sleep(seconds)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(timeout=5)
        if not acked:
            err = proc.stderr.read() if proc.stderr else ""
            pytest.fail(f"The writer never committed: {err[-2000:]}")
    return list(acked)


@pytest.mark.slow
def test_sigkilled_writers_lose_no_acknowledged_commit(db_url: str) -> None:
    with session_scope(SystemActor("test")) as s:
        s.add(Organisation(name="counter", actor_type="university"))
    dispose_engines()
    rng = random.Random(20261127)
    acked: list[str] = []
    for run in range(KILLS):
        acked += _run_and_kill(db_url, run, rng.uniform(0.05, 0.6))
    engine = get_engine(db_url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')"))
    with session_scope(write=False) as s:
        names = set(s.scalars(select(Organisation.name)).all())
        missing = [n for n in acked if n not in names]
        assert not missing, f"{len(missing)} acknowledged commits lost, e.g. {missing[:3]}"
        orgs = s.scalars(select(Organisation).where(Organisation.name != "counter")).all()
        ids = {o.id for o in orgs}
        # every record has its audit row and its search document, and vice versa
        audited = set(
            s.scalars(
                select(AuditEntry.entity_id).where(
                    AuditEntry.entity_type == "organisations", AuditEntry.action == "create"
                )
            ).all()
        )
        indexed = set(
            s.scalars(
                select(SearchDocument.record_id).where(SearchDocument.kind == "organisation")
            ).all()
        )
        counter = s.scalars(select(Organisation).where(Organisation.name == "counter")).one()
        assert ids | {counter.id} == audited == indexed
        # the counter's version equals the number of committed writers' transactions + 1,
        # and its history has one row per version: no torn update
        versions = [h.version for h in history(s, "organisations", counter.id)]
        assert versions == list(range(1, counter.version + 1))
        assert counter.version == len(ids) + 1
        assert s.scalar(select(func.count()).select_from(Organisation)) == len(ids) + 1
    assert len(acked) >= KILLS * 3
