"""Front-end files are vendored, recorded with their sha256; nothing loads from elsewhere."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient

import socialcover.web

WEB = Path(socialcover.web.__file__).parent
VENDOR = WEB / "static" / "vendor"


def _recorded() -> dict[str, str]:
    rows = {}
    for line in (VENDOR / "VENDORED.md").read_text().splitlines():
        m = re.match(r"\| (\S+) \| (\S+) \| (\S+) \| (\S+) \| `([0-9a-f]{64})` \|", line)
        if m:
            rows[m.group(1)] = m.group(5)
    return rows


def test_every_vendored_file_matches_its_recorded_sha256() -> None:
    recorded = _recorded()
    assert {
        "htmx.min.js",
        "vega.min.js",
        "vega-lite.min.js",
        "vega-embed.min.js",
        "countries-110m.json",
        "topojson-client.min.js",
    } <= set(recorded)
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_vendored_md_names_version_and_licence() -> None:
    text = (VENDOR / "VENDORED.md").read_text()
    for pkg in ("htmx.org", "vega-lite", "world-atlas"):
        assert re.search(rf"\| {re.escape(pkg)} \| \d+\.\d+\.\d+ \| [A-Za-z0-9.-]+ \|", text), pkg


def test_templates_load_no_remote_script_or_style() -> None:
    for tpl in (WEB / "templates").glob("*.html"):
        text = tpl.read_text()
        # links to other sites (a DOI) are fine; scripts, styles and images are not
        remote = r'<(script|img|iframe)[^>]*\ssrc="(https?:)?//|<link[^>]*\shref="(https?:)?//'
        assert not re.search(remote, text), tpl.name


def test_api_docs_use_the_vendored_swagger_ui(client: TestClient) -> None:
    html = client.get("/api/v1/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
