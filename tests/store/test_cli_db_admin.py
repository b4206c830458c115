"""The `db` and `admin` commands, run through the real entry point in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _sc(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ.copy() | {"SOCIALCOVER_HOME": str(home), "COLUMNS": "200"}
    env.pop("SOCIALCOVER_DATABASE_URL", None)
    return subprocess.run(
        [str(Path(sys.executable).with_name("socialcover")), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.slow
def test_upgrade_seed_users_backup_restore_round_trip(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert "schema revision" in _sc(home, "db", "upgrade").stdout
    seeded = _sc(home, "db", "seed")
    assert seeded.returncode == 0 and "practice" in seeded.stdout
    made = _sc(
        home,
        "admin",
        "create-user",
        "ana@example.org",
        "--role",
        "reviewer",
        "--organisation",
        "ILO",
        "--password-stdin",
        stdin="a long passphrase\n",
    )
    assert made.returncode == 0, made.stderr
    users = _sc(home, "admin", "list-users").stdout
    assert "ana@example.org" in users and "International Labour Organization" in users
    link = _sc(home, "admin", "reset-password", "ana@example.org").stdout.splitlines()[1].strip()
    assert link.startswith("http://127.0.0.1:8000/reset?token=")
    token = link.split("token=", 1)[1]
    changed = _sc(
        home,
        "admin",
        "set-password",
        "--token",
        token,
        "--password-stdin",
        stdin="new passphrase!\n",
    )
    assert changed.returncode == 0 and "Password changed" in changed.stdout
    again = _sc(
        home, "admin", "set-password", "--token", token, "--password-stdin", stdin="x" * 12 + "\n"
    )
    assert again.returncode == 2 and "unknown, used or expired" in again.stderr
    hist = _sc(home, "db", "history", "practices", "1")
    assert "system:seed" in hist.stdout
    backup_file = tmp_path / "backup.json.gz"
    assert _sc(home, "db", "backup", str(backup_file)).returncode == 0
    refused = _sc(home, "db", "restore", str(backup_file))
    assert refused.returncode == 2 and "not empty" in refused.stderr
    other = tmp_path / "other"
    restored = _sc(other, "db", "restore", str(backup_file))
    assert restored.returncode == 0 and "Restored" in restored.stdout
    status = _sc(other, "db", "status", "--format", "json")
    assert '"practices": 31' in status.stdout


def test_bad_email_is_refused_with_a_hint(tmp_path: Path) -> None:
    out = _sc(
        tmp_path / "h", "admin", "create-user", "not-an-email", "--password-stdin", stdin="x\n"
    )
    assert out.returncode == 2 and "not an e-mail address" in out.stderr
