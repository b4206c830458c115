"""Search over practices, publications and organisations, in English, French and Spanish.

One interface, two engines (see :mod:`socialcover.store.search_index` for the index):

- SQLite: FTS5 ``MATCH`` ranked by BM25 with the title weighted 10 times the body
  (Robertson and Zaragoza 2009, "The probabilistic relevance framework: BM25 and beyond");
- PostgreSQL: ``tsvector @@ tsquery`` ranked by ``ts_rank`` with title (A) weight 1.0 and
  body (B) weight 0.4 (PostgreSQL docs, section 12.3.3).

Both fold accents and case, and match the last word as a prefix ("pens" finds "pension",
"pensión"). Facet counts are disjunctive (the count of a value ignores the filter on its own
facet, so several values of one facet can be combined) and computed in one statement over a
materialised common table expression, so the full-text match runs once per query.
Snippets are escaped text with ``<mark>`` around matches (:mod:`socialcover.knowledge.snippets`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from socialcover.knowledge.snippets import highlight, query_terms, snippet
from socialcover.store import ValidationError, can

__all__ = ["FACETS", "FacetCount", "SearchHit", "SearchResult", "search"]

FACETS: dict[str, str] = {
    "kind": "kind",
    "country": "country_iso3",
    "region": "region",
    "branch": "branch",
    "mechanism": "mechanism",
    "assessment": "assessment",
    "year": "year",
    "type": "doc_type",
    "language": "language",
}
"""Facet name -> column of ``search_documents``."""

_KINDS = ("practice", "publication", "organisation")
_MAX_FACET_VALUES = 30


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class SearchHit:
    """One result; ``title_html`` and ``snippet_html`` are escaped HTML with ``<mark>``."""

    kind: str
    record_id: int
    title: str
    title_html: str
    snippet_html: str
    score: float
    language: str | None
    country_iso3: str | None
    region: str | None
    branch: str | None
    mechanism: str | None
    assessment: str | None
    year: int | None
    doc_type: str | None
    is_public: bool


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    took_ms: float = 0.0


def _values(v: Any) -> list[str]:
    if v is None or v == "":
        return []
    if isinstance(v, str | int):
        return [str(v)]
    return [str(x) for x in v if x is not None and x != ""]


def _normalise_filters(filters: Mapping[str, Any] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in (filters or {}).items():
        if key in {"year_from", "year_to"}:
            vals = _values(value)
            if vals and not vals[0].isdigit():
                raise ValidationError(f"{key} must be a year, got {vals[0]!r}.", hint="E.g. 2005.")
            if vals:
                out[key] = vals[:1]
            continue
        if key not in FACETS:
            raise ValidationError(
                f"Unknown search filter {key!r}.",
                code="knowledge.bad-filter",
                hint=f"Use one of: {', '.join([*FACETS, 'year_from', 'year_to'])}.",
            )
        vals = _values(value)
        if key == "year" and any(not x.isdigit() for x in vals):
            raise ValidationError(f"year filter must be years, got {vals!r}.", hint="E.g. 2008.")
        if key == "country":
            vals = [x.upper() for x in vals]
        if vals:
            out[key] = vals
    return out


def _filter_sql(
    filters: dict[str, list[str]], params: dict[str, Any], skip: str | None, prefix: str
) -> str:
    parts: list[str] = []
    for key, vals in filters.items():
        if key == skip:
            continue
        if key == "year_from":
            params[f"{prefix}yf"] = int(vals[0])
            parts.append(f"year >= :{prefix}yf")
            continue
        if key == "year_to":
            params[f"{prefix}yt"] = int(vals[0])
            parts.append(f"year <= :{prefix}yt")
            continue
        col = FACETS[key]
        names = []
        for i, v in enumerate(vals):
            name = f"{prefix}{key}{i}"
            params[name] = int(v) if key == "year" else v
            names.append(f":{name}")
        parts.append(f"{col} IN ({', '.join(names)})")
    return " AND ".join(parts) if parts else "1=1"


def _fts5_query(terms: list[str]) -> str:
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(terms: list[str]) -> str:
    parts = [f"'{t}'" for t in terms]
    parts[-1] += ":*"
    return " & ".join(parts)


def search(
    session: Session,
    actor: Any,
    query: str = "",
    *,
    filters: Mapping[str, Any] | None = None,
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchResult:
    """Ranked hits with highlighted snippets, and facet counts, for ``query`` and ``filters``.

    Parameters
    ----------
    actor
        The caller: anonymous readers and contributors see public records (contributors also
        their own drafts); reviewers and administrators see everything.
    query
        Words in any of the three languages; accents and case do not matter; the last word is
        matched as a prefix. Empty: every visible record, newest first.
    filters
        Facet name (see :data:`FACETS`) -> a value or a list of values (any of them), plus
        ``year_from`` and ``year_to``; e.g. ``{"assessment": "bad", "branch": ["old_age"]}``.

    Examples
    --------
    >>> result = search(session, None, "pension", filters={"region": "Americas"})  # doctest: +SKIP
    >>> result.hits[0].snippet_html  # doctest: +SKIP
    '... universal non-contributory <mark>pension</mark> ...'
    """
    started = time.perf_counter()
    if limit < 1 or limit > 200 or offset < 0:
        raise ValidationError(
            f"limit={limit}, offset={offset} out of range.",
            hint="Use 1 <= limit <= 200, offset >= 0.",
        )
    flt = _normalise_filters(filters)
    terms = query_terms(query)
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {}

    role = getattr(actor, "role", None)
    if can(role, "practice.read_drafts"):
        visible = "1=1"
    else:
        uid = getattr(actor, "id", None)
        visible = "d.is_public" if dialect == "postgresql" else "d.is_public = 1"
        if uid is not None:
            params["uid"] = uid
            visible = f"({visible} OR d.owner_id = :uid)"

    cols = (
        "d.id, d.kind, d.record_id, d.title, d.language, d.country_iso3, d.region, "
        "d.branch, d.mechanism, d.assessment, d.year, d.doc_type, d.is_public"
    )
    if terms and dialect == "sqlite":
        params["q"] = _fts5_query(terms)
        source = "search_fts JOIN search_documents d ON d.id = search_fts.rowid"
        match = "search_fts MATCH :q"
        score = "-bm25(search_fts, 10.0, 1.0)"
    elif terms:
        params["q"] = _tsquery(terms)
        source = "search_documents d"
        match = "d.tsv @@ to_tsquery('simple', :q)"
        score = "ts_rank('{0.1, 0.2, 0.4, 1.0}', d.tsv, to_tsquery('simple', :q))"
    else:
        source, match, score = "search_documents d", "1=1", "0.0"

    hit_filters = _filter_sql(flt, params, None, "h_")
    order = "score DESC, d.id" if terms else "d.year DESC, d.id DESC"
    if dialect == "postgresql" and not terms:
        order = "d.year DESC NULLS LAST, d.id DESC"
    hits_sql = (
        f"SELECT {cols}, {score} AS score FROM {source} "
        f"WHERE {match} AND {visible} AND {hit_filters} "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    params.update(limit=limit, offset=offset)
    # Filter columns are left unqualified: only search_documents has them.
    rows = session.execute(text(hits_sql), params).mappings().all()

    bodies: dict[int, str] = {}
    if rows:
        ids = [int(r["id"]) for r in rows]
        body_rows = session.execute(
            text(f"SELECT id, body FROM search_documents WHERE id IN ({', '.join(map(str, ids))})")
        ).all()
        bodies = {int(i): str(b) for i, b in body_rows}
    hits = [
        SearchHit(
            kind=r["kind"],
            record_id=int(r["record_id"]),
            title=r["title"],
            title_html=highlight(r["title"], terms),
            snippet_html=snippet(bodies.get(int(r["id"]), ""), terms),
            score=float(r["score"] or 0.0),
            language=r["language"],
            country_iso3=r["country_iso3"],
            region=r["region"],
            branch=r["branch"],
            mechanism=r["mechanism"],
            assessment=r["assessment"],
            year=r["year"],
            doc_type=r["doc_type"],
            is_public=bool(r["is_public"]),
        )
        for r in rows
    ]

    facets: dict[str, list[FacetCount]] = {}
    total = 0
    fparams = dict(params)
    facet_cols = ", ".join(f"d.{c}" for c in dict.fromkeys(FACETS.values()))
    parts = [
        f"SELECT '_total' AS facet, NULL AS value, COUNT(*) AS n FROM m WHERE "
        f"{_filter_sql(flt, fparams, None, 't_')}"
    ]
    if with_facets:
        for name, col in FACETS.items():
            where = _filter_sql(flt, fparams, name, f"f{name}_")
            value = f"CAST({col} AS TEXT)" if name == "year" else col
            parts.append(
                f"SELECT '{name}' AS facet, {value} AS value, COUNT(*) AS n FROM m "
                f"WHERE {col} IS NOT NULL AND {where} GROUP BY {col}"
            )
    facet_sql = (
        f"WITH m AS MATERIALIZED (SELECT {facet_cols} FROM {source} WHERE {match} AND {visible}) "
        + " UNION ALL ".join(parts)
    )
    for facet, value, n in session.execute(text(facet_sql), fparams).all():
        if facet == "_total":
            total = int(n)
        else:
            facets.setdefault(facet, []).append(FacetCount(str(value), int(n)))
    for name in list(facets):
        facets[name] = sorted(facets[name], key=lambda f: (-f.count, f.value))[:_MAX_FACET_VALUES]
    return SearchResult(
        query=query,
        total=total,
        hits=hits,
        facets=facets,
        took_ms=(time.perf_counter() - started) * 1000,
    )
