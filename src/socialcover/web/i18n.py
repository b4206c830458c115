"""Languages of the web app: English, French and Spanish through Babel gettext catalogues.

The language of a request is, in order: ``?lang=`` (which also sets the ``sc_lang`` cookie),
the ``sc_lang`` cookie, the browser's ``Accept-Language``, English. Catalogues live in
``web/locale/<lang>/LC_MESSAGES/messages.po`` (compiled ``.mo`` beside them); regenerate with
``pybabel extract -F babel.cfg`` then ``pybabel update`` and ``pybabel compile`` (see docs/web.md).
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, numbers
from babel.support import NullTranslations, Translations

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "sc_lang"
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of ``lang`` (English uses the msgids themselves)."""
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [lang], domain="messages")


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """Pick the language of a request from ``?lang=``, the cookie, then Accept-Language."""
    for candidate in (query, cookie):
        if candidate and candidate.lower()[:2] in LANGUAGES:
            return candidate.lower()[:2]
    if accept:
        ranked: list[tuple[float, str]] = []
        for part in accept.split(","):
            piece = part.strip().split(";")
            tag = piece[0].strip().lower()[:2]
            q = 1.0
            for p in piece[1:]:
                if p.strip().startswith("q="):
                    try:
                        q = float(p.strip()[2:])
                    except ValueError:
                        q = 0.0
            if tag in LANGUAGES:
                ranked.append((q, tag))
        if ranked:
            return max(ranked, key=lambda t: t[0])[1]
    return DEFAULT_LANGUAGE


def format_number(value: float | int | None, lang: str, digits: int = 1) -> str:
    """A number in the reader's conventions (``1,234.5`` / ``1 234,5``); a dash when missing."""
    if value is None:
        return "–"
    locale, pattern = _number_format(lang, digits)
    return str(pattern.apply(value, locale))


@lru_cache(maxsize=64)
def _number_format(lang: str, digits: int) -> tuple[Locale, numbers.NumberPattern]:
    # Parsing the locale and the pattern on every call was half the cost of a country page.
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return Locale.parse(lang), numbers.parse_pattern(fmt)
