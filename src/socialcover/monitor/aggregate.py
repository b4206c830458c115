"""Regional, income-group and world aggregates of an indicator, as the ILO computes them.

An aggregate is the mean of its countries' values weighted by the indicator's own denominator
population (:mod:`socialcover.monitor.denominators`): ``sum(v_c x pop_c) / sum(pop_c)``, the
ILO's rule for SDG 1.3.1 ("weighted averages of national indicators with weights equal to the
denominators"; METHODS.md B1.1). Countries without a value in the year are imputed first
(:mod:`socialcover.monitor.imputation`), and every aggregate says which share of its population
rests on observed values and which on imputed ones.

Groups are the five ILO regions and the World Bank income groups of ``socialcover.data``
(:func:`socialcover.data.countries`; income groups as WPP 2024 uses them), and the world. The
pack has no ILO subregions; ``subregion`` groups by the UN M49 geographic subregions of WPP
(Southern Asia, Eastern Africa...), which match several ILO subregions but not all.

:func:`aggregate` is pure: it takes an observation frame (columns of
:data:`OBSERVATION_SCHEMA`) and reads only the WPP denominators and the country list.
:func:`aggregate_store` feeds it the store's approved observations, the only values public
aggregates may use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from socialcover.data.countries import countries
from socialcover.data.coverage import coverage
from socialcover.errors import InputError
from socialcover.monitor.denominators import SHORT_PREFIX, check_indicator, denominators
from socialcover.monitor.frame import NO_INCOME_GROUP, OBSERVATION_SCHEMA, SEXES, WORLD
from socialcover.monitor.imputation import impute
from socialcover.monitor.observations import observations as stored_observations
from socialcover.monitor.registry import get_indicator

__all__ = [
    "AGGREGATE_SOURCE",
    "GROUPINGS",
    "aggregate",
    "aggregate_store",
    "aggregates_as_observations",
    "observations_from_pack",
]

GROUPINGS: dict[str, str | None] = {
    "ilo-region": "ilo_region",
    "ilo-subregion": "ilo_subregion",
    "income-group": "income_group",
    "world": None,
    "subregion": "geo_subregion",
}
"""The groupings ``by`` accepts -> the country-list column that names the group."""

#: The ILO's broad subregions of its 189 modelled-estimate countries (ILOSTAT, "Country
#: groupings", ilostat.ilo.org/methods/concepts-and-definitions/classification-country-groupings;
#: transcribed from the ILO modelled estimates panel as published in the bpvars R package,
#: inst/varia/ilo_dynamic_panel.csv). Every country's ILO region there equals the data pack's.
#: Territories outside the list count in their region but in no subregion.
ILO_SUBREGIONS_FILE = Path(__file__).with_name("ilo_subregions.csv")

# Where one country and year has several values, the first of this order is used.
_NATURE_ORDER = ("observed", "administrative", "survey_estimate", "modelled")


def _groupings(by: str | Sequence[str]) -> list[str]:
    names = [b.strip() for b in by.split(",")] if isinstance(by, str) else list(by)
    for name in names:
        if name not in GROUPINGS:
            raise InputError(
                f"Cannot aggregate by {name!r}.",
                code="monitor.bad-grouping",
                hint="Use ilo-region, ilo-subregion, income-group, world or subregion (several "
                "joined by commas).",
                value=name,
            )
    return names


def _check_frame(observations: pl.DataFrame, sex: str) -> None:
    missing = [c for c in OBSERVATION_SCHEMA if c not in observations.columns]
    if missing:
        raise InputError(
            f"The observation frame has no column {', '.join(map(repr, missing))}.",
            code="monitor.bad-frame",
            hint="Give a frame with the columns of OBSERVATION_SCHEMA: "
            + ", ".join(OBSERVATION_SCHEMA)
            + ".",
        )
    if sex not in SEXES:
        raise InputError(
            f"Unknown sex {sex!r}.",
            code="monitor.bad-sex",
            hint="Use both, female or male.",
            value=sex,
        )


def _members() -> pl.DataFrame:
    subregions = pl.read_csv(ILO_SUBREGIONS_FILE, columns=["iso3", "ilo_subregion"])
    return (
        countries()
        .select(
            "iso3",
            "ilo_region",
            "geo_subregion",
            pl.when(pl.col("income_group") == NO_INCOME_GROUP)
            .then(None)
            .otherwise(pl.col("income_group"))
            .alias("income_group"),
        )
        .join(subregions, on="iso3", how="left")
    )


def _country_values(
    observations: pl.DataFrame, indicator: str, sex: str, iso3: pl.Series
) -> pl.DataFrame:
    """One value per country and year: imputed rows are dropped (they are redone here); of
    several sources the newest vintage, then the nature order, wins."""
    rank = {n: i for i, n in enumerate(_NATURE_ORDER)}
    return (
        observations.filter(
            pl.col("indicator") == indicator,
            pl.col("sex") == sex,
            pl.col("area").is_in(iso3.implode()),
            pl.col("nature") != "imputed",
            pl.col("value").is_not_null(),
        )
        .with_columns(pl.col("nature").replace_strict(rank, default=len(rank)).alias("_rank"))
        .sort(["area", "year", "vintage", "_rank"], descending=[False, False, True, False])
        .unique(["area", "year"], keep="first", maintain_order=True)
        .select(pl.col("area").alias("iso3"), pl.col("year").cast(pl.Int32), "value")
    )


def aggregate(
    observations: pl.DataFrame,
    indicator: str,
    year: int | Iterable[int],
    by: str | Sequence[str] = ("ilo-region", "income-group", "world"),
    *,
    window: int = 3,
    sex: str | None = None,
    weights: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Aggregates of one indicator by ILO region, income group and world, for one or more years.

    Parameters
    ----------
    observations
        An observation frame (:data:`OBSERVATION_SCHEMA`); only its country rows (ISO3 areas)
        of ``indicator`` and ``sex`` are used, and rows of nature ``imputed`` are ignored.
    indicator
        A registry code weighted by population or births (``sdg131.at_least_one_benefit``;
        ``at_least_one_benefit`` is accepted for SDG 1.3.1).
    year
        A year or several.
    by
        Groupings, in the order of the rows: ``ilo-region``, ``income-group``, ``world``,
        ``subregion`` (a sequence, or one string joined by commas).
    window
        How many years away a country's nearest value may be (imputation step 2).
    sex
        ``both``, ``female`` or ``male``: which rows of the frame to use (the weights are the
        denominators of both sexes). ``None``: the sex the indicator is published for
        (:attr:`~socialcover.monitor.registry.IndicatorDefinition.sex`).
    weights
        iso3, year, population: the denominators, when already at hand (as from
        :func:`~socialcover.monitor.denominators.denominators`); read from WPP otherwise.

    Returns
    -------
    polars.DataFrame
        One row per group and year: group_type, group, year, value (the weighted mean, in the
        indicator's unit; null when no country of the group got a value), population (the
        group's denominator, persons), not_covered (persons:
        ``population x (100 - value) / 100``), population_share_observed,
        population_share_imputed (shares of ``population``; they add up to 1 when every country
        got a value), n_countries_observed, n_countries_imputed.

    Raises
    ------
    NotFoundError
        An unknown indicator code (with the closest codes).
    InputError
        An unknown grouping or sex, a frame without the observation columns, or an indicator
        without a population weight when ``weights`` is not given (``monitor.no-weight``).
    """
    code = check_indicator(indicator)
    groupings = _groupings(by)
    sex = get_indicator(code).sex if sex is None else sex
    _check_frame(observations, sex)
    years = [year] if isinstance(year, int) else sorted(set(year))
    members = _members()
    if weights is None:
        weights = denominators(code, years)
    weights = weights.select(
        "iso3", pl.col("year").cast(pl.Int32), pl.col("population").cast(pl.Float64)
    ).filter(pl.col("year").is_in(years), pl.col("population") > 0)
    values = _country_values(observations, code, sex, members["iso3"])
    filled = impute(values, weights, members, window=window).with_columns(
        pl.lit(WORLD).alias("world")
    )
    has_value = pl.col("value").is_not_null()
    observed = pl.col("method") == "observed"
    imputed = has_value & ~observed
    frames = []
    for grouping in groupings:
        column = GROUPINGS[grouping] or "world"
        frames.append(
            filled.filter(pl.col(column).is_not_null())
            .group_by(pl.col(column).alias("group"), "year")
            .agg(
                (
                    (pl.col("value") * pl.col("population")).filter(has_value).sum()
                    / pl.col("population").filter(has_value).sum()
                ).alias("value"),
                pl.col("population").sum(),
                pl.col("population").filter(observed).sum().alias("_observed"),
                pl.col("population").filter(imputed).sum().alias("_imputed"),
                observed.sum().cast(pl.Int64).alias("n_countries_observed"),
                imputed.sum().cast(pl.Int64).alias("n_countries_imputed"),
            )
            .with_columns(pl.lit(grouping).alias("group_type"))
            .sort("group", "year")
        )
    out = pl.concat(frames)
    weight = get_indicator(code).weight
    # Weighted by GDP (amounts in % of GDP): no people to count; the shares are shares of GDP.
    persons = weight is None or weight.series != "gdp_usd"
    people = pl.col("population") if persons else pl.lit(None, dtype=pl.Float64)
    return out.select(
        "group_type",
        "group",
        pl.col("year").cast(pl.Int32),
        pl.col("value").fill_nan(None),  # a group none of whose countries got a value
        people.alias("population"),
        (people * (100 - pl.col("value").fill_nan(None)) / 100).alias("not_covered"),
        (pl.col("_observed") / pl.col("population")).alias("population_share_observed"),
        (pl.col("_imputed") / pl.col("population")).alias("population_share_imputed"),
        "n_countries_observed",
        "n_countries_imputed",
    )


def aggregate_store(
    session: Session,
    actor: Any,
    indicator: str,
    year: int | Iterable[int],
    by: str | Sequence[str] = ("ilo-region", "income-group", "world"),
    *,
    window: int = 3,
    sex: str | None = None,
) -> pl.DataFrame:
    """:func:`aggregate` of the store's approved observations of ``indicator``.

    Only values of approved data sets are read (``observations(..., approved_only=True)``),
    whoever ``actor`` is: a value entered or submitted but not approved, or un-approved, is
    not in the aggregate.

    Parameters
    ----------
    session, actor
        The transaction (``session_scope(write=False)`` will do), and who reads (``None``:
        the public).
    indicator, year, by, window, sex
        As for :func:`aggregate`.

    Returns
    -------
    polars.DataFrame
        As :func:`aggregate` returns.
    """
    code = check_indicator(indicator)
    approved = stored_observations(session, actor, indicator=code, approved_only=True)
    return aggregate(approved, code, year, by, window=window, sex=sex)


def observations_from_pack(indicator: str) -> pl.DataFrame:
    """The data pack's SDG 1.3.1 country series of ``indicator`` as an observation frame.

    Every year of ILOSTAT's series (2025 vintage: all years of the headline series, the latest
    year of the others) and of the UN SDG Global Database 2020 edition; where both give a
    country, year and sex, ILOSTAT's value is kept.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`OBSERVATION_SCHEMA`, nature ``observed``.

    Raises
    ------
    InputError
        ``monitor.not-in-pack`` for an indicator outside SDG 1.3.1.
    """
    code = check_indicator(indicator)
    if not code.startswith(SHORT_PREFIX):
        raise InputError(
            f"The data pack has no series of {code}.",
            code="monitor.not-in-pack",
            hint="The pack holds the SDG 1.3.1 series (sdg131.*); import other indicators.",
            value=code,
        )
    frame = coverage(None, code.removeprefix(SHORT_PREFIX), history=True)
    is_unsd = pl.col("source").str.starts_with("UN SDG")
    return (
        frame.select(
            pl.lit(code).alias("indicator"),
            pl.col("iso3").alias("area"),
            pl.col("year").cast(pl.Int32),
            "sex",
            pl.col("coverage_pct").cast(pl.Float64).alias("value"),
            pl.lit(None, pl.Float64).alias("se"),
            pl.lit(None, pl.Float64).alias("lower"),
            pl.lit(None, pl.Float64).alias("upper"),
            pl.lit("observed").alias("nature"),
            "source",
            pl.when(is_unsd).then(pl.lit("2020")).otherwise(pl.lit("2025")).alias("vintage"),
            pl.lit("").alias("footnotes"),
        )
        .sort(["area", "year", "sex", "vintage"], descending=[False, False, False, True])
        .unique(["area", "year", "sex"], keep="first", maintain_order=True)
        .cast(OBSERVATION_SCHEMA)  # type: ignore[arg-type]
    )


AGGREGATE_SOURCE = "socialcover: weighted aggregate of approved country observations"
"""The ``source`` of aggregates written as observations (:func:`aggregates_as_observations`)."""


def aggregates_as_observations(
    table: pl.DataFrame, indicator: str, sex: str = "both", *, vintage: str = ""
) -> pl.DataFrame:
    """An :func:`aggregate` table as observations (``modelled``), for SDMX-CSV and CSV files.

    Each group and year with a value becomes one row of
    :data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`: area the group's name, nature
    ``modelled``, source :data:`AGGREGATE_SOURCE`, and a footnote giving the shares of the
    group's population on observed and on imputed values.

    Examples
    --------
    >>> table = pl.DataFrame({"group": ["World"], "year": [2023], "value": [52.4],
    ...     "population_share_observed": [0.91], "population_share_imputed": [0.09]})
    >>> aggregates_as_observations(table, "sdg131.at_least_one_benefit")["footnotes"][0]
    '91% of the population on observed values, 9% on imputed values'
    """
    code = check_indicator(indicator)
    return table.filter(pl.col("value").is_not_null()).select(
        pl.lit(code).alias("indicator"),
        pl.col("group").alias("area"),
        pl.col("year").cast(pl.Int32),
        pl.lit(sex).alias("sex"),
        pl.col("value").cast(pl.Float64),
        pl.lit(None, pl.Float64).alias("se"),
        pl.lit(None, pl.Float64).alias("lower"),
        pl.lit(None, pl.Float64).alias("upper"),
        pl.lit("modelled").alias("nature"),
        pl.lit(AGGREGATE_SOURCE).alias("source"),
        pl.lit(vintage).alias("vintage"),
        pl.format(
            "{}% of the population on observed values, {}% on imputed values",
            (pl.col("population_share_observed").fill_null(0) * 100).round(0).cast(pl.Int64),
            (pl.col("population_share_imputed").fill_null(0) * 100).round(0).cast(pl.Int64),
        ).alias("footnotes"),
    )
