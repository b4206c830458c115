"""Users, passwords, sessions, API tokens, throttling and reset tokens on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from socialcover.store import (
    AuditEntry,
    AuthenticationError,
    ConflictError,
    Organisation,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    ThrottledError,
    User,
    ValidationError,
    create_api_token,
    create_reset_token,
    create_user,
    login,
    reset_password,
    resolve_api_token,
    resolve_session,
    revoke_api_token,
    revoke_session,
    session_scope,
    set_active,
)
from socialcover.store import accounts as acc

ADMIN = SystemActor("test")
PW = "correct horse battery"


def _user(email: str = "ana@example.org", role: str = "contributor") -> int:
    with session_scope(ADMIN) as s:
        return create_user(
            s,
            ADMIN,
            email,
            PW,
            role,
            organisation="Ministry of Labour",
            organisation_type="government",
        ).id


def test_create_user_hashes_password_and_registers_organisation(db_url: str) -> None:
    uid = _user()
    with session_scope(write=False) as s:
        user = s.get(User, uid)
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PW not in user.password_hash
        assert user.organisation is not None and user.organisation.actor_type == "government"
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "users")).all()
        assert entries and all("password_hash" not in (e.after or {}) for e in entries)


def test_bad_users_are_refused_with_reasons(db_url: str) -> None:
    _user()
    with pytest.raises(ConflictError, match="already exists"), session_scope(ADMIN) as s:
        create_user(s, ADMIN, "ANA@example.org", PW, "reviewer")
    with pytest.raises(ValidationError, match="at least 10"), session_scope(ADMIN) as s:
        create_user(s, ADMIN, "bo@example.org", "short", "reviewer")
    with pytest.raises(ValidationError, match="Unknown role"), session_scope(ADMIN) as s:
        create_user(s, ADMIN, "bo@example.org", PW, "king")
    with pytest.raises(RecordNotFoundError, match="No organisation"), session_scope(ADMIN) as s:
        create_user(s, ADMIN, "bo@example.org", PW, "reviewer", organisation="Nowhere Inc")
    with session_scope(ADMIN) as s:
        contributor = s.scalars(select(User)).one()
        with pytest.raises(PermissionDeniedError):
            create_user(s, contributor, "bo@example.org", PW, "reviewer")
    with session_scope(write=False) as s:
        assert s.scalars(select(User)).all().__len__() == 1
        assert len(s.scalars(select(Organisation)).all()) == 1


def test_login_session_and_logout(db_url: str) -> None:
    _user()
    result = login("Ana@Example.org", PW, ip="10.0.0.1", user_agent="pytest")
    assert result.role == "contributor" and len(result.token) >= 40
    with session_scope() as s:
        user = resolve_session(s, result.token)
        assert user is not None and user.email == "ana@example.org"
        assert resolve_session(s, result.token + "x") is None
        assert revoke_session(s, result.token)
    with session_scope() as s:
        assert resolve_session(s, result.token) is None


def test_expired_session_is_refused(db_url: str) -> None:
    _user()
    result = login("ana@example.org", PW, ttl=dt.timedelta(seconds=-1))
    with session_scope() as s:
        assert resolve_session(s, result.token) is None


def test_wrong_password_and_unknown_user_get_the_same_answer(db_url: str) -> None:
    _user()
    with pytest.raises(AuthenticationError) as a:
        login("ana@example.org", "wrong password!")
    with pytest.raises(AuthenticationError) as b:
        login("nobody@example.org", PW)
    assert a.value.message == b.value.message


def test_five_failures_pause_the_account_even_for_the_right_password(db_url: str) -> None:
    _user()
    for _ in range(acc.ACCOUNT_FAILURES):
        with pytest.raises(AuthenticationError) as info:
            login("ana@example.org", "wrong password!", ip="10.0.0.2")
        assert not isinstance(info.value, ThrottledError)
    with pytest.raises(ThrottledError) as info:
        login("ana@example.org", PW, ip="10.0.0.3")
    assert 0 < info.value.retry_after_s <= acc.WINDOW.total_seconds() + 1
    assert "Wait" in info.value.hint
    _user("bo@example.org")
    assert login("bo@example.org", PW, ip="10.0.0.3").email == "bo@example.org"


def test_many_failures_from_one_address_pause_that_address(db_url: str) -> None:
    _user()
    for i in range(acc.IP_FAILURES):
        with pytest.raises(AuthenticationError):
            login(f"guess{i}@example.org", "wrong password!", ip="192.0.2.9")
    with pytest.raises(ThrottledError, match=r"192\.0\.2\.9"):
        login("ana@example.org", PW, ip="192.0.2.9")
    assert login("ana@example.org", PW, ip="192.0.2.10").email == "ana@example.org"


def test_api_tokens_are_hashed_shown_once_and_revocable(db_url: str) -> None:
    uid = _user()
    with session_scope() as s:
        user = s.get(User, uid)
        row, token = create_api_token(s, user, "stata-sync")
        assert token.startswith("sc_") and row.token_hash != token and token not in row.token_hash
        token_id = row.id
    with session_scope() as s:
        found = resolve_api_token(s, token)
        assert found is not None and found.id == uid
        assert resolve_api_token(s, "sc_forged") is None
        revoke_api_token(s, s.get(User, uid), token_id)
    with session_scope() as s:
        assert resolve_api_token(s, token) is None
        with pytest.raises(PermissionDeniedError):
            create_api_token(s, None, "anonymous")


def test_reset_token_is_one_time_and_ends_sessions(db_url: str) -> None:
    _user()
    old = login("ana@example.org", PW)
    with session_scope(ADMIN) as s:
        token = create_reset_token(s, ADMIN, "ana@example.org")
    with session_scope() as s:
        reset_password(s, token, "a brand new passphrase")
    with pytest.raises(AuthenticationError, match="unknown, used or expired"), session_scope() as s:
        reset_password(s, token, "yet another passphrase")
    with session_scope() as s:
        assert resolve_session(s, old.token) is None
    assert login("ana@example.org", "a brand new passphrase").email == "ana@example.org"


def test_deactivated_user_cannot_log_in(db_url: str) -> None:
    _user()
    with session_scope(ADMIN) as s:
        set_active(s, ADMIN, "ana@example.org", False)
    with pytest.raises(AuthenticationError):
        login("ana@example.org", PW)
