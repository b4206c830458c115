"""Publications and guidelines: guides, studies, working papers, tools; PDF files by content hash.

Files are checked before they are kept: the first bytes must be the PDF signature ``%PDF-``
(ISO 32000-1, section 7.5.2, "File header") and the size at most :data:`MAX_PDF_BYTES`. A file
is written to a temporary name, synced and renamed into ``<home>/files/<aa>/<sha256>.pdf``, so a
crash never leaves a half-written file under its final name, and the same file uploaded twice
is stored once. Download counts are bumped with one atomic ``UPDATE`` (not a new version).

Who sees, edits and publishes a publication is the store's reviewed-record workflow
(:data:`PUBLICATIONS`): contributors upload drafts, reviewers publish them.
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
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from socialcover.data._home import home
from socialcover.knowledge._region import region_of
from socialcover.store import (
    Guarantee,
    Publication,
    PublicationKind,
    PublicationStatus,
    RecordNotFoundError,
    Step,
    ValidationError,
    Workflow,
    flush_audited,
)

__all__ = [
    "MAX_PDF_BYTES",
    "PUBLICATIONS",
    "Edition",
    "PublicationInput",
    "attach_pdf",
    "create_publication",
    "delete_publication",
    "file_path",
    "get_publication",
    "isbn_is_valid",
    "list_publications",
    "open_pdf",
    "publication_as_dict",
    "publish_publication",
    "store_pdf",
    "update_publication",
]

MAX_PDF_BYTES = 20 * 1024 * 1024
_CHUNK = 1024 * 1024


class Edition(BaseModel):
    """Another language edition of a publication (its own title, and URL where it exists)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    language: str = Field(pattern=r"^[a-z]{2}$")
    title: str = Field(min_length=3, max_length=400)
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: str | None = Field(default=None, max_length=500)
    isbn: str | None = Field(default=None, max_length=20)
    # a blank DOI means none (forms send one): the pattern says so to API clients too
    doi: str | None = Field(default=None, pattern=r"^(10\.\d{4,9}/\S+)?$", max_length=200)

    @field_validator("url")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError("a URL starts with https:// or http://")
        return v or None

    @field_validator("isbn")
    @classmethod
    def _isbn(cls, v: str | None) -> str | None:
        if v and not isbn_is_valid(v):
            raise ValueError(f"ISBN {v!r} has a wrong check digit or length (10 or 13 digits)")
        return v or None

    @field_validator("doi", mode="before")
    @classmethod
    def _doi(cls, v: Any) -> Any:
        return (v.strip() or None) if isinstance(v, str) else v


def isbn_is_valid(isbn: str) -> bool:
    """Whether an ISBN-10 or ISBN-13 (hyphens allowed) has a correct check digit.

    Examples
    --------
    >>> isbn_is_valid("978-92-2-031949-9")
    True
    >>> isbn_is_valid("978-92-2-031949-8")
    False
    """
    digits = isbn.replace("-", "").replace(" ", "").upper()
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return total % 10 == 0
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        values = [int(d) for d in digits[:9]] + [10 if digits[9] == "X" else int(digits[9])]
        return sum((10 - i) * v for i, v in enumerate(values)) % 11 == 0
    return False


class PublicationInput(BaseModel):
    """A publication's metadata (validated completely before anything is saved)."""

    model_config = pydantic.ConfigDict(extra="forbid", use_enum_values=True)

    title: str = Field(min_length=3, max_length=400)
    kind: PublicationKind
    authors: list[str] = Field(default_factory=list)
    editors: list[str] = Field(default_factory=list)
    publisher: str = Field(default="", max_length=200)
    year: int | None = Field(default=None, ge=1900, le=2100)
    series: str | None = Field(default=None, max_length=200)
    series_number: str | None = Field(default=None, max_length=40)
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$", max_length=200)
    isbn: str | None = Field(default=None, max_length=20)
    editions: list[Edition] = Field(default_factory=list)
    language: Literal["en", "fr", "es"] = "en"
    abstract: str = Field(default="", max_length=10000)
    keywords: list[str] = Field(default_factory=list)
    country_iso3: str | None = Field(default=None, pattern=r"^([A-Z]{3})?$")  # "" = none
    region: str | None = Field(default=None, max_length=60)
    guarantee: Guarantee | None = None
    url: str | None = Field(default=None, max_length=500)

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return (v.strip().upper() or None) if isinstance(v, str) else v

    @field_validator("country_iso3")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        from socialcover.data import check_iso3  # the pack's countries; any code without a pack

        return v if v is None else check_iso3(v)

    @field_validator("url")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError("a URL starts with https:// or http://")
        return v or None

    @field_validator("isbn")
    @classmethod
    def _isbn(cls, v: str | None) -> str | None:
        if v and not isbn_is_valid(v):
            raise ValueError(f"ISBN {v!r} has a wrong check digit or length (10 or 13 digits)")
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


def _derive_region(
    session: Session, values: dict[str, Any], publication: Publication | None
) -> None:
    if publication is None and values["country_iso3"] and not values["region"]:
        values["region"] = region_of(values["country_iso3"])


_DRAFT, _PUBLISHED = PublicationStatus.DRAFT.value, PublicationStatus.PUBLISHED.value

PUBLICATIONS = Workflow(
    Publication,
    "publication",
    PublicationInput,
    read="publication.read_published",
    draft="publication.upload",
    edit_any="publication.publish",
    review="publication.publish",
    delete="publication.delete",
    read_drafts="publication.read_drafts",
    # one step, and publishing a published publication changes nothing
    steps={"publish": Step(sources=(_DRAFT, _PUBLISHED), target=_PUBLISHED, by_reviewer=True)},
    owner_edits=(_DRAFT,),
    prepare=_derive_region,
)
"""The publication's workflow: contributors upload drafts, reviewers publish (and edit) them."""


def get_publication(session: Session, actor: Any, publication_id: int) -> Publication:
    """A publication the caller may see (published, own, or any for reviewers)."""
    return PUBLICATIONS.get(session, actor, publication_id)


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
    visible = PUBLICATIONS.visible_clause(actor)
    if visible is not None:
        q = q.where(visible)
    if kind:
        q = q.where(Publication.kind == kind)
    if language:
        q = q.where(Publication.language == language)
    return list(session.scalars(q.limit(limit).offset(offset)).all())


def create_publication(
    session: Session, actor: Any, data: PublicationInput | Mapping[str, Any]
) -> Publication:
    """Record a publication's metadata as a draft (needs ``publication.upload``)."""
    return PUBLICATIONS.create(session, actor, data)


def update_publication(
    session: Session,
    actor: Any,
    publication_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Publication:
    """Change a publication's metadata; the whole result is validated first."""
    return PUBLICATIONS.update(
        session, actor, publication_id, changes, expected_version=expected_version
    )


def publish_publication(session: Session, actor: Any, publication_id: int) -> Publication:
    """Make a publication public (needs ``publication.publish``)."""
    return PUBLICATIONS.move(session, actor, publication_id, "publish")


def delete_publication(session: Session, actor: Any, publication_id: int) -> None:
    """Delete a publication's record (needs ``publication.delete``); its history stays.

    The stored file is kept: other records may share it (files are stored by content hash).
    """
    PUBLICATIONS.remove(session, actor, publication_id)


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


def store_pdf(data: bytes | IO[bytes], filename: str) -> tuple[str, int]:
    """Check a PDF (signature, size limit) and keep it by content hash; nothing is recorded.

    The one file store of the platform, shared by publications and by the materials of events
    (:mod:`socialcover.advocacy.events`); :func:`file_path` finds the file again.

    Returns
    -------
    tuple[str, int]
        The file's SHA-256 and its size in bytes.

    Raises
    ------
    socialcover.store.ValidationError
        ``knowledge.empty-file``, ``knowledge.not-pdf`` or ``knowledge.file-too-large``;
        nothing is kept.
    """
    return _store_pdf(data, filename)


def attach_pdf(
    session: Session,
    actor: Any,
    publication_id: int,
    filename: str,
    data: bytes | IO[bytes],
) -> Publication:
    """Check and store a PDF for a publication (PDF signature, size limit); audited."""
    p = PUBLICATIONS.editable(session, actor, publication_id)
    clean_name = os.path.basename(filename.replace("\\", "/")).strip() or "document.pdf"
    sha, size = _store_pdf(data, clean_name)
    p.file_sha256 = sha
    p.file_size = size
    p.file_name = clean_name[:255]
    flush_audited(session, "publication.upload")
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
