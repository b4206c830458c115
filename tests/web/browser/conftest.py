"""A real server (``socialcover serve`` in a subprocess) and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "a long enough passphrase 42"
SHOTS = Path("/tmp/socialcover-screenshots")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(
    installed_pack: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """``socialcover serve`` on a fresh database and a free port, with one user per role."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'web.db'}"
    port = free_port()
    env = dict(os.environ, SOCIALCOVER_HOME=str(installed_pack))
    with (tmp / "server.log").open("w") as log:  # the server writes through its own descriptor
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "socialcover"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--database-url",
                url,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise AssertionError((tmp / "server.log").read_text())
    from socialcover import store

    emails = {}
    with store.session_scope(store.SystemActor(), url=url) as s:
        for role in ("contributor", "reviewer"):
            emails[role] = f"{role}@example.org"
            store.create_user(
                s,
                store.SystemActor(),
                emails[role],
                PASSWORD,
                role,
                display_name=f"Ana {role.title()}",
            )
    SHOTS.mkdir(exist_ok=True)
    yield {"base": base, "emails": emails, "log": tmp / "server.log", "url": url}
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    console: list[str] = []
    pg.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    pg.console_errors = console
    yield pg
    context.close()
