"""An organisation names a country of the data pack, or none; an unknown code is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.actors import create_organisation, update_organisation
from socialcover.store import SystemActor, ValidationError, session_scope

ADMIN = SystemActor("test")
ORG = {"name": "Caisse nationale de sécurité sociale", "actor_type": "social_security_institution"}


@pytest.fixture
def with_pack(installed_pack: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database, with the real pack installed (``db_url`` alone empties the home)."""
    monkeypatch.setenv("SOCIALCOVER_HOME", str(installed_pack))
    return db_url


def test_an_unknown_country_is_refused_naming_the_value_and_the_nearest(with_pack: str) -> None:
    with session_scope(ADMIN) as s:
        with pytest.raises(ValidationError) as caught:
            create_organisation(s, ADMIN, ORG | {"country_iso3": "SNN"})
        err = caught.value
        assert err.code == "store.invalid" and err.context["fields"] == ["country_iso3"]
        assert "'SNN' is not a country code" in err.message and "SEN (Senegal)" in err.message
        org = create_organisation(s, ADMIN, ORG | {"country_iso3": "sen"})
        assert org.country_iso3 == "SEN"
        with pytest.raises(ValidationError, match="'ZZZ'"):
            update_organisation(s, ADMIN, org.id, {"country_iso3": "ZZZ"})
        assert update_organisation(s, ADMIN, org.id, {"country_iso3": ""}).country_iso3 is None
