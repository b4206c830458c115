"""Practices and publications name countries of the data pack, or are refused with the nearest.

An unknown code (``ZZZ``) used to be saved and then linked to a country page that does not
exist. The check is in the records' input validation, so the CLI, the API and the forms all
refuse alike (``store.invalid``, naming the value and the nearest codes). Without a pack the
code is kept as written: there is nothing to check it against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socialcover.data import check_iso3
from socialcover.knowledge import create_practice, create_publication, update_practice
from socialcover.knowledge.seed import load_starter
from socialcover.store import SystemActor, ValidationError, session_scope

ADMIN = SystemActor("test")
PRACTICE: dict[str, Any] = {
    "title": "A universal old-age pension",
    "country_iso3": "KEN",
    "guarantee": "old_age",
    "mechanism": "universal pension",
    "summary": "A tax-financed flat pension for everyone aged 70 and over.",
    "assessment": "good",
}
PUBLICATION: dict[str, Any] = {"title": "Coverage review", "kind": "report"}


@pytest.fixture
def with_pack(installed_pack: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database, with the real pack installed (``db_url`` alone empties the home)."""
    monkeypatch.setenv("SOCIALCOVER_HOME", str(installed_pack))
    return db_url


def test_an_unknown_practice_country_is_refused_with_the_nearest_codes(with_pack: str) -> None:
    with session_scope(ADMIN) as s, pytest.raises(ValidationError) as caught:
        create_practice(s, ADMIN, PRACTICE | {"country_iso3": "ZZZ"})
    err = caught.value
    assert err.code == "store.invalid"
    assert err.context["fields"] == ["country_iso3"]
    assert "'ZZZ'" in err.message and "Did you mean ZAF (South Africa)" in err.message
    with session_scope(ADMIN) as s:
        with pytest.raises(ValidationError, match="Did you mean KEN"):
            create_practice(s, ADMIN, PRACTICE | {"country_iso3": "KEM"})
        with pytest.raises(ValidationError, match="country_iso3"):
            create_practice(s, ADMIN, PRACTICE | {"country_iso3": ""})


def test_an_edit_to_an_unknown_country_is_refused(with_pack: str) -> None:
    with session_scope(ADMIN) as s:
        practice = create_practice(s, ADMIN, PRACTICE)
        assert practice.country_iso3 == "KEN"
        with pytest.raises(ValidationError, match="'ZZZ'"):
            update_practice(s, ADMIN, practice.id, {"country_iso3": "zzz"})


def test_a_publication_names_a_known_country_or_none(with_pack: str) -> None:
    with session_scope(ADMIN) as s:
        with pytest.raises(ValidationError, match="'ZZZ' is not a country code"):
            create_publication(s, ADMIN, PUBLICATION | {"country_iso3": "ZZZ"})
        assert create_publication(s, ADMIN, PUBLICATION | {"country_iso3": "ken"}).country_iso3
        assert create_publication(s, ADMIN, PUBLICATION | {"country_iso3": ""}).country_iso3 is None


def test_without_a_pack_a_well_formed_code_is_kept_as_written(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        assert create_practice(s, ADMIN, PRACTICE | {"country_iso3": "ZZZ"}).country_iso3 == "ZZZ"
        with pytest.raises(ValidationError, match="country_iso3"):
            create_practice(s, ADMIN, PRACTICE | {"country_iso3": "ZZ"})


def test_every_starter_record_names_a_country_of_the_pack(installed_pack: Path) -> None:
    codes = {
        item["country_iso3"]
        for name in ("practices", "publications")
        for item in load_starter(name)
        if item.get("country_iso3")
    }
    codes |= {
        org["country_iso3"]
        for org in load_starter("actors")["organisations"]
        if org.get("country_iso3")
    }
    assert len(codes) > 20
    assert {check_iso3(code) for code in codes} == codes
