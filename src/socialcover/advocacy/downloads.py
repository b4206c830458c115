"""Publication downloads, counted per month and per country of the downloader's organisation.

A download is never logged: one counter row per publication, month and country is
incremented (:class:`~socialcover.store.models.PublicationDownload`). No user id, no address
and no time finer than the month is kept, so no download can be traced to a person. An
anonymous download, or one by a person whose organisation has no country, counts under ``""``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from socialcover.knowledge import get_publication, open_pdf
from socialcover.store.models import Organisation, PublicationDownload, User, utcnow

__all__ = ["download_counts", "download_publication"]


def _country_of(session: Session, actor: Any) -> str:
    uid = getattr(actor, "id", None)
    if uid is None:
        return ""
    country = session.scalar(
        select(Organisation.country_iso3)
        .join(User, User.organisation_id == Organisation.id)
        .where(User.id == uid)
    )
    return country or ""


def download_publication(
    session: Session, actor: Any, publication_id: int, *, now: dt.datetime | None = None
) -> tuple[Path, str]:
    """The publication's stored file and name, counting the download in its month and the
    country of ``actor``'s organisation (the library's total count too).

    Raises
    ------
    socialcover.store.RecordNotFoundError
        As :func:`socialcover.knowledge.open_pdf`: no such visible publication, or no file.
    """
    path, name = open_pdf(session, actor, publication_id)
    month = (now or utcnow()).astimezone(dt.UTC).strftime("%Y-%m")
    key = {
        "publication_id": publication_id,
        "month": month,
        "country_iso3": _country_of(session, actor),
    }
    bumped = session.execute(
        update(PublicationDownload)
        .where(*(getattr(PublicationDownload, k) == v for k, v in key.items()))
        .values(count=PublicationDownload.count + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(bumped, "rowcount", 0) == 0:
        try:
            with session.begin_nested():
                session.add(PublicationDownload(**key, count=1))
        except IntegrityError:  # the month's first download by two readers at once
            session.execute(
                update(PublicationDownload)
                .where(*(getattr(PublicationDownload, k) == v for k, v in key.items()))
                .values(count=PublicationDownload.count + 1)
                .execution_options(synchronize_session=False)
            )
    return path, name


def download_counts(session: Session, actor: Any, publication_id: int) -> list[dict[str, Any]]:
    """The publication's downloads by month and country: ``[{"month", "country_iso3",
    "count"}]``, by month then country (for anyone who may see the publication)."""
    get_publication(session, actor, publication_id)
    rows = session.execute(
        select(
            PublicationDownload.month,
            PublicationDownload.country_iso3,
            func.sum(PublicationDownload.count),
        )
        .where(PublicationDownload.publication_id == publication_id)
        .group_by(PublicationDownload.month, PublicationDownload.country_iso3)
        .order_by(PublicationDownload.month, PublicationDownload.country_iso3)
    ).all()
    return [{"month": m, "country_iso3": c, "count": int(n)} for m, c, n in rows]
