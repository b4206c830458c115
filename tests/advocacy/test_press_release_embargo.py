"""A press release under embargo does not exist for the public until its date; then it is
public with the store's figures at that date, frozen with their data version, whatever the
store says later (an injectable clock moves time). SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select

from socialcover.advocacy import (
    create_press_release,
    format_figure,
    get_press_release,
    list_press_releases,
    publish_press_release,
    release_due,
    submit_press_release,
)
from socialcover.monitor import (
    approve_data_set,
    record_observations,
    submit_data_set,
    unapprove_data_set,
)
from socialcover.store import (
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    create_user,
    session_scope,
)
from socialcover.store.models import DataSet
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
EMBARGO = dt.datetime(2027, 6, 30, 8, 0, tzinfo=dt.UTC)
BEFORE = EMBARGO - dt.timedelta(seconds=1)


def people() -> dict[str, User]:
    with session_scope(ADMIN) as s:
        return {
            "author": create_user(s, ADMIN, "press@example.org", "long passphrase", "contributor"),
            "other": create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            "editor": create_user(s, ADMIN, "editor@example.org", "long passphrase", "reviewer"),
        }


def store_value(p: dict[str, User], value: float) -> None:
    """Kenya's children's coverage in 2023 enters the store and is approved."""
    frame = pl.DataFrame(
        {
            "indicator": ["sdg131.children"],
            "area": ["KEN"],
            "year": [2023],
            "sex": ["both"],
            "value": [value],
            "se": [None],
            "lower": [None],
            "upper": [None],
            "nature": ["administrative"],
            "source": ["Ministry of Labour and Social Protection"],
            "vintage": ["2024-06"],
            "footnotes": [""],
        },
        schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )
    with session_scope(p["editor"]) as s:
        held = s.scalar(select(DataSet.id).where(DataSet.area == "KEN", DataSet.year == 2023))
        if held is not None:  # a revision: the approved data set goes back to entered first
            unapprove_data_set(s, p["editor"], held, "Revised figures.", back_to="entered")
    with session_scope(p["author"]) as s:
        (data_set,) = record_observations(s, p["author"], frame).data_sets
        submit_data_set(s, p["author"], data_set)
    with session_scope(p["editor"]) as s:
        approve_data_set(s, p["editor"], data_set)


RELEASE: dict[str, Any] = {
    "texts": {
        "en": {
            "title": "Child benefits reach {{ kenya }} of Kenya's children",
            "body": "In 2023, {{ kenya }} of children in Kenya received a child benefit.",
        },
        "fr": {
            "title": "Les prestations atteignent {{ kenya }} des enfants du Kenya",
            "body": "En 2023, {{ kenya }} des enfants du Kenya recevaient une prestation.",
        },
        "es": {
            "title": "Las prestaciones llegan al {{ kenya }} de los niños de Kenia",
            "body": "En 2023, el {{ kenya }} de los niños de Kenia recibía una prestación.",
        },
    },
    "figures": [
        {
            "name": "kenya",
            "indicator": "sdg131.children",
            "area": "KEN",
            "year": 2023,
            "format": "percent",
        }
    ],
    "embargo_until": EMBARGO.isoformat(),
}


def published_release(p: dict[str, User]) -> int:
    with session_scope(p["author"]) as s:
        rid = create_press_release(s, p["author"], RELEASE).id
        submit_press_release(s, p["author"], rid)
    with session_scope(p["editor"]) as s:
        publish_press_release(s, p["editor"], rid)
    return rid


def test_invisible_before_the_embargo_then_frozen_with_the_store_at_that_date(db_url: str) -> None:
    p = people()
    store_value(p, 12.5)
    rid = published_release(p)
    for who in (None, p["other"]):
        with session_scope(who) as s:
            with pytest.raises(RecordNotFoundError) as hidden:
                get_press_release(s, who, rid, now=BEFORE)
            assert list_press_releases(s, who, now=BEFORE) == []
        assert hidden.value.message == "No press release 999999.".replace("999999", str(rid))
    with session_scope(p["editor"]) as s:  # the editors preview it with the store's values now
        preview = get_press_release(s, p["editor"], rid, now=BEFORE)
    assert not preview.public and preview.frozen_at is None and "12.5%" in preview.body
    store_value(p, 14.0)  # revised before the embargo: the release comes out with 14.0
    with session_scope(None) as s:
        out = get_press_release(s, None, rid, "fr", now=EMBARGO)
    assert out.public and out.frozen_at == EMBARGO
    assert out.body == "En 2023, 14,0\u00a0% des enfants du Kenya recevaient une prestation."
    assert out.figures["kenya"]["value"] == 14.0 and out.figures["kenya"]["revision"] == 2
    assert out.data_version is not None and out.data_version.startswith("store:")
    store_value(p, 15.5)  # revised after it came out: the release keeps its figures
    later = EMBARGO + dt.timedelta(days=30)
    with session_scope(None) as s:
        again = get_press_release(s, None, rid, "es", now=later)
        listed = [r.id for r in list_press_releases(s, None, now=later)]
    assert "14,0\u00a0%" in again.body and again.data_version == out.data_version
    assert listed == [rid]
    with session_scope(ADMIN) as s:
        assert release_due(s, now=later) == []  # already frozen by the first read


def test_release_due_freezes_at_the_embargo_without_a_reader(db_url: str) -> None:
    p = people()
    store_value(p, 12.5)
    rid = published_release(p)
    with session_scope(ADMIN) as s:
        assert release_due(s, now=BEFORE) == []
        assert release_due(s, now=EMBARGO) == [rid]
    store_value(p, 20.0)
    with session_scope(None) as s:
        assert "12.5%" in get_press_release(s, None, rid, now=EMBARGO).title


def test_a_draft_is_never_public_even_after_its_embargo(db_url: str) -> None:
    p = people()
    with session_scope(p["author"]) as s:
        rid = create_press_release(s, p["author"], RELEASE).id
    with session_scope(None) as s, pytest.raises(RecordNotFoundError):
        get_press_release(s, None, rid, now=EMBARGO + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"texts": {"en": {"title": "Coverage", "body": "45.2% of people"}}}, "45.2%"),
        ({"texts": {"en": {"title": "Coverage", "body": "1,4 milliards"}}}, "milliards"),
        ({"texts": {"en": {"title": "Coverage", "body": "{{ nowhere }}"}}}, "nowhere"),
        ({"figures": [RELEASE["figures"][0] | {"indicator": "sdg131.childs"}]}, "childs"),
        ({"texts": {"de": {"title": "Deckung", "body": "Text"}}}, "de"),
    ],
)
def test_typed_figures_and_unknown_placeholders_are_refused(
    db_url: str, change: dict[str, Any], words: str
) -> None:
    p = people()
    with pytest.raises(ValidationError) as info, session_scope(p["author"]) as s:
        create_press_release(s, p["author"], RELEASE | change)
    assert words in info.value.message


def test_figures_are_written_as_each_language_writes_them() -> None:
    assert format_figure(52.35, "percent", 1, "en") == "52.4%"
    assert format_figure(52.35, "percent", 1, "es") == "52,4\u00a0%"
    assert format_figure(3_800_000_000, "billions", 1, "en") == "3.8 billion"
    assert format_figure(3_800_000_000, "billions", 1, "fr") == "3,8 milliards"
    assert format_figure(None, "number", 0, "en") == "n/a"
