"""Survey jobs run in a worker process: its limits, how it ends, and the same numbers.

The memory limit against a real server (its memory flat while the job fails) is in
``test_survey_upload_expansion_server.py``.
"""

from __future__ import annotations

import io
import os
import time
import warnings
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from polars.testing import assert_frame_equal

from socialcover.testing import synthetic_survey
from socialcover.web import Settings, create_app
from socialcover.web.worker import Limits, run_limited

from .conftest import PASSWORD, csrf_of, sign_in


def _upload(client: TestClient, frame: pl.DataFrame) -> str:
    buf = io.BytesIO()
    frame.write_csv(buf)
    resp = client.post(
        "/surveys",
        data={"lonely_psu": "adjust", "csrf_token": csrf_of(client, "/surveys")},
        files={"file": ("survey.csv", buf.getvalue(), "text/csv")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    return resp.headers["location"].rsplit("/", 1)[1]


def _wait(client: TestClient, job: str) -> str:
    for _ in range(600):
        html = client.get(f"/surveys/{job}/status").text
        if 'data-state="done"' in html or 'data-state="failed"' in html:
            return html
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_the_workers_table_is_the_table_of_estimation_in_this_process(
    client: TestClient, users: dict[str, str], tmp_path: Path
) -> None:
    from socialcover.indicators import compute_indicators

    frame = synthetic_survey(2_500, seed=21)
    sign_in(client, users["contributor"])
    job = _upload(client, frame)
    assert 'data-state="done"' in _wait(client, job)
    root = client.app.state.job_registry.root  # type: ignore[attr-defined]
    (folder,) = root.glob(f"*/{job}")
    assert not (folder / "worker.log").read_text()  # nothing went to stderr
    # the CSV the worker read back gives the same frame, so compare with that
    read = pl.read_csv(folder / "survey.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = compute_indicators(read, lonely_psu="adjust").to_polars()
    assert_frame_equal(pl.read_parquet(folder / "result.parquet"), direct, check_exact=True)


def test_a_job_past_its_time_limit_is_stopped_and_says_which_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialcover import store

    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "home"))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 't.db'}",
        secret_key="k",
        upload_dir=tmp_path / "up",
        survey_job_seconds=0.3,  # less than the worker needs to start
    )
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        with store.session_scope(store.SystemActor(), url=settings.database_url) as s:
            store.create_user(s, store.SystemActor(), "t@example.org", PASSWORD, "contributor")
        sign_in(client, "t@example.org")
        job = _upload(client, synthetic_survey(2_000, seed=2))
        html = _wait(client, job)
        assert client.get("/login").status_code == 200
    assert 'data-state="failed"' in html
    assert "ran longer than the 0.3 seconds a survey job may take" in html
    assert "SOCIALCOVER_SURVEY_JOB_SECONDS" in html and "a sample" in html
    (status,) = (tmp_path / "up" / "surveys").glob(f"*/{job}/status.json")
    assert '"code": "survey.job-time"' in status.read_text()


def test_the_memory_limit_setting_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOCIALCOVER_SURVEY_JOB_MEMORY_MB", "700")
    monkeypatch.setenv("SOCIALCOVER_SURVEY_JOB_SECONDS", "60")
    settings = Settings()
    assert (settings.survey_job_memory_mb, settings.survey_job_seconds) == (700, 60)
    monkeypatch.delenv("SOCIALCOVER_SURVEY_JOB_MEMORY_MB")
    assert Settings().survey_job_memory_mb == 2048


# Targets of the worker process: module-level, so the spawned process imports them by name.


def needs_a_gigabyte(folder: str) -> None:
    """Holds 1 GB of distinct bytes (the limit below is 400 MB)."""
    block = bytearray(os.urandom(1024)) * (1024 * 1024)
    (Path(folder) / "never.txt").write_text(str(len(block)))


def polars_needs_a_gigabyte(folder: str) -> None:
    """A Polars frame of 1 GB: Rust's allocator aborts the process when the limit says no."""
    frame = pl.select(pl.int_range(0, 130_000_000, dtype=pl.Int64).alias("x"))
    (Path(folder) / "never.txt").write_text(str(frame.height))


def crashes(folder: str) -> None:
    os.abort()


def duckdb_limit(folder: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '" + os.environ["SOCIALCOVER_DUCKDB_MEMORY_LIMIT"] + "'")
    value = con.execute("SELECT current_setting('memory_limit')").fetchone()
    (Path(folder) / "limit.txt").write_text(str(value[0] if value else ""))


@pytest.mark.parametrize("target", [needs_a_gigabyte, polars_needs_a_gigabyte])
def test_a_worker_past_its_memory_limit_ends_as_memory(target: object, tmp_path: Path) -> None:
    ending = run_limited(target, tmp_path, Limits(memory_mb=400, seconds=120))  # type: ignore[arg-type]
    assert ending.reason == "memory", (ending, (tmp_path / "worker.log").read_text()[-500:])
    assert not (tmp_path / "never.txt").exists()


def test_a_worker_that_crashes_otherwise_ends_as_crash(tmp_path: Path) -> None:
    ending = run_limited(crashes, tmp_path, Limits(memory_mb=0, seconds=120))
    assert ending.reason == "crash" and ending.exitcode is not None and ending.exitcode < 0


def test_duckdb_in_the_worker_gets_half_the_limit(tmp_path: Path) -> None:
    ending = run_limited(duckdb_limit, tmp_path, Limits(memory_mb=1000, seconds=120))
    assert ending.reason == "done"
    assert (tmp_path / "limit.txt").read_text().replace(" ", "") in ("500.0MiB", "476.8MiB")


def test_duckdb_out_of_memory_is_a_memory_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialcover.survey.backend.duckdb import DuckDBBackend

    monkeypatch.setenv("SOCIALCOVER_DUCKDB_MEMORY_LIMIT", "2MB")
    backend = DuckDBBackend(pl.DataFrame({"x": [1]}))
    with pytest.raises(MemoryError, match="DuckDB ran out of memory"):
        backend.query("SELECT list(range(0, 1000000)) AS big")
