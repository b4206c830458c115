"""The report's languages: English, French and Spanish, with numbers written as each reads them.

The report has its own gettext catalogue (domain ``report``, in ``report/locale``), apart from
the web app's, so that its long texts (key messages, methodology) are kept and translated on
their own. Numbers, percentages, people and money are formatted by Babel with the CLDR
conventions of each language: ``52.4`` / ``52,4``, ``1,234,567`` / ``1 234 567``.

Regenerate the catalogue after changing a message (see docs/report.md, "Translations")::

    pybabel extract -F src/socialcover/report/babel.cfg -k _ -k N_ --no-location \\
        --sort-output -o src/socialcover/report/locale/report.pot src/socialcover/report
    pybabel update -D report -i src/socialcover/report/locale/report.pot \\
        -d src/socialcover/report/locale
    pybabel compile -D report -d src/socialcover/report/locale
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale, numbers
from babel.support import NullTranslations, Translations

from socialcover.errors import InputError

__all__ = ["LANGUAGES", "LOCALE_DIR", "N_", "Formats", "check_language", "translations"]

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
"""The report's languages: code -> name in that language."""

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "report"

# The locale each language's chart numbers are drawn in (Vega's d3-format locales).
CHART_LOCALES: dict[str, Literal["en-US", "fr-FR", "es-ES"]] = {
    "en": "en-US",
    "fr": "fr-FR",
    "es": "es-ES",
}


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here."""
    return message


def check_language(lang: str) -> str:
    """``lang`` when the report is written in it; else a coded error listing the languages.

    Examples
    --------
    >>> check_language("fr")
    'fr'
    """
    if lang not in LANGUAGES:
        raise InputError(
            f"The report is not written in {lang!r}.",
            code="report.bad-language",
            hint="Use --lang en, fr or es.",
            value=lang,
        )
    return lang


@cache
def translations(lang: str) -> NullTranslations:
    """The report's compiled catalogue of ``lang`` (English uses the messages themselves)."""
    if check_language(lang) == "en":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [lang], domain=DOMAIN)


@dataclass(frozen=True)
class Formats:
    """Numbers as a reader of ``lang`` writes them (Babel, CLDR).

    Examples
    --------
    >>> Formats("fr").number(1234567.891, 1).replace("\\u202f", " ")
    '1 234 567,9'
    >>> Formats("en").percent(52.44)
    '52.4%'
    >>> Formats("fr").percent(52.44) == "52,4\xa0%"
    True
    >>> Formats("es").people(3_812_000_000)
    '3,81 mil millones'
    """

    lang: str

    @property
    def locale(self) -> Locale:
        return Locale.parse(check_language(self.lang))

    def number(self, value: float | None, digits: int = 1) -> str:
        """``value`` with ``digits`` decimals and the language's separators; a dash if missing."""
        if value is None or value != value:
            return "–"
        return _apply(self.locale.decimal_formats[None].pattern, float(value), digits, self)

    def percent(self, value: float | None, digits: int = 1) -> str:
        """A value in per cent (``52.4`` -> ``52.4%``, ``52,4 %``); a dash if missing."""
        if value is None or value != value:
            return "–"
        return _apply(self.locale.percent_formats[None].pattern, float(value) / 100, digits, self)

    def people(self, value: float | None) -> str:
        """A count of people in millions or billions, in words (``3.81 billion``)."""
        if value is None or value != value:
            return "–"
        return numbers.format_compact_decimal(
            float(value), format_type="long", fraction_digits=2, locale=self.locale
        )

    def money(self, value_usd: float | None) -> str:
        """US dollars in billions or millions (``US$ 398.9 billion``)."""
        if value_usd is None or value_usd != value_usd:
            return "–"
        amount = numbers.format_compact_decimal(
            float(value_usd), format_type="long", fraction_digits=1, locale=self.locale
        )
        return f"US$ {amount}"


def _apply(pattern_text: str, value: float, digits: int, formats: Formats) -> str:
    pattern = numbers.parse_pattern(pattern_text)
    pattern.frac_prec = (digits, digits)
    return str(pattern.apply(value, formats.locale))
