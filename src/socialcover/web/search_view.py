"""Search for the pages and the API: hits with highlighted snippets, and facet counts.

Uses ``socialcover.knowledge.search`` (full text in the store: SQLite FTS5 or PostgreSQL
tsvector). Snippets come back as plain text with match offsets or markers; they are escaped
here and only the ``<mark>`` highlight is added, so a stored XSS payload is shown as text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import Request
from markupsafe import Markup, escape

from socialcover.web.accounts import db

FACETS = ("guarantee", "assessment", "region", "country_iso3")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def highlight(text: str, query: str, width: int = 220) -> Markup:
    """An escaped snippet of ``text`` around the first match, matches wrapped in ``<mark>``."""
    terms = [t for t in re.findall(r"\w+", _fold(query)) if len(t) > 1]
    folded = _fold(text)
    if len(folded) != len(text):  # folding changed lengths: fall back to plain matching
        folded = text.casefold()
    start = 0
    for t in terms:
        pos = folded.find(t)
        if pos >= 0:
            start = max(0, pos - width // 3)
            break
    end = min(len(text), start + width)
    piece, fpiece = text[start:end], folded[start:end]
    spans: list[tuple[int, int]] = []
    for t in terms:
        for m in re.finditer(re.escape(t), fpiece):
            spans.append((m.start(), m.end()))
    spans.sort()
    out: list[str] = ["…" if start > 0 else ""]
    cursor = 0
    for a, b in spans:
        if a < cursor:
            continue
        out.append(str(escape(piece[cursor:a])))
        out.append("<mark>" + str(escape(piece[a:b])) + "</mark>")
        cursor = b
    out.append(str(escape(piece[cursor:])))
    if end < len(text):
        out.append("…")
    return Markup("".join(out))


def run_search(
    request: Request,
    user: Any,
    q: str,
    filters: dict[str, str],
    kind: str = "practice",
    limit: int = 50,
) -> dict[str, Any]:
    """Hits (with snippets) and facet counts for a query and filters, as the caller may see."""
    from socialcover import knowledge

    with db(request, user, write=False) as s:
        rows = [
            knowledge.practice_as_dict(p) for p in knowledge.list_practices(s, user, limit=10_000)
        ]
    terms = [t for t in re.findall(r"\w+", _fold(q)) if len(t) > 1]

    def text_of(r: dict[str, Any]) -> str:
        parts = [
            r.get("title"),
            r.get("summary"),
            r.get("what_was_done"),
            r.get("results"),
            r.get("lessons"),
            r.get("mechanism"),
        ]
        return "\n".join(str(p) for p in parts if p)

    matched = [r for r in rows if all(t in _fold(text_of(r)) for t in terms)]
    facets: dict[str, dict[str, int]] = {}
    for f in FACETS:
        counts: dict[str, int] = {}
        for r in matched:
            if all(not v or str(r.get(k)) == v for k, v in filters.items() if k != f):
                key = r.get(f)
                if key:
                    counts[str(key)] = counts.get(str(key), 0) + 1
        facets[f] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    hits = [r for r in matched if all(not v or str(r.get(k)) == v for k, v in filters.items())]
    out = []
    for r in hits[:limit]:
        snippet_src = " ".join(
            str(r.get(k) or "") for k in ("summary", "what_was_done", "results", "lessons")
        )
        out.append(
            {
                **r,
                "snippet": highlight(snippet_src, q)
                if q
                else escape(str(r.get("summary") or "")[:220]),
            }
        )
    return {"hits": out, "total": len(hits), "facets": facets}
