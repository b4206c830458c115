"""ILOSTAT: SDG indicator 1.3.1 (effective social protection coverage) from the bulk file.

Source: ILO, ILOSTAT, indicator ``SDG_0131_SEX_SOC_RT_A`` (annual), bulk download
``https://rplumber.ilo.org/data/indicator/?id=SDG_0131_SEX_SOC_RT_A&format=.csv.gz`` (formerly
``https://www.ilo.org/ilostat-files/WEB_bulk_download/indicator/SDG_0131_SEX_SOC_RT_A.csv.gz``).
The code-format CSV has the columns ``ref_area, source, indicator, sex, classif1, time,
obs_value, obs_status, note_classif, note_indicator, note_source``; ``ref_area`` is an ISO3 code
for countries and ``X..`` for the ILO's aggregates (X01 = World, X02 = low income). As in the
shared pack, the country file keeps the latest year of every series and all years of the
headline (both sexes, at least one benefit); the global file keeps World and low income.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from socialcover.data.catalog import BY_ID, ILO_CONTINGENCY_LABELS, ILO_GLOBAL_CONTINGENCIES

__all__ = ["INDICATOR", "country_latest", "global_series", "read_bulk"]

INDICATOR = "SDG_0131_SEX_SOC_RT_A"
GLOBAL_AREAS = {"X01": "World", "X02": "World: Low income"}
_SEX = {"SEX_T": "both", "SEX_F": "female", "SEX_M": "male"}
_AGGREGATE = re.compile(r"^X\d+$", re.IGNORECASE)


def read_bulk(path: Path) -> pl.DataFrame:
    """The bulk CSV(.gz) as ``ref_area, sex, classif1, year, value`` (annual rows only)."""
    raw = pl.read_csv(path, infer_schema_length=0, null_values=[""])
    raw = raw.rename({c: c.lstrip("\ufeff") for c in raw.columns})
    return raw.select(
        ref_area=pl.col("ref_area").str.strip_chars(),
        sex=pl.col("sex"),
        classif1=pl.col("classif1"),
        year=pl.col("time").cast(pl.Int64, strict=False),
        value=pl.col("obs_value").cast(pl.Float64, strict=False),
    ).filter(pl.col("year").is_not_null() & pl.col("value").is_not_null())


def country_latest(bulk: pl.DataFrame, known: set[str]) -> pl.DataFrame:
    """The pack's ``ilo_sdg131_country`` dataset."""
    rows = bulk.filter(
        ~pl.col("ref_area").str.contains(_AGGREGATE.pattern)
        & pl.col("ref_area").str.to_uppercase().is_in(sorted(known))
        & pl.col("classif1").is_in(list(ILO_CONTINGENCY_LABELS))
    ).unique(subset=["ref_area", "sex", "classif1", "year"], keep="last", maintain_order=True)
    latest = pl.col("year") == pl.col("year").max().over("ref_area", "sex", "classif1")
    headline = (pl.col("sex") == "SEX_T") & (pl.col("classif1") == "SOC_CONTIG_TOTAL")
    return (
        rows.filter(latest | headline)
        .select(
            iso3=pl.col("ref_area").str.to_uppercase(),
            ilostat_ref_area=pl.col("ref_area").str.to_lowercase(),
            sex="sex",
            contingency="classif1",
            contingency_label=pl.col("classif1").replace_strict(ILO_CONTINGENCY_LABELS),
            year="year",
            value_pct=pl.col("value"),
            is_latest=latest.cast(pl.Int64),
        )
        .select(list(BY_ID["ilo_sdg131_country"].columns))
        .sort("iso3", "sex", "contingency", "year")
    )


def global_series(bulk: pl.DataFrame) -> pl.DataFrame:
    """The pack's ``ilo_sdg131_global`` dataset (World and low-income aggregates)."""
    rows = bulk.filter(
        pl.col("ref_area").str.to_uppercase().is_in(list(GLOBAL_AREAS))
        & pl.col("classif1").is_in(list(ILO_GLOBAL_CONTINGENCIES))
        & pl.col("sex").is_in(list(_SEX))
    ).unique(subset=["ref_area", "sex", "classif1", "year"], keep="last", maintain_order=True)
    return (
        rows.select(
            ilo_ref_area=pl.col("ref_area").str.to_uppercase(),
            area_name=pl.col("ref_area").str.to_uppercase().replace_strict(GLOBAL_AREAS),
            year="year",
            sex=pl.col("sex").replace_strict(_SEX),
            ilo_classif1="classif1",
            contingency=pl.col("classif1").replace_strict(ILO_GLOBAL_CONTINGENCIES),
            coverage_pct="value",
        )
        .select(list(BY_ID["ilo_sdg131_global"].columns))
        .sort("ilo_ref_area", "ilo_classif1", "sex", "year")
    )
