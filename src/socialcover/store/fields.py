"""Field types of the records' input models: dates, times and yes/no as written, nothing guessed.

Pydantic's lax mode reads ``0`` or ``"0"`` as the date 1970-01-01 (a Unix time), and ``1``,
``"yes"`` or ``"on"`` as ``True``. A record saved from such a guess is wrong without anyone
having said so, and the API's schema (string dates, JSON booleans) calls such input invalid.
These types take what the schema states and refuse the rest with a message that shows the
accepted form:

- :data:`IsoDate`: a ``datetime.date``, or a string ``YYYY-MM-DD``;
- :data:`IsoDateTime`: a ``datetime.datetime``, or an ISO 8601 string with a date and a time
  (``2026-03-01T09:30``, seconds and an offset optional);
- :data:`JsonBool`: ``True`` or ``False`` themselves (the JSON ``true`` and ``false``);
- :data:`RecordRef`: the id of another record, a whole number a database column can hold
  (beyond 64 bits a number would overflow the driver, a server error instead of a 422).

Examples
--------
>>> from pydantic import BaseModel
>>> class Meeting(BaseModel):
...     on: IsoDate
...     open: JsonBool = False
>>> Meeting(on="2026-03-01", open=True).on
datetime.date(2026, 3, 1)
>>> Meeting(on=0)
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Meeting
on
  Value error, a date is written YYYY-MM-DD (for example 2026-03-01), not 0 ...
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

__all__ = ["MAX_ID", "IsoDate", "IsoDateTime", "JsonBool", "RecordRef"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?"
)


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)[:40]


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        return value  # pydantic checks that the day exists
    raise ValueError(f"a date is written YYYY-MM-DD (for example 2026-03-01), not {_shown(value)}")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATETIME.fullmatch(value):
        return value
    raise ValueError(
        "a date and time is written YYYY-MM-DDTHH:MM, seconds and offset optional"
        f" (for example 2026-03-01T09:30 or 2026-03-01T09:30:00+01:00), not {_shown(value)}"
    )


def _json_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    raise ValueError(f"yes or no is written true or false, not {_shown(value)}")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A date given as a ``datetime.date`` or a ``YYYY-MM-DD`` string; numbers are refused."""

IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_datetime)]
"""A date and time given as a ``datetime.datetime`` or an ISO 8601 string; numbers are refused."""

JsonBool = Annotated[bool, BeforeValidator(_json_bool)]
"""``True`` or ``False`` only: ``0``, ``1``, ``"yes"`` or ``"on"`` are refused."""

MAX_ID = 2**31 - 1
"""The largest id or version a table holds: the columns are ``Integer``, 32 bits on PostgreSQL
(a larger number is read as no row, but written it overflows: a driver error, not a refusal)."""

RecordRef = Annotated[int, Field(ge=1, le=MAX_ID)]
"""The id of another record, from 1 to :data:`MAX_ID` (422 beyond, never an overflow)."""
