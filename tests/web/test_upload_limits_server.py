"""A 120 MB PDF upload to a real server is refused with 413 while its memory stays flat.

A ``socialcover serve`` process on 127.0.0.1 receives the upload over a raw socket, once with
its ``Content-Length`` and once chunked (no length: refused once the bytes pass the limit). Its
peak resident memory (``VmHWM``, reset just before) may exceed its ``VmRSS`` before by less
than 50 MB, and nothing of the file is kept.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .real_server import serving

pytestmark = pytest.mark.slow
SIZE = 120 * 2**20
BOUNDARY = "limit-test-boundary"


def _memory(pid: int, field: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, int, str, Path]]:
    """(pid, port, token, home) of a server with one publication draft (id 1)."""
    (tmp_path / "tmp").mkdir()
    with serving(tmp_path, "--no-seed", env={"TMPDIR": str(tmp_path / "tmp")}) as server:
        token = server.token("u@example.org", "reviewer", "limits")
        made = httpx.post(
            f"{server.base}/api/v1/publications",
            json={"title": "A large report", "kind": "study"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert made.status_code == 201 and made.json()["id"] == 1, made.text
        yield server.proc.pid, server.port, token, tmp_path


def _upload(port: int, token: str, *, chunked: bool) -> int:
    """Send a 120 MB PDF part; the HTTP status of the answer (read as soon as it comes)."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"'
        "\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    framing = (
        "Transfer-Encoding: chunked"
        if chunked
        else f"Content-Length: {len(head) + SIZE + len(tail)}"
    )
    request = (
        "POST /api/v1/publications/1/file HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n{framing}\r\n\r\n"
    ).encode()
    block = b"0" * 2**20
    pieces = [head, *([block] * (SIZE // len(block))), tail]
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(request)
        try:
            for piece in pieces:
                if select.select([sock], [], [], 0)[0]:
                    break  # answered: stop sending
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            else:
                if chunked:
                    sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection after answering
        answer = sock.recv(4096)
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_120_mb_pdf_is_refused_while_memory_stays_flat(
    server: tuple[int, int, str, Path], chunked: bool
) -> None:
    pid, port, token, root = server
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # the peak starts again from now
    before = _memory(pid, "VmRSS")
    status = _upload(port, token, chunked=chunked)
    time.sleep(0.5)
    grown = max(_memory(pid, "VmHWM"), _memory(pid, "VmRSS")) - before
    assert grown < 50 * 2**20, f"the server grew by {grown / 2**20:.0f} MB"
    assert status == 413
    kept = [p for p in (root / "home").rglob("*.pdf")] + [
        p for p in (root / "home").rglob("*.part")
    ]
    assert kept == [] and list((root / "tmp").iterdir()) == []
