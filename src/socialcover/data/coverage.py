"""Published SDG 1.3.1 effective coverage: by country (ILOSTAT latest, UNSD 2020) and global.

Country values come from ILOSTAT's ``SDG_0131_SEX_SOC_RT`` (latest year per series; all years
for the headline "at least one benefit", vintage 2025). Where ILOSTAT has no value for a
contingency and sex, the UN SDG Global Database 2020 edition (ILO series reported by mid-2020)
fills in, and the ``source`` column says so. The ILO's modelled global series for the World and
low-income countries, 2009-2023 (WSPR 2024-26), come from :func:`coverage_global`.

Contingencies use the names of the global series: ``at_least_one_benefit``, ``children``,
``mothers_with_newborns``, ``persons_with_severe_disabilities``, ``unemployed``,
``older_persons_pension``, ``vulnerable_social_assistance``, ``poor_social_assistance``,
``employment_injury``. Definitions: METHODS.md B1.1 (SDG metadata 1.3.1).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from socialcover.data._sources import source_text
from socialcover.data._store import scan
from socialcover.data.countries import resolve_areas
from socialcover.errors import InputError

__all__ = ["CONTINGENCIES", "coverage", "coverage_global"]

ILOSTAT = "ILO, ILOSTAT SDG_0131_SEX_SOC_RT (2025 vintage)"
UNSD = "UN SDG Global Database 2020 (ILO series)"
ILO_GLOBAL = "ILO modelled global estimates, ILOSTAT SDG_0131 (WSPR 2024-26)"

CONTINGENCIES: dict[str, tuple[str, str]] = {
    "at_least_one_benefit": ("SOC_CONTIG_TOTAL", "SI_COV_BENFTS"),
    "children": ("SOC_CONTIG_CHILD", "SI_COV_CHLD"),
    "mothers_with_newborns": ("SOC_CONTIG_MAT", "SI_COV_MATNL"),
    "persons_with_severe_disabilities": ("SOC_CONTIG_DISAB", "SI_COV_DISAB"),
    "unemployed": ("SOC_CONTIG_UNE", "SI_COV_UEMP"),
    "older_persons_pension": ("SOC_CONTIG_PENSION", "SI_COV_PENSN"),
    "vulnerable_social_assistance": ("SOC_CONTIG_VULN", "SI_COV_VULN"),
    "poor_social_assistance": ("SOC_CONTIG_POOR", "SI_COV_POOR"),
    "employment_injury": ("SOC_CONTIG_INJ", "SI_COV_WKINJRY"),
}
"""The SDG 1.3.1 coverage groups: name -> (ILOSTAT classif1 code, UN SDG series code)."""

_SEX = {"SEX_T": "both", "SEX_F": "female", "SEX_M": "male"}
_COLUMNS = ["iso3", "year", "contingency", "sex", "coverage_pct", "source"]


def _contingencies(group: str | Sequence[str] | None) -> list[str]:
    if group is None:
        return list(CONTINGENCIES)
    names = [group] if isinstance(group, str) else list(group)
    for name in names:
        if name not in CONTINGENCIES:
            raise InputError(
                f"Unknown coverage group {name!r}.",
                code="data.unknown-contingency",
                hint=f"Known groups: {', '.join(CONTINGENCIES)}.",
                value=name,
            )
    return names


def coverage(
    country: str | int | Sequence[str] | None,
    group: str | Sequence[str] | None = None,
    *,
    history: bool = False,
) -> pl.DataFrame:
    """SDG 1.3.1 effective coverage of a country (or a group's members), by contingency and sex.

    Parameters
    ----------
    country
        ISO3/name, a list, a group name (rows for each member), or ``None`` for all.
    group
        A contingency name (``"older_persons_pension"``) or a list; ``None`` for all.
    history
        ``False`` (default): one row per contingency and sex, ILOSTAT's latest value, else the
        latest UNSD 2020 value. ``True``: every year of both sources.

    Returns
    -------
    polars.DataFrame
        iso3, year, contingency, sex, coverage_pct, source.
    """
    names = _contingencies(group)
    iso3s = sorted({m for area in resolve_areas(country) for m in area.members})
    ilo_codes = {CONTINGENCIES[n][0]: n for n in names}
    unsd_codes = {CONTINGENCIES[n][1]: n for n in names}
    ilo = (
        scan("ilo_sdg131_country")
        .filter(pl.col("iso3").is_in(iso3s), pl.col("contingency").is_in(list(ilo_codes)))
        .collect()
        .select(
            "iso3",
            "year",
            pl.col("contingency").replace_strict(ilo_codes).alias("contingency"),
            pl.col("sex").replace_strict(_SEX).alias("sex"),
            pl.col("value_pct").alias("coverage_pct"),
            pl.lit(source_text("ilo_sdg131_country", ILOSTAT)).alias("source"),
        )
    )
    unsd = (
        scan("unsd_sdg131")
        .filter(
            pl.col("iso3").is_in(iso3s),
            pl.col("series").is_in(list(unsd_codes)),
            pl.col("quantile") == "total",
        )
        .collect()
        .select(
            "iso3",
            "year",
            pl.col("series").replace_strict(unsd_codes).alias("contingency"),
            "sex",
            pl.col("value_pct").alias("coverage_pct"),
            pl.lit(source_text("unsd_sdg131", UNSD)).alias("source"),
        )
    )
    if history:
        out = pl.concat([ilo, unsd])
    else:
        key = ["iso3", "contingency", "sex"]
        ilo_latest = ilo.filter(pl.col("year") == pl.col("year").max().over(key))
        unsd_latest = unsd.filter(pl.col("year") == pl.col("year").max().over(key))
        out = pl.concat([ilo_latest, unsd_latest.join(ilo_latest, on=key, how="anti")])
    order = {n: i for i, n in enumerate(CONTINGENCIES)}
    sex_order = {"both": 0, "female": 1, "male": 2}
    return (
        out.with_columns(
            pl.col("contingency").replace_strict(order, return_dtype=pl.Int64).alias("_c"),
            pl.col("sex").replace_strict(sex_order, return_dtype=pl.Int64).alias("_s"),
        )
        .sort("iso3", "_c", "_s", "year", "source")
        .select(_COLUMNS)
    )


def coverage_global(group: str | Sequence[str] | None = None) -> pl.DataFrame:
    """The ILO's modelled SDG 1.3.1 series for the World and low-income countries, 2009-2023.

    Returns
    -------
    polars.DataFrame
        area ("World", "World: Low income"), year, contingency, sex, coverage_pct, source.
    """
    names = _contingencies(group)
    return (
        scan("ilo_sdg131_global")
        .filter(pl.col("contingency").is_in(names))
        .select(
            pl.col("area_name").alias("area"),
            "year",
            "contingency",
            "sex",
            "coverage_pct",
            pl.lit(source_text("ilo_sdg131_global", ILO_GLOBAL)).alias("source"),
        )
        .sort("area", "contingency", "sex", "year")
        .collect()
    )
