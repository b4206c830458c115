"""Ranking from cached per-word arrays equals the engine's own rank, and follows every commit.

The oracle is the database: on SQLite, FTS5's ``bm25(search_fts, 10.0, 1.0)`` over the whole
query (the score search computed in SQL before the cache in socialcover.knowledge.postings);
on PostgreSQL, the sum over the words of ``ts_rank`` computed in SQL (for one word, exactly
``ts_rank`` of the query, as before).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import pytest
from sqlalchemy import text

from socialcover.knowledge import create_practice, publish_practice, search
from socialcover.knowledge.postings import _caches
from socialcover.knowledge.search import _fts5_query, _tsquery
from socialcover.knowledge.snippets import query_terms
from socialcover.store import SystemActor, create_user, session_scope

ADMIN = SystemActor("test")
WORDS = ["pension", "pensión", "social", "universal", "contributory", "grant", "informal"]


def _docs(n: int) -> list[dict[str, Any]]:
    docs = []
    for i in range(n):
        # deterministic mix: some words in the title, repeated words in the body, long and
        # short bodies, so that term frequency, field weight and length all matter
        title = " ".join(WORDS[j] for j in range(len(WORDS)) if (i + j) % 3 == 0) or "note"
        body = " ".join(WORDS[(i * k) % len(WORDS)] for k in range(1, 2 + i % 9))
        docs.append(
            {
                "title": f"{title} {i}",
                "country_iso3": ["BOL", "URY", "KEN"][i % 3],
                "guarantee": "old_age",
                "mechanism": "universal pension",
                "summary": "A practice: " + body + " filler" * (i % 5),
                "assessment": ["good", "bad", "mixed"][i % 3],
            }
        )
    return docs


def _load(n: int = 24) -> Any:
    with session_scope(ADMIN) as s:
        reviewer = create_user(s, ADMIN, "r@example.org", "long passphrase", "reviewer")
    with session_scope(reviewer) as s:
        for doc in _docs(n):
            publish_practice(s, reviewer, create_practice(s, reviewer, doc).id)
    return reviewer


def _oracle(s: Any, dialect: str, query: str) -> list[Any]:
    terms = query_terms(query)
    if dialect == "sqlite":  # FTS5's BM25 of the whole query
        return list(
            s.execute(
                text(
                    "SELECT d.record_id, -bm25(search_fts, 10.0, 1.0) FROM search_fts "
                    "JOIN search_documents d ON d.id = search_fts.rowid "
                    "WHERE search_fts MATCH :q ORDER BY bm25(search_fts, 10.0, 1.0), d.id"
                ),
                {"q": _fts5_query(terms)},
            ).all()
        )
    # PostgreSQL: the sum over the words of ts_rank, computed in SQL
    words = [f"'{t}'" for t in terms]
    words[-1] += ":*"
    rank = " + ".join(
        f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', tsv, to_tsquery('simple', :w{i}))::float8"
        for i in range(len(words))
    )
    return list(
        s.execute(
            text(
                f"SELECT record_id, {rank} AS r FROM search_documents "
                "WHERE tsv @@ to_tsquery('simple', :q) ORDER BY r DESC, id"
            ),
            {"q": _tsquery(terms)} | {f"w{i}": w for i, w in enumerate(words)},
        ).all()
    )


@pytest.mark.parametrize(
    "query", ["pension", "social pens", "universal informal grant", "contrib", "pension social"]
)
def test_scores_and_order_equal_the_engine_rank(db_url: str, query: str) -> None:
    reviewer = _load()
    with session_scope(write=False) as s:
        dialect = s.get_bind().dialect.name
        if dialect != "sqlite" and len(query_terms(query)) == 1:
            # one word: exactly PostgreSQL's ts_rank of the query
            direct = s.execute(
                text(
                    "SELECT record_id, ts_rank('{0.1, 0.2, 0.4, 1.0}', tsv, "
                    "to_tsquery('simple', :q)) AS r FROM search_documents "
                    "WHERE tsv @@ to_tsquery('simple', :q) ORDER BY r DESC, id"
                ),
                {"q": _tsquery(query_terms(query))},
            ).all()
            summed = _oracle(s, "postgresql", query)
            assert [r[0] for r in summed] == [r[0] for r in direct]
            assert [r[1] for r in summed] == pytest.approx([r[1] for r in direct], rel=1e-6)
        for _ in range(2):  # first from the database, then from the cache
            got = search(s, reviewer, query, limit=200, with_facets=False)
            rows = _oracle(s, dialect, query)
            assert got.total == len(rows) > 0
            assert [h.record_id for h in got.hits] == [r[0] for r in rows]
            assert [h.score for h in got.hits] == pytest.approx([r[1] for r in rows], rel=1e-6)


def test_cached_phrases_follow_a_commit_from_another_process(db_url: str) -> None:
    reviewer = _load(6)
    with session_scope(write=False) as s:
        before = search(s, reviewer, "pension")
        again = search(s, reviewer, "pension")
    assert again.total == before.total > 0
    if db_url.startswith("sqlite"):
        cache = _caches[db_url]
        assert '"pension"*' in cache.phrases  # the second search was served from memory
    writer = textwrap.dedent(
        """
        from socialcover.knowledge import create_practice, publish_practice
        from socialcover.store import SystemActor, session_scope
        admin = SystemActor("other-process")
        with session_scope(admin) as s:
            doc = {"title": "Pension pension pension", "country_iso3": "ZAF",
                   "guarantee": "old_age", "mechanism": "universal pension",
                   "summary": "A pension for all.", "assessment": "good"}
            publish_practice(s, admin, create_practice(s, admin, doc).id)
        """
    )
    subprocess.run([sys.executable, "-c", writer], check=True, timeout=120)
    with session_scope(write=False) as s:
        after = search(s, reviewer, "pension")
    assert after.total == before.total + 1
    assert after.hits[0].title == "Pension pension pension"
    assert {f.value: f.count for f in after.facets["country"]}["ZAF"] == 1


def test_uncommitted_writes_never_enter_the_cache(db_url: str) -> None:
    reviewer = _load(6)
    with session_scope(write=False) as s:
        total = search(s, reviewer, "pension").total
    with pytest.raises(RuntimeError), session_scope(reviewer) as s:
        pid = create_practice(s, reviewer, _docs(1)[0] | {"title": "pension draft"}).id
        publish_practice(s, reviewer, pid)
        assert search(s, reviewer, "pension").total == total + 1
        raise RuntimeError("roll back")
    with session_scope(write=False) as s:
        assert search(s, reviewer, "pension").total == total


def test_a_full_cache_drops_old_words_and_answers_stay_the_same(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialcover.knowledge import postings

    reviewer = _load(12)
    queries = ["pension", "social", "universal", "grant", "informal", "pension social"]
    with session_scope(write=False) as s:
        expected = {q: search(s, reviewer, q, limit=50) for q in queries}
    postings._caches.clear()
    monkeypatch.setattr(postings, "MAX_CACHED_POSTINGS", 8)
    with session_scope(write=False) as s:
        for _ in range(2):
            for q in queries:
                got = search(s, reviewer, q, limit=50)
                assert got.total == expected[q].total
                assert [h.record_id for h in got.hits] == [h.record_id for h in expected[q].hits]
                for cache in postings._caches.values():
                    assert cache.entries <= 8 or len(cache.phrases) == 1
                    assert cache.entries == sum(len(p.ids) for p in cache.phrases.values())
