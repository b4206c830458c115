"""Names of places in the reader's language: countries, ILO regions, income groups; number formats.

- Countries: the CLDR territory names that come with Babel (``Locale('fr').territories``,
  keyed by ISO 3166-1 alpha-2), reached from ISO3 codes through the data pack's ``iso2``
  column; the pack's English name when CLDR has none (or for English pages, so that the pack
  stays the one source of English names).
- ILO regions, income groups and the ``World`` groups: msgids translated by the catalogues.
- Charts: the d3-format locale of the page (decimal mark, thousands separator, currency), from
  CLDR, which ``static/app.js`` hands to vega-embed so that axes and tooltips read as the text.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

from babel import Locale

from socialcover.web.labels import N_

# The ILO's five regions (World Social Protection Report) and the World Bank's income groups,
# as the data pack spells them.
GROUP_NAMES: dict[str, str] = {
    "World": N_("World"),
    "Africa": N_("Africa"),
    "Americas": N_("Americas"),
    "Arab States": N_("Arab States"),
    "Asia and the Pacific": N_("Asia and the Pacific"),
    "Europe and Central Asia": N_("Europe and Central Asia"),
    "Low income": N_("Low income"),
    "Lower-middle income": N_("Lower-middle income"),
    "Upper-middle income": N_("Upper-middle income"),
    "High income": N_("High income"),
    "No income group available": N_("No income group available"),
}


def group_name(name: str | None, gettext: Callable[[str], str]) -> str:
    """An ILO region, income group or ``World`` group (``World: Low income``) translated.

    Examples
    --------
    >>> group_name("World: Low income", lambda s: s.upper())
    'WORLD: LOW INCOME'
    >>> group_name("Somewhere else", lambda s: s.upper())
    'Somewhere else'
    """
    if not name:
        return ""
    if name.startswith("World: "):
        return f"{gettext('World')}: {group_name(name[len('World: ') :], gettext)}"
    msgid = GROUP_NAMES.get(name)
    return gettext(msgid) if msgid else name


def country_name(iso3: str | None, english: str | None, lang: str) -> str:
    """The name of a country in ``lang`` (CLDR), else its English name (given, or the pack's).

    Examples
    --------
    A code the installed pack does not know keeps the name given:

    >>> country_name("XXX", "Nowhere", "fr")
    'Nowhere'
    """
    if not iso3:
        return english or ""
    alpha2, pack_name = _places().get(iso3, (None, None))
    fallback = english or pack_name or iso3
    if lang == "en" or alpha2 is None:
        return fallback
    name = _territories(lang).get(alpha2)
    return str(name) if name else fallback


@cache
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


def _places() -> dict[str, tuple[str | None, str]]:
    from socialcover.data._home import current_pack

    try:  # the installed pack's identity (as web.facts.pack_key): a new pack, a new table
        key = os.readlink(current_pack())
    except OSError:
        key = ""
    return _places_of_pack(key)


@lru_cache(maxsize=4)
def _places_of_pack(_key: str) -> dict[str, tuple[str | None, str]]:
    """ISO3 -> (ISO 3166 alpha-2, English name) from the data pack."""
    from socialcover import data
    from socialcover.errors import DataNotInstalledError

    try:
        frame = data.countries()
    except DataNotInstalledError:
        return {}
    return {
        r["iso3"]: (r["iso2"] if r["iso2"] and len(r["iso2"]) == 2 else None, r["name"])
        for r in frame.select("iso3", "iso2", "name").to_dicts()
    }


@cache
def number_locale(lang: str) -> str:
    """The d3-format locale of ``lang`` as JSON (for vega-embed's ``formatLocale``).

    Examples
    --------
    >>> json.loads(number_locale("fr"))["decimal"], json.loads(number_locale("en"))["thousands"]
    (',', ',')
    """
    symbols = Locale.parse(lang).number_symbols.get("latn", {})
    currency = "$"
    return json.dumps(
        {
            "decimal": symbols.get("decimal", "."),
            "thousands": symbols.get("group", ","),
            "grouping": [3],
            "currency": [currency, ""] if lang == "en" else ["", "\u00a0" + currency],
            "minus": symbols.get("minusSign", "-"),
            "percent": symbols.get("percentSign", "%"),
        },
        ensure_ascii=False,
    )


def sort_key(name: str) -> str:
    """Sort names as readers expect (accents and case ignored: "Égypte" among the E).

    Examples
    --------
    >>> sorted(["Zambie", "Égypte", "Allemagne"], key=sort_key)
    ['Allemagne', 'Égypte', 'Zambie']
    """
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
