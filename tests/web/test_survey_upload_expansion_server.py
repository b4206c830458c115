"""Survey files that would take a real server down are refused or run apart, memory flat.

A ``socialcover serve`` process receives a Parquet file of well under 1 MB (zstd, one constant
column) that declares 50 million rows (400 MB as int64, more in a frame). The page and the API
both refuse it with 413 ``survey.too-large`` before any job reads it, nothing of it is kept, and
the server's peak resident memory (``VmHWM``) stays under 1 GB.

A file within the declared limits can still be expensive to estimate: its job runs in a worker
process with a memory limit (here 700 MB), fails with ``survey.job-memory`` saying the limit and
what to do, while the server keeps answering with its memory flat; the next, normal job gets the
same table as estimation in this process.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from .real_server import serving

pytestmark = pytest.mark.slow


def _memory(pid: int, field: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, int, str, Path]]:
    """(pid, port, API token, home) of a server with one contributor."""
    env = {"SOCIALCOVER_SURVEY_JOB_MEMORY_MB": "700"}
    with serving(tmp_path, "--no-seed", env=env) as server:
        token = server.token("c@example.org", "contributor", "expansion")
        yield server.proc.pid, server.port, token, server.home


def _bomb(path: Path) -> Path:
    """50 million rows of one constant int64 column, zstd: a few hundred KB on disk."""
    block = pa.table({"x": pa.array([7] * 1_000_000, type=pa.int64())})
    with pq.ParquetWriter(path, block.schema, compression="zstd") as writer:
        for _ in range(50):
            writer.write_table(block, row_group_size=1_000_000)
    return path


def test_a_parquet_of_50m_rows_is_refused_while_memory_stays_under_1_gb(
    server: tuple[int, int, str, Path], tmp_path: Path
) -> None:
    pid, port, token, home = server
    bomb = _bomb(tmp_path / "bomb.parquet")
    assert bomb.stat().st_size < 1_000_000
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak starts again from now
    before = _memory(pid, "VmRSS")
    answers = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for _ in range(3):
            with bomb.open("rb") as fh:
                answers.append(
                    client.post(
                        "/api/v1/surveys/jobs",
                        files={"file": ("bomb.parquet", fh, "application/octet-stream")},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                )
        jobs = client.get("/api/v1/surveys/jobs", headers={"Authorization": f"Bearer {token}"})
    time.sleep(1.0)  # a job started by mistake would be reading by now
    peak = max(_memory(pid, "VmHWM"), _memory(pid, "VmRSS"))
    print(f"server: {before / 2**20:.0f} MB before, peak {peak / 2**20:.0f} MB")
    for answer in answers:
        assert answer.status_code == 413, answer.text
        error = answer.json()["error"]
        assert error["code"] == "survey.too-large"
        assert "50,000,000 rows" in error["message"] and "10,000,000" in error["message"]
        assert error["hint"]
    assert peak < 2**30, f"the server's peak resident memory was {peak / 2**20:.0f} MB"
    assert peak - before < 100 * 2**20, f"it grew by {(peak - before) / 2**20:.0f} MB"
    assert jobs.json()["items"] == []  # nothing of the refused uploads is kept
    assert list((home / "uploads").rglob("*.parquet")) == []


def _job(client: httpx.Client, token: str, path: Path, mapping: str = "") -> str:
    with path.open("rb") as fh:
        answer = client.post(
            "/api/v1/surveys/jobs",
            files={"file": (path.name, fh, "application/octet-stream")},
            data={"mapping": mapping, "lonely_psu": "adjust"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


def test_an_expensive_survey_within_the_declared_limits_fails_in_its_worker_not_the_server(
    server: tuple[int, int, str, Path], tmp_path: Path
) -> None:
    import polars as pl
    from polars.testing import assert_frame_equal

    from socialcover.indicators import compute_indicators
    from socialcover.survey.io import survey_size
    from socialcover.testing import synthetic_survey

    pid, port, token, home = server
    big = tmp_path / "big.parquet"
    synthetic_survey(600_000, seed=5).write_parquet(big)
    size = survey_size(big)
    # within the declared limits: the upload is accepted, only estimation is expensive
    assert size.rows <= 10_000_000 and size.decoded_bytes <= 2**30
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        client.get("/login")  # the server's own caches warmed before measuring
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        before = _memory(pid, "VmRSS")
        job = _job(client, token, big)
        slowest, rss, deadline = 0.0, before, time.time() + 240
        while True:
            t0 = time.perf_counter()
            status = client.get(f"/api/v1/surveys/jobs/{job}", headers=auth)
            page = client.get("/login")
            slowest = max(slowest, time.perf_counter() - t0)
            rss = max(rss, _memory(pid, "VmRSS"))
            assert status.status_code == 200 and page.status_code == 200
            if status.json()["state"] in ("done", "failed"):
                break
            assert time.time() < deadline, status.json()
            time.sleep(0.2)
        peak = max(_memory(pid, "VmHWM"), rss)
        print(
            f"server: {before / 2**20:.0f} MB before, peak {peak / 2**20:.0f} MB; "
            f"slowest answer {slowest:.2f} s"
        )
        st = status.json()
        assert st["state"] == "failed", st
        assert st["error"]["code"] == "survey.job-memory", st["error"]
        assert "700 MB" in st["error"]["message"]
        assert (
            "sample" in st["error"]["hint"]
            and "socialcover survey indicators" in st["error"]["hint"]
        )
        assert peak < 2**30, f"the server's peak resident memory was {peak / 2**20:.0f} MB"
        assert peak - before < 100 * 2**20, f"it grew by {(peak - before) / 2**20:.0f} MB"
        assert slowest < 5, f"the server took {slowest:.1f} s to answer while the job ran"

        # the same server then computes a normal survey, with the numbers of this process
        small = tmp_path / "small.parquet"
        frame = synthetic_survey(3_000, seed=8)
        frame.write_parquet(small)
        job = _job(client, token, small)
        for _ in range(600):
            st = client.get(f"/api/v1/surveys/jobs/{job}", headers=auth).json()
            if st["state"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert st["state"] == "done", st
    (result,) = (home / "uploads" / "surveys").glob(f"*/{job}/result.parquet")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = compute_indicators(frame, lonely_psu="adjust").to_polars()
    assert_frame_equal(pl.read_parquet(result), direct, check_exact=True)
