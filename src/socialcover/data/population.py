"""Population by country or group, calendar year, sex and age (UN WPP 2024).

WPP 2024 in the pack gives population by sex and 5-year age group (0-4 ... 95-99, 100+) at
1 July of every 5th year (1990-2020 estimates, 2025-2100 projections in the medium, low and high
variants), and the total population at 1 July of every year (``wpp_population_total``). This
module fills in the rest:

1. **Calendar years.** Each sex-age group is interpolated linearly between the 5-year points;
   then each year's groups are scaled by one factor so the year's total equals WPP's annual
   1 July total (``pop_jul1``), with the small gap between WPP's annual totals and its group sums
   at the 5-year points carried through linearly
   (:func:`~socialcover.data.interpolation.annual_groups`).
   From 2025, where WPP also gives annual totals by sex (``pop_male_jul1``,
   ``pop_female_jul1``), each sex is constrained to its own total the same way. At the 5-year
   points the published values are returned exactly. Where the pack has no annual total (a
   location without one) the groups are left unconstrained.
2. **Low and high variants.** The pack has annual totals for the medium variant only. A low or
   high year is the medium year plus the variant's difference from the medium at the 5-year
   points, interpolated linearly from zero in 2023 (the last estimate year, where the variants
   coincide) to 2025 and between later points. So the 5-year points equal WPP's low and high
   values exactly.
3. **Single ages.** Each year's 5-year groups are split with Sprague's osculatory multipliers,
   made non-negative (:func:`~socialcover.data.interpolation.graduate`). Single ages sum to
   their group; the open group 100+ is age 100.

All of it is vectorised over locations, years and sexes (one NumPy pass for the world).
Method sources: Siegel & Swanson (2004), *The Methods and Materials of Demography*, ch. 7 and
appendix C (Sprague multipliers; interpolation between censuses); UN Population Division,
WPP 2024 methodology (1 July reference date).

Every result carries a ``source`` column naming the dataset and vintage, because Polars frames
keep no attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl
from numpy.typing import NDArray

from socialcover.data._home import current_pack
from socialcover.data._sources import source_text
from socialcover.data._store import scan
from socialcover.data.countries import Area, resolve_areas
from socialcover.data.interpolation import annual_groups, bracket, graduate
from socialcover.errors import InputError

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "VARIANTS",
    "groups_by_area",
    "parse_age_band",
    "population",
    "single_age_population",
]

FIRST_YEAR = 1990
LAST_YEAR = 2100
VARIANTS = ("medium", "low", "high")
SEXES = ("male", "female")
KNOTS = np.arange(FIRST_YEAR, LAST_YEAR + 1, 5, dtype=np.int64)
N_GROUPS = 21  # 0-4 ... 95-99, 100+
MAX_AGE = 100
LAST_ESTIMATE_YEAR = 2023


def source_label(variant: str) -> str:
    """The ``source`` text for population rows of a variant."""
    label = f"UN WPP 2024 (estimates to {LAST_ESTIMATE_YEAR}, {variant} variant after)"
    return source_text("wpp_population_age5", label)


@dataclass(frozen=True)
class _Knots:
    loc_codes: NDArray[np.int64]  # (L,) sorted
    iso3: list[str | None]
    medium: NDArray[np.float64]  # (L, K, S, G)
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    totals: NDArray[np.float64]  # (L, LAST_YEAR - FIRST_YEAR + 1) pop_jul1, NaN where absent
    sex_totals: NDArray[np.float64]  # (L, LAST_YEAR - FIRST_YEAR + 1, S) by sex (2025+ only)


def _pack_key() -> str:
    path = current_pack() / "wpp_population_age5.parquet"
    try:
        st = path.stat()
    except OSError:
        return str(path)
    return f"{path.resolve()}:{st.st_mtime_ns}:{st.st_size}"


@lru_cache(maxsize=2)
def _knots(_key: str) -> _Knots:
    age5 = (
        scan("wpp_population_age5")
        .select(
            "loc_code",
            "iso3",
            "year",
            "sex",
            "age_start",
            "population",
            "population_low",
            "population_high",
        )
        .collect()
    )
    loc_codes = np.unique(age5["loc_code"].to_numpy())
    iso_by_code = dict(age5.select("loc_code", "iso3").unique("loc_code").iter_rows())
    li = np.searchsorted(loc_codes, age5["loc_code"].to_numpy())
    ki = (age5["year"].to_numpy() - FIRST_YEAR) // 5
    si = (age5["sex"] == "female").cast(pl.Int64).to_numpy()
    gi = age5["age_start"].to_numpy() // 5
    shape = (len(loc_codes), len(KNOTS), len(SEXES), N_GROUPS)
    arrays = []
    pop = age5["population"].cast(pl.Float64).to_numpy()
    for column in ("population", "population_low", "population_high"):
        values = age5[column].cast(pl.Float64).fill_null(np.nan).to_numpy()
        values = np.where(np.isnan(values), pop, values)  # estimates: same in all variants
        arr = np.full(shape, np.nan)
        arr[li, ki, si, gi] = values
        arrays.append(arr)
    totals_df = (
        scan("wpp_population_total")
        .filter(pl.col("year").is_between(FIRST_YEAR, LAST_YEAR))
        .select("loc_code", "year", "pop_jul1", "pop_male_jul1", "pop_female_jul1")
        .collect()
    )
    n_all = LAST_YEAR - FIRST_YEAR + 1
    totals = np.full((len(loc_codes), n_all), np.nan)
    sex_totals = np.full((len(loc_codes), n_all, len(SEXES)), np.nan)
    codes = totals_df["loc_code"].to_numpy()
    pos = np.searchsorted(loc_codes, codes)
    pos = np.clip(pos, 0, len(loc_codes) - 1)
    known = loc_codes[pos] == codes
    rows, cols = pos[known], totals_df["year"].to_numpy()[known] - FIRST_YEAR

    def values_of(column: str) -> NDArray[np.float64]:
        out: NDArray[np.float64] = (
            totals_df[column].cast(pl.Float64).fill_null(np.nan).to_numpy()[known]
        )
        return out

    totals[rows, cols] = values_of("pop_jul1")
    sex_totals[rows, cols, 0] = values_of("pop_male_jul1")
    sex_totals[rows, cols, 1] = values_of("pop_female_jul1")
    return _Knots(
        loc_codes=loc_codes,
        iso3=[iso_by_code.get(int(c)) for c in loc_codes],
        medium=arrays[0],
        low=arrays[1],
        high=arrays[2],
        totals=totals,
        sex_totals=sex_totals,
    )


def _check_variant(variant: str) -> str:
    if variant not in VARIANTS:
        raise InputError(
            f"Unknown projection variant {variant!r}.",
            code="data.unknown-variant",
            hint=f"Use one of {', '.join(VARIANTS)} (WPP 2024 medium, low and high fertility).",
            value=variant,
        )
    return variant


def _years(years: int | Iterable[int]) -> NDArray[np.int64]:
    arr = np.array([years] if isinstance(years, (int, np.integer)) else list(years), dtype=np.int64)
    if arr.size == 0:
        raise InputError(
            "No year was given.", code="data.no-years", hint="Pass a year, a range or a list."
        )
    bad = arr[(arr < FIRST_YEAR) | (arr > LAST_YEAR)]
    if bad.size:
        raise InputError(
            f"Year {int(bad[0])} is outside the population data ({FIRST_YEAR}-{LAST_YEAR}).",
            code="data.year-out-of-range",
            hint=f"WPP 2024 population by age in the pack covers {FIRST_YEAR}-{LAST_YEAR}; "
            "annual totals from 1950 are in `scan('wpp_population_total')`.",
            value=int(bad[0]),
        )
    return arr


def _annual(
    loc_index: NDArray[np.int64], years: NDArray[np.int64], variant: str
) -> NDArray[np.float64]:
    """Annual 5-year groups ``(L, Y, S, G)`` for the given location indices."""
    kn = _knots(_pack_key())
    medium = kn.medium[loc_index]
    totals = kn.totals[loc_index]
    knot_totals = totals[:, KNOTS - FIRST_YEAR]
    year_totals = totals[:, years - FIRST_YEAR]
    out = annual_groups(KNOTS, medium, years, np.concatenate([year_totals, knot_totals], axis=1))
    # Where WPP gives totals by sex for the year and both surrounding points (2025 onwards),
    # constrain each sex to its own annual total instead.
    sex_totals = kn.sex_totals[loc_index]
    k, k_next, w = bracket(KNOTS, years)
    for s in range(len(SEXES)):
        by_year = sex_totals[:, years - FIRST_YEAR, s]
        at_knots = sex_totals[:, KNOTS - FIRST_YEAR, s]
        usable = (
            np.isfinite(by_year) & np.isfinite(at_knots[:, k]) & np.isfinite(at_knots[:, k_next])
        ) & (w > 0)
        if usable.any():
            own = annual_groups(
                KNOTS, medium[:, :, s], years, np.concatenate([by_year, at_knots], axis=1)
            )
            out[:, :, s] = np.where(usable[..., None], own, out[:, :, s])
    if variant == "medium":
        return out
    other = (kn.low if variant == "low" else kn.high)[loc_index]
    proj = KNOTS >= 2025
    diff_years = np.concatenate([[LAST_ESTIMATE_YEAR], KNOTS[proj]])
    diff = other[:, proj] - medium[:, proj]
    diff = np.concatenate([np.zeros_like(diff[:, :1]), diff], axis=1)
    late = years > LAST_ESTIMATE_YEAR
    if late.any():
        out[:, late] += annual_groups(diff_years, diff, years[late])
    return np.clip(out, 0.0, None)


def _loc_indices(codes: Sequence[int]) -> NDArray[np.int64]:
    kn = _knots(_pack_key())
    arr = np.asarray(codes, dtype=np.int64)
    idx = np.searchsorted(kn.loc_codes, arr)
    idx = np.clip(idx, 0, len(kn.loc_codes) - 1)
    missing = arr[kn.loc_codes[idx] != arr]
    if missing.size:
        raise InputError(
            f"WPP has no population by age for location {int(missing[0])}.",
            code="data.no-population",
            hint="The Holy See (336) is listed by WPP without data; choose another location.",
            value=int(missing[0]),
        )
    return idx


def single_age_population(
    iso3s: str | Sequence[str] | None,
    years: int | Iterable[int],
    *,
    variant: str = "medium",
) -> pl.DataFrame:
    """Population by single year of age (0-100, 100 = 100+), sex and calendar year.

    Parameters
    ----------
    iso3s
        One ISO3 code (or name), a list of them, or ``None`` for every country with data. A group
        name (``"Arab States"``) stands for its member countries: rows stay per country (use
        :func:`population` with ``single_ages=True`` for a group's own series).
    years
        A year, a range or a list, within 1990-2100.
    variant
        ``"medium"``, ``"low"`` or ``"high"`` (WPP 2024; years to 2023 are estimates).

    Returns
    -------
    polars.DataFrame
        iso3, year, sex ("male"/"female"), age (0-100), population (persons, float), source.
        Rows come in a fixed order: country (as asked; M49 order for ``None``), year (as
        given), sex (male, then female), age 0-100; so the population column reshapes to
        ``(n_countries, n_years, 2, 101)`` (the costing engine relies on it).

    Examples
    --------
    With the demo country installed (``socialcover data demo``):

    >>> df = single_age_population("XDM", 2030)
    >>> df.shape
    (202, 6)
    >>> round(df.filter(pl.col("age") < 15)["population"].sum())
    10179343
    """
    _check_variant(variant)
    yrs = _years(years)
    kn = _knots(_pack_key())
    if iso3s is None:
        idx = np.array([i for i, code in enumerate(kn.iso3) if code is not None], dtype=np.int64)
    else:
        codes = [iso3s] if isinstance(iso3s, str) else list(iso3s)
        by_iso = {code: int(kn.loc_codes[i]) for i, code in enumerate(kn.iso3) if code}
        wanted: list[int] = []
        for area in resolve_areas(codes):
            members = [area.m49] if area.iso3 is not None else [by_iso.get(m) for m in area.members]
            wanted.extend(m for m in members if m is not None and m not in wanted)
        idx = _loc_indices(wanted)
    groups = _annual(idx, yrs, variant)
    single = graduate(groups)  # (L, Y, S, 101)
    n_l, n_y, n_s, n_a = single.shape
    # Strings are built by gathering from tiny Series: no per-row Python objects.
    iso = pl.Series([kn.iso3[i] for i in idx], dtype=pl.Utf8)
    sex = pl.Series(SEXES, dtype=pl.Utf8)
    return pl.DataFrame(
        {
            "iso3": iso.gather(np.repeat(np.arange(n_l), n_y * n_s * n_a)),
            "year": np.tile(np.repeat(yrs, n_s * n_a), n_l),
            "sex": sex.gather(np.tile(np.repeat(np.arange(n_s), n_a), n_l * n_y)),
            "age": np.tile(np.arange(n_a, dtype=np.int64), n_l * n_y * n_s),
            "population": single.reshape(-1),
        },
        schema={
            "iso3": pl.Utf8,
            "year": pl.Int64,
            "sex": pl.Utf8,
            "age": pl.Int64,
            "population": pl.Float64,
        },
    ).with_columns(pl.lit(source_label(variant)).alias("source"))


AgeBand = tuple[int, int | None]


def parse_age_band(band: str | Sequence[int | None]) -> AgeBand:
    """``"0-14"``, ``"65+"``, ``(15, 64)`` or ``(65, None)`` -> ``(age_from, age_to or None)``."""
    if isinstance(band, str):
        text = band.strip()
        m = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+)|\+)", text)
        if not m:
            raise InputError(
                f"Age band {band!r} is not understood.",
                code="data.bad-age-band",
                hint='Write it as "0-14" (both ends included) or "65+".',
                value=band,
            )
        lo, hi = int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
    else:
        items = list(band)
        if len(items) != 2 or items[0] is None:
            raise InputError(
                f"Age band {band!r} is not understood.",
                code="data.bad-age-band",
                hint="Pass a pair (age_from, age_to), age_to None for an open band: (65, None).",
                value=str(band),
            )
        lo, hi = int(items[0]), (None if items[1] is None else int(items[1]))
    if hi is not None and hi >= MAX_AGE:
        hi = None if hi > MAX_AGE else hi
    if lo < 0 or lo > MAX_AGE or (hi is not None and hi < lo):
        raise InputError(
            f"Age band {band!r} is outside 0-100 or reversed.",
            code="data.bad-age-band",
            hint='Ages run from 0 to 100 (100 = 100 and over): e.g. "15-64" or "65+".',
            value=str(band),
        )
    if hi == MAX_AGE:
        hi = None
    return lo, hi


def _sexes(sex: str | Sequence[str] | None) -> list[str]:
    if sex is None:
        return ["both"]
    wanted = [sex] if isinstance(sex, str) else list(sex)
    if wanted == ["all"]:
        wanted = ["male", "female", "both"]
    for s in wanted:
        if s not in ("male", "female", "both"):
            raise InputError(
                f"Unknown sex {s!r}.",
                code="data.bad-sex",
                hint='Use "male", "female", "both", a list of them, or "all".',
                value=str(s),
            )
    return wanted


def population(
    country: str | int | Sequence[str] | None,
    year: int | Iterable[int],
    *,
    sex: str | Sequence[str] | None = None,
    age_band: str | Sequence[int | None] | Sequence[str | Sequence[int | None]] | None = None,
    single_ages: bool = False,
    variant: str = "medium",
) -> pl.DataFrame:
    """Population of a country, a list of countries, or a group, by year, sex and age.

    Parameters
    ----------
    country
        ISO3/M49/name, a list of them, a group name (``"Arab States"``, ``"Low income"``,
        ``"World"``), or ``None`` for every country.
    year
        A year, a range or a list (1990-2100).
    sex
        ``None`` or ``"both"`` (both sexes together), ``"male"``, ``"female"``, a list of these,
        or ``"all"`` (male, female and both).
    age_band
        ``None``: WPP's 5-year groups (or single ages with ``single_ages=True``). A band such as
        ``"0-14"``, ``"65+"``, ``(15, 64)``, or a list of bands: one row per band.
    single_ages
        Single years of age (0-100) instead of 5-year groups, restricted to ``age_band`` if given.
    variant
        ``"medium"``, ``"low"`` or ``"high"``.

    Returns
    -------
    polars.DataFrame
        iso3 (null for a group), area, year, sex, age_from, age_to (inclusive; null for an open
        band), population (persons), source. Use ``.to_pandas()`` for pandas.
    """
    _check_variant(variant)
    yrs = _years(year)
    sexes = _sexes(sex)
    areas = resolve_areas(country)
    bands: list[AgeBand] | None = None
    if age_band is not None:
        if isinstance(age_band, str) or (
            isinstance(age_band, (tuple, list))
            and len(age_band) == 2
            and all(isinstance(x, int) or x is None for x in age_band)
        ):
            bands = [parse_age_band(age_band)]  # type: ignore[arg-type]
        else:
            bands = [parse_age_band(b) for b in age_band]  # type: ignore[arg-type, union-attr]
    return _frame(
        areas, groups_by_area(areas, yrs, variant), yrs, sexes, bands, single_ages, variant
    )


def groups_by_area(
    areas: Sequence[Area], years: NDArray[np.int64], variant: str
) -> NDArray[np.float64]:
    """Annual 5-year groups ``(A, Y, S, G)`` of areas: WPP's own series, or the members' sum.

    One interpolation pass for the union of locations, then a membership-matrix product.
    """
    kn = _knots(_pack_key())
    position = {int(c): i for i, c in enumerate(kn.loc_codes)}
    by_iso = {code: i for i, code in enumerate(kn.iso3) if code is not None}
    rows: list[list[int]] = []
    for area in areas:
        if area.m49 is not None and area.m49 in position:
            rows.append([position[area.m49]])
        else:
            rows.append([by_iso[c] for c in area.members if c in by_iso])
    used = np.array(sorted({i for r in rows for i in r}), dtype=np.int64)
    if used.size == 0:
        return np.zeros((len(areas), len(years), len(SEXES), N_GROUPS))
    at = {int(loc): j for j, loc in enumerate(used)}
    weights = np.zeros((len(areas), len(used)))
    for a, r in enumerate(rows):
        weights[a, [at[i] for i in r]] = 1.0
    annual = _annual(used, years, variant)  # (U, Y, S, G)
    if all(len(r) == 1 for r in rows):
        picked: NDArray[np.float64] = annual[[at[r[0]] for r in rows]]
        return picked
    summed: NDArray[np.float64] = np.einsum("au,uysg->aysg", weights, annual)
    return summed


def _frame(
    areas: Sequence[Area],
    groups: NDArray[np.float64],
    years: NDArray[np.int64],
    sexes: list[str],
    bands: list[AgeBand] | None,
    single_ages: bool,
    variant: str,
) -> pl.DataFrame:
    """One tidy frame for all areas from their annual groups ``(A, Y, 2, G)``, without loops
    over areas."""
    by_sex = {"male": groups[:, :, 0], "female": groups[:, :, 1], "both": groups.sum(axis=2)}
    wanted = sorted(set(sexes))  # both, female, male
    if single_ages:
        spans = bands or [(0, None)]
        ages = [
            a
            for a in range(MAX_AGE + 1)
            if any(a >= lo and (hi is None or a <= hi) for lo, hi in spans)
        ]
        cols = {s: graduate(by_sex[s])[..., ages] for s in wanted}
        rows_from = ages
        rows_to: list[int | None] = [a if a < MAX_AGE else None for a in ages]
    elif bands is None:
        cols = {s: by_sex[s] for s in wanted}
        rows_from = list(range(0, MAX_AGE + 1, 5))
        rows_to = [a + 4 if a < MAX_AGE else None for a in rows_from]
    else:
        needs_single = any(lo % 5 or (hi is not None and (hi + 1) % 5) for lo, hi in bands)
        cols = {}
        for s in wanted:
            v = by_sex[s]
            fine = graduate(v) if needs_single else None
            out = np.empty((*v.shape[:2], len(bands)))
            for j, (lo, hi) in enumerate(bands):
                if fine is None:
                    out[..., j] = v[..., lo // 5 : (N_GROUPS if hi is None else (hi + 1) // 5)].sum(
                        -1
                    )
                else:
                    out[..., j] = fine[..., lo : (MAX_AGE + 1 if hi is None else hi + 1)].sum(-1)
            cols[s] = out
        rows_from = [b[0] for b in bands]
        rows_to = [b[1] for b in bands]
    order = np.argsort(np.asarray(rows_from), kind="stable")
    values = np.stack([cols[s] for s in wanted], axis=2)[..., order]  # (A, Y, S, R)
    n_a, n_y, n_s, n_r = values.shape
    age_from = np.asarray(rows_from, dtype=np.int64)[order]
    age_to = pl.Series([rows_to[i] for i in order], dtype=pl.Int64)
    per_area = n_y * n_s * n_r
    return pl.DataFrame(
        {
            "iso3": pl.Series([a.iso3 for a in areas], dtype=pl.Utf8).gather(
                np.repeat(np.arange(n_a), per_area)
            ),
            "area": pl.Series([a.name for a in areas], dtype=pl.Utf8).gather(
                np.repeat(np.arange(n_a), per_area)
            ),
            "year": np.tile(np.repeat(years, n_s * n_r), n_a),
            "sex": pl.Series(wanted, dtype=pl.Utf8).gather(
                np.tile(np.repeat(np.arange(n_s), n_r), n_a * n_y)
            ),
            "age_from": np.tile(age_from, n_a * n_y * n_s),
            "age_to": age_to.gather(np.tile(np.arange(n_r), n_a * n_y * n_s)),
            "population": values.reshape(-1),
        },
        schema={
            "iso3": pl.Utf8,
            "area": pl.Utf8,
            "year": pl.Int64,
            "sex": pl.Utf8,
            "age_from": pl.Int64,
            "age_to": pl.Int64,
            "population": pl.Float64,
        },
    ).with_columns(pl.lit(source_label(variant)).alias("source"))
