"""Accounts people run themselves: sign-up by invitation, a reset page, a password change page;
the one-time link is e-mailed through a configured SMTP server (a real one on 127.0.0.1 here)."""

from __future__ import annotations

import email
import os
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.web import Settings

from .conftest import PASSWORD, csrf_of, sign_in

NEW = "a brand new passphrase"
SITE = ("--name", "New", "--site", "https://socialcover.example.org")


def _invite(settings: Settings, address: str) -> str:
    from socialcover import store

    admin = store.SystemActor()
    with store.session_scope(admin, url=settings.database_url) as s:
        return store.invite_user(s, admin, address, "contributor", display_name="Invitee")


def test_an_invited_person_chooses_a_password_then_signs_in(
    client: TestClient, web_settings: Settings
) -> None:
    token = _invite(web_settings, "invitee@example.org")
    page = client.get(f"/reset?token={token}")
    assert page.status_code == 200 and f'value="{token}"' in page.text
    differ = client.post(
        "/reset",
        data={"token": token, "password": NEW, "confirm": NEW + "!", "csrf_token": csrf_of(client)},
    )
    assert differ.status_code == 422 and "differ" in differ.text
    done = client.post(
        "/reset",
        data={"token": token, "password": NEW, "confirm": NEW, "csrf_token": csrf_of(client)},
    )
    assert done.status_code == 200 and 'href="/login"' in done.text
    again = client.post(
        "/reset",
        data={"token": token, "password": NEW, "confirm": NEW, "csrf_token": csrf_of(client)},
    )
    assert again.status_code == 422 and "unknown, used or expired" in again.text
    signed = client.post(
        "/login",
        data={"email": "invitee@example.org", "password": NEW, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert signed.status_code == 303


def test_a_signed_in_person_changes_their_password(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    assert client.get("/account/password").status_code == 200
    wrong = client.post(
        "/account/password",
        data={"current": "not it at all", "password": NEW, "confirm": NEW}
        | {"csrf_token": csrf_of(client)},
    )
    assert wrong.status_code == 422 and "current password is wrong" in wrong.text
    done = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW, "confirm": NEW, "csrf_token": csrf_of(client)},
    )
    assert done.status_code == 200 and 'href="/login"' in done.text
    # every session ended: this browser is signed out, and the old password no longer works
    assert client.get("/account", follow_redirects=False).status_code == 303
    old = client.post(
        "/login",
        data={"email": users["contributor"], "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert old.status_code == 401


class _Sink(socketserver.StreamRequestHandler):
    """The smallest SMTP server that accepts one message (RFC 5321's commands in order)."""

    received: list[bytes] = []  # noqa: RUF012 - shared with the test on purpose

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        data: list[bytes] = []
        in_data = False
        while line := self.rfile.readline():
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    _Sink.received.append(b"".join(data))
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO" or verb == b"HELO":
                self.wfile.write(b"250 sink\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_port() -> Iterator[int]:
    _Sink.received.clear()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_invitation_is_emailed_when_smtp_is_configured(tmp_path: Path, smtp_port: int) -> None:
    env = {
        **os.environ,
        "SOCIALCOVER_HOME": str(tmp_path),
        "SOCIALCOVER_SMTP_HOST": "127.0.0.1",
        "SOCIALCOVER_SMTP_PORT": str(smtp_port),
        "SOCIALCOVER_SMTP_STARTTLS": "0",
        "SOCIALCOVER_SMTP_FROM": "campaign@example.org",
    }
    main = "from socialcover.cli.app import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", main, "admin", "invite", "new@example.org", *SITE],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Sent the one-time link" in done.stdout and "reset?token=" not in done.stdout
    (raw,) = _Sink.received
    message = email.message_from_bytes(raw)
    assert message["To"] == "new@example.org" and message["From"] == "campaign@example.org"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "https://socialcover.example.org/reset?token=" in body
