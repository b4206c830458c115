"""Search for the pages and the API, through ``socialcover.knowledge.search``.

The store ranks (SQLite FTS5 BM25 or PostgreSQL ts_rank), counts disjunctive facets and returns
snippets as escaped HTML with ``<mark>`` around matches; they are marked safe here only
because the knowledge layer escaped them (tested by tests/web/test_xss_escaped.py).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from socialcover.web.cache import Lru
from socialcover.web.database import public_version

PAGE_FACETS = ("kind", "branch", "assessment", "region", "country", "mechanism", "language")
SEARCH_LIMIT = 200


def run_search(
    session: Session,
    user: Any,
    q: str,
    filters: dict[str, Any],
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
    lang: str | None = None,
) -> dict[str, Any]:
    """Hits (with snippets), total and facet counts, as the caller may see them; practices
    translated into ``lang`` show their translated title and summary."""
    clean = {k: v for k, v in filters.items() if v not in (None, "", [])}
    if kind:
        clean["kind"] = kind
    limit = max(1, min(limit, SEARCH_LIMIT))
    key: tuple[Any, ...] | None = None
    if user is None:
        # Anonymous readers all see the same public records: their results are cached
        # under the newest audit row, which every write (and so every index change) adds.
        key = (
            *public_version(session),
            q,
            tuple(sorted((k, str(v)) for k, v in clean.items())),
            limit,
            offset,
            lang,
        )
        # one computation per key: readers arriving together after a write wait for it
        return _CACHE.once(key, lambda: _search(session, user, q, clean, kind, limit, offset, lang))
    return _search(session, user, q, clean, kind, limit, offset, lang)


def _search(
    session: Session,
    user: Any,
    q: str,
    clean: dict[str, Any],
    kind: str | None,
    limit: int,
    offset: int,
    lang: str | None,
) -> dict[str, Any]:
    from socialcover import knowledge

    result = knowledge.search(
        session, user, q, filters=clean, limit=limit, offset=offset, lang=lang
    )
    hits = []
    for h in result.hits:
        row = asdict(h)
        row["title_html"] = Markup(h.title_html)
        row["snippet_html"] = Markup(h.snippet_html)
        row["url"] = _url(h.kind, h.record_id)
        # the language of the original when the title and snippet are its translation
        row["translated_from"] = h.language if h.original_title is not None else None
        hits.append(row)
    facets = {
        name: [(fc.value, fc.count) for fc in counts]
        for name, counts in result.facets.items()
        if name in PAGE_FACETS and (name != "kind" or not kind)
    }
    return {"hits": hits, "total": result.total, "facets": facets, "took_ms": result.took_ms}


_CACHE: Lru[dict[str, Any]] = Lru(1024)


def _url(kind: str, record_id: int) -> str:
    return {
        "practice": f"/practices/{record_id}",
        "publication": f"/publications/{record_id}",
        "organisation": f"/actors/{record_id}",
    }.get(kind, "/")


def search_rows(
    session: Session,
    user: Any,
    q: str,
    filters: dict[str, Any],
    kind: str | None,
    page: int,
    per_page: int,
    everything: bool = False,
    lang: str | None = None,
) -> tuple[list[dict[str, Any]], int, dict[str, Any]]:
    """JSON-ready hits for the API: one page, or every hit (for CSV/Excel exports); practices
    translated into ``lang`` by their translated title and summary."""
    rows: list[dict[str, Any]] = []
    offset = 0 if everything else (page - 1) * per_page
    step = SEARCH_LIMIT if everything else per_page
    while True:
        res = run_search(session, user, q, filters, kind, step, offset, lang)
        for h in res["hits"]:
            rows.append({k: str(v) if isinstance(v, Markup) else v for k, v in h.items()})
        offset += step
        if not everything or offset >= res["total"] or not res["hits"]:
            facets = {k: [{"value": v, "count": n} for v, n in c] for k, c in res["facets"].items()}
            return rows, res["total"], facets
