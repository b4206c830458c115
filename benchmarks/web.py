"""Latency of the web app under load: the country page and search, 50 concurrent clients.

Starts ``socialcover serve`` (uvicorn, one process) on 127.0.0.1 with the embedded SQLite
database, then runs N concurrent clients (kept-alive HTTP/1.1 connections on one asyncio loop,
lean enough to leave the server most of the two cores) against each endpoint for a fixed
duration and prints p50/p95/p99 latency, throughput, and the CPU per request of the server and
of the load generator. Target: p95 under 150 ms on 2 cores.

Then the first requests after a public write: a reviewer drafts and publishes a practice
through the API (a publication changes the public version anonymous pages and search results
are cached under; a private draft alone would not), and at once all N clients ask for the
endpoint together; repeated ``--rounds`` times, the p95 of those first
requests is printed. Same target.

Usage::

    python benchmarks/web.py [--clients 50] [--seconds 15] [--rounds 20] [--home DIR]

``--home`` is a socialcover home with the data pack installed; by default the pack in
../shared/data is installed into a temporary home first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
ENDPOINTS = {
    "country page /countries/KEN": "/countries/KEN",
    "search page /practices?q=pension": "/practices?q=pension",
    "search API /api/v1/search?q=pension": "/api/v1/search?q=pension",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _home(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    home = Path(tempfile.mkdtemp(prefix="sc-bench-"))
    env = dict(os.environ, SOCIALCOVER_HOME=str(home))
    subprocess.run(
        [
            str(Path(sys.executable).parent / "socialcover"),
            "data",
            "import",
            str(REPO.parent / "shared" / "data"),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    return home


class _Connection:
    """One kept-alive HTTP/1.1 connection that sends a GET and reads the whole response.

    The load generator shares the two cores with the server, so it must cost little: httpx
    spends about as much CPU per request as the server does, which doubled the latencies this
    benchmark reported. Responses carry Content-Length or are chunked; either is read whole.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if headers.get("connection") == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _client(port: int, path: str, until: float, out: list[float], errors: list[int]) -> None:
    conn = _Connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            t0 = time.perf_counter()
            status = await conn.get(path)
            out.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(status)
    finally:
        conn.close()


async def _run(port: int, path: str, clients: int, seconds: float) -> tuple[list[float], list[int]]:
    latencies: list[float] = []
    errors: list[int] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_client(port, path, until, latencies, errors) for _ in range(clients)))
    return latencies, errors


def _token(db: Path) -> str:
    """An API token of a reviewer (who drafts and publishes), created in the benchmark's
    database."""
    from socialcover import store

    url = f"sqlite:///{db}"
    with store.session_scope(store.SystemActor(), url=url) as s:
        user = store.create_user(
            s,
            store.SystemActor(),
            "bench@example.org",
            "a long enough passphrase 42",
            "reviewer",
        )
        _row, token = store.create_api_token(s, user, "benchmark")
    store.dispose_engines()
    return str(token)


async def _after_writes(
    port: int, path: str, clients: int, rounds: int, token: str, write: bool
) -> tuple[list[float], list[int]]:
    """Latency of ``clients`` requests sent together, ``rounds`` times, each right after a write
    (or, with ``write`` false, after nothing: the same burst with the caches warm)."""
    latencies: list[float] = []
    errors: list[int] = []
    conns = [_Connection("127.0.0.1", port) for _ in range(clients)]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as writer:
        # open the connections (one burst, counted in the server's CPU per request)
        await asyncio.gather(*(c.get(path) for c in conns))
        for i in range(rounds):
            if write:
                w = await writer.post(
                    "/api/v1/practices",
                    headers={"Authorization": f"Bearer {token}"},
                    json={
                        "title": f"Benchmark draft {i}",
                        "country_iso3": "KEN",
                        "guarantee": "old_age",
                        "mechanism": "social pension",
                        "summary": "A practice published between two bursts of readers.",
                        "assessment": "good",
                    },
                )
                if w.status_code != 201:
                    errors.append(w.status_code)
                else:  # published: a change the public sees
                    auth = {"Authorization": f"Bearer {token}"}
                    for step in ("submit", "publish"):
                        done = await writer.post(
                            f"/api/v1/practices/{w.json()['id']}/{step}", headers=auth, json={}
                        )
                        if done.status_code != 200:
                            errors.append(done.status_code)

            async def one(conn: _Connection) -> None:
                t0 = time.perf_counter()
                try:
                    status = await conn.get(path)
                except (OSError, asyncio.IncompleteReadError):  # closed by the server
                    conn.close()
                    errors.append(0)
                    return
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors.append(status)

            await asyncio.gather(*(one(c) for c in conns))
            await asyncio.sleep(0.2)
    for c in conns:
        c.close()
    return latencies, errors


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to report server CPU per request."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """The server process and its worker processes."""
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(k) for k in kids)]


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--rounds", type=int, default=20, help="writes in the after-write case")
    ap.add_argument("--home")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = ap.parse_args()
    home = _home(args.home)
    db = Path(tempfile.mkdtemp(prefix="sc-bench-db-")) / "bench.db"
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "socialcover"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--database-url",
            f"sqlite:///{db}",
            "--workers",
            str(args.workers),
        ],
        env=dict(os.environ, SOCIALCOVER_HOME=str(home)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        print(
            f"socialcover web benchmark: {args.clients} clients x {args.seconds:g} s per "
            f"endpoint, uvicorn ({args.workers} worker(s)), SQLite; {os.cpu_count()} CPUs visible"
        )
        print(
            f"{'endpoint':40} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6} {'server CPU ms/req':>17} {'client':>6}"
        )
        for name, path in ENDPOINTS.items():
            for _ in range(5):  # warm caches (data frames, templates, SQLite pages)
                httpx.get(base + path, timeout=30)
            pids = _tree(server.pid)
            cpu0, own0 = sum(_cpu_seconds(p) for p in pids), _own_cpu()
            lat, errors = asyncio.run(_run(port, path, args.clients, args.seconds))
            cpu = (sum(_cpu_seconds(p) for p in pids) - cpu0) / max(1, len(lat))
            own = (_own_cpu() - own0) / max(1, len(lat))
            print(
                f"{name:40} {len(lat):8d} {len(lat) / args.seconds:7.1f} "
                f"{1000 * statistics.median(lat):7.1f} {1000 * _pct(lat, 0.95):7.1f} "
                f"{1000 * _pct(lat, 0.99):7.1f} {len(errors):6d} {1000 * cpu:17.2f} "
                f"{1000 * own:6.2f}"
            )
        token = _token(db)
        print(
            f"\nfirst requests after a write: {args.rounds} writes (a practice published), each "
            f"followed at once by {args.clients} requests sent together"
        )
        print(
            f"{'endpoint':40} {'case':>11} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6} {'server CPU ms/req':>17} {'client':>6}"
        )
        for name, path in ENDPOINTS.items():
            for write in (False, True):
                pids = _tree(server.pid)
                cpu0, own0 = sum(_cpu_seconds(p) for p in pids), _own_cpu()
                lat, errors = asyncio.run(
                    _after_writes(port, path, args.clients, args.rounds, token, write)
                )
                cpu = (sum(_cpu_seconds(p) for p in pids) - cpu0) / (len(lat) + args.clients)
                own = (_own_cpu() - own0) / (len(lat) + args.clients)
                print(
                    f"{name:40} {'after write' if write else 'no write':>11} {len(lat):8d} "
                    f"{1000 * statistics.median(lat):7.1f} {1000 * _pct(lat, 0.95):7.1f} "
                    f"{1000 * _pct(lat, 0.99):7.1f} {len(errors):6d} {1000 * cpu:17.2f} "
                    f"{1000 * own:6.2f}"
                )
        print(
            f"load average now: {os.getloadavg()[0]:.1f} (other work on the machine inflates "
            "latencies; server CPU per request is the steadier number)"
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
