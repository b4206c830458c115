"""In-memory facet columns of the search documents, for counting facets over large match sets.

Counting nine facets over tens of thousands of matches row by row costs far more than the
full-text match itself. So each process keeps the facet values of every search document as
NumPy arrays of small integer codes (dictionary encoding, as column stores do), keyed by the
store's ``search_state`` ``(token, generation)``, which every write to the documents bumps in
the same transaction. A query then fetches only ``(id, score)`` from the full-text index and
counts facets with ``numpy.bincount`` over the codes of the matches.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from socialcover.store.search_index import search_state

__all__ = ["FACET_COLUMNS", "DocColumns", "doc_columns"]

FACET_COLUMNS: dict[str, str] = {
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

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DocColumns:
    """Facet codes of every document, aligned on ``ids`` (sorted document ids)."""

    key: tuple[str, int]
    ids: IntArray
    codes: dict[str, IntArray]  # facet -> code per document (-1: no value)
    values: dict[str, list[Any]]  # facet -> value of each code
    year: IntArray  # -1: no year
    public: npt.NDArray[np.bool_]
    owner: IntArray  # -1: no owner

    @cached_property
    def _lookup(self) -> IntArray | None:
        """Position of each id by direct indexing, when ids are dense enough to afford it."""
        top = int(self.ids[-1]) if len(self.ids) else -1
        if top < 0 or top > 4 * len(self.ids) + 1024:
            return None
        table = np.full(top + 1, -1, dtype=np.int64)
        table[self.ids] = np.arange(len(self.ids), dtype=np.int64)
        return table

    def positions(self, doc_ids: IntArray) -> IntArray:
        """Positions of ``doc_ids`` in the columns (-1 for ids not present)."""
        table = self._lookup
        if table is not None and len(doc_ids):
            inside = (doc_ids >= 0) & (doc_ids < len(table))
            if inside.all():
                return table[doc_ids]
            return np.where(inside, table[np.clip(doc_ids, 0, len(table) - 1)], -1)
        pos = np.searchsorted(self.ids, doc_ids)
        pos = np.minimum(pos, max(len(self.ids) - 1, 0))
        found = (len(self.ids) > 0) & (self.ids[pos] == doc_ids) if len(self.ids) else None
        if found is None:
            return np.full(len(doc_ids), -1, dtype=np.int64)
        return np.where(found, pos, -1).astype(np.int64)

    def code_of(self, facet: str, value: Any) -> int:
        try:
            return self.values[facet].index(value)
        except ValueError:
            return -2  # matches nothing


_cache: dict[str, DocColumns] = {}
_lock = threading.Lock()


def _load(session: Session, key: tuple[str, int]) -> DocColumns:
    names = list(FACET_COLUMNS.values())
    sql = f"SELECT id, {', '.join(names)}, is_public, owner_id FROM search_documents ORDER BY id"
    conn = session.connection()
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        cur.execute(sql)
        rows = cur.fetchall()
    finally:
        cur.close()
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(names) + 3)]
    codes: dict[str, IntArray] = {}
    values: dict[str, list[Any]] = {}
    for i, facet in enumerate(FACET_COLUMNS, start=1):
        lookup: dict[Any, int] = {}
        out = np.empty(n, dtype=np.int64)
        for j, v in enumerate(columns[i]):
            if v is None:
                out[j] = -1
            else:
                code = lookup.get(v)
                if code is None:
                    code = lookup[v] = len(lookup)
                out[j] = code
        codes[facet] = out
        values[facet] = list(lookup)
    year_col = columns[1 + names.index("year")]
    return DocColumns(
        key=key,
        ids=np.fromiter(columns[0], dtype=np.int64, count=n),
        codes=codes,
        values=values,
        year=np.fromiter((-1 if y is None else y for y in year_col), dtype=np.int64, count=n),
        public=np.fromiter((bool(x) for x in columns[-2]), dtype=np.bool_, count=n),
        owner=np.fromiter((-1 if o is None else o for o in columns[-1]), dtype=np.int64, count=n),
    )


def doc_columns(session: Session) -> DocColumns:
    """The facet columns for the database of ``session``, reloaded when documents changed."""
    key = search_state(session)
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    cached = _cache.get(url)
    if cached is not None and cached.key == key:
        return cached
    loaded = _load(session, key)
    if not session.info.get("search_documents_written"):  # never cache uncommitted state
        with _lock:
            _cache[url] = loaded
    return loaded
