"""Property-based tests of the REST API against its own OpenAPI schema: no server error.

Schemathesis generates requests for every operation (bounded examples); every response must
be below 500, and every error must have the one JSON shape.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from socialcover.web import Settings, create_app

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]

schemathesis = pytest.importorskip("schemathesis")

_TMP = Path(tempfile.mkdtemp(prefix="sc-schemathesis-"))
CFG = Settings(
    database_url=f"sqlite:///{_TMP / 'api.db'}",
    secret_key="s",
    upload_dir=_TMP / "uploads",
    job_workers=1,
)
APP = create_app(CFG)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module")
def token(installed_pack: Path) -> str:
    """The database migrated and seeded (as on first start), and an administrator's token."""
    from socialcover import store
    from socialcover.web.database import prepare_database

    prepare_database(CFG)
    with store.session_scope(store.SystemActor(), url=CFG.database_url) as s:
        admin = store.create_user(
            s,
            store.SystemActor(),
            "admin@example.org",
            "a long enough passphrase 42",
            "administrator",
        )
        _row, plain = store.create_api_token(s, admin, "schemathesis")
    return plain


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error(case: Any, token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message", "hint"} <= set(body["error"])
