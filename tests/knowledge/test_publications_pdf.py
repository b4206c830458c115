"""Publications: PDF-only uploads by content hash, size limit, download counts, visibility."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from socialcover.knowledge import (
    attach_pdf,
    create_publication,
    get_publication,
    open_pdf,
    publish_publication,
)
from socialcover.knowledge import publications as pubs
from socialcover.store import (
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    create_user,
    history,
    session_scope,
)

ADMIN = SystemActor("test")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
META = {"title": "Guide to extending coverage", "kind": "guide", "year": 2024, "language": "fr"}


def _people() -> tuple[User, User]:
    with session_scope(ADMIN) as s:
        return (
            create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "reviewer@example.org", "long passphrase", "reviewer"),
        )


def test_pdf_is_stored_once_by_hash_and_downloads_are_counted(db_url: str) -> None:
    author, reviewer = _people()
    with session_scope(author) as s:
        pid = create_publication(s, author, META).id
        attach_pdf(s, author, pid, "C:\\docs\\guide.pdf", PDF)
        other = create_publication(s, author, META | {"title": "Same file, other record"}).id
        attach_pdf(s, author, other, "copy.pdf", io.BytesIO(PDF))
    with session_scope(reviewer) as s:
        publish_publication(s, reviewer, pid)
    with session_scope() as s:
        path, name = open_pdf(s, None, pid)
        assert name == "guide.pdf" and path.read_bytes() == PDF
        open_pdf(s, None, pid)
    with session_scope(write=False) as s:
        p = get_publication(s, None, pid)
        assert p.download_count == 2 and p.file_size == len(PDF)
        assert [h.action for h in history(s, "publications", pid)] == [
            "publication.create",
            "publication.upload",
            "publication.publish",
        ]
    stored = list((pubs.files_root()).rglob("*.pdf"))
    assert len(stored) == 1 and not list(pubs.files_root().rglob("*.part"))


def test_non_pdf_empty_and_oversized_files_are_refused_clearly(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    author, _ = _people()
    with session_scope(author) as s:
        pid = create_publication(s, author, META).id
    cases = [
        (b"PK\x03\x04 a zip file", "knowledge.not-pdf", "not a PDF"),
        (b"", "knowledge.empty-file", "empty"),
        (b"<html>%PDF-</html>", "knowledge.not-pdf", "not a PDF"),
    ]
    for data, code, words in cases:
        with pytest.raises(ValidationError) as info, session_scope(author) as s:
            attach_pdf(s, author, pid, "x.pdf", data)
        assert info.value.code == code and words in info.value.message
    monkeypatch.setattr(pubs, "MAX_PDF_BYTES", 1000)
    monkeypatch.setattr(pubs, "_CHUNK", 256)
    with pytest.raises(ValidationError) as info, session_scope(author) as s:
        attach_pdf(s, author, pid, "big.pdf", PDF + b"0" * 2000)
    assert info.value.code == "knowledge.file-too-large"
    assert not list(Path(pubs.files_root()).rglob("*"))  # no file, no leftover part
    with session_scope(write=False) as s:
        assert get_publication(s, author, pid).file_sha256 is None


def test_drafts_are_private_and_readers_cannot_upload(db_url: str) -> None:
    author, _ = _people()
    with session_scope(author) as s:
        pid = create_publication(s, author, META).id
    with session_scope(write=False) as s, pytest.raises(RecordNotFoundError):
        get_publication(s, None, pid)
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        create_publication(s, None, META)
    with session_scope() as s, pytest.raises(ValidationError, match="kind"):
        create_publication(s, author, META | {"kind": "novel"})
