"""Reads of the knowledge base for the country page (published practices and publications)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from socialcover.web.search_view import run_search


def related_to_country(
    session: Session, user: Any, iso3: str, lang: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Practices and publications about a country that the caller may see (practices by
    their title in ``lang`` when they have one)."""
    out: dict[str, list[dict[str, Any]]] = {"practices": [], "publications": []}
    for kind, key in (("practice", "practices"), ("publication", "publications")):
        res = run_search(session, user, "", {"country": iso3}, kind, limit=20, lang=lang)
        out[key] = [{"id": h["record_id"], "title": h["title"]} for h in res["hits"]]
    return out
