"""Ranked, accent-insensitive search in three languages with facets and escaped snippets."""

from __future__ import annotations

from typing import Any

import pytest

from socialcover.knowledge import create_practice, publish_practice, search
from socialcover.store import SystemActor, User, ValidationError, create_user, session_scope

ADMIN = SystemActor("test")

BASE: dict[str, Any] = {
    "guarantee": "old_age",
    "mechanism": "universal pension",
    "assessment": "good",
    "period_start": 2008,
}

DOCS: list[dict[str, Any]] = [
    {
        "title": "Bolivia: Renta Dignidad, universal pension",
        "country_iso3": "BOL",
        "region": "Americas",
        "summary": "A non-contributory pension paid to everyone aged 60 and over.",
        "language": "en",
    },
    {
        "title": "Bolivie : la pension universelle",
        "country_iso3": "BOL",
        "region": "Americas",
        "summary": "Une pension non contributive versée à toutes les personnes âgées.",
        "language": "fr",
    },
    {
        "title": "Uruguay: Monotributo",
        "country_iso3": "URY",
        "region": "Americas",
        "guarantee": "general",
        "mechanism": "simplified contribution regime",
        "summary": "Un régimen simplificado de previsión social para pequeños contribuyentes "
        "con una pensión y cobertura de salud.",
        "language": "es",
        "period_start": 2001,
    },
    {
        "title": "Chile: 1981 pension privatisation",
        "country_iso3": "CHL",
        "region": "Americas",
        "mechanism": "individual accounts",
        "assessment": "bad",
        "summary": "Mandatory private accounts replaced the public scheme; <script>alert(1)"
        "</script> low coverage of women and informal workers.",
        "period_start": 1981,
    },
    {
        "title": "Lesotho: old-age grant",
        "country_iso3": "LSO",
        "region": "Africa",
        "summary": "A universal grant for people aged 70 and over, financed by taxes.",
        "period_start": 2004,
    },
]


def _load(publish: bool = True) -> tuple[User, User]:
    with session_scope(ADMIN) as s:
        author = create_user(s, ADMIN, "a@example.org", "long passphrase", "contributor")
        reviewer = create_user(s, ADMIN, "r@example.org", "long passphrase", "reviewer")
    with session_scope(author) as s:
        ids = [create_practice(s, author, BASE | d).id for d in DOCS]
    if publish:
        with session_scope(reviewer) as s:
            for pid in ids[:-1]:  # Lesotho stays a draft
                publish_practice(s, reviewer, pid)
    return author, reviewer


def test_title_matches_rank_first_and_snippets_are_marked(db_url: str) -> None:
    _load()
    with session_scope(write=False) as s:
        result = search(s, None, "pension")
    titles = [h.title for h in result.hits]
    assert result.total == 4
    assert titles[-1] == "Uruguay: Monotributo"  # body match only ("pensión")
    assert all("<mark>" in h.title_html for h in result.hits[:3])
    uruguay = result.hits[-1]
    assert "<mark>pensión</mark>" in uruguay.snippet_html


def test_accents_case_and_prefix_do_not_matter(db_url: str) -> None:
    _load()
    with session_scope(write=False) as s:
        for q in ("PREVISION", "previsión", "prévision soci"):
            hits = search(s, None, q).hits
            assert [h.title for h in hits] == ["Uruguay: Monotributo"], q
        assert search(s, None, "privatis").hits[0].title.startswith("Chile")
        assert search(s, None, "versée agées").total == 1


def test_stored_markup_comes_back_escaped(db_url: str) -> None:
    _load()
    with session_scope(write=False) as s:
        hit = search(s, None, "privatisation").hits[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html


def test_facets_count_the_matches_and_filters_narrow_them(db_url: str) -> None:
    _load()
    with session_scope(write=False) as s:
        result = search(s, None, "pension")
        facets = {k: {f.value: f.count for f in v} for k, v in result.facets.items()}
        assert facets["assessment"] == {"good": 3, "bad": 1}
        assert facets["language"] == {"en": 2, "fr": 1, "es": 1}
        assert facets["country"] == {"BOL": 2, "URY": 1, "CHL": 1}
        assert facets["year"] == {"2008": 2, "2001": 1, "1981": 1}
        narrowed = search(s, None, "pension", filters={"assessment": "bad"})
        assert [h.title for h in narrowed.hits] == ["Chile: 1981 pension privatisation"]
        # disjunctive: the assessment facet still shows the other value
        counts = {f.value: f.count for f in narrowed.facets["assessment"]}
        assert counts == {"good": 3, "bad": 1}
        assert {f.value: f.count for f in narrowed.facets["language"]} == {"en": 1}
        both = search(s, None, "", filters={"country": ["bol", "URY"], "year_from": 2005})
        assert both.total == 2
        with pytest.raises(ValidationError, match="Unknown search filter"):
            search(s, None, "x", filters={"colour": "red"})


def test_drafts_are_found_only_by_their_author_and_reviewers(db_url: str) -> None:
    author, reviewer = _load()
    with session_scope(write=False) as s:
        assert search(s, None, "Lesotho").total == 0
        assert search(s, author, "Lesotho").total == 1
        assert search(s, reviewer, "Lesotho").total == 1
        assert search(s, None, "").total == 4


def test_pages_do_not_overlap(db_url: str) -> None:
    _load()
    with session_scope(write=False) as s:
        first = search(s, None, "", limit=2)
        second = search(s, None, "", limit=2, offset=2)
    ids = [h.record_id for h in first.hits + second.hits]
    assert len(set(ids)) == 4
