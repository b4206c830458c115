"""English, French and Spanish: every message translated, catalogues compiled, a language switch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi.testclient import TestClient

import socialcover.web
from socialcover.web.i18n import choose_language

WEB = Path(socialcover.web.__file__).parent
LOCALE = WEB / "locale"


def _ids(path: Path) -> set[object]:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id}


def test_template_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    out = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(WEB / "babel.cfg"),
            "-k",
            "_",
            "-k",
            "gt",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "-o",
            str(out),
            str(WEB),
        ],
        check=True,
        capture_output=True,
    )
    assert _ids(out) == _ids(LOCALE / "messages.pot"), "run the extraction in docs/web.md"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_msgid_is_translated_and_compiled(lang: str) -> None:
    po_path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as f:
        catalog = read_po(f)
    assert _ids(po_path) == _ids(LOCALE / "messages.pot")
    compiled = Translations.load(str(LOCALE), [lang], domain="messages")
    for m in catalog:
        if not m.id:
            continue
        if isinstance(m.id, str):
            assert m.string, f"{lang}: {m.id!r} is not translated"
            assert compiled.gettext(m.id) == m.string, f"{lang}: .mo out of date for {m.id!r}"
            assert m.id.count("%(") == m.string.count("%("), f"{lang}: placeholders of {m.id!r}"
        else:
            assert all(m.string), f"{lang}: plural {m.id!r} not translated"
            assert compiled.ngettext(m.id[0], m.id[1], 2) in m.string


def test_language_choice_order() -> None:
    assert choose_language("fr", "es", "en") == "fr"
    assert choose_language(None, "es", "fr") == "es"
    assert choose_language(None, None, "de-DE,es;q=0.8,fr;q=0.5") == "es"
    assert choose_language("xx", None, None) == "en"


def test_language_switch_by_query_then_cookie(client: TestClient) -> None:
    fr = client.get("/login?lang=fr")
    assert '<html lang="fr">' in fr.text and "Se connecter" in fr.text
    assert "sc_lang=fr" in fr.headers["set-cookie"]
    again = client.get("/login")  # the cookie keeps French
    assert "Mot de passe" in again.text
    es = TestClient(client.app).get("/login", headers={"Accept-Language": "es"})
    assert "Contraseña" in es.text
