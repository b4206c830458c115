"""The parameters of the routes: record ids and versions bounded to what a database holds, yes/no.

A number beyond :data:`~socialcover.store.fields.MAX_ID` (the id columns are 32-bit integers on
PostgreSQL) cannot be a row of any table; left unchecked, written it overflows the database (a
500). An id out of range in a path names nothing, so it answers 404 like any unknown id; a
number out of range in a body, a form or a query is an invalid field, 422. Both come in the
app's one error shape.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Form, Path, Query
from pydantic import BeforeValidator, Field

from socialcover.store import fields
from socialcover.web.errors import WebError

MAX_ID = fields.MAX_ID
"""The largest id or version a database column holds (the store's one rule)."""


def _existing_id(value: Any) -> Any:
    """Answer 404 for a path id no row can have; anything not a number is left to validation."""
    text = value.strip() if isinstance(value, str) else ""
    digits = text.removeprefix("-").removeprefix("+")
    if digits.isascii() and digits.isdigit() and (len(digits) > 19 or not 1 <= int(text) <= MAX_ID):
        raise WebError(
            404,
            f"There is no record with id {text[:40]}.",
            code="http.not-found",
            hint=f"Ids are whole numbers from 1 to {MAX_ID}.",
        )
    return value


RecordId = Annotated[int, Path(ge=1, le=MAX_ID), BeforeValidator(_existing_id)]
"""A record's id in a path: 404 when no row can have it, 422 when it is not a number."""

Version = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A record's version in a JSON body (422 out of range)."""

FormVersion = Annotated[int, Form(ge=1, le=MAX_ID)]
"""A record's version in a form (422 out of range)."""

QueryVersion = Annotated[int, Query(ge=1, le=MAX_ID)]
"""A record's version in a query string (422 out of range)."""


def _query_bool(value: Any) -> Any:
    """``true`` or ``false`` as the schema states; ``1``, ``yes`` or ``on`` are refused."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    shown = repr(value)[:40]
    raise ValueError(f"yes or no is written true or false, not {shown}")


QueryBool = Annotated[bool, BeforeValidator(_query_bool)]
"""A yes/no query parameter: ``true`` or ``false`` only (422 otherwise)."""


ReaderLang = Annotated[
    Literal["en", "fr", "es"] | None,
    Query(
        description="The reader's language (else the `sc_lang` cookie, else Accept-Language, "
        "else English): practices translated into it are shown by their translated title and "
        "summary, with `translated_from` naming the original's language.",
    ),
]
"""The ``lang`` query of the API routes that list practices. The language middleware has
already read it into ``request.state.lang``; declaring it documents it and refuses others."""
