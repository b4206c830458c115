"""Language editions of a publication: add one, remove one, from the page or the API.

An edition (:class:`socialcover.knowledge.publications.Edition`) is the same work in another
language, with its own title and, where they exist, its own URL, ISBN and DOI. It is checked
field by field before anything changes (:func:`edition_problems` names each bad field, so a form
can show the message next to it), then against the publication: not in the publication's own
language, not a second edition in a language already listed, not the publication's own ISBN or
DOI. The change goes through the publication's workflow (:data:`PUBLICATIONS`): who may edit the
publication may add or remove its editions, and the change is audited like any other edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic
from sqlalchemy.orm import Session

from socialcover.knowledge.publications import PUBLICATIONS, Edition
from socialcover.store import Publication, RecordNotFoundError, ValidationError, can

__all__ = ["add_edition", "can_edit_publication", "edition_problems", "remove_edition"]

_FIELDS = tuple(Edition.model_fields)


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values, stripped, blanks as ``None`` (the year as a number when it is one)."""
    out: dict[str, Any] = {}
    for key in _FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            value = value.strip() or None
        out[key] = value
    if isinstance(out["language"], str):
        out["language"] = out["language"].lower()
    year = out["year"]
    if isinstance(year, str):
        out["year"] = int(year) if year.isdigit() else year
    return out


def edition_problems(data: Mapping[str, Any]) -> tuple[Edition | None, dict[str, str]]:
    """The edition ``data`` describes, or what is wrong with each of its fields.

    Examples
    --------
    >>> edition, problems = edition_problems({"language": "fr", "title": "Rapport mondial"})
    >>> edition.language, problems
    ('fr', {})
    >>> edition, problems = edition_problems({"language": "French", "title": "Rapport",
    ...                                       "isbn": "978-92-2-031949-8"})
    >>> edition is None, sorted(problems)
    (True, ['isbn', 'language'])
    """
    unknown = sorted(set(data) - set(_FIELDS) - {"csrf_token"})
    if unknown:
        return None, {"(record)": f"unknown fields: {', '.join(unknown)}"}
    try:
        return Edition.model_validate(_clean(data)), {}
    except pydantic.ValidationError as exc:
        problems: dict[str, str] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "(record)"
            message = str(err["msg"]).removeprefix("Value error, ")
            if field == "language":
                message = "give the two-letter ISO 639-1 code of the language, e.g. fr or pt"
            elif field == "doi":
                message = "a DOI starts with 10. then a slash, e.g. 10.1234/abcd"
            elif field == "year":
                message = "a year between 1900 and 2100"
            problems.setdefault(field, message)
        return None, problems


def _fail(problems: dict[str, str], what: str) -> ValidationError:
    return ValidationError(
        "The language edition is not valid: "
        + "; ".join(f"{k}: {v}" for k, v in problems.items())
        + ".",
        code="knowledge.edition-invalid",
        hint=f"Correct the fields named above; {what} was not changed.",
        fields=list(problems),
        problems=problems,
    )


def _conflicts(p: Publication, edition: Edition) -> dict[str, str]:
    problems: dict[str, str] = {}
    if edition.language == p.language:
        problems["language"] = (
            f"the publication itself is in {p.language}; an edition is in another language"
        )
    elif any(e.get("language") == edition.language for e in p.editions or []):
        problems["language"] = (
            f"an edition in {edition.language} is already listed; remove it first to replace it"
        )
    if edition.isbn and p.isbn and _digits(edition.isbn) == _digits(p.isbn):
        problems["isbn"] = "this is the publication's own ISBN; an edition has its own"
    if edition.doi and p.doi and edition.doi.lower() == p.doi.lower():
        problems["doi"] = "this is the publication's own DOI; an edition has its own"
    return problems


def _digits(isbn: str) -> str:
    return isbn.replace("-", "").replace(" ", "").upper()


def can_edit_publication(session: Session, actor: Any, publication_id: int) -> bool:
    """Whether ``actor`` may change the publication (and so its editions) now."""
    if actor is None:
        return False
    p = PUBLICATIONS.get(session, actor, publication_id)
    return can(getattr(actor, "role", None), PUBLICATIONS.draft) and PUBLICATIONS.may_edit(actor, p)


def add_edition(
    session: Session, actor: Any, publication_id: int, data: Mapping[str, Any]
) -> Publication:
    """Add a language edition to a publication; everything is checked before it changes.

    Raises
    ------
    socialcover.store.ValidationError
        ``knowledge.edition-invalid``, with ``context["problems"]`` mapping each bad field to
        what is wrong with it; nothing is changed.
    socialcover.store.PermissionDeniedError
        The caller may not edit the publication.
    """
    edition, problems = edition_problems(data)
    p = PUBLICATIONS.editable(session, actor, publication_id)
    if edition is not None:
        problems = _conflicts(p, edition)
    if problems or edition is None:
        raise _fail(problems, "the publication")
    editions = [*(p.editions or []), edition.model_dump()]
    return PUBLICATIONS.update(session, actor, publication_id, {"editions": editions})


def remove_edition(session: Session, actor: Any, publication_id: int, language: str) -> Publication:
    """Remove the publication's edition in ``language`` (audited as an update)."""
    p = PUBLICATIONS.editable(session, actor, publication_id)
    kept = [e for e in p.editions or [] if e.get("language") != language]
    if len(kept) == len(p.editions or []):
        raise RecordNotFoundError(
            f"Publication {publication_id} has no edition in {language!r}.",
            code="knowledge.no-edition",
            hint="The page lists the editions it has; reload it.",
        )
    return PUBLICATIONS.update(session, actor, publication_id, {"editions": kept})
