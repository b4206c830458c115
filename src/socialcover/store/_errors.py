"""Errors of the platform store.

::

    SocialcoverError
    +-- InputError (ValueError)
    |   +-- ValidationError             a record's fields are not acceptable
    |   +-- BackupError                 a backup file fails its integrity check
    +-- NotFoundError (KeyError)
    |   +-- RecordNotFoundError         no record with that id (or not visible to you)
    +-- PermissionDeniedError (PermissionError)   your role may not do this
    +-- AuthenticationError (PermissionError)     wrong e-mail, password, session or token
    |   +-- ThrottledError              too many failed log-ins; wait ``retry_after_s``
    +-- ConflictError (RuntimeError)    the record changed since you read it, or a duplicate
    +-- SchemaError (RuntimeError)      the database schema is not at the version this code needs
"""

from __future__ import annotations

from socialcover.errors import InputError, NotFoundError, SocialcoverError

__all__ = [
    "AuthenticationError",
    "BackupError",
    "ConflictError",
    "PermissionDeniedError",
    "RecordNotFoundError",
    "SchemaError",
    "ThrottledError",
    "ValidationError",
]


class ValidationError(InputError):
    """A record's fields are not acceptable; nothing was written."""

    default_code = "store.invalid"


class BackupError(InputError):
    """A backup file is unreadable or fails its integrity check; nothing was restored."""

    default_code = "store.backup-invalid"


class RecordNotFoundError(NotFoundError):
    """No record with that id, or none that the caller may see."""

    default_code = "store.not-found"


class PermissionDeniedError(SocialcoverError, PermissionError):
    """The caller's role does not allow the action."""

    default_code = "auth.forbidden"


class AuthenticationError(SocialcoverError, PermissionError):
    """Wrong credentials, or an expired or revoked session, token or reset token."""

    default_code = "auth.failed"


class ThrottledError(AuthenticationError):
    """Too many failed log-ins for an account or an address.

    ``retry_after_s`` says how long to wait.
    """

    default_code = "auth.throttled"

    @property
    def retry_after_s(self) -> int:
        return int(self.context.get("retry_after_s", 0))


class ConflictError(SocialcoverError, RuntimeError):
    """The record changed since it was read, or a unique value is already taken."""

    default_code = "store.conflict"


class SchemaError(SocialcoverError, RuntimeError):
    """The database schema is older than this code needs."""

    default_code = "store.schema-outdated"
