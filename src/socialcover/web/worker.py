"""Heavy jobs in a worker process with a memory limit and a time limit.

A survey job reads an uploaded file whose cost the server cannot know in advance: a file within
the declared limits (rows, decoded bytes) can still need gigabytes once estimation starts; a
report build computes an edition and typesets a PDF, seconds of CPU that would hold the
server's interpreter lock. So each job runs in a fresh process (``multiprocessing``'s
``spawn`` context: the server has threads, and a forked copy of it would carry the server's
memory and locks), which

- limits its data memory with ``RLIMIT_DATA`` (private writable memory: heap and anonymous
  mappings, what the job's frames live in; ``RLIMIT_AS`` would also count the address space
  the libraries reserve and never use, 2-3 GB for Polars, DuckDB and Arrow's thread pools
  before a single row is read);
- gives DuckDB a ``memory_limit`` below that (``SOCIALCOVER_DUCKDB_MEMORY_LIMIT``, read by
  :class:`socialcover.survey.backend.duckdb.DuckDBBackend`), so its queries fail with an
  error rather than an allocation failure, and uses the system allocator for Arrow (its
  default, jemalloc, reserves 1 GB of data memory at its first allocation);
- writes its own status file (progress included) in the job's folder and its stderr to
  ``worker.log`` there;
- is stopped (SIGKILL) by the server's supervising thread once it has run longer than the time
  limit.

The server's memory stays flat whatever the job does: the supervising thread holds no data,
only the process handle. How the process ended is :class:`Ending`; the caller turns it into
the job's failure message.

Inputs go by file path (the job's folder), never by pickling frames.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

LOG_NAME = "worker.log"
# Exit status of a worker whose job raised MemoryError (or DuckDB's out-of-memory error).
EXIT_OUT_OF_MEMORY = 86
# DuckDB gets this share of the limit; the rest is for Polars frames and the interpreter.
DUCKDB_SHARE = 0.5
# What allocation failures print on stderr before the process aborts: Rust (Polars), C++
# (DuckDB, Arrow), glibc and Python.
MEMORY_WORDS = (
    "memory allocation of",
    "bad_alloc",
    "MemoryError",
    "Out of Memory",
    "Cannot allocate memory",
    "out of memory",
)


@dataclass(frozen=True)
class Limits:
    """What a worker process may use.

    Parameters
    ----------
    memory_mb
        Data memory (``RLIMIT_DATA``) in MiB; 0 for no limit.
    seconds
        Wall-clock time before the process is stopped; 0 for no limit.
    """

    memory_mb: int
    seconds: float


@dataclass(frozen=True)
class Ending:
    """How a worker process ended.

    ``reason`` is ``"done"`` (exit status 0), ``"memory"`` (it ran out of its memory limit:
    a ``MemoryError``, an allocation failure on its stderr, or killed by the kernel),
    ``"time"`` (stopped at the time limit) or ``"crash"`` (any other ending; ``exitcode`` says
    which: negative for a signal).
    """

    reason: Literal["done", "memory", "time", "crash"]
    exitcode: int | None


def limit_memory(memory_mb: int) -> None:
    """Limit this process's data memory to ``memory_mb`` MiB (0: leave it as it is)."""
    if memory_mb <= 0:
        return
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _child(target: Callable[..., None], folder: str, memory_mb: int, args: tuple[str, ...]) -> None:
    """The worker process: limits first, then the job; a memory error ends it with its status."""
    log = os.open(Path(folder) / LOG_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 2)  # allocation failures in Rust/C++ code are printed there before an abort
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115  # lives as long as the process
    if memory_mb > 0:
        os.environ["SOCIALCOVER_DUCKDB_MEMORY_LIMIT"] = f"{int(memory_mb * DUCKDB_SHARE)}MB"
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    limit_memory(memory_mb)
    try:
        target(folder, *args)
    except MemoryError as exc:
        print(f"MemoryError: {exc}", file=sys.stderr, flush=True)
        os._exit(EXIT_OUT_OF_MEMORY)


def run_limited(
    target: Callable[..., None], folder: Path, limits: Limits, args: tuple[str, ...] = ()
) -> Ending:
    """Run ``target(str(folder), *args)`` in a new process within ``limits``; wait for its end.

    Parameters
    ----------
    target
        A module-level function (the ``spawn`` context imports it by name in the new process).
        It reads its inputs from ``folder`` and writes its results there. A ``MemoryError`` it
        lets through ends the process as ``"memory"``.
    folder
        The job's folder; ``worker.log`` there receives the process's stderr.
    limits
        Memory and time limits.
    args
        More strings for ``target`` (a database URL: passed to the process, never written to
        the job's folder).

    Returns
    -------
    Ending
        How the process ended.
    """
    context = multiprocessing.get_context("spawn")
    # daemon: a server that stops takes its workers with it (their jobs are marked
    # interrupted at the next start).
    process = context.Process(
        target=_child, args=(target, str(folder), limits.memory_mb, args), daemon=True
    )
    process.start()
    process.join(limits.seconds if limits.seconds > 0 else None)
    if process.is_alive():
        process.kill()
        process.join()
        return Ending("time", process.exitcode)
    code = process.exitcode
    if code == 0:
        return Ending("done", code)
    if code == EXIT_OUT_OF_MEMORY or code == -signal.SIGKILL or _log_says_memory(folder):
        return Ending("memory", code)
    return Ending("crash", code)


def _log_says_memory(folder: Path) -> bool:
    path = folder / LOG_NAME
    if not path.exists():
        return False
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 20_000))
        tail = fh.read().decode("utf-8", errors="replace")
    return any(word in tail for word in MEMORY_WORDS)
