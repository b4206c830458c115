"""Search over practices, publications and organisations, in English, French and Spanish.

One interface, two engines (see :mod:`socialcover.store.search_index` for the index):

- SQLite: FTS5 ``MATCH`` ranked by BM25 with the title weighted 10 times the body
  (Robertson and Zaragoza 2009, "The probabilistic relevance framework: BM25 and beyond");
- PostgreSQL: ``tsvector @@ tsquery`` ranked by the sum over the words of ``ts_rank`` with
  title (A) weight 1.0 and body (B) weight 0.4 (PostgreSQL docs, section 12.3.3); for one
  word this is ``ts_rank`` of the query.

Both fold accents and case, and match the last word as a prefix ("pens" finds "pension",
"pensión"). Both scores are sums over the words, so the matches and scores of a query come
from per-word (id, score) arrays read from the index once per search generation and cached
in memory (:mod:`socialcover.knowledge.postings`): the matches are the intersection of the
arrays, the score the sum. Facet values come from
in-memory dictionary-encoded columns (:mod:`socialcover.knowledge.columns`), so facet counts,
totals and the top hits are vectorised NumPy work whatever the number of matches. Facet counts
are disjunctive: the count of a value ignores the filter on its own facet, so several values of
one facet can be combined.
Snippets are escaped text with ``<mark>`` around matches (:mod:`socialcover.knowledge.snippets`).

Across languages: the query's words are grouped into units with their translations from a
curated thesaurus (:mod:`socialcover.knowledge.thesaurus`), so "retraite", "vieillesse" or
"jubilación" also find practices written in English about pensions. A document matches a unit
through the query's own words (all of them, scored as above) or through one of its translations
(a phrase, scored at :data:`TRANSLATION_WEIGHT` of its own score, the best one counting). A
document with the query's own words keeps their score, so without translations in the index
the ranking is the engines' own; documents with more of the query's own words come first.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from socialcover.knowledge.columns import DocColumns, doc_columns
from socialcover.knowledge.postings import PhrasePostings, intersect, phrase_postings, union
from socialcover.knowledge.practices import translated
from socialcover.knowledge.snippets import highlight, query_terms, snippet
from socialcover.knowledge.thesaurus import MIN_PREFIX, QueryUnit, expand
from socialcover.store import Practice, ValidationError, can

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
TRANSLATION_WEIGHT = 0.5
"""A match through a translation scores half a match through the query's own words."""
_MAX_FACET_VALUES = 30


@dataclass(frozen=True)
class FacetCount:
    """How many results share one value of a facet."""

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
    original_title: str | None = None
    """The title as written, when ``title`` is its translation into the reader's language."""


@dataclass(frozen=True)
class SearchResult:
    """One page of results, with the total, the facet counts and the time taken."""

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


def _fts5_phrases(terms: list[str]) -> list[str]:
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return quoted


def _fts5_query(terms: list[str]) -> str:
    return " ".join(_fts5_phrases(terms))


def _ts_phrases(terms: list[str]) -> list[str]:
    parts = [f"'{t}'" for t in terms]
    parts[-1] += ":*"
    return parts


def _tsquery(terms: list[str]) -> str:
    return " & ".join(_ts_phrases(terms))


def _alternative_phrase(words: tuple[str, ...], dialect: str) -> str:
    """A thesaurus term as one phrase, words of MIN_PREFIX letters or more as prefixes."""
    if dialect == "sqlite":
        return " + ".join(f'"{w}"' + ("*" if len(w) >= MIN_PREFIX else "") for w in words)
    return " <-> ".join(f"'{w}'" + (":*" if len(w) >= MIN_PREFIX else "") for w in words)


def _match(
    session: Session, key: tuple[str, int], units: tuple[QueryUnit, ...], dialect: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Ids matching every unit (ascending), their scores, and how many units each matched
    through the query's own words."""
    plan: list[tuple[list[str], list[str], list[str]]] = []
    for u in units:
        words = list(u.words)
        own = _fts5_phrases(words) if dialect == "sqlite" else _ts_phrases(words)
        if not u.prefix:  # only the query's last word is a prefix
            own = [p[:-2] if p.endswith(":*") else p.removesuffix("*") for p in own]
        stems = [_alternative_phrase(t, dialect) for t in u.stems]
        plan.append((own, stems, [_alternative_phrase(a, dialect) for a in u.alternatives]))
    wanted = [p for own, stems, alts in plan for p in (*own, *stems, *alts)]
    fetched = dict(zip(wanted, phrase_postings(session, key, wanted), strict=True))
    per_unit: list[PhrasePostings] = []
    exact: list[npt.NDArray[np.int64]] = []
    for own, stems, alts in plan:
        ids, scores = intersect([fetched[p] for p in own])
        if stems:  # "retraites" typed, "retraite" written: the query's own word all the same
            both = union([PhrasePostings(ids, scores), *(fetched[p] for p in stems)],
                         [1.0] * (1 + len(stems)))  # fmt: skip
            ids, scores = both.ids, both.scores
        exact.append(ids)
        if alts:
            # a document with the query's own words keeps their score; the others score
            # through their best translation
            others = union([fetched[p] for p in alts], [TRANSLATION_WEIGHT] * len(alts))
            extra = ~np.isin(others.ids, ids, assume_unique=True)
            ids = np.concatenate([ids, others.ids[extra]])
            scores = np.concatenate([scores, others.scores[extra]])
            order = np.argsort(ids, kind="stable")
            ids, scores = ids[order], scores[order]
        per_unit.append(PhrasePostings(ids, scores))
    doc_ids, scores = intersect(per_unit)
    hits = np.zeros(len(doc_ids), dtype=np.int64)
    for ids in exact:
        hits += np.isin(doc_ids, ids, assume_unique=True)
    return doc_ids, scores, hits


def search(
    session: Session,
    actor: Any,
    query: str = "",
    *,
    filters: Mapping[str, Any] | None = None,
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
    lang: str | None = None,
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
    lang
        The reader's language: a practice with a translation into it is shown by its
        translated title and summary (``original_title`` keeps the title as written).

    Examples
    --------
    >>> from socialcover.knowledge import seed_starter_content
    >>> from socialcover.store import SystemActor, open_database, session_scope
    >>> engine = open_database("sqlite:///library.db")
    >>> with session_scope(SystemActor("system:seed"), engine=engine) as session:
    ...     _ = seed_starter_content(session)
    >>> with session_scope(None, engine=engine, write=False) as session:
    ...     result = search(session, None, "pension", filters={"region": "Americas"})
    ...     result.hits[0].snippet_html
    '...<mark>pensión</mark>...'
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
    # The full-text index gives (id, score) of every match; facet values come from the
    # in-memory columns (socialcover.knowledge.columns), so facets, totals and the top hits
    # are computed with NumPy; details and snippets are fetched for the page of hits only.
    cols = doc_columns(session)
    units = expand(tuple(terms))
    if terms:
        # Both scores are sums over the words of the query: rank from per-word arrays cached
        # per generation (socialcover.knowledge.postings) instead of scoring every match in SQL.
        doc_ids, scores, own = _match(session, cols.key, units, dialect)
        pos = cols.positions(doc_ids)
        if (pos < 0).any():  # documents committed after the columns were read: reload once
            cols = doc_columns(session)
            pos = cols.positions(doc_ids)
        keep = pos >= 0
        pos, scores, own = pos[keep], scores[keep], own[keep]
    else:
        pos = np.arange(len(cols.ids), dtype=np.int64)
        scores = np.zeros(len(pos), dtype=np.float64)
        own = np.zeros(len(pos), dtype=np.int64)

    role = getattr(actor, "role", None)
    if can(role, "practice.read_drafts"):
        visible_mask = np.ones(len(pos), dtype=np.bool_)
    else:
        visible_mask = cols.public[pos]
        uid = getattr(actor, "id", None)
        if uid is not None:
            visible_mask = visible_mask | (cols.owner[pos] == uid)

    masks = _filter_masks(cols, pos, flt)
    everything = visible_mask.copy()
    for mask in masks.values():
        everything &= mask
    facets: dict[str, list[FacetCount]] = {}
    if with_facets:
        shared = pos[everything]  # the facets that are not filtered all count these
        for name in FACETS:
            if name in masks:
                mask = visible_mask.copy()
                for other, m in masks.items():
                    if other != name:
                        mask &= m
                codes = cols.codes[name][pos[mask]]
            else:
                codes = cols.codes[name][shared]
            # code -1 (no value) is counted in slot 0 and dropped: no boolean copy
            counts = np.bincount(codes + 1, minlength=len(cols.values[name]) + 1)[1:]
            values = [
                FacetCount(str(cols.values[name][c]), int(counts[c]))
                for c in np.flatnonzero(counts)
            ]
            if values:
                facets[name] = sorted(values, key=lambda f: (-f.count, f.value))[:_MAX_FACET_VALUES]
    chosen = np.flatnonzero(everything)
    sel_pos, sel_scores, sel_own = pos[chosen], scores[chosen], own[chosen]
    sel_ids = cols.ids[sel_pos]
    if terms:
        # the query's own words first (a translation never outranks them), score desc, then id
        keys: tuple[Any, ...] = (sel_ids, -sel_scores, -sel_own)
        top_score = float(np.abs(sel_scores).max()) if len(sel_scores) else 0.0
        primary: npt.NDArray[Any] = -(sel_own * (top_score + 1.0) + sel_scores)
    else:
        keys = (-sel_ids, -cols.year[sel_pos])  # newest first, then newest record
        primary = keys[-1]
    want = offset + limit
    if len(chosen) > 4 * want:  # pre-select candidates cheaply, then order them exactly
        cut = np.partition(primary, want - 1)[want - 1]
        cand = np.flatnonzero(primary <= cut)
        order = cand[np.lexsort(tuple(k[cand] for k in keys))]
    else:
        order = np.lexsort(keys)
    page = order[offset:want]
    top = [
        (int(sel_ids[i]), float(sel_scores[i]), *_facet_values(cols, int(sel_pos[i]))) for i in page
    ]
    marks = [*terms, *(" ".join(a) for u in units for a in (*u.stems, *u.alternatives))]
    hits = _hits(session, top, marks, lang)
    return SearchResult(
        query=query,
        total=len(chosen),
        hits=hits,
        facets=facets,
        took_ms=(time.perf_counter() - started) * 1000,
    )


def _facet_values(cols: DocColumns, p: int) -> tuple[Any, ...]:
    out: list[Any] = []
    for name in (
        "kind",
        "country",
        "region",
        "branch",
        "mechanism",
        "assessment",
        "year",
        "type",
        "language",
    ):
        code = int(cols.codes[name][p])
        out.append(None if code < 0 else cols.values[name][code])
    return tuple(out)


def _filter_masks(
    cols: DocColumns, pos: npt.NDArray[np.int64], flt: dict[str, list[str]]
) -> dict[str, npt.NDArray[np.bool_]]:
    masks: dict[str, npt.NDArray[np.bool_]] = {}
    for key, vals in flt.items():
        if key in {"year_from", "year_to"}:
            years = cols.year[pos]
            bound = int(vals[0])
            m = (years >= bound) if key == "year_from" else ((years <= bound) & (years >= 0))
            m &= years >= 0
            masks["year"] = masks["year"] & m if "year" in masks else m
            continue
        wanted = [cols.code_of(key, int(v) if key == "year" else v) for v in vals]
        lookup = np.zeros(len(cols.values[key]) + 1, dtype=np.bool_)  # slot 0: no value
        lookup[[w + 1 for w in wanted if w >= 0]] = True
        m = lookup[cols.codes[key][pos] + 1]
        masks[key] = masks[key] & m if key in masks else m
    return masks


def _translations(
    session: Session, top: list[tuple[Any, ...]], lang: str | None
) -> dict[int, dict[str, str]]:
    """Practice id -> its title and summary in ``lang``, for the practices of a page of hits."""
    if lang is None:
        return {}
    pids = [int(r[1]) for r in top if r[2] == "practice"]
    if not pids:
        return {}
    rows = session.execute(
        select(Practice.id, Practice.language, Practice.translations).where(Practice.id.in_(pids))
    ).all()
    out = {}
    for pid, language, translations in rows:
        found = translated({"language": language, "translations": translations}, lang)
        if found:
            out[int(pid)] = found
    return out


def _hits(
    session: Session, top: list[tuple[Any, ...]], terms: list[str], lang: str | None = None
) -> list[SearchHit]:
    if not top:
        return []
    ids = [int(r[0]) for r in top]
    details = {
        int(r[0]): r
        for r in session.execute(
            text(
                "SELECT id, record_id, title, body, is_public FROM search_documents "
                f"WHERE id IN ({', '.join(map(str, ids))})"
            )
        ).all()
    }
    shown = _translations(session, [(r[0], details[int(r[0])][1], r[2]) for r in top], lang)
    hits = []
    for r in top:
        d = details[int(r[0])]
        title, body, original = d[2], d[3] or "", None
        tr = shown.get(int(d[1])) if r[2] == "practice" else None
        if tr is not None:
            title, original = tr["title"], d[2]
            summary_snippet = snippet(tr["summary"], terms)
            # the translated summary, unless only the original text has the query's words
            if not terms or "<mark>" in summary_snippet or "<mark>" not in snippet(body, terms):
                body = tr["summary"]
        hits.append(
            SearchHit(
                kind=r[2],
                record_id=int(d[1]),
                title=title,
                title_html=highlight(title, terms),
                snippet_html=snippet(body, terms),
                score=float(r[1] or 0.0),
                language=r[10],
                country_iso3=r[3],
                region=r[4],
                branch=r[5],
                mechanism=r[6],
                assessment=r[7],
                year=r[8],
                doc_type=r[9],
                is_public=bool(d[4]),
                original_title=original,
            )
        )
    return hits
