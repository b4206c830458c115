"""Publications and guidelines: guides, studies, working papers, tools; PDF files by content hash.

Files are checked before they are kept: the first bytes must be the PDF signature ``%PDF-``
(ISO 32000-1, section 7.5.2, "File header") and the size at most :data:`MAX_PDF_BYTES`. A file
is written to a temporary name, synced and renamed into ``<home>/files/<aa>/<sha256>.pdf``, so a
crash never leaves a half-written file under its final name, and the same file uploaded twice
is stored once. Download counts are bumped with one atomic ``UPDATE`` (not a new version).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Literal

import pydantic
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from socialcover.data._home import home
from socialcover.knowledge._validation import parse, region_of
from socialcover.store import (
    ConflictError,
    Guarantee,
    PermissionDeniedError,
    Publication,
    PublicationKind,
    PublicationStatus,
    RecordNotFoundError,
    ValidationError,
    audit_action,
    can,
    require,
)

__all__ = [
    "MAX_PDF_BYTES",
    "PublicationInput",
    "attach_pdf",
    "create_publication",
    "delete_publication",
    "file_path",
    "get_publication",
    "list_publications",
    "open_pdf",
    "publication_as_dict",
    "publish_publication",
    "update_publication",
]

MAX_PDF_BYTES = 20 * 1024 * 1024
_CHUNK = 1024 * 1024


class PublicationInput(BaseModel):
    """A publication's metadata (validated completely before anything is saved)."""

    model_config = pydantic.ConfigDict(extra="forbid", use_enum_values=True)

    title: str = Field(min_length=3, max_length=400)
    kind: PublicationKind
    authors: list[str] = Field(default_factory=list)
    publisher: str = Field(default="", max_length=200)
    year: int | None = Field(default=None, ge=1900, le=2100)
    language: Literal["en", "fr", "es"] = "en"
    abstract: str = Field(default="", max_length=10000)
    keywords: list[str] = Field(default_factory=list)
    country_iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    region: str | None = Field(default=None, max_length=60)
    guarantee: Guarantee | None = None
    url: str | None = Field(default=None, max_length=500)

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return (v.strip().upper() or None) if isinstance(v, str) else v

    @field_validator("url")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError("a URL starts with https:// or http://")
        return v or None


_EDITABLE = tuple(PublicationInput.model_fields)


def publication_as_dict(p: Publication) -> dict[str, Any]:
    """A publication as plain JSON-ready data (for the API and exports)."""
    out: dict[str, Any] = {k: getattr(p, k) for k in ("id", *_EDITABLE)}
    out.update(
        status=p.status,
        has_file=p.file_sha256 is not None,
        file_name=p.file_name,
        file_size=p.file_size,
        download_count=p.download_count,
        is_starter=p.is_starter,
        version=p.version,
        created_by_id=p.created_by_id,
    )
    return out


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None)


def _is_owner(actor: Any, p: Publication) -> bool:
    uid = getattr(actor, "id", None)
    return uid is not None and p.created_by_id == uid


def get_publication(session: Session, actor: Any, publication_id: int) -> Publication:
    """A publication the caller may see (published, own, or any for reviewers)."""
    p = session.get(Publication, publication_id)
    visible = p is not None and (
        p.status == PublicationStatus.PUBLISHED
        or _is_owner(actor, p)
        or can(_role(actor), "publication.read_drafts")
    )
    if p is None or not visible:
        raise RecordNotFoundError(
            f"No publication {publication_id}.",
            hint="It may not exist or not be published yet; search the library.",
        )
    return p


def list_publications(
    session: Session,
    actor: Any,
    *,
    kind: str | None = None,
    language: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Publication]:
    """Publications visible to the caller, newest first."""
    q = select(Publication).order_by(Publication.year.desc(), Publication.id.desc())
    if not can(_role(actor), "publication.read_drafts"):
        uid = getattr(actor, "id", None)
        public = Publication.status == PublicationStatus.PUBLISHED.value
        q = q.where(or_(public, Publication.created_by_id == uid) if uid else public)
    if kind:
        q = q.where(Publication.kind == kind)
    if language:
        q = q.where(Publication.language == language)
    return list(session.scalars(q.limit(limit).offset(offset)).all())


def create_publication(
    session: Session, actor: Any, data: PublicationInput | Mapping[str, Any]
) -> Publication:
    """Record a publication's metadata as a draft (needs ``publication.upload``)."""
    require(_role(actor), "publication.upload")
    clean = parse(PublicationInput, data, "publication")
    values = clean.model_dump()
    if clean.country_iso3 and not clean.region:
        values["region"] = region_of(clean.country_iso3)
    p = Publication(
        **values,
        status=PublicationStatus.DRAFT.value,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(p)
    with audit_action(session, "publication.create"):
        pass
    return p


def _may_edit(actor: Any, p: Publication) -> None:
    if can(_role(actor), "publication.publish"):
        return
    require(_role(actor), "publication.upload")
    if not (_is_owner(actor, p) and p.status == PublicationStatus.DRAFT):
        raise PermissionDeniedError(
            f"Publication {p.id} is {p.status}; you may change only your own drafts.",
            hint="Ask a reviewer to make the change.",
        )


def update_publication(
    session: Session,
    actor: Any,
    publication_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Publication:
    """Change a publication's metadata; the whole result is validated first."""
    p = get_publication(session, actor, publication_id)
    _may_edit(actor, p)
    if expected_version is not None and p.version != expected_version:
        raise ConflictError(
            f"Publication {p.id} is at version {p.version}, you edited {expected_version}.",
            code="store.stale",
            hint="Reload it, redo your change and save again.",
        )
    unknown = sorted(set(changes) - set(_EDITABLE))
    if unknown:
        raise ValidationError(
            f"Unknown publication fields: {', '.join(unknown)}.",
            hint=f"Editable fields: {', '.join(_EDITABLE)}.",
        )
    merged = {k: getattr(p, k) for k in _EDITABLE} | dict(changes)
    clean = parse(PublicationInput, merged, "publication")
    for key, value in clean.model_dump().items():
        if getattr(p, key) != value:
            setattr(p, key, value)
    with audit_action(session, "publication.update"):
        pass
    return p


def publish_publication(session: Session, actor: Any, publication_id: int) -> Publication:
    """Make a publication public (needs ``publication.publish``)."""
    require(_role(actor), "publication.publish")
    p = get_publication(session, actor, publication_id)
    p.status = PublicationStatus.PUBLISHED.value
    with audit_action(session, "publication.publish"):
        pass
    return p


def delete_publication(session: Session, actor: Any, publication_id: int) -> None:
    """Delete a publication's record (needs ``publication.delete``); its history stays.

    The stored file is kept: other records may share it (files are stored by content hash).
    """
    require(_role(actor), "publication.delete")
    p = get_publication(session, actor, publication_id)
    session.delete(p)
    session.flush()


def files_root() -> Path:
    """Where uploaded files live: ``<home>/files``."""
    return home() / "files"


def file_path(sha256: str) -> Path:
    """The stored path of a file with this content hash."""
    return files_root() / sha256[:2] / f"{sha256}.pdf"


def _store_pdf(data: bytes | IO[bytes], filename: str) -> tuple[str, int]:
    stream: IO[bytes]
    if isinstance(data, bytes | bytearray):
        import io

        stream = io.BytesIO(bytes(data))
    else:
        stream = data
    head = stream.read(5)
    if not head:
        raise ValidationError(
            f"{filename!r} is empty.", code="knowledge.empty-file", hint="Choose the PDF again."
        )
    if head != b"%PDF-":
        raise ValidationError(
            f"{filename!r} is not a PDF: it starts with {head!r}, not b'%PDF-'.",
            code="knowledge.not-pdf",
            hint="Only PDF files are accepted; export or print the document to PDF first.",
        )
    root = files_root()
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(head)
    size = len(head)
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(head)
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > MAX_PDF_BYTES:
                    raise ValidationError(
                        f"{filename!r} is larger than {MAX_PDF_BYTES // (1024 * 1024)} MB.",
                        code="knowledge.file-too-large",
                        hint="Compress the PDF (e.g. lower image resolution) or link to it "
                        "by URL instead.",
                        limit_bytes=MAX_PDF_BYTES,
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = file_path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)
        else:
            os.replace(tmp_name, target)
        return sha, size
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def attach_pdf(
    session: Session,
    actor: Any,
    publication_id: int,
    filename: str,
    data: bytes | IO[bytes],
) -> Publication:
    """Check and store a PDF for a publication (PDF signature, size limit); audited."""
    p = get_publication(session, actor, publication_id)
    _may_edit(actor, p)
    clean_name = os.path.basename(filename.replace("\\", "/")).strip() or "document.pdf"
    sha, size = _store_pdf(data, clean_name)
    p.file_sha256 = sha
    p.file_size = size
    p.file_name = clean_name[:255]
    with audit_action(session, "publication.upload"):
        pass
    return p


def open_pdf(session: Session, actor: Any, publication_id: int) -> tuple[Path, str]:
    """The stored file of a publication and its name; counts one download."""
    p = get_publication(session, actor, publication_id)
    if p.file_sha256 is None:
        raise RecordNotFoundError(
            f"Publication {publication_id} has no file.",
            code="knowledge.no-file",
            hint=f"Read it at {p.url}." if p.url else "Ask its author to upload the PDF.",
        )
    path = file_path(p.file_sha256)
    if not path.exists():
        raise RecordNotFoundError(
            f"The file of publication {publication_id} is missing from {path.parent}.",
            code="knowledge.file-missing",
            hint="Restore the files folder from backup, or upload the PDF again.",
        )
    session.execute(
        update(Publication)
        .where(Publication.id == p.id)
        .values(download_count=Publication.download_count + 1)
        .execution_options(synchronize_session=False)
    )
    return path, p.file_name or f"publication-{p.id}.pdf"
