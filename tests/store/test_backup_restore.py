"""Backups are checksummed and counted; restore is all or nothing, on both databases."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from socialcover.knowledge import search, seed_starter_content
from socialcover.store import (
    AuditEntry,
    BackupError,
    ConflictError,
    Organisation,
    Practice,
    SystemActor,
    User,
    backup,
    create_user,
    dispose_engines,
    get_engine,
    login,
    open_database,
    restore,
    session_scope,
)

SEED = SystemActor("system:seed")


def _fill() -> None:
    with session_scope(SEED) as s:
        seed_starter_content(s)
        create_user(s, SEED, "ana@example.org", "long passphrase", "reviewer")


def test_round_trip_restores_every_row_and_the_search_index(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill()
    report = backup(tmp_path / "b.json.gz")
    assert report.counts["practices"] >= 30 and report.path.exists()
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = restore(report.path, target)
    assert restored == report.counts
    with session_scope(url=target, write=False) as s:
        assert s.scalar(select(func.count()).select_from(Practice)) == report.counts["practices"]
        assert search(s, None, "Renta Dignidad").total >= 1
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.action == "db.restore"
    # the password hash came back too: the user can log in on the restored database
    assert login("ana@example.org", "long passphrase", engine=get_engine(target)).role == "reviewer"
    # new records get fresh ids after a restore (sequences were reset on PostgreSQL)
    with session_scope(SEED, url=target) as s:
        s.add(Organisation(name="New after restore", actor_type="university"))


def test_restore_from_sqlite_into_this_database(db_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    with session_scope(SEED, engine=open_database(source)) as s:
        seed_starter_content(s)
    report = backup(tmp_path / "b.json", source)
    restored = restore(report.path, db_url)
    assert restored == report.counts
    with session_scope(SEED, write=True) as s:
        s.add(Organisation(name="Created after restore", actor_type="civil_society"))
    with session_scope(write=False) as s:
        assert search(s, None, "Monotributo").total >= 1
        n = s.scalar(select(func.count()).select_from(Organisation))
        assert n == report.counts["organisations"] + 1


def test_tampered_truncated_and_foreign_files_are_refused(db_url: str, tmp_path: Path) -> None:
    _fill()
    report = backup(tmp_path / "b.json")
    doc = json.loads(report.path.read_text())
    doc["tables"]["practices"]["rows"][0][1] = "Tampered title"
    (tmp_path / "tampered.json").write_text(json.dumps(doc))
    target = f"sqlite:///{tmp_path / 'target.db'}"
    with pytest.raises(BackupError, match="checksum") as info:
        restore(tmp_path / "tampered.json", target)
    assert info.value.code == "store.backup-checksum"
    raw = gzip.compress(report.path.read_bytes())
    (tmp_path / "cut.json.gz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(BackupError, match="not a readable"):
        restore(tmp_path / "cut.json.gz", target)
    (tmp_path / "other.json").write_text('{"hello": "world"}')
    with pytest.raises(BackupError, match="not a socialcover backup"):
        restore(tmp_path / "other.json", target)
    with session_scope(engine=open_database(target), write=False) as s:
        assert s.scalar(select(func.count()).select_from(Practice)) == 0


def test_restore_refuses_a_non_empty_database_unless_forced(db_url: str, tmp_path: Path) -> None:
    _fill()
    report = backup(tmp_path / "b.json")
    with session_scope(SEED) as s:
        s.add(Organisation(name="Added after the backup", actor_type="university"))
    with pytest.raises(ConflictError, match="not empty"):
        restore(report.path)
    restore(report.path, force=True)
    dispose_engines()
    with session_scope(write=False) as s:
        names = set(s.scalars(select(Organisation.name)).all())
        assert "Added after the backup" not in names
        assert s.scalar(select(func.count()).select_from(User)) == 1
