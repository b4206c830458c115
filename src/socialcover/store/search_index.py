"""The search documents: one row per practice, publication and organisation, kept in step.

The audit hook calls :func:`sync_documents` in the same flush as every write, so the index can
never disagree with the records after a commit. The full-text side is dialect-specific:

- SQLite: an FTS5 external-content table ``search_fts(title, body)`` with the ``unicode61
  remove_diacritics 2`` tokenizer (accents folded, so "politica" finds "politica" with
  accents in French and Spanish), kept in step by triggers (SQLite FTS5 docs, section 4.4.3).
- PostgreSQL: a ``tsv`` tsvector column (title weighted A, body B) built with the ``simple``
  configuration from accent-folded text, and a GIN index (PostgreSQL docs, chapter 12).
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from socialcover.store.models import (
    Audited,
    Organisation,
    Practice,
    Publication,
    SearchDocument,
    SearchState,
)

__all__ = ["document_for", "fold", "rebuild_documents", "sync_documents"]

_KINDS: dict[type[Any], str] = {
    Practice: "practice",
    Publication: "publication",
    Organisation: "organisation",
}


def fold(value: str) -> str:
    """Lower-case text without accents: what both backends match on."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _join(*parts: Any) -> str:
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        out.append(", ".join(str(x) for x in p) if isinstance(p, list) else str(p))
    return "\n".join(out)


def document_for(obj: Any) -> dict[str, Any] | None:
    """The search document of a record, or ``None`` for types that are not searched."""
    if isinstance(obj, Practice):
        source_titles = [s.get("title", "") for s in obj.sources or [] if isinstance(s, dict)]
        # the title and summary in the other languages: found by a search in those languages
        translations = "\n".join(
            f"{t.get('title', '')}\n{t.get('summary', '')}"
            for t in (obj.translations or {}).values()
            if isinstance(t, dict)
        )
        return {
            "kind": "practice",
            "record_id": obj.id,
            "title": obj.title,
            "body": _join(
                obj.summary,
                obj.what_was_done,
                obj.results,
                obj.evaluation,
                obj.lessons,
                obj.mechanism,
                obj.target_groups,
                obj.country_iso3,
                source_titles,
                translations,
            ),
            "language": obj.language,
            "country_iso3": obj.country_iso3,
            "region": obj.region,
            "branch": obj.guarantee,
            "mechanism": obj.mechanism,
            "assessment": obj.assessment,
            "year": obj.period_start,
            "doc_type": "practice",
            "is_public": obj.status == "published",
            "owner_id": obj.created_by_id,
        }
    if isinstance(obj, Publication):
        return {
            "kind": "publication",
            "record_id": obj.id,
            "title": obj.title,
            "body": _join(obj.abstract, obj.authors, obj.publisher, obj.keywords, obj.country_iso3),
            "language": obj.language,
            "country_iso3": obj.country_iso3,
            "region": obj.region,
            "branch": obj.guarantee,
            "mechanism": None,
            "assessment": None,
            "year": obj.year,
            "doc_type": obj.kind,
            "is_public": obj.status == "published",
            "owner_id": obj.created_by_id,
        }
    if isinstance(obj, Organisation):
        title = f"{obj.name} ({obj.acronym})" if obj.acronym else obj.name
        return {
            "kind": "organisation",
            "record_id": obj.id,
            "title": title,
            "body": _join(obj.description, obj.actor_type.replace("_", " "), obj.country_iso3),
            "language": None,
            "country_iso3": obj.country_iso3,
            "region": None,
            "branch": None,
            "mechanism": None,
            "assessment": None,
            "year": None,
            "doc_type": obj.actor_type,
            "is_public": True,
            "owner_id": None,
        }
    return None


def _write(session: Session, docs: list[dict[str, Any]]) -> None:
    conn = session.connection()
    if not docs:
        return
    ids = conn.execute(insert(SearchDocument).returning(SearchDocument.id), docs).scalars().all()
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "UPDATE search_documents SET tsv = "
                "setweight(to_tsvector('simple', :t), 'A') || "
                "setweight(to_tsvector('simple', :b), 'B') WHERE id = :id"
            ),
            [
                {"t": fold(d["title"]), "b": fold(d["body"]), "id": i}
                for d, i in zip(docs, ids, strict=True)
            ],
        )


def bump_generation(session: Session) -> None:
    """Tell readers that the documents changed (same transaction as the change)."""
    conn = session.connection()
    session.info["search_documents_written"] = True  # readers must not cache this state
    done = conn.execute(
        update(SearchState).where(SearchState.id == 1).values(generation=SearchState.generation + 1)
    )
    if done.rowcount == 0:
        conn.execute(insert(SearchState).values(id=1, token=secrets.token_hex(16), generation=1))


def search_state(session: Session) -> tuple[str, int]:
    """The current ``(token, generation)`` of the search documents."""
    row = (
        session.connection()
        .execute(select(SearchState.token, SearchState.generation).where(SearchState.id == 1))
        .first()
    )
    if row is None:
        return ("none", 0)
    return (str(row[0]), int(row[1]))


def sync_documents(session: Session, changes: Iterable[tuple[Audited, str]]) -> None:
    """Bring the documents of the changed records in step (called by the audit hook)."""
    conn = session.connection()
    fresh: list[dict[str, Any]] = []
    touched = False
    for obj, kind in changes:
        doc_kind = _KINDS.get(type(obj))
        if doc_kind is None:
            continue
        touched = True
        record_id = obj.id  # type: ignore[attr-defined]
        conn.execute(
            delete(SearchDocument).where(
                SearchDocument.kind == doc_kind, SearchDocument.record_id == record_id
            )
        )
        if kind != "delete":
            doc = document_for(obj)
            if doc is not None:
                fresh.append(doc)
    _write(session, fresh)
    if touched:
        bump_generation(session)


def rebuild_documents(session: Session) -> int:
    """Rebuild every search document from the records (after a restore or a bulk load)."""
    conn = session.connection()
    conn.execute(delete(SearchDocument))
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    count = 0
    for model in (Practice, Publication, Organisation):
        batch: list[dict[str, Any]] = []
        for obj in session.scalars(select(model)).yield_per(1000):
            doc = document_for(obj)
            if doc is not None:
                batch.append(doc)
            if len(batch) >= 1000:
                _write(session, batch)
                count += len(batch)
                batch = []
        _write(session, batch)
        count += len(batch)
    bump_generation(session)
    return count
