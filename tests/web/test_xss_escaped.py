"""A script in any text field of a practice is shown as text, never run (autoescape, snippets)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcover.web.render import env

from .conftest import csrf_of, sign_in
from .test_practice_workflow import FORM

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_jinja_autoescape_is_on() -> None:
    assert env.from_string("{{ v }}").render(v=PAYLOAD) != PAYLOAD


def test_payload_in_every_text_field_is_escaped(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["administrator"])
    fields = [
        "title",
        "mechanism",
        "summary",
        "what_was_done",
        "results",
        "lessons",
        "target_groups",
        "source_title",
        "source_publisher",
    ]
    data = {**FORM, **{f: f"{f} domestic {PAYLOAD}" for f in fields}}
    data["csrf_token"] = csrf_of(client, "/practices/new")
    resp = client.post("/practices", data=data, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    pid = resp.headers["location"].rsplit("/", 1)[1]
    client.post(f"/practices/{pid}/publish", data={"csrf_token": csrf_of(client)})
    pages = [
        client.get(f"/practices/{pid}").text,
        client.get("/practices?q=domestic").text,
        client.get(f"/practices/{pid}/edit").text,
        client.get(f"/practices/{pid}/history").text,
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html
    api = client.get(f"/api/v1/practices/{pid}")
    assert api.json()["title"].startswith("title domestic <script>")  # data kept verbatim
