"""A query in one language finds practices written in another (SQLite and PostgreSQL).

"retraite" and "vieillesse" (French), "jubilación" (Spanish) find English pension practices
through the thesaurus (socialcover.knowledge.thesaurus); a practice with the query's own words
still comes first.
"""

from __future__ import annotations

from typing import Any

from socialcover.knowledge import create_practice, publish_practice, search
from socialcover.knowledge.thesaurus import concepts_of, expand, thesaurus
from socialcover.store import SystemActor, create_user, session_scope

ADMIN = SystemActor("test")
BASE: dict[str, Any] = {
    "guarantee": "old_age",
    "mechanism": "universal pension",
    "assessment": "good",
}
DOCS: list[dict[str, Any]] = [
    {
        "title": "Lesotho: universal old-age pension",
        "country_iso3": "LSO",
        "summary": "A tax-financed monthly pension for every citizen aged 70 and over.",
    },
    {
        "title": "Namibia: universal grant for older persons",
        "country_iso3": "NAM",
        "summary": "A non-contributory monthly grant for residents aged 60 and over.",
    },
    {
        "title": "Sénégal : la retraite des travailleurs",
        "country_iso3": "SEN",
        "mechanism": "régime contributif",
        "summary": "Le régime de retraite des salariés du secteur privé.",
        "language": "fr",
    },
    {
        "title": "South Africa: Child Support Grant",
        "country_iso3": "ZAF",
        "guarantee": "children",
        "mechanism": "means-tested grant",
        "summary": "A monthly family allowance paid to the caregiver of a child.",
    },
    {
        "title": "Uruguay: Monotributo",
        "country_iso3": "URY",
        "guarantee": "general",
        "mechanism": "simplified contribution regime",
        "summary": "Un régimen simplificado para pequeños contribuyentes.",
        "language": "es",
    },
]


def _load() -> None:
    with session_scope(ADMIN) as s:
        reviewer = create_user(s, ADMIN, "r@example.org", "long passphrase", "reviewer")
    with session_scope(reviewer) as s:
        for d in DOCS:
            publish_practice(s, reviewer, create_practice(s, reviewer, BASE | d).id)


def _titles(query: str) -> list[str]:
    with session_scope(write=False) as s:
        return [h.title for h in search(s, None, query).hits]


def test_french_retraite_finds_english_pensions_and_its_own_words_first(db_url: str) -> None:
    _load()
    titles = _titles("retraite")
    assert titles[0] == "Sénégal : la retraite des travailleurs"  # the query's own word first
    assert "Lesotho: universal old-age pension" in titles
    assert (
        "Uruguay: Monotributo" not in titles and "South Africa: Child Support Grant" not in titles
    )
    assert _titles("retraites")[0].startswith("Sénégal")  # a plural is the same term


def test_french_vieillesse_finds_old_age_and_older_persons(db_url: str) -> None:
    _load()
    assert set(_titles("vieillesse")) == {
        "Lesotho: universal old-age pension",
        "Namibia: universal grant for older persons",
    }
    with session_scope(write=False) as s:
        hit = search(s, None, "vieillesse").hits[0]
    assert "<mark>" in hit.title_html  # the translation is marked


def test_spanish_jubilacion_finds_english_pensions(db_url: str) -> None:
    _load()
    for q in ("jubilación", "JUBILACION", "jubilaciones"):
        titles = _titles(q)
        assert "Lesotho: universal old-age pension" in titles, q
        assert titles[0] == "Sénégal : la retraite des travailleurs" or titles[0].startswith(
            "Lesotho"
        ), q


def test_a_term_of_several_words_is_matched_as_a_phrase(db_url: str) -> None:
    _load()
    assert _titles("allocations familiales") == ["South Africa: Child Support Grant"]
    assert _titles("asignación familiar") == ["South Africa: Child Support Grant"]


def test_english_exact_words_rank_before_translations(db_url: str) -> None:
    _load()
    titles = _titles("pension")
    # the pension in the title first; the French retraite (a translation) after every own match
    assert titles[0] == "Lesotho: universal old-age pension"
    assert titles[-1] == "Sénégal : la retraite des travailleurs"


def test_thesaurus_lists_every_concept_in_three_languages() -> None:
    for concept, by_lang in thesaurus().items():
        assert set(by_lang) == {"en", "fr", "es"} and all(by_lang.values()), concept
    assert concepts_of(("vieillesse",)) == {"old_age"}
    assert concepts_of(("age",)) == set()  # short words are never inflected into terms
    units = expand(("assurance", "maladie", "rwanda"))
    assert [u.words for u in units] == [("assurance", "maladie"), ("rwanda",)]
    assert ("health", "insurance") in units[0].alternatives
    assert units[-1].prefix and not units[0].prefix
