"""The starter practices' titles and summaries in the other two languages: complete, loaded by
the seed (also into a database seeded before they existed), searchable and shown by language."""

from __future__ import annotations

import pydantic
import pytest
from sqlalchemy import select

from socialcover.knowledge import (
    PracticeInput,
    search,
    seed_starter_content,
    translated,
)
from socialcover.knowledge.seed import load_starter
from socialcover.store import Practice, SystemActor, ValidationError, session_scope
from socialcover.store.search_index import rebuild_documents

SEED = SystemActor("system:seed")


def test_every_starter_practice_has_its_title_and_summary_in_the_other_languages() -> None:
    translations = load_starter("translations")
    for item in load_starter("practices"):
        others = {"en", "fr", "es"} - {item["language"]}
        assert set(translations[item["key"]]) == others, item["key"]
        for lang in others:
            t = translations[item["key"]][lang]
            assert len(t["title"]) >= 3 and len(t["summary"]) >= 10, (item["key"], lang)
            # the same figures as the original: a translation adds no fact
            digits = sorted(c for c in item["summary"] if c.isdigit())
            assert sorted(c for c in t["summary"] if c.isdigit()) == digits, (item["key"], lang)


def test_a_translation_into_the_practices_own_language_is_refused() -> None:
    data = {
        "title": "Une pension",
        "country_iso3": "SEN",
        "guarantee": "old_age",
        "mechanism": "universal pension",
        "summary": "Une pension pour tous.",
        "assessment": "good",
        "language": "fr",
        "translations": {"fr": {"title": "Une pension", "summary": "Une pension pour tous."}},
    }
    with pytest.raises(pydantic.ValidationError, match="own language"):
        PracticeInput.model_validate(data)


def test_seed_loads_translations_and_fills_them_into_older_databases(db_url: str) -> None:
    with session_scope(SEED) as s:
        seed_starter_content(s)
        lso = s.scalars(select(Practice).where(Practice.starter_key == "lso-old-age-pension")).one()
        assert translated(lso, "fr") == {
            "title": "Lesotho : pension de vieillesse universelle",
            "summary": load_starter("translations")["lso-old-age-pension"]["fr"]["summary"],
        }
        assert translated(lso, "en") is None  # written in English
        for p in s.scalars(select(Practice)).all():  # as seeded before translations existed
            p.translations = {}
        s.flush()
        rebuild_documents(s)
    with session_scope(SEED) as s:
        report = seed_starter_content(s)
    assert report.created["translation"] == len(load_starter("practices"))
    with session_scope(write=False) as s:
        assert all(p.translations for p in s.scalars(select(Practice)).all())


def test_search_shows_translated_titles_in_the_readers_language(db_url: str) -> None:
    with session_scope(SEED) as s:
        seed_starter_content(s)
    with session_scope(write=False) as s:
        fr = search(s, None, "Lesotho", filters={"kind": "practice"}, lang="fr").hits[0]
        es = search(s, None, "Lesotho", filters={"kind": "practice"}, lang="es").hits[0]
        en = search(s, None, "Lesotho", filters={"kind": "practice"}, lang="en").hits[0]
        # the French words of a translated summary are found too
        bol = search(s, None, "hydrocarbures", lang="fr").hits
    assert fr.title == "Lesotho : pension de vieillesse universelle"
    assert fr.original_title == "Lesotho: universal old-age pension"
    assert "citoyen" in fr.snippet_html
    assert es.title == "Lesoto: pensión universal de vejez"
    assert en.title == "Lesotho: universal old-age pension" and en.original_title is None
    assert [h.country_iso3 for h in bol] == ["BOL"]
    assert bol[0].title.startswith("Bolivie : Renta Dignidad")


def test_unknown_keys_in_the_translations_file_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialcover.knowledge import seed

    real = seed.load_starter

    def fake(name: str) -> object:
        data = real(name)
        if name == "translations":
            data = dict(data, **{"no-such-practice": {}})
        return data

    monkeypatch.setattr(seed, "load_starter", fake)
    with pytest.raises(ValidationError, match="no-such-practice"):
        seed._validated()
