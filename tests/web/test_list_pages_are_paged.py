"""Lists on pages and in the API come a page at a time, with counts and links that keep the
filters: the practice library, the review queue, the API."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from socialcover.web import Settings

from .conftest import sign_in


def _pager(html: str) -> tuple[int, int, int, str | None, str | None]:
    m = re.search(r'<nav class="pager"[^>]*>\s*<p>(\d+)–(\d+) of (\d+)</p>', html)
    assert m, "no pager on the page"
    nav = html[m.start() : html.index("</nav>", m.start())]
    prev = re.search(r'<a href="([^"]+)" rel="prev">', nav)
    nxt = re.search(r'<a href="([^"]+)" rel="next">', nav)
    return (
        int(m.group(1)),
        int(m.group(2)),
        int(m.group(3)),
        unescape(prev.group(1)) if prev else None,
        unescape(nxt.group(1)) if nxt else None,
    )


def _titles(html: str) -> list[str]:
    return re.findall(r'<article class="hit">\s*<h3><a href="(/practices/\d+)"', html)


def test_practice_library_walks_every_page_with_counts(client: TestClient) -> None:
    html = client.get("/practices?per_page=10").text
    first, last, total, prev, nxt = _pager(html)
    assert total > 20, "the starter content has more practices than two pages"
    assert (first, last, prev) == (1, 10, None) and nxt is not None
    seen = _titles(html)
    while nxt:
        html = client.get(nxt).text
        first, last, t, prev, nxt = _pager(html)
        assert t == total and first == len(seen) + 1 and prev is not None
        seen += _titles(html)
        assert last == len(seen)
    assert len(seen) == len(set(seen)) == total  # every practice once, none twice


def test_practice_library_links_keep_the_filters(client: TestClient) -> None:
    html = client.get("/practices?assessment=good&per_page=5").text
    assert 'value="good" checked' in html
    _first, last, total, _prev, nxt = _pager(html)
    assert last == 5 and total > 5 and nxt is not None
    assert "assessment=good" in nxt and "per_page=5" in nxt and "page=2" in nxt
    html2 = client.get(nxt).text
    first2, _l, total2, prev2, _n = _pager(html2)
    assert (first2, total2) == (6, total)
    assert prev2 is not None and "assessment=good" in prev2 and "page=1" in prev2


def test_practice_library_page_past_the_end_links_back(client: TestClient) -> None:
    html = client.get("/practices?per_page=10&page=99").text
    first, last, total, prev, nxt = _pager(html)
    assert (first, last, nxt) == (0, 0, None) and prev is not None
    assert f"page={-(-total // 10)}" in prev  # back to the last page that has rows


def test_practice_library_refuses_a_bad_page(client: TestClient) -> None:
    assert client.get("/practices?page=0").status_code == 422
    assert client.get("/practices?per_page=201").status_code == 422


def test_review_queue_is_paged_with_its_count(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import knowledge, store

    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        author = store.get_user(s, users["contributor"])
        for i in range(5):
            p = knowledge.create_practice(
                s,
                author,
                {
                    "title": f"Queued practice number {i}",
                    "country_iso3": "KEN",
                    "guarantee": "old_age",
                    "mechanism": "subsidised contributions",
                    "assessment": "good",
                    "summary": "Waiting for a reviewer to read it.",
                    "language": "en",
                },
            )
            s.flush()
            knowledge.submit_practice(s, author, int(p.id))
    sign_in(client, users["reviewer"])
    html = client.get("/review?per_page=2").text
    assert _pager(html)[:3] == (1, 2, 5)
    links = re.findall(r'href="(/practices/\d+)"', html)
    html = client.get("/review?per_page=2&page=3").text
    first, last, total, prev, nxt = _pager(html)
    assert (first, last, total, nxt) == (5, 5, 5, None) and prev is not None
    assert "per_page=2" in prev
    last_links = re.findall(r'href="(/practices/\d+)"', html)
    assert len(last_links) == 1 and last_links[0] not in links


def test_api_list_gives_previous_and_next(client: TestClient) -> None:
    j = client.get("/api/v1/practices?per_page=5&page=2&assessment=good").json()
    assert j["page"] == 2 and j["per_page"] == 5 and j["total"] > 10
    assert j["previous"] and "page=1" in j["previous"] and "assessment=good" in j["previous"]
    assert j["next"] and "page=3" in j["next"] and "assessment=good" in j["next"]
    first = client.get("/api/v1/practices?per_page=5&assessment=good").json()
    assert first["previous"] is None
    assert not {i["record_id"] for i in first["items"]} & {i["record_id"] for i in j["items"]}
