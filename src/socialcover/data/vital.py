"""Births, death rates and life expectancy (UN WPP 2024).

- **Births by age of mother** in calendar year *t*: ``ASFR(a, p) x women(a, t)``, with the
  age-specific fertility rate of the 5-year period *p* that contains *t* (WPP publishes ASFR by
  5-year period) and women at 1 July of *t* from :func:`~socialcover.data.population.population`.
  The births of each year are then scaled by one factor so their total equals WPP's annual
  births (``wpp_indicators.births``), so the age pattern comes from ASFR and the level from the
  published annual series. This is the "women giving birth" denominator of SDG 1.3.1's
  maternity series (ILO; METHODS.md B1.1).
- **Death rates** ``mx`` (central death rate per person-year) by sex and age group (0, 1-4,
  5-9 ... 95-99, 100+), for the 5-year period containing each year. For an ILO region the rate
  is the members' deaths over their population: ``sum(mx_c x pop_c) / sum(pop_c)`` with 1 July
  population of the same year.
- **Life expectancy at birth** ``e0`` by sex, annual, as published (countries and WPP groups).

The pack holds fertility and mortality for the estimates and the medium variant only; asking
for ``variant="low"`` or ``"high"`` raises :class:`~socialcover.errors.InputError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl
from numpy.typing import NDArray

from socialcover.data._sources import source_text
from socialcover.data._store import scan
from socialcover.data.countries import Area, resolve_areas
from socialcover.data.interpolation import graduate
from socialcover.data.population import (
    SEXES,
    _years,
    groups_by_area,
    source_label,
)
from socialcover.errors import InputError

__all__ = ["births", "death_rates", "life_expectancy"]

MOTHER_AGES = tuple(range(15, 50, 5))
LAST_PERIOD = 2095


def _medium_only(variant: str, what: str) -> None:
    if variant != "medium":
        raise InputError(
            f"{what} for the {variant!r} variant are not in the data pack.",
            code="data.variant-not-available",
            hint="The pack has WPP 2024 fertility and mortality for the estimates and the medium "
            'variant only: use variant="medium".',
            value=variant,
        )


def _period(years: NDArray[np.int64]) -> NDArray[np.int64]:
    out: NDArray[np.int64] = np.minimum(years // 5 * 5, LAST_PERIOD)
    return out


def _members_frame(areas: Sequence[Area]) -> pl.DataFrame:
    """area index -> member location code (a WPP code of its own, or its member countries)."""
    codes = dict(
        scan("wpp_locations").select("iso3", "loc_code").drop_nulls().collect().iter_rows()
    )
    rows: list[tuple[int, int]] = []
    for i, area in enumerate(areas):
        if area.m49 is not None:
            rows.append((i, area.m49))
        else:
            rows.extend((i, codes[c]) for c in area.members if c in codes)
    return pl.DataFrame(rows, schema={"area_index": pl.Int64, "loc_code": pl.Int64}, orient="row")


def _labels(areas: Sequence[Area]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "area_index": list(range(len(areas))),
            "iso3": [a.iso3 for a in areas],
            "area": [a.name for a in areas],
        },
        schema={"area_index": pl.Int64, "iso3": pl.Utf8, "area": pl.Utf8},
    )


def births(
    country: str | int | Sequence[str] | None,
    years: int | Iterable[int],
    *,
    variant: str = "medium",
) -> pl.DataFrame:
    """Births by 5-year age group of the mother (15-19 ... 45-49) in each calendar year.

    Returns
    -------
    polars.DataFrame
        iso3, area, year, mother_age_from, mother_age_to, women (1 July), asfr_per_woman_year,
        births (per calendar year), source.
    """
    _medium_only(variant, "Births")
    yrs = _years(years)
    areas = resolve_areas(country)
    members = _members_frame(areas)
    # Women by 5-year group for every member location (1 July of each year).
    member_areas = [
        Area(name=str(c), iso3=None, m49=int(c), members=(), kind="wpp")
        for c in members["loc_code"].unique().sort()
    ]
    women = groups_by_area(member_areas, yrs, variant)[:, :, SEXES.index("female"), 3:10]
    codes = [int(a.m49 or 0) for a in member_areas]
    w = pl.DataFrame(
        {
            "loc_code": np.repeat(codes, len(yrs) * 7),
            "year": np.tile(np.repeat(yrs, 7), len(codes)),
            "mother_age_from": np.tile(np.array(MOTHER_AGES), len(codes) * len(yrs)),
            "women": women.reshape(-1),
        }
    ).with_columns(pl.col("year").cast(pl.Int64), pl.col("mother_age_from").cast(pl.Int64))
    asfr = (
        scan("wpp_fertility")
        .filter(pl.col("loc_code").is_in(codes))
        .select(
            "loc_code",
            "period_start",
            pl.col("mother_age_group").str.slice(0, 2).cast(pl.Int64).alias("mother_age_from"),
            "asfr",
        )
        .collect()
    )
    raw = (
        w.with_columns(pl.Series("period_start", _period(w["year"].to_numpy()), dtype=pl.Int64))
        .join(asfr, on=["loc_code", "period_start", "mother_age_from"], how="left")
        .with_columns((pl.col("women") * pl.col("asfr")).alias("births_raw"))
    )
    published = (
        scan("wpp_indicators")
        .filter(pl.col("loc_code").is_in(codes))
        .select("loc_code", "year", pl.col("births").cast(pl.Float64).alias("births_wpp"))
        .collect()
    )
    scaled = raw.join(published, on=["loc_code", "year"], how="left").with_columns(
        (
            pl.col("births_raw")
            * (pl.col("births_wpp") / pl.col("births_raw").sum().over("loc_code", "year"))
            .fill_null(1.0)
            .fill_nan(1.0)
        ).alias("births")
    )
    out = (
        scaled.join(members, on="loc_code")
        .group_by("area_index", "year", "mother_age_from")
        .agg(pl.col("women").sum(), pl.col("births").sum())
        .with_columns(
            (pl.col("births") / pl.col("women")).alias("asfr_per_woman_year"),
            (pl.col("mother_age_from") + 4).alias("mother_age_to"),
        )
        .join(_labels(areas), on="area_index")
        .sort("area_index", "year", "mother_age_from")
    )
    return out.select(
        "iso3",
        "area",
        "year",
        "mother_age_from",
        "mother_age_to",
        "women",
        "asfr_per_woman_year",
        "births",
        pl.lit(
            source_text(
                "wpp_fertility",
                source_label("medium") + ": ASFR by 5-year period x women at 1 July, "
                "scaled to WPP annual births",
            )
        ).alias("source"),
    )


def _sex_list(sex: str | Sequence[str] | None) -> list[str]:
    wanted = (
        ["male", "female", "both"]
        if sex is None
        else ([sex] if isinstance(sex, str) else list(sex))
    )
    for s in wanted:
        if s not in ("male", "female", "both"):
            raise InputError(
                f"Unknown sex {s!r}.",
                code="data.bad-sex",
                hint='Use "male", "female", "both" or a list of them.',
                value=str(s),
            )
    return wanted


def death_rates(
    country: str | int | Sequence[str] | None,
    years: int | Iterable[int],
    *,
    sex: str | Sequence[str] | None = None,
    variant: str = "medium",
) -> pl.DataFrame:
    """Central death rates ``mx`` by sex and age group for each calendar year.

    Returns
    -------
    polars.DataFrame
        iso3, area, year, period, sex, age_from, age_to (null for 100+), mx_per_person_year,
        source. ``sex=None`` gives male, female and both.
    """
    _medium_only(variant, "Death rates")
    yrs = _years(years)
    sexes = _sex_list(sex)
    areas = resolve_areas(country)
    members = _members_frame(areas)
    codes = members["loc_code"].unique().sort().to_list()
    mx = (
        scan("wpp_mortality")
        .filter(pl.col("loc_code").is_in(codes), pl.col("sex").is_in(sexes))
        .select("loc_code", "period", "period_start", "sex", "age_start", "mx")
        .collect()
    )
    year_period = pl.DataFrame(
        {"year": yrs, "period_start": _period(yrs)},
        schema={"year": pl.Int64, "period_start": pl.Int64},
    )
    rows = mx.join(year_period, on="period_start")
    own = all(a.m49 is not None for a in areas)
    if own:
        rows = rows.join(members, on="loc_code").with_columns(
            pl.col("mx").alias("mx_per_person_year")
        )
        grouped = rows
    else:
        weights = _mx_weights(codes, yrs)
        rows = rows.join(weights, on=["loc_code", "year", "sex", "age_start"], how="left")
        grouped = (
            rows.join(members, on="loc_code")
            .group_by("area_index", "year", "period", "sex", "age_start")
            .agg(
                ((pl.col("mx") * pl.col("pop")).sum() / pl.col("pop").sum()).alias(
                    "mx_per_person_year"
                )
            )
        )
    age_to = (
        pl.when(pl.col("age_start") == 0)
        .then(0)
        .when(pl.col("age_start") == 1)
        .then(4)
        .when(pl.col("age_start") >= 100)
        .then(None)
        .otherwise(pl.col("age_start") + 4)
    )
    return (
        grouped.join(_labels(areas), on="area_index")
        .sort("area_index", "year", "sex", "age_start")
        .select(
            "iso3",
            "area",
            "year",
            "period",
            "sex",
            pl.col("age_start").alias("age_from"),
            age_to.cast(pl.Int64).alias("age_to"),
            "mx_per_person_year",
            pl.lit(
                source_text(
                    "wpp_mortality",
                    "UN WPP 2024 mx5dt (5-year periods; estimates to 2020-2025, medium after)",
                )
            ).alias("source"),
        )
    )


def _mx_weights(codes: list[int], years: NDArray[np.int64]) -> pl.DataFrame:
    """Population at 1 July by mortality age group (0, 1-4, 5-9, ...) and sex."""
    areas = [Area(name=str(c), iso3=None, m49=c, members=(), kind="wpp") for c in codes]
    groups = groups_by_area(areas, years, "medium")  # (L, Y, S, G)
    single = graduate(groups)  # (L, Y, S, 101)
    first = np.stack([single[..., 0], single[..., 1:5].sum(-1)], axis=-1)
    rest = groups[..., 1:]
    by_age = np.concatenate([first, rest], axis=-1)  # 0, 1-4, 5-9 ... 100+ : 22 groups
    by_age = np.concatenate([by_age, by_age.sum(axis=2, keepdims=True)], axis=2)  # + both
    starts = np.array([0, 1, *range(5, 101, 5)])
    n_l, n_y, n_s, n_a = by_age.shape
    return pl.DataFrame(
        {
            "loc_code": np.repeat(codes, n_y * n_s * n_a),
            "year": np.tile(np.repeat(years, n_s * n_a), n_l),
            "sex": np.tile(np.repeat(np.array(["male", "female", "both"]), n_a), n_l * n_y),
            "age_start": np.tile(starts, n_l * n_y * n_s),
            "pop": by_age.reshape(-1),
        },
        schema={
            "loc_code": pl.Int64,
            "year": pl.Int64,
            "sex": pl.Utf8,
            "age_start": pl.Int64,
            "pop": pl.Float64,
        },
    )


def life_expectancy(
    country: str | int | Sequence[str] | None,
    years: int | Iterable[int],
    *,
    sex: str | Sequence[str] | None = None,
    variant: str = "medium",
) -> pl.DataFrame:
    """Life expectancy at birth, annual, by sex (countries and WPP groups).

    Returns
    -------
    polars.DataFrame
        iso3, area, year, sex, e0_years, source.
    """
    _medium_only(variant, "Life expectancy figures")
    yrs = np.array(list([years] if isinstance(years, int) else years), dtype=np.int64)
    sexes = _sex_list(sex)
    areas = resolve_areas(country)
    regions = [a.name for a in areas if a.m49 is None]
    if regions:
        raise InputError(
            f"WPP publishes no life expectancy for {regions[0]!r}.",
            code="data.no-life-expectancy",
            hint="Life expectancy cannot be averaged from countries' values; ask for the member "
            "countries, or a WPP group (an SDG region, income group or geographic area).",
            value=regions[0],
        )
    codes = pl.DataFrame(
        {"area_index": list(range(len(areas))), "loc_code": [a.m49 for a in areas]},
        schema={"area_index": pl.Int64, "loc_code": pl.Int64},
    )
    table = (
        scan("wpp_indicators")
        .filter(pl.col("year").is_in(yrs.tolist()))
        .select("loc_code", "year", "e0_male", "e0_female", "e0_both")
        .collect()
        .join(codes, on="loc_code")
        .unpivot(
            index=["area_index", "year"],
            on=["e0_male", "e0_female", "e0_both"],
            variable_name="sex",
            value_name="e0_years",
        )
        .with_columns(pl.col("sex").str.strip_prefix("e0_"))
        .filter(pl.col("sex").is_in(sexes))
    )
    return (
        table.join(_labels(areas), on="area_index")
        .sort("area_index", "year", "sex")
        .select(
            "iso3",
            "area",
            "year",
            "sex",
            "e0_years",
            pl.lit(
                source_text(
                    "wpp_indicators",
                    "UN WPP 2024 (e01dt/e0proj1dt; estimates to 2023, medium after)",
                )
            ).alias("source"),
        )
    )
