"""Page forms: the errors of a refused form, each next to the field it is about.

A domain function validates its input whole (``store.validate_input``) and raises one
:class:`~socialcover.errors.InputError` naming the bad fields in ``context["fields"]``. A form
shows each problem beside its input: :func:`field_errors` re-reads the input with the domain's
own schema to get one message per field (the domain stays the only judge), and puts a refusal
without a field-level cause (a conflict, a missing organisation) under the field the error
names, else at the top of the form (key ``""``).

Examples
--------
>>> from pydantic import BaseModel, Field
>>> class Note(BaseModel):
...     title: str = Field(min_length=3)
>>> from socialcover.store import ValidationError
>>> exc = ValidationError("The note is not valid.", fields=["title"])
>>> field_errors(exc, Note, {"title": "x"})["title"]
'String should have at least 3 characters'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pydantic

from socialcover.errors import SocialcoverError

__all__ = ["as_datetime_local", "field_errors", "form_text"]


def field_errors(
    exc: SocialcoverError,
    schema: type[pydantic.BaseModel] | None = None,
    data: Mapping[str, Any] | None = None,
    *,
    rename: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """One message per form field for a refused input (``""``: the form as a whole).

    ``rename`` maps a schema field (dotted, as pydantic locates it) to the form input that
    holds it (``texts.fr.body`` -> ``body_fr``); a prefix is enough (``figures.0``).
    """
    names = dict(rename or {})

    def place(loc: str) -> str:
        for key in sorted(names, key=len, reverse=True):
            if loc == key or loc.startswith(key + "."):
                return names[key]
        return loc.split(".")[0] if loc else ""

    out: dict[str, str] = {}
    if schema is not None and data is not None and exc.code == "store.invalid":
        try:
            schema.model_validate(dict(data))
        except pydantic.ValidationError as bad:
            for err in bad.errors():
                loc = ".".join(str(p) for p in err["loc"])
                msg = str(err["msg"]).removeprefix("Value error, ")
                out.setdefault(place(loc), msg)
    if not out:
        fields = [str(f) for f in exc.context.get("fields", []) if f and f != "(record)"]
        text = f"{exc.message} {exc.hint}".strip()
        out[place(fields[0]) if fields else ""] = text
    return out


def form_text(form: Mapping[str, Any], key: str, limit: int = 50000) -> str:
    """A text input's value, stripped (a file or a missing input is ``""``); cut at ``limit``
    so that an oversized post cannot grow the form shown back."""
    value = form.get(key, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def as_datetime_local(value: Any, zone: str = "UTC") -> str:
    """An ISO time as a ``datetime-local`` input shows it, in ``zone`` (``""`` when empty)."""
    if not value:
        return ""
    import zoneinfo

    t = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if t.tzinfo is not None:
        t = t.astimezone(zoneinfo.ZoneInfo(zone))
    return t.strftime("%Y-%m-%dT%H:%M")
