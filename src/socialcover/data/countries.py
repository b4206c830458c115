"""Countries and groups: ISO3, M49, names, SDG regions, income groups and ILO regions.

Everything comes from the WPP 2024 locations table of the installed pack
(``wpp_locations``, ``wpp_location_groups``), except the five ILO regions used in the ILO's
world reports, which the pack does not carry. They are derived here from the WPP geographic
areas and subregions plus the ILO's list of the Arab States, following the regional groupings
of the ILO *World Social Protection Report 2024-26* (Annex: regional groupings):

- **Africa**: WPP area Africa, North Africa included.
- **Americas**: WPP areas Latin America and the Caribbean, and Northern America.
- **Arab States**: Bahrain, Iraq, Jordan, Kuwait, Lebanon, Oman, Qatar, Saudi Arabia, Syria,
  United Arab Emirates, Yemen, occupied Palestinian territory.
- **Europe and Central Asia**: WPP area Europe, subregion Central Asia, and Armenia, Azerbaijan,
  Georgia, Cyprus, Israel, Türkiye.
- **Asia and the Pacific**: the rest of Asia (Eastern, South-Eastern and Southern Asia, Iran
  included) and Oceania.

Look-up accepts ISO3, ISO2, M49 (as int or digits) and names, case-insensitive and tolerant of
accents and punctuation ("cote d'ivoire", "Turkiye"); unknown input raises
:class:`~socialcover.errors.NotFoundError` with the closest matches.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from socialcover.data._store import scan
from socialcover.data.manifest import installed_manifest
from socialcover.errors import NotFoundError

__all__ = [
    "ARAB_STATES",
    "EUROPE_CENTRAL_ASIA_FROM_WESTERN_ASIA",
    "ILO_REGIONS",
    "Area",
    "Country",
    "check_iso3",
    "countries",
    "country",
    "resolve_areas",
]

ILO_REGIONS: tuple[str, ...] = (
    "Africa",
    "Americas",
    "Arab States",
    "Asia and the Pacific",
    "Europe and Central Asia",
)
ARAB_STATES: frozenset[str] = frozenset(
    {"BHR", "IRQ", "JOR", "KWT", "LBN", "OMN", "QAT", "SAU", "SYR", "ARE", "YEM", "PSE"}
)
EUROPE_CENTRAL_ASIA_FROM_WESTERN_ASIA: frozenset[str] = frozenset(
    {"ARM", "AZE", "GEO", "CYP", "ISR", "TUR"}
)

# Common short names and former names people type, mapped to ISO3.
_ALIASES: dict[str, str] = {
    "turkey": "TUR",
    "ivory coast": "CIV",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "czech republic": "CZE",
    "russia": "RUS",
    "syria": "SYR",
    "iran": "IRN",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "laos": "LAO",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "south korea": "KOR",
    "korea": "KOR",
    "north korea": "PRK",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "occupied palestinian territory": "PSE",
    "drc": "COD",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "congo brazzaville": "COG",
    "uk": "GBR",
    "united kingdom": "GBR",
    "usa": "USA",
    "us": "USA",
    "united states": "USA",
    "cape verde": "CPV",
    "micronesia": "FSM",
    "burma": "MMR",
    "kosovo": "XKX",
    "hong kong": "HKG",
    "macao": "MAC",
    "macau": "MAC",
    "taiwan": "TWN",
    "brunei": "BRN",
    "east timor": "TLS",
    "the gambia": "GMB",
    "the bahamas": "BHS",
    "netherlands": "NLD",
    "holland": "NLD",
}


@dataclass(frozen=True)
class Country:
    """One country or area of the pack, with the groups it belongs to."""

    iso3: str
    m49: int
    iso2: str | None
    name: str
    sdg_region: str | None
    geo_region: str | None
    geo_subregion: str | None
    income_group: str | None
    ilo_region: str | None


@dataclass(frozen=True)
class Area:
    """A resolved place to aggregate over: one country, a WPP aggregate or an ILO region.

    ``m49`` is the WPP location code when WPP publishes the area itself (countries and WPP
    aggregates); ILO regions have none and are the sum of ``members``.
    """

    name: str
    iso3: str | None
    m49: int | None
    members: tuple[str, ...]
    kind: str  # "country", a WPP group type (sdg_region, income_group, ...), or "ilo_region"


def fold(text: str) -> str:
    """Lower case, accents stripped, punctuation to spaces: the key names are matched on."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def _ilo_region(iso3: str, area: str | None, subregion: str | None) -> str | None:
    if iso3 in ARAB_STATES:
        return "Arab States"
    if iso3 in EUROPE_CENTRAL_ASIA_FROM_WESTERN_ASIA or area == "Europe":
        return "Europe and Central Asia"
    if subregion == "Central Asia":
        return "Europe and Central Asia"
    if area == "Africa":
        return "Africa"
    if area in ("Latin America and the Caribbean", "Northern America"):
        return "Americas"
    if area in ("Asia", "Oceania"):
        return "Asia and the Pacific"
    return None


@lru_cache(maxsize=4)
def _tables(_pack_key: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    locs = scan("wpp_locations").collect()
    groups = scan("wpp_location_groups").collect()
    table = (
        locs.filter(pl.col("loc_type") == "country_area")
        .select(
            pl.col("iso3"),
            pl.col("loc_code").alias("m49"),
            pl.col("iso2"),
            pl.col("name"),
            pl.col("sdg_region_name").alias("sdg_region"),
            pl.col("geo_area_name").alias("geo_region"),
            pl.col("geo_subregion_name").alias("geo_subregion"),
            pl.col("wb_income_group").alias("income_group"),
            pl.col("sort_order"),
        )
        .with_columns(
            pl.struct("iso3", "geo_region", "geo_subregion")
            .map_elements(
                lambda r: _ilo_region(r["iso3"], r["geo_region"], r["geo_subregion"]),
                return_dtype=pl.Utf8,
            )
            .alias("ilo_region")
        )
        .sort("iso3")
    )
    aggregates = locs.filter(pl.col("loc_type") != "country_area").select(
        "loc_code", "name", "loc_type"
    )
    membership = groups.join(aggregates, left_on="group_code", right_on="loc_code").select(
        "group_code", "name", "loc_type", "iso3"
    )
    return table, membership


def _pack_key() -> str:
    from socialcover.data._home import current_pack

    path = current_pack() / "wpp_locations.parquet"
    try:
        st = path.stat()
    except OSError:
        return str(path)
    return f"{path.resolve()}:{st.st_mtime_ns}:{st.st_size}"


def _country_table() -> pl.DataFrame:
    return _tables(_pack_key())[0]


def _membership() -> pl.DataFrame:
    return _tables(_pack_key())[1]


def _row_to_country(row: dict[str, object]) -> Country:
    return Country(
        iso3=str(row["iso3"]),
        m49=int(row["m49"]),  # type: ignore[call-overload]
        iso2=None if row["iso2"] is None else str(row["iso2"]),
        name=str(row["name"]),
        sdg_region=_opt(row["sdg_region"]),
        geo_region=_opt(row["geo_region"]),
        geo_subregion=_opt(row["geo_subregion"]),
        income_group=_opt(row["income_group"]),
        ilo_region=_opt(row["ilo_region"]),
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


@lru_cache(maxsize=4)
def _name_index(_pack_key: str) -> dict[str, str]:
    """folded key -> ISO3, over ISO3, ISO2, M49, names and aliases."""
    index: dict[str, str] = {}
    for row in _tables(_pack_key)[0].iter_rows(named=True):
        iso3 = row["iso3"]
        for key in (iso3, row["iso2"], str(row["m49"]), row["name"]):
            if key:
                index.setdefault(fold(str(key)), iso3)
        # "Bolivia (Plurinational State of)" -> also "bolivia plurinational state of" and "bolivia"
        short = re.sub(r"\s*\(.*\)\s*", "", row["name"])
        index.setdefault(fold(short), iso3)
    known = set(index.values())
    for alias, iso3 in _ALIASES.items():
        if iso3 in known:  # the demo pack has no USA: "United States" must not resolve
            index.setdefault(fold(alias), iso3)
    return index


def _suggest(
    query: str,
    candidates: dict[str, str],
    label: dict[str, str],
    *,
    prefix: bool = True,
    cutoff: float = 0.6,
) -> str:
    folded = fold(query)
    hits = difflib.get_close_matches(folded, list(candidates), n=8, cutoff=cutoff)
    if not hits and prefix and len(folded) >= 3:
        hits = [k for k in candidates if k.startswith(folded[:3])][:8]
    seen: list[str] = []
    for hit in hits:
        code = candidates[hit]
        if code not in seen:
            seen.append(code)
    if not seen:
        return ""
    shown = [f"{c} ({label[c]})" if c in label and label[c] != c else c for c in seen[:3]]
    text = f"Did you mean {shown[0]}?"
    if len(shown) > 1:
        text += " Other close matches: " + ", ".join(shown[1:]) + "."
    return text


def country(code_or_name: str | int) -> Country:
    """Look up one country by ISO3, ISO2, M49 code or name.

    Parameters
    ----------
    code_or_name
        ``"KEN"``, ``"ke"``, ``404``, ``"Kenya"``, ``"cote d'ivoire"``...

    Raises
    ------
    NotFoundError
        No such country; the hint names the closest matches ("Did you mean KEN (Kenya)?").

    Examples
    --------
    With the demo country installed (``socialcover data demo``):

    >>> country("demoland").iso3
    'XDM'
    """
    table = _country_table()
    index = _name_index(_pack_key())
    key = fold(str(code_or_name))
    names = dict(zip(table["iso3"].to_list(), table["name"].to_list(), strict=True))
    iso3 = index.get(key)
    if iso3 is None:
        hint = _suggest(str(code_or_name), index, names)
        raise NotFoundError(
            f"No country {code_or_name!r} in the data pack (WPP 2024 locations).",
            code="data.unknown-country",
            hint=(hint + " " if hint else "")
            + "Use an ISO3 code (KEN), an M49 code (404) or an English name; "
            "`socialcover.data.countries()` lists them all.",
            value=str(code_or_name),
        )
    row = table.row(by_predicate=pl.col("iso3") == iso3, named=True)
    return _row_to_country(row)


def check_iso3(code: str) -> str:
    """``code`` if the installed pack has a country with that ISO3 code (for record validation).

    Records that name a country (practices, publications, organisations) link to its page, so
    an unknown code is refused. Without a pack, or with the demo pack (one made-up country),
    there is no list of the world's countries to check against: the code is returned as it
    is, so that a server holding only the knowledge base still takes records.

    Parameters
    ----------
    code
        An upper-case ISO3 code, e.g. ``"KEN"``.

    Raises
    ------
    ValueError
        The pack has no such code; the message names it and the nearest codes.
    """
    pack = installed_manifest()
    if pack is None or pack.origin == "demo":
        return code
    table = _country_table()
    if code in set(table["iso3"].to_list()):
        return code
    names = dict(zip(table["iso3"].to_list(), table["name"].to_list(), strict=True))

    def closeness(c: str) -> tuple[float, bool, bool]:
        return difflib.SequenceMatcher(None, code, c).ratio(), c[:2] == code[:2], c[0] == code[:1]

    near = sorted((c for c in names if closeness(c) >= (0.6,)), key=closeness, reverse=True)[:3]
    near = near or [c for c in names if c[0] == code[:1]][:3]
    guess = " Did you mean " + ", ".join(f"{c} ({names[c]})" for c in near) + "?" if near else ""
    raise ValueError(f"{code!r} is not a country code of the installed data pack.{guess}")


def countries(group: str | None = None) -> pl.DataFrame:
    """All countries, or the members of one group (ILO region, SDG region, income group...).

    Returns
    -------
    polars.DataFrame
        iso3, m49, iso2, name, sdg_region, geo_region, geo_subregion, income_group, ilo_region,
        sorted by ISO3.
    """
    table = _country_table().drop("sort_order")
    if group is None:
        return table
    area = resolve_areas(group)[0]
    return table.filter(pl.col("iso3").is_in(list(area.members)))


def _group_index() -> dict[str, tuple[str, int | None, str]]:
    """folded group name -> (display name, WPP code or None, kind)."""
    out: dict[str, tuple[str, int | None, str]] = {}
    for name in ILO_REGIONS:
        out[fold(name)] = (name, None, "ilo_region")
    out[fold("ILO " + "Americas")] = ("Americas", None, "ilo_region")
    for row in _membership().select("group_code", "name", "loc_type").unique().iter_rows():
        code, name, kind = row
        out.setdefault(fold(name), (name, int(code), kind))
        out.setdefault(str(int(code)), (name, int(code), kind))  # WPP's M49 code: 954
    # Income groups by their short names ("Low income" for "Low-income countries").
    for short, full in (
        ("low income", "Low-income countries"),
        ("lower middle income", "Lower-middle-income countries"),
        ("upper middle income", "Upper-middle-income countries"),
        ("high income", "High-income countries"),
        ("middle income", "Middle-income countries"),
    ):
        if fold(full) in out:
            out.setdefault(short, out[fold(full)])
    return out


def resolve_areas(spec: str | int | Sequence[str | int] | None) -> list[Area]:
    """Turn a country, a group name, or a list of them into areas to query.

    ``None`` means every country. A group name matches an ILO region first (``"Africa"``,
    ``"Arab States"``), then a WPP aggregate (SDG region, income group, geographic area,
    ``"World"``).
    """
    table = _country_table()
    if spec is None:
        return [
            Area(name=r["name"], iso3=r["iso3"], m49=r["m49"], members=(r["iso3"],), kind="country")
            for r in table.iter_rows(named=True)
        ]
    if not isinstance(spec, (str, int)):
        out: list[Area] = []
        for item in spec:
            out.extend(resolve_areas(item))
        return out
    groups = _group_index()
    key = fold(str(spec))
    if key in groups and fold(str(spec)) not in _name_index(_pack_key()):
        name, code, kind = groups[key]
        if kind == "ilo_region":
            members = tuple(table.filter(pl.col("ilo_region") == name)["iso3"].to_list())
        else:
            members = tuple(
                _membership().filter(pl.col("group_code") == code)["iso3"].drop_nulls().to_list()
            )
        return [Area(name=name, iso3=None, m49=code, members=members, kind=kind)]
    try:
        c = country(spec)
    except NotFoundError as exc:
        labels = {g[0]: g[0] for g in groups.values()}
        group_hint = _suggest(
            str(spec), {k: v[0] for k, v in groups.items()}, labels, prefix=False, cutoff=0.75
        )
        if group_hint:
            group_hint = group_hint.split("?")[0].replace("Did you mean", "Did you mean the group")
            if "Did you mean" in exc.hint:
                exc.hint = exc.hint + " Or, for a group: " + group_hint.split("group ")[1] + "."
            else:
                exc.hint = group_hint + "? " + exc.hint
        raise
    return [Area(name=c.name, iso3=c.iso3, m49=c.m49, members=(c.iso3,), kind="country")]
