"""Backup and restore through SQLAlchemy, so one format serves SQLite and PostgreSQL.

A backup is one JSON document (gzip-compressed when the file name ends in ``.gz``)::

    {"format": "socialcover-backup", "format_version": 1, "created_at": ..., "schema_revision": ...,
     "source_dialect": "sqlite", "counts": {table: rows}, "checksum": sha256, "tables": {...}}

``checksum`` is the SHA-256 of the canonical JSON of ``tables`` (sorted keys, no spaces). The
dump is read in one snapshot transaction (REPEATABLE READ on PostgreSQL; one read transaction
in WAL mode on SQLite). Restore checks the format, the schema revision, the checksum and the
row counts before it writes anything; it then writes every table in one transaction, rebuilds
the search index, resets PostgreSQL sequences, counts the rows again and commits only if they
match: a failed restore leaves the database as it was. The restore itself is audited.

Uploaded files live under ``<home>/files`` and are not in the backup (copy that folder too).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, Table, delete, func, insert, select, text
from sqlalchemy.orm import Session

from socialcover.store._errors import BackupError, ConflictError
from socialcover.store.database import get_engine
from socialcover.store.migrate import current_revision, head_revision, open_database, upgrade
from socialcover.store.models import AuditEntry, Base, UTCDateTime, utcnow
from socialcover.store.public_version import bump
from socialcover.store.search_index import rebuild_documents

__all__ = ["BACKUP_FORMAT", "BackupReport", "backup", "restore"]

BACKUP_FORMAT = "socialcover-backup"
FORMAT_VERSION = 1
# rebuilt on restore; the public version is the database's own and only grows (caches key on it)
_DERIVED = {"search_documents", "search_state", "public_state"}


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote: the file, rows per table, its checksum and the schema revision."""

    path: Path
    counts: dict[str, int]
    checksum: str
    schema_revision: str


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in _DERIVED]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _checksum(tables: dict[str, Any]) -> str:
    canonical = json.dumps(tables, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def backup(
    path: str | Path, url: str | None = None, *, progress: Callable[[str, int], None] | None = None
) -> BackupReport:
    """Write a consistent, checksummed dump of every table to ``path`` (atomically)."""
    engine = open_database(url)
    target = Path(path)
    tables: dict[str, Any] = {}
    counts: dict[str, int] = {}
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        for table in _tables():
            cols = [c.name for c in table.columns]
            pk = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*pk)).all()
            tables[table.name] = {
                "columns": cols,
                "rows": [[_encode(v) for v in row] for row in rows],
            }
            counts[table.name] = len(rows)
            if progress:
                progress(table.name, len(rows))
    document = {
        "format": BACKUP_FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": utcnow().isoformat(),
        "schema_revision": revision,
        "source_dialect": engine.dialect.name,
        "counts": counts,
        "checksum": _checksum(tables),
        "tables": tables,
    }
    payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if target.suffix == ".gz":
        payload = gzip.compress(payload, mtime=0)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return BackupReport(target, counts, document["checksum"], revision)


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise BackupError(f"No backup file at {path}.", hint="Check the path.")
    raw = path.read_bytes()
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        document = json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise BackupError(
            f"{path} is not a readable socialcover backup ({exc.__class__.__name__}: {exc}).",
            code="store.backup-corrupt",
            hint="The file is damaged or truncated; use another backup.",
        ) from None
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise BackupError(
            f"{path} is not a socialcover backup (format {document.get('format')!r}).",
            hint="Make backups with `socialcover db backup FILE`.",
        )
    return document


def _verify(document: dict[str, Any], path: Path) -> None:
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Backup format version {document.get('format_version')} is not supported "
            f"(this version reads {FORMAT_VERSION}).",
            hint="Restore it with the socialcover version that made it.",
        )
    tables = document.get("tables", {})
    actual = _checksum(tables)
    if actual != document.get("checksum"):
        raise BackupError(
            f"The checksum of {path} does not match: the content was changed or damaged "
            f"(expected {str(document.get('checksum'))[:12]}..., got {actual[:12]}...).",
            code="store.backup-checksum",
            hint="Use an intact copy of the backup; nothing was restored.",
        )
    for name, count in document.get("counts", {}).items():
        got = len(tables.get(name, {}).get("rows", []))
        if got != count:
            raise BackupError(
                f"Table {name} has {got} rows in the backup, its header says {count}.",
                code="store.backup-counts",
                hint="The backup is inconsistent; use another one. Nothing was restored.",
            )
    head = head_revision()
    if document.get("schema_revision") != head:
        raise BackupError(
            f"The backup has schema revision {document.get('schema_revision')}, "
            f"this code has {head}.",
            code="store.backup-revision",
            hint="Restore it with the socialcover version that made it, then upgrade.",
        )


def _decode_row(table: Table, columns: list[str], row: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in zip(columns, row, strict=True):
        col = table.columns[name]
        if value is not None and isinstance(col.type, UTCDateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(col.type, Date):
            value = dt.date.fromisoformat(value)
        out[name] = value
    return out


def _reset_sequences(conn: Connection) -> None:
    for table in [*_tables(), Base.metadata.tables["search_documents"]]:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement in (True, "auto"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                    f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )


def restore(path: str | Path, url: str | None = None, *, force: bool = False) -> dict[str, int]:
    """Restore a backup into the database, all or nothing; returns the row counts restored.

    The database must be empty unless ``force`` (which replaces everything in it).
    """
    source = Path(path)
    document = _read(source)
    _verify(document, source)
    engine = get_engine(url)
    if current_revision(engine) != head_revision():
        upgrade(engine=engine)
    tables = document["tables"]
    with Session(engine.execution_options(sqlite_immediate=True)) as session, session.begin():
        conn = session.connection()
        existing = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in _tables()
        }
        if any(existing.values()) and not force:
            busy = ", ".join(f"{k} ({v})" for k, v in existing.items() if v)
            raise ConflictError(
                f"The database is not empty: {busy}.",
                code="store.restore-not-empty",
                hint="Restore into an empty database, or pass --force to replace its content "
                "(back it up first).",
            )
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in ("search_state", "public_state"):  # readers' caches key on them
                conn.execute(delete(table))
        for table in _tables():
            data = tables.get(table.name)
            if not data or not data["rows"]:
                continue
            rows = [_decode_row(table, data["columns"], r) for r in data["rows"]]
            for start in range(0, len(rows), 1000):
                conn.execute(insert(table), rows[start : start + 1000])
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
        rebuild_documents(session)
        bump(conn)  # everything the public sees may have changed
        restored = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in _tables()
        }
        expected = {name: int(n) for name, n in document["counts"].items()}
        if restored != {k: expected.get(k, 0) for k in restored}:
            raise BackupError(
                f"Row counts after restore {restored} differ from the backup {expected}.",
                code="store.restore-mismatch",
                hint="Nothing was restored; report this as a bug with the backup file.",
            )
        conn.execute(
            insert(AuditEntry),
            [
                {
                    "at": utcnow(),
                    "user_id": None,
                    "actor": "cli",
                    "action": "db.restore",
                    "entity_type": "database",
                    "entity_id": 0,
                    "version": None,
                    "before": {"counts": existing},
                    "after": {
                        "file": str(source),
                        "checksum": document["checksum"],
                        "counts": restored,
                    },
                    "comment": f"restored from {source.name}",
                }
            ],
        )
    return restored
