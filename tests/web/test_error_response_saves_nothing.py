"""A route's session is one transaction: a write whose commit fails answers 409, and a form
shown again with its problem keeps nothing of what the route had already flushed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from socialcover.web import Settings

from .conftest import csrf_of, sign_in
from .test_practice_workflow import FORM


def _count(settings: Settings, table: str, title: str) -> int:
    from socialcover import store

    with store.session_scope("cli", url=settings.database_url, write=False) as s:
        n: int = s.execute(
            text(f"SELECT count(*) FROM {table} WHERE title = :t"), {"t": title}
        ).scalar_one()
        return n


def test_a_commit_that_fails_after_the_route_returned_is_a_409(
    client: TestClient,
    users: dict[str, str],
    web_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sign_in(client, users["contributor"])
    token = csrf_of(client, "/practices/new")
    commit = Session.commit

    def stale_for_the_contributor(self: Session) -> None:
        if str(self.info.get("actor", (None, ""))[1]).startswith("contributor"):
            raise StaleDataError("changed by someone else")
        commit(self)

    monkeypatch.setattr(Session, "commit", stale_for_the_contributor)
    resp = client.post("/practices", data={**FORM, "csrf_token": token}, follow_redirects=False)
    monkeypatch.setattr(Session, "commit", commit)
    assert resp.status_code == 409
    assert "nothing was saved" in resp.text
    assert _count(web_settings, "practices", FORM["title"]) == 0


def test_a_refused_upload_keeps_no_publication(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    sign_in(client, users["contributor"])
    form: dict[str, Any] = {
        "csrf_token": csrf_of(client, "/publications/new"),
        "title": "A study sent as something else than a PDF",
        "kind": "study",
        "publisher": "ILO",
        "language": "en",
        "abstract": "At least ten characters of abstract.",
        "year": "2020",
    }
    resp = client.post(
        "/publications",
        data=form,
        files={"file": ("study.pdf", b"plain text, not a PDF", "application/pdf")},
        follow_redirects=False,
    )
    assert resp.status_code == 422
    assert _count(web_settings, "publications", form["title"]) == 0
