"""Accounts: users, passwords, server-side sessions, API tokens, throttling and resets.

- Passwords: argon2id through argon2-cffi's ``PasswordHasher`` defaults (RFC 9106 parameters),
  rehashed on log-in when the parameters change.
- Sessions, API tokens and reset tokens are 256-bit random tokens (``secrets.token_urlsafe``);
  the database keeps only their SHA-256, so a leaked database yields no usable token (OWASP
  Session Management Cheat Sheet).
- Log-in throttling (OWASP Authentication Cheat Sheet, "account lockout"): after
  ``ACCOUNT_FAILURES`` failures for one account, or ``IP_FAILURES`` from one address, within
  ``WINDOW``, further attempts are refused with the time to wait, even with the right password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from socialcover.store._errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    ThrottledError,
    ValidationError,
)
from socialcover.store.database import session_scope
from socialcover.store.models import (
    ApiToken,
    LoginAttempt,
    Organisation,
    ResetToken,
    User,
    UserSession,
    utcnow,
)
from socialcover.store.permissions import require
from socialcover.store.vocabulary import ActorType, Role

__all__ = [
    "ACCOUNT_FAILURES",
    "INVITE_TTL",
    "IP_FAILURES",
    "MIN_PASSWORD_LENGTH",
    "SESSION_TTL",
    "TOKEN_MAX_TTL",
    "TOKEN_SCOPES",
    "TOKEN_TTL",
    "WINDOW",
    "LoginResult",
    "api_token_grant",
    "change_password",
    "create_api_token",
    "create_reset_token",
    "create_session",
    "create_user",
    "display_names",
    "get_user",
    "hash_password",
    "invite_user",
    "list_api_tokens",
    "list_users",
    "login",
    "reset_password",
    "resolve_api_token",
    "resolve_session",
    "revoke_api_token",
    "revoke_session",
    "set_active",
    "set_role",
    "verify_password",
]

ACCOUNT_FAILURES = 5
IP_FAILURES = 20
WINDOW = dt.timedelta(minutes=15)
SESSION_TTL = dt.timedelta(hours=12)
RESET_TTL = dt.timedelta(hours=24)
#: How long an invitation (the link to choose one's first password) stays valid.
INVITE_TTL = dt.timedelta(days=7)
MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("socialcover-dummy-password")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking its length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"The password has {len(password)} characters; at least {MIN_PASSWORD_LENGTH} "
            "are needed.",
            code="auth.weak-password",
            hint="Use a longer passphrase, e.g. four unrelated words.",
        )
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _normalise_email(email: str) -> str:
    value = email.strip().lower()
    if not _EMAIL.match(value):
        raise ValidationError(
            f"{email!r} is not an e-mail address.",
            code="auth.bad-email",
            hint="Write it as name@example.org.",
        )
    return value


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError(
            f"Unknown role {role!r}.",
            code="auth.bad-role",
            hint=f"Use one of: {', '.join(r.value for r in Role)}.",
        ) from None


def _organisation(
    session: Session, organisation: int | str | None, organisation_type: str | None
) -> Organisation | None:
    if organisation is None:
        return None
    if isinstance(organisation, int):
        org = session.get(Organisation, organisation)
    else:
        key = organisation.strip().lower()
        org = session.scalars(
            select(Organisation).where(
                or_(func.lower(Organisation.name) == key, func.lower(Organisation.acronym) == key)
            )
        ).first()
    if org is not None:
        return org
    if organisation_type is None or isinstance(organisation, int):
        raise RecordNotFoundError(
            f"No organisation {organisation!r}.",
            code="actors.unknown-organisation",
            hint="Give the exact name of a registered organisation, or its type as well "
            f"(one of: {', '.join(t.value for t in ActorType)}) to register it.",
        )
    try:
        kind = ActorType(organisation_type)
    except ValueError:
        raise ValidationError(
            f"Unknown organisation type {organisation_type!r}.",
            code="actors.bad-type",
            hint=f"Use one of: {', '.join(t.value for t in ActorType)}.",
        ) from None
    org = Organisation(name=organisation.strip(), actor_type=kind.value, description="")
    session.add(org)
    return org


def create_user(
    session: Session,
    actor: Any,
    email: str,
    password: str,
    role: str = "contributor",
    *,
    organisation: int | str | None = None,
    organisation_type: str | None = None,
    display_name: str = "",
) -> User:
    """Register a person (needs ``user.manage``); the e-mail must be new.

    ``organisation`` is an id, a name or an acronym; an unknown name is registered when its
    ``organisation_type`` (an :class:`~socialcover.store.vocabulary.ActorType`) is given.
    """
    require(getattr(actor, "role", None), "user.manage")
    address = _normalise_email(email)
    kind = _role(role)
    if kind is Role.READER:
        raise ValidationError(
            "Readers are anonymous and have no account.",
            code="auth.bad-role",
            hint="Create a contributor, reviewer or administrator.",
        )
    if session.scalars(select(User).where(User.email == address)).first() is not None:
        raise ConflictError(
            f"A user with e-mail {address} already exists.",
            code="auth.duplicate-email",
            hint="Change the existing user's role, or reset the password with "
            "`socialcover admin reset-password`.",
        )
    org = _organisation(session, organisation, organisation_type)
    user = User(
        email=address,
        display_name=display_name or address.split("@")[0],
        password_hash=hash_password(password),
        role=kind.value,
        organisation=org,
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, user: int | str) -> User:
    """A user by id or e-mail."""
    if isinstance(user, int):
        found = session.get(User, user)
    else:
        found = session.scalars(select(User).where(User.email == user.strip().lower())).first()
    if found is None:
        raise RecordNotFoundError(
            f"No user {user!r}.",
            code="auth.unknown-user",
            hint="List users with `socialcover admin list-users`.",
        )
    return found


def display_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """People's names (never their e-mail addresses) by user id, for pages anyone may read."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {uid: name or f"user {uid}" for uid, name in rows}


def list_users(session: Session, actor: Any) -> list[User]:
    """Every user, by e-mail (needs ``user.manage``)."""
    require(getattr(actor, "role", None), "user.manage")
    return list(session.scalars(select(User).order_by(User.email)).all())


def set_role(session: Session, actor: Any, user: int | str, role: str) -> User:
    """Change a user's role (needs ``user.manage``)."""
    require(getattr(actor, "role", None), "user.manage")
    target = get_user(session, user)
    kind = _role(role)
    if kind is Role.READER:
        raise ValidationError(
            "Readers have no account.",
            code="auth.bad-role",
            hint="Deactivate the user instead with set_active(..., False).",
        )
    target.role = kind.value
    session.flush()
    return target


def set_active(session: Session, actor: Any, user: int | str, active: bool) -> User:
    """Activate or deactivate a user (needs ``user.manage``); deactivation ends sessions and
    revokes API tokens for good."""
    require(getattr(actor, "role", None), "user.manage")
    target = get_user(session, user)
    target.is_active = active
    if not active:
        # For good: activating the account again does not bring its sessions or tokens back.
        _revoke_all(session, target.id)
        now = utcnow()
        for token in session.scalars(
            select(ApiToken).where(ApiToken.user_id == target.id, ApiToken.revoked_at.is_(None))
        ):
            token.revoked_at = now
    session.flush()
    return target


def change_password(session: Session, user: User, old: str, new: str) -> None:
    """Change one's own password (the old one is checked); other sessions end."""
    if not verify_password(user.password_hash, old):
        raise AuthenticationError(
            "The current password is wrong.", hint="Type your current password again."
        )
    user.password_hash = hash_password(new)
    user.updated_at = utcnow()
    _revoke_all(session, user.id)
    session.flush()


# --- log-in, throttling, sessions ---------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    """A successful log-in: who, and the session token to put in the cookie (shown once)."""

    user_id: int
    email: str
    role: str
    token: str
    expires_at: dt.datetime


def _retry_after(times: list[dt.datetime], limit: int, now: dt.datetime) -> int | None:
    if len(times) < limit:
        return None
    times = sorted(times, reverse=True)
    return max(1, int((times[limit - 1] + WINDOW - now).total_seconds()) + 1)


def _check_throttle(session: Session, email: str, ip: str, now: dt.datetime) -> None:
    since = now - WINDOW
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since
        )
    )
    account_since = max(since, last_ok) if last_ok else since
    account = list(
        session.scalars(
            select(LoginAttempt.at).where(
                LoginAttempt.email == email,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at > account_since,
            )
        ).all()
    )
    by_ip = list(
        session.scalars(
            select(LoginAttempt.at).where(
                LoginAttempt.ip == ip, LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
            )
        ).all()
    )
    for times, limit, what in (
        (account, ACCOUNT_FAILURES, f"account {email}"),
        (by_ip, IP_FAILURES, f"address {ip}"),
    ):
        wait = _retry_after(times, limit, now)
        if wait is not None:
            raise ThrottledError(
                f"Too many failed log-ins for {what}: {len(times)} in the last "
                f"{int(WINDOW.total_seconds() // 60)} minutes.",
                hint=f"Wait {wait} seconds ({(wait + 59) // 60} min) and try again, or ask an "
                "administrator for a reset token.",
                retry_after_s=wait,
            )


def login(
    email: str,
    password: str,
    *,
    ip: str = "unknown",
    user_agent: str | None = None,
    engine: Engine | None = None,
    ttl: dt.timedelta = SESSION_TTL,
) -> LoginResult:
    """Check a password and open a server-side session, throttled per account and address.

    Runs its own transactions, so a failed attempt is recorded even though this raises.

    Raises
    ------
    ThrottledError
        Too many recent failures (``retry_after_s`` says how long to wait).
    AuthenticationError
        Unknown e-mail, wrong password or inactive account (one message for all three).
    """
    address = email.strip().lower()
    now = utcnow()
    with session_scope("auth", engine=engine) as s:
        _check_throttle(s, address, ip, now)
        user = s.scalars(select(User).where(User.email == address)).first()
        ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
        ok = ok and user is not None and user.is_active
        s.add(LoginAttempt(email=address, ip=ip, at=now, succeeded=bool(ok)))
        if ok and user is not None:
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            token, expires = create_session(s, user, ip=ip, user_agent=user_agent, ttl=ttl)
            return LoginResult(user.id, user.email, user.role, token, expires)
    raise AuthenticationError(
        "Wrong e-mail or password (or the account is deactivated).",
        code="auth.failed",
        hint=f"Check both and try again; after {ACCOUNT_FAILURES} failures in "
        f"{int(WINDOW.total_seconds() // 60)} minutes the account is paused.",
    )


def create_session(
    session: Session,
    user: User,
    *,
    ip: str | None = None,
    user_agent: str | None = None,
    ttl: dt.timedelta = SESSION_TTL,
) -> tuple[str, dt.datetime]:
    """Open a session for ``user``; returns the token (for the cookie) and its expiry."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + ttl
    session.add(
        UserSession(
            token_hash=_digest(token),
            user_id=user.id,
            expires_at=expires,
            ip=ip,
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    session.flush()
    return token, expires


def resolve_session(session: Session, token: str) -> User | None:
    """The active user behind a session token, or ``None`` (unknown, expired or revoked)."""
    if not token:
        return None
    row = session.scalars(
        select(UserSession).where(UserSession.token_hash == _digest(token))
    ).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if (now - row.last_seen_at) > dt.timedelta(minutes=5):
        row.last_seen_at = now
    return user


def revoke_session(session: Session, token: str) -> bool:
    """End a session (log-out); returns whether it was open."""
    row = session.scalars(
        select(UserSession).where(UserSession.token_hash == _digest(token))
    ).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.flush()
    return True


def _revoke_all(session: Session, user_id: int) -> None:
    now = utcnow()
    for row in session.scalars(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    ):
        row.revoked_at = now


# --- API tokens ---------------------------------------------------------------------------


#: What an API token may do: ``read`` (GET only), ``write`` (reads and writes) and ``admin``
#: (also administrators' own actions; only administrators may hold one).
TOKEN_SCOPES = ("read", "write", "admin")
#: How long a new API token lives unless another term is asked for.
TOKEN_TTL = dt.timedelta(days=90)
#: The longest term a token may be given.
TOKEN_MAX_TTL = dt.timedelta(days=366)


def create_api_token(
    session: Session,
    actor: Any,
    name: str,
    *,
    scope: str = "write",
    expires_in: dt.timedelta = TOKEN_TTL,
) -> tuple[ApiToken, str]:
    """A new API token for ``actor`` (a signed-in user); the plain token is returned once.

    ``scope`` is one of ``TOKEN_SCOPES`` (``admin`` for administrators only; the account
    page offers ``read`` first); every token expires, after ``expires_in`` (90 days by
    default, at most a year).
    """
    require(getattr(actor, "role", None), "account.use_tokens")
    if not name.strip():
        raise ValidationError(
            "An API token needs a name.", hint="Name it after its use, e.g. 'stata-sync'."
        )
    if scope not in TOKEN_SCOPES:
        raise ValidationError(
            f"Unknown token scope {scope!r}.",
            code="auth.bad-scope",
            hint="Use read (GET only), write (reads and writes) or admin (administrators).",
        )
    if scope == "admin" and getattr(actor, "role", None) != Role.ADMINISTRATOR:
        raise PermissionDeniedError(
            "Only administrators may hold an admin-scope token.",
            hint="Ask for a read or write token.",
        )
    if not dt.timedelta(minutes=1) <= expires_in <= TOKEN_MAX_TTL:
        raise ValidationError(
            f"A token's term must be between a minute and a year, not {expires_in}.",
            code="auth.bad-token-term",
            hint="Give a term in days from 1 to 366.",
        )
    token = "sc_" + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=actor.id,
        name=name.strip()[:100],
        prefix=token[:10],
        token_hash=_digest(token),
        scope=scope,
        expires_at=utcnow() + expires_in,
    )
    session.add(row)
    session.flush()
    return row, token


def resolve_api_token(session: Session, token: str) -> User | None:
    """The active user behind an API token, or ``None``."""
    grant = api_token_grant(session, token)
    return grant[0] if grant else None


def api_token_grant(session: Session, token: str) -> tuple[User, str] | None:
    """The active user behind an API token and the token's scope, or ``None``."""
    if not token:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
    now = utcnow()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return user, row.scope


def list_api_tokens(session: Session, actor: Any) -> list[ApiToken]:
    """The caller's API tokens (never the secrets)."""
    require(getattr(actor, "role", None), "account.use_tokens")
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.id)
        ).all()
    )


def revoke_api_token(session: Session, actor: Any, token_id: int) -> ApiToken:
    """Revoke one of the caller's tokens (administrators may revoke anyone's)."""
    require(getattr(actor, "role", None), "account.use_tokens")
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.id and actor.role != Role.ADMINISTRATOR):
        raise RecordNotFoundError(
            f"No API token {token_id} of yours.", hint="List your tokens to see their ids."
        )
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row


# --- password reset -----------------------------------------------------------------------


def create_reset_token(
    session: Session, actor: Any, email: str, *, ttl: dt.timedelta = RESET_TTL
) -> str:
    """A one-time reset token for ``email`` (needs ``user.manage``), valid 24 hours."""
    require(getattr(actor, "role", None), "user.manage")
    user = get_user(session, email)
    token = secrets.token_urlsafe(24)
    session.add(ResetToken(user_id=user.id, token_hash=_digest(token), expires_at=utcnow() + ttl))
    session.flush()
    return token


def invite_user(
    session: Session,
    actor: Any,
    email: str,
    role: str = "contributor",
    *,
    organisation: int | str | None = None,
    organisation_type: str | None = None,
    display_name: str = "",
) -> str:
    """Register a person by invitation (needs ``user.manage``); returns the one-time token.

    The account gets an unusable random password; the person chooses their own with the
    token (``reset_password``, the web app's ``/reset`` page), valid ``INVITE_TTL``.
    """
    create_user(
        session,
        actor,
        email,
        secrets.token_urlsafe(32),
        role,
        organisation=organisation,
        organisation_type=organisation_type,
        display_name=display_name,
    )
    return create_reset_token(session, actor, email, ttl=INVITE_TTL)


def reset_password(session: Session, token: str, new_password: str) -> User:
    """Set a new password with a reset token; the token is used up and sessions end."""
    row = session.scalars(select(ResetToken).where(ResetToken.token_hash == _digest(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise AuthenticationError(
            "This reset token is unknown, used or expired.",
            code="auth.bad-reset-token",
            hint="Ask an administrator for a new one (`socialcover admin reset-password EMAIL`).",
        )
    user = session.get(User, row.user_id)
    if user is None:
        raise AuthenticationError("The account of this reset token no longer exists.")
    user.password_hash = hash_password(new_password)
    user.updated_at = utcnow()
    row.used_at = utcnow()
    _revoke_all(session, user.id)
    session.flush()
    return user
