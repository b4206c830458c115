"""The error tree of socialcover.

Every error a user can meet derives from :class:`SocialcoverError` and carries three things:

- ``code``: a stable, dotted or dashed identifier (``data.unknown-country``) that programs,
  tests and the REST API match on;
- ``message``: what happened, with the offending value;
- ``hint``: how to fix it.

Domain errors subclass both :class:`SocialcoverError` and the builtin that fits, so callers who
know nothing of socialcover can still ``except ValueError`` or ``except KeyError``::

    SocialcoverError
    +-- InputError (ValueError)          bad input: a file, a form, an argument
    |   +-- DataPackError                a data pack fails validation
    +-- NotFoundError (KeyError)         an unknown code, name or record
    +-- DataNotInstalledError (LookupError)  a query needs a dataset that is not installed

Fragile but computed results (a small cell, a CV above 30%) are warnings, not errors:
:class:`SocialcoverWarning` carries the same ``code`` and ``hint``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DataNotInstalledError",
    "DataPackError",
    "InputError",
    "NotFoundError",
    "SocialcoverError",
    "SocialcoverWarning",
]


class SocialcoverError(Exception):
    """Base of every socialcover error: a ``code``, a ``message`` and a ``hint``."""

    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None, hint: str = "", **context: Any):
        super().__init__(message)
        self.code = code or self.default_code
        self.message = message
        self.hint = hint
        self.context = context

    def __str__(self) -> str:
        # KeyError quotes its argument; say the message and the hint plainly instead.
        return f"{self.message} {self.hint}".strip() if self.hint else self.message

    def to_dict(self) -> dict[str, Any]:
        """The error as the one JSON shape used by the CLI and the REST API."""
        out: dict[str, Any] = {"code": self.code, "message": self.message, "hint": self.hint}
        if self.context:
            out["context"] = {k: _jsonable(v) for k, v in self.context.items()}
        return out


class InputError(SocialcoverError, ValueError):
    """Input (a file, a form field, an argument) is not what it should be."""

    default_code = "input.invalid"


class DataPackError(InputError):
    """A data pack file fails validation; nothing was installed."""

    default_code = "data.pack-invalid"


class NotFoundError(SocialcoverError, KeyError):
    """An unknown code, name or record."""

    default_code = "not-found"


class DataNotInstalledError(SocialcoverError, LookupError):
    """A query needs a dataset that is not installed."""

    default_code = "data.not-installed"


class SocialcoverWarning(UserWarning):
    """A computed but fragile result (small cell, high CV); carries ``code`` and ``hint``."""

    def __init__(self, message: str, *, code: str, hint: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
