"""Per-phrase posting arrays of the SQLite full-text index, cached in memory per generation.

Ranking every match of a broad query is what made search slow: SQLite FTS5 evaluates
``bm25()`` row by row, and a word found in 60-99% of 100,000 documents costs 150-800 ms
(more for a prefix such as ``w3*`` that expands to a thousand terms). But FTS5's BM25 is a sum
over the phrases of the query, each term depending only on that phrase and the document
(``fts5_aux.c``, ``fts5Bm25Function``: ``score = sum_i idf_i * f_i (k1 + 1) / (f_i + k1 (1 - b
+ b D / avgdl))``, with ``idf_i`` from the phrase's document count over the whole table; Robertson
and Zaragoza 2009, eq. 3.13). So the score of a document for ``"a" "b"*`` is exactly the
score for ``"a"`` plus the score for ``"b"*``, and the matches are the intersection of the two
phrases' matches (words are combined with AND).

This module keeps, per database and per search generation (the store's ``search_state``,
bumped in the same transaction as every write to the documents), the sorted document ids and
the BM25 contribution of each phrase asked for. A query then intersects a few sorted arrays
and adds their scores with NumPy: microseconds instead of hundreds of milliseconds once its
phrases are cached. A new generation drops every cached phrase (the idf of every phrase depends
on the number of documents), so a commit in any process is seen by the next search in every
process; a session holding uncommitted writes to the documents never reads or fills the cache.
The cache is bounded (least recently used phrases go first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from socialcover.store.search_index import search_state

__all__ = ["MAX_CACHED_POSTINGS", "PhrasePostings", "intersect", "phrase_postings", "union"]

MAX_CACHED_POSTINGS = 4_000_000
"""Upper bound on the (id, score) pairs kept per database (16 bytes each: 64 MB)."""
_MAX_CACHED_PHRASES = 4096
TITLE_WEIGHT = 10.0
"""SQLite: BM25 weight of the title column (the body weighs 1)."""
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
"""PostgreSQL: ``ts_rank`` weights of D, C, B (body) and A (title)."""

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PhrasePostings:
    """The documents matching one FTS5 phrase, by ascending id, and its BM25 term for each."""

    ids: IntArray
    scores: FloatArray  # higher is better (minus FTS5's bm25)


@dataclass
class _Cache:
    key: tuple[str, int]
    phrases: OrderedDict[str, PhrasePostings]
    entries: int = 0


_caches: dict[str, _Cache] = {}
_lock = threading.Lock()


def _fetch(session: Session, phrase: str) -> PhrasePostings:
    conn = session.connection()
    dbapi = conn.connection.dbapi_connection
    if dbapi is None:  # pragma: no cover - a checked-out connection always has one
        raise RuntimeError("no database connection")
    cur = dbapi.cursor()
    try:
        if conn.dialect.name == "sqlite":
            cur.execute(
                f"SELECT rowid, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) FROM search_fts "
                "WHERE search_fts MATCH ? ORDER BY rowid",
                (phrase,),
            )
        else:
            cur.execute(
                f"SELECT d.id, ts_rank('{PG_WEIGHTS}', d.tsv, q) "
                "FROM search_documents d, to_tsquery('simple', %s) q "
                "WHERE d.tsv @@ q ORDER BY d.id",
                (phrase,),
            )
        rows = cur.fetchall()
    finally:
        cur.close()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((r[1] or 0.0 for r in rows), dtype=np.float64, count=len(rows))
    return PhrasePostings(ids, scores)


def phrase_postings(
    session: Session, key: tuple[str, int], phrases: list[str]
) -> list[PhrasePostings]:
    """Posting arrays of ``phrases`` (FTS5 syntax, e.g. ``'"pension"'``, ``'"contrib"*'``).

    Parameters
    ----------
    key
        The ``(token, generation)`` that ``session`` reads (from
        :func:`socialcover.store.search_index.search_state`); arrays cached under another key
        are never returned.

    Notes
    -----
    Arrays fetched in a session with uncommitted writes to the documents are used but not
    cached. Arrays are cached only when the generation is still ``key`` after they were read,
    so a commit landing between two statements (PostgreSQL's read committed) cannot leave a
    newer state cached under an older key.
    """
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    dirty = bool(session.info.get("search_documents_written"))
    found: dict[str, PhrasePostings] = {}
    if not dirty:
        with _lock:
            cache = _caches.get(url)
            if cache is not None and cache.key == key:
                for phrase in phrases:
                    hit = cache.phrases.get(phrase)
                    if hit is not None:
                        cache.phrases.move_to_end(phrase)
                        found[phrase] = hit
    missing = {p: _fetch(session, p) for p in dict.fromkeys(phrases) if p not in found}
    if missing and not dirty and search_state(session) == key:
        _store(url, key, missing)
    return [found[p] if p in found else missing[p] for p in phrases]


def _store(url: str, key: tuple[str, int], fresh: dict[str, PhrasePostings]) -> None:
    with _lock:
        cache = _caches.get(url)
        if cache is None or cache.key != key:
            cache = _caches[url] = _Cache(key, OrderedDict())
        for phrase, postings in fresh.items():
            if phrase in cache.phrases:
                continue
            cache.phrases[phrase] = postings
            cache.entries += len(postings.ids)
        while cache.phrases and (
            cache.entries > MAX_CACHED_POSTINGS or len(cache.phrases) > _MAX_CACHED_PHRASES
        ):
            _, dropped = cache.phrases.popitem(last=False)
            cache.entries -= len(dropped.ids)


def intersect(lists: list[PhrasePostings]) -> tuple[IntArray, FloatArray]:
    """Ids in every list (ascending) and the sum of their scores (the query's BM25)."""
    if not lists:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    ordered = sorted(lists, key=lambda p: len(p.ids))
    ids, scores = ordered[0].ids, ordered[0].scores
    for other in ordered[1:]:
        if len(ids) == 0:
            break
        at = np.searchsorted(other.ids, ids)
        at = np.minimum(at, max(len(other.ids) - 1, 0))
        found = other.ids[at] == ids if len(other.ids) else np.zeros(len(ids), dtype=np.bool_)
        ids, scores = ids[found], scores[found] + other.scores[at[found]]
    return ids, scores


def union(lists: list[PhrasePostings], weights: list[float]) -> PhrasePostings:
    """Ids in any list (ascending), each scored by its best weighted score over the lists.

    Examples
    --------
    >>> a = PhrasePostings(np.array([1, 3]), np.array([2.0, 1.0]))
    >>> b = PhrasePostings(np.array([3, 4]), np.array([4.0, 1.0]))
    >>> u = union([a, b], [1.0, 0.5])
    >>> u.ids.tolist(), u.scores.tolist()
    ([1, 3, 4], [2.0, 2.0, 0.5])
    """
    if not lists:
        return PhrasePostings(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
    ids = np.unique(np.concatenate([p.ids for p in lists]))
    scores = np.full(len(ids), -np.inf, dtype=np.float64)
    for p, w in zip(lists, weights, strict=True):
        at = np.searchsorted(ids, p.ids)  # each list's ids are unique: no repeated index
        scores[at] = np.maximum(scores[at], w * p.scores)
    return PhrasePostings(ids, scores)
