"""Data entry through the pages: a value typed in the form, a file uploaded, each checked by the
validation rules (a bad row is named with its number and why, and nothing is kept); a value
that jumps from the stored previous period is kept with a warning, in the pages and the API;
data sets submitted and approved by the right roles from the same page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcover import store
from socialcover.web import Settings

from .conftest import csrf_of, sign_in, sign_out

pytestmark = pytest.mark.shared_data

CODE = "sdg131.children"
HEADER = "indicator,area,year,sex,value,se,lower,upper,nature,source,vintage,footnotes\n"


def _form(**change: Any) -> dict[str, str]:
    values = {
        "indicator": CODE,
        "area": "KEN",
        "year": "2021",
        "sex": "both",
        "value": "20.5",
        "nature": "administrative",
        "source": "Kenya ministry of labour",
        "vintage": "2024-06",
        "footnotes": "",
    }
    return {k: str(v) for k, v in (values | change).items()}


def _count(settings: Settings) -> int:
    from sqlalchemy import func, select

    from socialcover.store.models import Observation

    with store.session_scope(url=settings.database_url, write=False) as s:
        return int(s.scalar(select(func.count()).select_from(Observation)) or 0)


def _post(client: TestClient, path: str, **kwargs: Any) -> Any:
    data = kwargs.pop("data", {})
    token = csrf_of(client, "/monitor/enter")
    return client.post(path, data=data | {"csrf_token": token}, follow_redirects=False, **kwargs)


def test_a_value_is_entered_checked_submitted_and_approved_from_the_page(
    client: TestClient, users: dict[str, str], installed_pack: Path, web_settings: Settings
) -> None:
    assert client.get("/monitor/enter", follow_redirects=False).status_code in (303, 401)
    sign_in(client, users["contributor"])
    page = client.get("/monitor/enter")
    assert page.status_code == 200 and "Enter a value" in page.text

    bad = _post(client, "/monitor/enter", data=_form(value="140"))
    assert bad.status_code == 422
    assert "Nothing was saved" in bad.text and "between 0 and 100" in bad.text
    assert re.search(r'<td class="num">1</td><td>value</td>', bad.text)
    assert _count(web_settings) == 0

    ok = _post(client, "/monitor/enter", data=_form())
    assert ok.status_code == 200 and "1 new, 0 revised" in ok.text
    jump = _post(client, "/monitor/enter", data=_form(year="2023", value="47.5"))
    assert jump.status_code == 200 and "jump from the previous period" in jump.text
    assert "+27.0 pp since 2021" in jump.text
    assert _count(web_settings) == 2

    ds = re.findall(r'action="/monitor/data-sets/(\d+)/submit"', jump.text)
    assert len(ds) == 2
    for data_set in ds:
        assert _post(client, f"/monitor/data-sets/{data_set}/submit").status_code == 303
    assert "/approve" not in client.get("/monitor/enter").text  # contributors do not approve
    refused = _post(client, f"/monitor/data-sets/{ds[0]}/approve")
    assert refused.status_code == 403
    sign_out(client)
    public = client.get("/api/v1/monitor/observations", params={"indicator": CODE, "area": "KEN"})
    assert public.json()["items"] == []

    sign_in(client, users["reviewer"])
    for data_set in ds:
        assert _post(client, f"/monitor/data-sets/{data_set}/approve").status_code == 303
    sign_out(client)
    public = client.get("/api/v1/monitor/observations", params={"indicator": CODE, "area": "KEN"})
    assert [r["value"] for r in public.json()["items"]] == [20.5, 47.5]


def test_an_uploaded_file_with_a_bad_row_is_refused_whole_with_its_row_number(
    client: TestClient, users: dict[str, str], installed_pack: Path, web_settings: Settings
) -> None:
    sign_in(client, users["contributor"])
    rows = [
        f"{CODE},KEN,2022,both,30.5,,,,administrative,Kenya ministry,2024-06,",
        f"{CODE},KEN,2023,both,31.5,,,,administrative,Kenya ministry,2024-06,",
        f"{CODE},XXQ,2023,both,31.5,,,,administrative,Kenya ministry,2024-06,",
    ]
    body = (HEADER + "\n".join(rows) + "\n").encode()
    resp = _post(
        client,
        "/monitor/enter/file",
        data={"format": "csv"},
        files={"file": ("values.csv", body, "text/csv")},
    )
    assert resp.status_code == 422 and "Nothing was saved" in resp.text
    assert re.search(r'<td class="num">4</td><td>area</td><td><code>XXQ</code>', resp.text)
    assert _count(web_settings) == 0
    good = (HEADER + "\n".join(rows[:2]) + "\n").encode()
    resp = _post(
        client,
        "/monitor/enter/file",
        data={"format": "csv"},
        files={"file": ("values.csv", good, "text/csv")},
    )
    assert resp.status_code == 200 and "2 new, 0 revised" in resp.text
    assert _count(web_settings) == 2


def test_the_api_returns_the_jump_warnings_of_what_it_wrote(
    client: TestClient, users: dict[str, str], installed_pack: Path, web_settings: Settings
) -> None:
    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["contributor"]), "t")
    auth = {"Authorization": f"Bearer {token}"}
    row = {
        "indicator": CODE,
        "area": "SEN",
        "year": 2019,
        "value": 10.0,
        "nature": "administrative",
        "source": "Senegal ministry",
        "vintage": "2024",
    }
    first = client.post("/api/v1/monitor/observations", json={"rows": [row]}, headers=auth)
    assert first.status_code == 200 and first.json()["warnings"] == []
    later = row | {"year": 2021, "value": 45.0}
    second = client.post("/api/v1/monitor/observations", json={"rows": [later]}, headers=auth)
    assert second.status_code == 200, second.text
    (warning,) = second.json()["warnings"]
    assert warning["row"] == 1 and warning["code"] == "jump" and "since 2019" in warning["why"]
    explained = row | {"year": 2022, "value": 80.0, "footnotes": "break in series: new survey"}
    third = client.post("/api/v1/monitor/observations", json={"rows": [explained]}, headers=auth)
    assert third.json()["warnings"] == []
    body = (
        HEADER + f"{CODE},SEN,2023,both,20.0,,,,administrative,Senegal ministry,2024,\n"
    ).encode()
    upload = client.post(
        "/api/v1/monitor/observations/file",
        headers=auth,
        files={"file": ("v.csv", body, "text/csv")},
        data={"format": "csv"},
    )
    assert upload.status_code == 200, upload.text
    assert [w["row"] for w in upload.json()["warnings"]] == [2]  # the file's line, header = 1
