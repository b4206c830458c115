"""Every indicator name and definition of the registry is marked for translation, and has a
French and a Spanish translation in the catalogues."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from socialcover.monitor import list_indicators
from socialcover.web.indicator_text import INDICATOR_TEXT

LOCALE = Path(__file__).resolve().parents[2] / "src" / "socialcover" / "web" / "locale"


def test_the_marked_texts_are_the_registrys() -> None:
    texts = tuple(dict.fromkeys(t for d in list_indicators() for t in (d.name, d.definition)))
    assert texts == INDICATOR_TEXT


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_indicator_name_and_definition_is_translated(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    missing = [t for t in INDICATOR_TEXT if not (catalogue.get(t) and catalogue.get(t).string)]
    assert missing == []
