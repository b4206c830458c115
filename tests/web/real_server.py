"""A real ``socialcover serve`` process on 127.0.0.1 for the tests that need one.

Memory limits, worker processes, bursts of clients, uploads over raw sockets and kills mid-write
cannot be checked through FastAPI's test client: these tests start the command a user runs and
talk to it over HTTP. They share one way to start it, wait until it serves, and give it an API
token.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from .browser.conftest import free_port

PASSPHRASE = "a long enough passphrase 42"


@dataclass(frozen=True)
class Server:
    """A running server: its process, address, database and home folder."""

    proc: subprocess.Popen[bytes]
    port: int
    database_url: str
    home: Path
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self, email: str, role: str, label: str = "tests") -> str:
        """An API token of a new user with ``role``, written straight into the database."""
        from socialcover import store

        with store.session_scope(store.SystemActor(), url=self.database_url) as s:
            user = store.create_user(s, store.SystemActor(), email, PASSPHRASE, role)
            _row, token = store.create_api_token(s, user, label)
        store.dispose_engines()  # the server holds the database; this process lets go
        return token


def start(
    database_url: str,
    home: Path,
    log: Path,
    *options: str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> Server:
    """Start ``socialcover serve`` on a free port and return once it answers ``/login``.

    ``options`` come after the host, port and database (``--no-seed``, limits, workers...);
    ``env`` is added to this process's environment. The server's output goes to ``log``, shown
    if it never answers.
    """
    port = free_port()
    command = [
        *(str(Path(sys.executable).parent / "socialcover"), "serve"),
        *("--host", "127.0.0.1", "--port", str(port), "--database-url", database_url),
        *options,
    ]
    environ = dict(os.environ, SOCIALCOVER_HOME=str(home), **(env or {}))
    with log.open("ab") as out:  # the server writes through its own copy of the descriptor
        proc = subprocess.Popen(command, env=environ, stdout=out, stderr=subprocess.STDOUT)
    server = Server(proc, port, database_url, home, log)
    deadline = time.time() + timeout
    while True:
        try:
            if httpx.get(f"{server.base}/login", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            proc.wait()
            raise AssertionError(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.2)


@contextmanager
def serving(
    tmp_path: Path,
    *options: str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> Iterator[Server]:
    """A server on a new SQLite database in ``tmp_path`` (home ``tmp_path/home``), stopped
    at the end."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'server.db'}"
    server = start(url, home, tmp_path / "server.log", *options, env=env, timeout=timeout)
    try:
        yield server
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=30)
