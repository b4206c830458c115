"""The shipped starter content loads, is idempotent, searchable, and cites sources honestly."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from socialcover.knowledge import STARTER_NOTE, search, seed_starter_content
from socialcover.knowledge.seed import load_starter
from socialcover.store import Practice, SystemActor, session_scope

SEED = SystemActor("system:seed")


def test_starter_practices_cover_all_regions_good_and_bad_with_sources() -> None:
    items = load_starter("practices")
    assert len(items) >= 30
    assert len({i["key"] for i in items}) == len(items)
    assert set(Counter(i["region"] for i in items)) == {
        "Africa",
        "Americas",
        "Arab States",
        "Asia and the Pacific",
        "Europe and Central Asia",
    }
    assessments = Counter(i["assessment"] for i in items)
    assert assessments["bad"] >= 3 and assessments["good"] >= 15
    assert {i["language"] for i in items} == {"en", "fr", "es"}
    for item in items:
        assert item["sources"], item["key"]
        for src in item["sources"]:
            assert src["title"] and src["publisher"], item["key"]


def test_seed_is_idempotent_and_content_is_public_and_flagged(db_url: str) -> None:
    with session_scope(SEED) as s:
        first = seed_starter_content(s)
    with session_scope(SEED) as s:
        second = seed_starter_content(s)
    assert first.created["practice"] >= 30 and not second.created
    assert second.kept == first.created
    with session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Practice)) == first.created["practice"]
        starters = s.scalars(select(Practice)).all()
        assert all(p.is_starter and p.review_comment == STARTER_NOTE for p in starters)
        found = search(s, None, "Renta Dignidad")
        assert found.hits and found.hits[0].country_iso3 == "BOL"
        bad = search(s, None, "", filters={"assessment": "bad", "kind": "practice"})
        assert {h.country_iso3 for h in bad.hits} >= {"CHL", "POL", "HUN"}
