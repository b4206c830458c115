"""The costing engine's one door to the data pack: arrays of countries x years (x sex x age).

Everything the engine reads from the pack passes through this module, so that moving between
the raw datasets (``socialcover.data._store.scan``) and the public query API of
``socialcover.data`` is a change in one place. Countries, ILO regions and single-age
populations come from the query API (``countries``, ``country``, ``single_age_population``:
WPP 2024 five-year groups graduated to single ages and interpolated to single years, keeping
group and year totals); macro series, fertility rates and coverage are read from the datasets.

Arrays are NumPy, indexed ``[country, year]`` or ``[country, year, sex, age]`` with sex
``0 = male, 1 = female`` and single ages ``0..100`` (100 = 100 and over); a missing value is NaN.

Births by single age of the mother are WPP's age-specific fertility rates of the five-year
period containing the year x women of each single age (the query API gives births by five-year
group for the medium variant only); for the low and high variants they are scaled by the ratio
of the variant's population aged 0 to the medium variant's.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import polars as pl

import socialcover.data as data_api
from socialcover.costing._errors import CostingDataError
from socialcover.data import _store
from socialcover.data._home import current_pack

AGES = 101
SEXES = ("male", "female")

MACRO_INDICATORS = {
    # our key: name in socialcover.data.macro
    "gdp_lcu": "gdp_lcu",
    "gdp_usd": "gdp_usd",
    "real_growth_pct": "real_gdp_growth_pct",
    "inflation_pct": "inflation_cpi_pct",
    "gov_expenditure_pct_gdp": "gov_expenditure_pct_gdp",
    "ppp_lcu_per_intl_dollar": "ppp_lcu_per_intl_dollar",
}
# The exchange rate is derived here as GDP in LCU / GDP in US$ (what WEO's implied rate is):
# data.macro's own ``exchange_rate_lcu_per_usd`` fails for a country without WEO NGDPD (PRK).


def _pack_key() -> str:
    # the cache is per installed pack: a new SOCIALCOVER_HOME or a new pack means new data
    path = current_pack()
    return f"{path.resolve() if path.exists() else path}"


@lru_cache(maxsize=4)
def _countries(pack: str) -> pl.DataFrame:
    return data_api.countries().select("iso3", "name", "income_group", "ilo_region")


def countries() -> pl.DataFrame:
    """Countries of the pack: iso3, name, income_group (World Bank, as in WPP), ilo_region."""
    return _countries(_pack_key())


def resolve_country(code_or_name: str) -> str:
    """The ISO3 code of a country given by ISO3/ISO2 code or name.

    Raises
    ------
    NotFoundError
        Unknown country, with the closest matches ("Did you mean KEN (Kenya)?").
    """
    return data_api.country(code_or_name).iso3


def group_members(name: str) -> list[str]:
    """ISO3 codes of a group's members (ILO region, income group, SDG or UN region).

    Raises
    ------
    NotFoundError
        No group of that name.
    """
    return data_api.countries(name)["iso3"].to_list()


# --- population --------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _all_population(
    pack: str, years: tuple[int, ...], variant: str
) -> tuple[dict[str, int], np.ndarray]:
    frame = data_api.single_age_population(None, list(years), variant=variant)
    order = frame["iso3"].unique(maintain_order=True).to_list()
    arr = frame["population"].to_numpy().reshape(len(order), len(years), len(SEXES), AGES)
    return {c: i for i, c in enumerate(order)}, arr


@lru_cache(maxsize=8)
def _population(
    pack: str, iso3s: tuple[str, ...], years: tuple[int, ...], variant: str
) -> np.ndarray:
    index, arr = _all_population(pack, years, variant)
    out = np.full((len(iso3s), len(years), len(SEXES), AGES), np.nan)
    rows = [index.get(c, -1) for c in iso3s]
    have = np.array([r >= 0 for r in rows], dtype=bool)
    if have.any():
        out[have] = arr[np.array([r for r in rows if r >= 0], dtype=np.int64)]
    out.setflags(write=False)
    return out


def population(iso3s: Sequence[str], years: Sequence[int], variant: str = "medium") -> np.ndarray:
    """Mid-year population ``[country, year, sex, age]`` (persons; read-only array)."""
    return _population(_pack_key(), tuple(iso3s), tuple(years), variant)


@lru_cache(maxsize=8)
def _births_by_age(
    pack: str, iso3s: tuple[str, ...], years: tuple[int, ...], variant: str
) -> np.ndarray:
    pop = _population(pack, iso3s, years, variant)
    rates = (
        _store.scan("wpp_fertility")
        .filter(pl.col("iso3").is_in(list(iso3s)))
        .select("iso3", "period_start", "mother_age_group", "asfr")
        .collect()
    )
    c_idx = {c: i for i, c in enumerate(iso3s)}
    starts = sorted(set(rates["period_start"].to_list()))
    s_idx = {s: i for i, s in enumerate(starts)}
    grid = np.zeros((len(iso3s), len(starts), 7))
    grid[
        np.array([c_idx[c] for c in rates["iso3"]], dtype=np.int64),
        np.array([s_idx[s] for s in rates["period_start"]], dtype=np.int64),
        (rates["mother_age_group"].str.slice(0, 2).cast(pl.Int64).to_numpy() - 15) // 5,
    ] = rates["asfr"].to_numpy()
    # WPP gives the rates by five-year period: each is taken at its period's middle and
    # interpolated linearly to the middle of each calendar year (a step per period made the
    # births jump every fifth year)
    middles = np.array(starts, dtype=float) + 2.5
    at = np.clip(np.array(years, dtype=float) + 0.5, middles[0], middles[-1])
    lo = np.clip(np.searchsorted(middles, at, side="right") - 1, 0, len(middles) - 1)
    hi = np.minimum(lo + 1, len(middles) - 1)
    w = np.where(hi > lo, (at - middles[lo]) / np.maximum(middles[hi] - middles[lo], 1e-9), 0.0)
    rates_y = grid[:, lo, :] * (1 - w)[None, :, None] + grid[:, hi, :] * w[None, :, None]
    asfr_single = np.zeros((len(iso3s), len(years), AGES))
    asfr_single[..., 15:50] = np.repeat(rates_y, 5, axis=-1)
    births = asfr_single * pop[:, :, 1, :]
    # the total of each year is WPP's own annual births (medium variant; the low and high
    # variants scale it by their population aged 0), the rates only share it by mother's age
    annual = _annual_births(pack, iso3s, years)
    if variant != "medium":
        medium = _population(pack, iso3s, years, "medium")
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(
                medium[:, :, :, 0].sum(-1) > 0,
                pop[:, :, :, 0].sum(-1) / medium[:, :, :, 0].sum(-1),
                1.0,
            )
        annual = annual * ratio
    total = births.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(np.isfinite(annual) & (total > 0), annual / total, 1.0)
    out: np.ndarray = np.asarray(births * scale[:, :, None])
    out.setflags(write=False)
    return out


def _annual_births(pack: str, iso3s: tuple[str, ...], years: tuple[int, ...]) -> np.ndarray:
    """WPP 2024's births per calendar year (medium variant) ``[country, year]``."""
    raw = (
        _store.scan("wpp_indicators")
        .filter(
            pl.col("iso3").is_in(list(iso3s)),
            pl.col("year").is_between(min(years), max(years)),
            pl.col("variant") == "medium",
        )
        .select("iso3", "year", pl.col("births").cast(pl.Float64))
        .collect()
    )
    return _fill(iso3s, years, raw, "births")


def births_by_mother_age(
    iso3s: Sequence[str], years: Sequence[int], variant: str = "medium"
) -> np.ndarray:
    """Births in each year by the mother's single age ``[country, year, age]``."""
    return _births_by_age(_pack_key(), tuple(iso3s), tuple(years), variant)


@lru_cache(maxsize=8)
def _tfr(pack: str, iso3s: tuple[str, ...], years: tuple[int, ...]) -> np.ndarray:
    raw = (
        _store.scan("wpp_indicators")
        .filter(
            pl.col("iso3").is_in(list(iso3s)), pl.col("year").is_between(min(years), max(years))
        )
        .select("iso3", "year", "tfr")
        .collect()
    )
    return _fill(iso3s, years, raw, "tfr")


def total_fertility(iso3s: Sequence[str], years: Sequence[int]) -> np.ndarray:
    """Total fertility rate (children per woman) ``[country, year]`` (WPP 2024, medium)."""
    return _tfr(_pack_key(), tuple(iso3s), tuple(years))


# --- macro -------------------------------------------------------------------------------------


def _fill(iso3s: Sequence[str], years: Sequence[int], frame: pl.DataFrame, col: str) -> np.ndarray:
    c_idx = {c: i for i, c in enumerate(iso3s)}
    y_idx = {y: i for i, y in enumerate(years)}
    out = np.full((len(iso3s), len(years)), np.nan)
    frame = frame.filter(pl.col("year").is_in(list(years)), pl.col(col).is_not_null())
    if frame.height:
        out[
            np.array([c_idx[c] for c in frame["iso3"]], dtype=np.int64),
            np.array([y_idx[y] for y in frame["year"]], dtype=np.int64),
        ] = frame[col].to_numpy()
    return out


@lru_cache(maxsize=8)
def _macro(
    pack: str, iso3s: tuple[str, ...], years: tuple[int, ...]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    frame = data_api.macro(list(iso3s), list(years), list(MACRO_INDICATORS.values()))
    c_idx = {c: i for i, c in enumerate(iso3s)}
    y_idx = {y: i for i, y in enumerate(years)}
    values: dict[str, np.ndarray] = {}
    sources: dict[str, np.ndarray] = {}
    for key, name in MACRO_INDICATORS.items():
        part = frame.filter(pl.col("indicator") == name, pl.col("iso3").is_in(list(iso3s)))
        arr = np.full((len(iso3s), len(years)), np.nan)
        src = np.full((len(iso3s), len(years)), "", dtype=object)
        if part.height:
            ci = np.array([c_idx[c] for c in part["iso3"]], dtype=np.int64)
            yi = np.array([y_idx[y] for y in part["year"]], dtype=np.int64)
            arr[ci, yi] = part["value"].to_numpy()
            src[ci, yi] = np.array(part["source"].to_list(), dtype=object)
        values[key] = arr
        sources[key] = src
    values["exchange_rate_lcu_per_usd"] = values["gdp_lcu"] / values["gdp_usd"]
    sources["exchange_rate_lcu_per_usd"] = np.where(
        np.isfinite(values["exchange_rate_lcu_per_usd"]),
        "GDP in LCU / GDP in US$ (" + sources["gdp_lcu"] + "; " + sources["gdp_usd"] + ")",
        "",
    )
    # a CPI index (first year = 1) chained from CPI inflation
    infl = values["inflation_pct"].copy()
    infl[:, 0] = 0.0
    values["cpi_index"] = np.cumprod(1 + infl / 100, axis=1)
    for arr in values.values():
        arr.setflags(write=False)
    return values, sources


def weo(iso3s: Sequence[str], years: Sequence[int]) -> dict[str, np.ndarray]:
    """Macro series ``[country, year]`` by our names, from :func:`socialcover.data.macro`
    (IMF WEO October 2025 first, World Bank WDI where WEO has no value; LCU and US$ in units),
    plus ``cpi_index`` chained from CPI inflation (1 in the first year)."""
    return _macro(_pack_key(), tuple(iso3s), tuple(years))[0]


def macro_sources(iso3s: Sequence[str], years: Sequence[int]) -> dict[str, np.ndarray]:
    """The source text of each value of :func:`weo` (object arrays ``[country, year]``)."""
    return _macro(_pack_key(), tuple(iso3s), tuple(years))[1]


@lru_cache(maxsize=4)
def _weo_last_year(pack: str) -> int:
    value = _store.scan("imf_weo").select(pl.col("year").max()).collect().item()
    return int(value)


def weo_last_year() -> int:
    """The last year of the WEO series in the pack (projections run to it)."""
    return _weo_last_year(_pack_key())


@lru_cache(maxsize=4)
def _weo_fiscal(pack: str) -> dict[str, str]:
    raw = (
        _store.scan("imf_weo")
        .filter(pl.col("indicator") == "NGDP", pl.col("last_actual_label").str.starts_with("FY"))
        .select("iso3", "last_actual_label", "last_actual_year")
        .unique()
        .collect()
    )
    return {
        r["iso3"]: f"{r['last_actual_label']} = WEO year {r['last_actual_year']}"
        for r in raw.iter_rows(named=True)
    }


def weo_fiscal_years(iso3s: Sequence[str]) -> dict[str, str]:
    """Countries whose WEO GDP is on a fiscal-year basis, with WEO's own label.

    WEO's ``last_actual_label`` says it (``FY2024/25``) beside ``last_actual_year`` (2024):
    the WEO year of such a country is the fiscal year that starts in it.
    """
    fiscal = _weo_fiscal(_pack_key())
    return {iso: fiscal[iso] for iso in iso3s if iso in fiscal}


@lru_cache(maxsize=8)
def _wdi(pack: str, indicator: str, iso3s: tuple[str, ...], years: tuple[int, ...]) -> np.ndarray:
    raw = (
        _store.scan("wb_wdi")
        .filter(
            pl.col("iso3").is_in(list(iso3s)),
            pl.col("indicator") == indicator,
            pl.col("year").is_between(min(years), max(years)),
        )
        .select("iso3", "year", "value")
        .collect()
    )
    return _fill(iso3s, years, raw, "value")


def wdi(indicator: str, iso3s: Sequence[str], years: Sequence[int]) -> np.ndarray:
    """One World Bank WDI series ``[country, year]``."""
    return _wdi(_pack_key(), indicator, tuple(iso3s), tuple(years))


COVERAGE_CONTINGENCY = {
    "children": "children",
    "maternity": "mothers_with_newborns",
    "disability": "persons_with_severe_disabilities",
    "old_age": "older_persons_pension",
    "working_age": "unemployed",
    "other": "at_least_one_benefit",
}


@lru_cache(maxsize=8)
def _coverage(
    pack: str, iso3s: tuple[str, ...], guarantee: str, up_to: int | None
) -> tuple[np.ndarray, np.ndarray]:
    frame = data_api.coverage(list(iso3s), COVERAGE_CONTINGENCY[guarantee], history=True)
    if up_to is not None:
        frame = frame.filter(pl.col("year") <= up_to)
    # the latest year (up to the reference year); both sexes where given (ILOSTAT gives
    # mothers with newborns for women only)
    frame = (
        frame.with_columns(
            pl.col("sex").replace_strict({"both": 0, "female": 1, "male": 2}, default=3).alias("_s")
        )
        .sort(["iso3", "year", "_s"], descending=[False, True, False])
        .group_by("iso3", maintain_order=True)
        .first()
    )
    c_idx = {c: i for i, c in enumerate(iso3s)}
    pct = np.full(len(iso3s), np.nan)
    year = np.full(len(iso3s), np.nan)
    frame = frame.filter(pl.col("iso3").is_in(list(iso3s)))
    idx = np.array([c_idx[c] for c in frame["iso3"]], dtype=np.int64)
    pct[idx] = frame["coverage_pct"].to_numpy()
    year[idx] = frame["year"].to_numpy()
    return pct, year


def coverage_latest(
    iso3s: Sequence[str], guarantee: str, up_to: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Latest effective coverage (SDG 1.3.1: ILOSTAT, else UNSD 2020) for a guarantee:
    (pct, year) per country, both sexes where given (maternity: women).

    ``up_to`` is a reference year: each country's latest value in or before it (countries'
    latest years differ, e.g. 2025 for one and 2021 for another).
    """
    return _coverage(_pack_key(), tuple(iso3s), guarantee, up_to)


@lru_cache(maxsize=8)
def _poverty(pack: str, iso3s: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    frame = data_api.poverty(list(iso3s), "pov_hc_300_pct", latest=True).filter(
        pl.col("iso3").is_in(list(iso3s))
    )
    c_idx = {c: i for i, c in enumerate(iso3s)}
    pct = np.full(len(iso3s), np.nan)
    year = np.full(len(iso3s), np.nan)
    idx = np.array([c_idx[c] for c in frame["iso3"]], dtype=np.int64)
    pct[idx] = frame["value"].to_numpy()
    year[idx] = frame["year"].to_numpy()
    return pct, year


def poverty_headcount(iso3s: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Latest share below $3.00 a day (2021 PPP), % and survey year per country (WB PIP)."""
    return _poverty(_pack_key(), tuple(iso3s))


def require_installed() -> None:
    """Raise :class:`DataNotInstalledError` early when the pack is missing."""
    _store.scan("wpp_locations")


def missing_data_error(iso3: str, reason: str) -> CostingDataError:
    """The error for a single-country scenario whose country lacks a needed series."""
    return CostingDataError(
        f"{iso3} cannot be costed: {reason} in the data pack.",
        code="costing.missing-data",
        hint="Give the value in the scenario's macro: section (e.g. macro: "
        "{exchange_rate_lcu_per_usd: ...}) or the benefit (e.g. targeting: {share_pct: 20}), "
        "or choose another base year.",
        iso3=iso3,
    )
