"""Search benchmark: p95 latency of socialcover search on 100k records, against two peers.

Run:  .venv/bin/python benchmarks/search.py [--records 100000] [--repeat 5] [--postgres]

It builds a fresh database in a temporary folder (or a temporary PostgreSQL database with
--postgres), generates synthetic practices in English, French and Spanish through the store's
own tables, builds the search index with the store's own code (``rebuild_documents``), then
times a fixed mix of queries (common and rare words, accents, prefixes, two words, facet
filters) three ways on the same data:

- socialcover ``search()``: ranked hits, disjunctive facet counts over 9 facets, total, and
  escaped ``<mark>`` snippets;
- peer 1, a naive SQL scan: ``WHERE title LIKE '%w%' OR body LIKE '%w%'``, first 20 rows
  and a count (no ranking, no facets, no snippets);
- peer 2, bare full text (SQLite FTS5 ``MATCH ... ORDER BY rank`` or PostgreSQL
  ``@@ ... ORDER BY ts_rank``), first 20 rows only.

Each query is first run once with an empty word cache ("cold": as after a commit, no word of
the query read yet; see socialcover.knowledge.postings), then ``--repeat`` times. At the end it
commits a one-record change three times and times the first and second search after each (the
in-memory facet columns and word arrays are rebuilt after a commit).

It prints p50 and p95 in milliseconds and the ratios. Numbers depend on the machine.
``--db FILE`` (SQLite) and ``--pg-db NAME`` (PostgreSQL) keep the generated database between
runs (built when missing).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

# Topic words by branch and language: a document about old-age pensions uses "pension" often,
# one about child grants rarely, as in a real library (so a common word matches ~10-20% of
# documents, not all of them). Filler words follow a Zipf law over 20,000 words.
TOPICS: dict[str, dict[str, list[str]]] = {
    "old_age": {
        "en": [
            "pension",
            "old",
            "age",
            "retirement",
            "older",
            "persons",
            "universal",
            "social",
            "pension",
            "annuity",
        ],
        "fr": ["pension", "vieillesse", "retraite", "personnes", "âgées", "universelle", "rente"],
        "es": ["pensión", "vejez", "jubilación", "personas", "mayores", "universal", "renta"],
    },
    "children": {
        "en": [
            "child",
            "grant",
            "allowance",
            "family",
            "children",
            "school",
            "caregiver",
            "benefit",
        ],
        "fr": ["allocation", "enfant", "famille", "enfants", "école", "prestation", "familiale"],
        "es": ["asignación", "hijo", "familia", "niños", "escuela", "prestación", "familiar"],
    },
    "health": {
        "en": [
            "health",
            "insurance",
            "coverage",
            "hospital",
            "care",
            "universal",
            "scheme",
            "premium",
        ],
        "fr": ["santé", "assurance", "maladie", "mutuelle", "couverture", "soins", "hôpital"],
        "es": ["salud", "seguro", "enfermedad", "cobertura", "atención", "hospital"],
    },
    "maternity": {
        "en": ["maternity", "leave", "mothers", "birth", "women", "benefit", "cash"],
        "fr": ["maternité", "congé", "mères", "naissance", "femmes", "prestation"],
        "es": ["maternidad", "licencia", "madres", "nacimiento", "mujeres", "prestación"],
    },
    "unemployment": {
        "en": ["unemployment", "insurance", "job", "placement", "training", "benefit"],
        "fr": ["chômage", "assurance", "emploi", "placement", "formation"],
        "es": ["desempleo", "seguro", "empleo", "colocación", "capacitación"],
    },
    "disability": {
        "en": ["disability", "benefit", "invalidity", "persons", "with", "disabilities"],
        "fr": ["invalidité", "handicap", "prestation", "personnes", "handicapées"],
        "es": ["invalidez", "discapacidad", "prestación", "personas", "con", "discapacidad"],
    },
    "employment_injury": {
        "en": ["employment", "injury", "accident", "workplace", "compensation"],
        "fr": ["accidents", "du", "travail", "lésions", "professionnelles", "indemnisation"],
        "es": ["accidentes", "del", "trabajo", "riesgos", "laborales", "indemnización"],
    },
    "social_assistance": {
        "en": ["cash", "transfer", "poverty", "conditional", "registry", "households", "targeting"],
        "fr": ["transferts", "monétaires", "pauvreté", "ménages", "ciblage", "registre"],
        "es": ["transferencias", "monetarias", "pobreza", "hogares", "focalización", "registro"],
    },
    "general": {
        "en": [
            "informal",
            "economy",
            "contribution",
            "simplified",
            "regime",
            "monotax",
            "own",
            "account",
            "workers",
        ],
        "fr": [
            "économie",
            "informelle",
            "cotisation",
            "régime",
            "simplifié",
            "travailleurs",
            "indépendants",
        ],
        "es": [
            "economía",
            "informal",
            "cotización",
            "monotributo",
            "régimen",
            "simplificado",
            "previsión",
        ],
    },
}
SHARED = {
    "en": [
        "social",
        "protection",
        "security",
        "coverage",
        "reform",
        "evaluation",
        "financing",
        "tax",
    ],
    "fr": [
        "protection",
        "sociale",
        "sécurité",
        "couverture",
        "réforme",
        "évaluation",
        "financement",
        "prévoyance",
    ],
    "es": [
        "protección",
        "social",
        "seguridad",
        "cobertura",
        "reforma",
        "evaluación",
        "financiamiento",
    ],
}
FILLER = [f"w{i}" for i in range(20000)]
_ZIPF = list(__import__("itertools").accumulate(1 / (r + 1) ** 1.07 for r in range(len(FILLER))))
COUNTRIES = [
    "ARG",
    "BOL",
    "BRA",
    "CHL",
    "COL",
    "CRI",
    "ECU",
    "MEX",
    "PER",
    "URY",
    "ZAF",
    "KEN",
    "GHA",
    "SEN",
    "RWA",
    "ETH",
    "NAM",
    "LSO",
    "MUS",
    "CPV",
    "NGA",
    "TZA",
    "UGA",
    "ZMB",
    "MOZ",
    "THA",
    "VNM",
    "IDN",
    "PHL",
    "IND",
    "NPL",
    "BGD",
    "CHN",
    "MNG",
    "TLS",
    "KHM",
    "JOR",
    "LBN",
    "EGY",
    "TUN",
    "MAR",
    "POL",
    "HUN",
    "KAZ",
    "KGZ",
    "UZB",
    "GEO",
    "ARM",
    "TUR",
    "UKR",
]
REGIONS = ["Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe and Central Asia"]
GUARANTEES = list(TOPICS)
MECHANISMS = [
    "universal pension",
    "child grant",
    "community-based health insurance",
    "simplified contribution regime",
    "micro-insurance",
    "conditional cash transfer",
    "social insurance",
    "public works",
    "individual accounts",
    "national health insurance",
]

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("pension", {}),
    ("pension", {"region": "Africa"}),
    ("child grant", {}),
    ("informal workers", {"assessment": "good"}),
    ("prévoyance", {}),
    ("prevision", {"language": "es"}),
    ("monotributo", {}),
    ("contrib", {}),
    ("maternité", {"branch": "maternity"}),
    ("w123", {}),
    ("w4000 w17", {}),
    ("seguro social", {"country": ["URY", "ARG"]}),
    ("universal health coverage", {"year_from": 2000}),
    ("cash transfer", {"assessment": "bad"}),
    ("mutuelle santé", {"region": "Africa", "assessment": ["good", "mixed"]}),
    ("social protection reform", {}),
    ("disability", {}),
    ("accident", {"language": "en"}),
    ("w2 w3", {}),
    ("retraite", {}),
]


def _sentence(rng: random.Random, topic: list[str], shared: list[str], n: int) -> str:
    k_topic = max(1, n // 8)
    k_shared = max(1, n // 20)
    words = (
        rng.choices(topic, k=k_topic)
        + rng.choices(shared, k=k_shared)
        + rng.choices(FILLER, cum_weights=_ZIPF, k=n - k_topic - k_shared)
    )
    rng.shuffle(words)
    return " ".join(words)


def generate(session: Any, n: int, seed: int = 7) -> None:
    """Insert ``n`` synthetic published practices with core inserts, then index them."""
    from socialcover.store import Practice
    from socialcover.store.models import utcnow
    from socialcover.store.search_index import rebuild_documents

    rng = random.Random(seed)
    now = utcnow()
    batch: list[dict[str, Any]] = []
    conn = session.connection()
    for i in range(n):
        lang = rng.choices(["en", "fr", "es"], weights=[6, 2, 2])[0]
        guarantee = rng.choice(GUARANTEES)
        topic, shared = TOPICS[guarantee][lang], SHARED[lang]
        batch.append(
            {
                "title": _sentence(rng, topic, shared, rng.randint(4, 9)).capitalize(),
                "country_iso3": rng.choice(COUNTRIES),
                "region": rng.choice(REGIONS),
                "guarantee": guarantee,
                "mechanism": rng.choice(MECHANISMS),
                "target_groups": ["informal economy workers"],
                "period_start": rng.randint(1950, 2024),
                "summary": _sentence(rng, topic, shared, rng.randint(20, 40)),
                "what_was_done": _sentence(rng, topic, shared, rng.randint(30, 60)),
                "results": _sentence(rng, topic, shared, rng.randint(20, 50)),
                "evaluation": "",
                "lessons": _sentence(rng, topic, shared, rng.randint(10, 20)),
                "sources": [],
                "assessment": rng.choices(["good", "bad", "mixed"], weights=[6, 2, 2])[0],
                "language": lang,
                "status": "published",
                "review_comment": "",
                "is_starter": False,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        if len(batch) == 5000:
            conn.execute(insert(Practice), batch)
            batch = []
            print(f"  generated {i + 1:,} records", file=sys.stderr)
    if batch:
        conn.execute(insert(Practice), batch)
    t0 = time.perf_counter()
    rebuild_documents(session)
    print(f"  indexed in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _time(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[18]


def run(url: str, n: int, repeat: int, build: bool = True) -> None:
    from socialcover.knowledge import search
    from socialcover.knowledge.postings import _caches
    from socialcover.knowledge.search import _fts5_query, _tsquery
    from socialcover.knowledge.snippets import query_terms
    from socialcover.store import SystemActor, open_database, session_scope

    engine = open_database(url)
    t0 = time.perf_counter()
    if build:
        with session_scope(SystemActor("benchmark"), engine=engine) as s:
            generate(s, n)
        print(f"Built {n:,} records in {time.perf_counter() - t0:.1f} s ({engine.dialect.name}).")
    dialect = engine.dialect.name

    def ours(q: str, f: dict[str, Any]) -> Callable[[], Any]:
        def go() -> Any:
            with session_scope(engine=engine, write=False) as s:
                return search(s, None, q, filters=f, limit=20)

        return go

    def like_scan(q: str) -> Callable[[], Any]:
        words = query_terms(q) or [""]

        def go() -> Any:
            cond = " AND ".join(
                f"(lower(title) LIKE :w{i} OR lower(body) LIKE :w{i})" for i in range(len(words))
            )
            params = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
            with engine.connect() as conn:
                rows = conn.execute(
                    text(f"SELECT id, title FROM search_documents WHERE {cond} LIMIT 20"), params
                ).all()
                total = conn.execute(
                    text(f"SELECT COUNT(*) FROM search_documents WHERE {cond}"), params
                ).scalar()
            return rows, total

        return go

    def bare_fts(q: str) -> Callable[[], Any]:
        terms = query_terms(q)

        def go() -> Any:
            if not terms:
                return []
            with engine.connect() as conn:
                if dialect == "sqlite":
                    sql = (
                        "SELECT rowid, title FROM search_fts WHERE search_fts MATCH :q "
                        "ORDER BY rank LIMIT 20"
                    )
                    return conn.execute(text(sql), {"q": _fts5_query(terms)}).all()
                sql = (
                    "SELECT id, title FROM search_documents WHERE tsv @@ to_tsquery('simple', :q) "
                    "ORDER BY ts_rank(tsv, to_tsquery('simple', :q)) DESC LIMIT 20"
                )
                return conn.execute(text(sql), {"q": _tsquery(terms)}).all()

        return go

    results: dict[str, list[float]] = {
        "socialcover": [],
        "  cold": [],
        "LIKE scan": [],
        "bare FTS": [],
    }
    print(f"\n{'query':40} {'hits':>7} {'ours p50':>9} {'cold':>9} {'LIKE p50':>9} {'FTS p50':>9}")
    for q, f in QUERIES:
        go = ours(q, f)
        # cold: as after a write, when no phrase of the query is cached yet
        _caches.clear()
        cold = _time(go, 1)
        total = go().total
        mine = _time(go, repeat)
        like = _time(like_scan(q), max(1, repeat // 2))
        bare = _time(bare_fts(q), repeat)
        results["socialcover"] += mine
        results["  cold"] += cold
        results["LIKE scan"] += like
        results["bare FTS"] += bare
        label = (repr(q) + (f" {f}" if f else ""))[:40]
        print(
            f"{label:40} {total:7,} {statistics.median(mine):9.1f} {cold[0]:9.1f} "
            f"{statistics.median(like):9.1f} {statistics.median(bare):9.1f}"
        )
    print(f"\n{'':14} {'p50 ms':>8} {'p95 ms':>8}")
    for name, xs in results.items():
        print(f"{name:14} {statistics.median(xs):8.1f} {_p95(xs):8.1f}")
    ours_p95 = _p95(results["socialcover"])
    print(
        f"\nsocialcover p95 = {ours_p95:.1f} ms (target < 50 ms) on {n:,} records; "
        f"LIKE scan p95 / ours = {_p95(results['LIKE scan']) / ours_p95:.1f}x; "
        f"ours / bare FTS p95 = {ours_p95 / _p95(results['bare FTS']):.2f}x "
        "(ours also counts 9 facets and totals and marks snippets)."
    )
    _after_write(engine)


def _after_write(engine: Any) -> None:
    """The first searches after a one-record commit, which drops every in-memory cache."""
    from socialcover.knowledge import search, update_practice
    from socialcover.store import Practice, SystemActor, session_scope

    admin = SystemActor("benchmark")
    print("\nFirst searches after a one-record commit (caches rebuilt), ms:")
    for i, q in enumerate(["pension", "informal workers", "w2 w3"]):
        with session_scope(admin, engine=engine) as s:
            pid = s.query(Practice.id).order_by(Practice.id).limit(1).scalar()
            update_practice(s, admin, pid, {"lessons": f"Lesson learnt, revision {i}."})
        times = []
        for _ in range(2):
            t0 = time.perf_counter()
            with session_scope(engine=engine, write=False) as s:
                search(s, None, q, limit=20)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"  {q!r:20} first {times[0]:8.1f}   second {times[1]:8.1f}")


def _run_kept_postgres(name: str, n: int, repeat: int) -> None:
    from sqlalchemy import create_engine

    from socialcover.store import dispose_engines, upgrade
    from socialcover.store.testing import PG_SERVER

    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        build = exists.first() is None
        if build:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    if build:
        upgrade(url)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SOCIALCOVER_HOME"] = tmp
        try:
            run(url, n, repeat, build)
        finally:
            dispose_engines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="run on a temporary PG database")
    parser.add_argument(
        "--db", type=Path, help="SQLite file to keep between runs (built when it does not exist)"
    )
    parser.add_argument(
        "--pg-db", help="PostgreSQL database name to keep between runs (built when missing)"
    )
    args = parser.parse_args()
    if args.pg_db:
        _run_kept_postgres(args.pg_db, args.records, args.repeat)
        return
    if args.db is not None:
        os.environ.setdefault("SOCIALCOVER_HOME", str(args.db.parent))
        run(f"sqlite:///{args.db.resolve()}", args.records, args.repeat, not args.db.exists())
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SOCIALCOVER_HOME"] = tmp
        if not args.postgres:
            run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.records, args.repeat)
            return
        import secrets

        from sqlalchemy import create_engine

        from socialcover.store import dispose_engines
        from socialcover.store.testing import PG_SERVER

        server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        name = f"socialcover_bench_{secrets.token_hex(4)}"
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            from socialcover.store import upgrade

            url = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
            upgrade(url)
            run(url, args.records, args.repeat)
        finally:
            dispose_engines()
            with server.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
