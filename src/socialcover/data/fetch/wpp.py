"""UN World Population Prospects 2024: the official CSV files into the pack's WPP datasets.

Source: United Nations, DESA, Population Division, *World Population Prospects 2024*, CSV files
at ``https://population.un.org/wpp/assets/Excel%20Files/1_Indicator%20(Standard)/CSV_FILES/``
(CC BY 3.0 IGO). Every file shares the columns ``SortOrder, LocID, Notes, ISO3_code,
ISO2_code, SDMX_code, LocTypeID, LocTypeName, ParentID, Location, VarID, Variant, Time``; counts
are in thousands (converted here to whole persons, as SOURCES.md requires), the sex ratio at
birth in males per 100 female births (converted to per female birth), ASFR per 1,000 women
(converted to per woman). Annual fertility and mortality are averaged over each 5-year period
1990-1995 ... 2095-2100, the periods of the pack's files. Countries are placed in the M49
geographic hierarchy and the SDG regions (UNSD, *Standard country or area codes for statistical
use*, M49) from their ``ParentID``; income groups come from the World Bank's country API.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import cast

import duckdb
import polars as pl

from socialcover.data.catalog import BY_ID
from socialcover.data.fetch._http import FetchError

__all__ = [
    "FILES",
    "fertility",
    "indicators_and_totals",
    "locations",
    "mortality",
    "population_age5",
]

FILES = {
    "population_medium": "WPP2024_PopulationByAge5GroupSex_Medium.csv.gz",
    "population_other": "WPP2024_PopulationByAge5GroupSex_OtherVariants.csv.gz",
    "indicators": "WPP2024_Demographic_Indicators_Medium.csv.gz",
    "fertility": "WPP2024_Fertility_by_Age5.csv.gz",
    "life_table_past": "WPP2024_Life_Table_Abridged_Medium_1950-2023.csv.gz",
    "life_table_future": "WPP2024_Life_Table_Abridged_Medium_2024-2100.csv.gz",
}
LAST_ESTIMATE_YEAR = 2023
PERIODS = range(1990, 2100, 5)

_AREAS = {
    903: "Africa",
    935: "Asia",
    908: "Europe",
    904: "Latin America and the Caribbean",
    905: "Northern America",
    909: "Oceania",
}
_SDG = {
    1834: "Sub-Saharan Africa",
    1833: "Northern Africa and Western Asia",
    1831: "Central and Southern Asia",
    1832: "Eastern and South-Eastern Asia",
    1830: "Latin America and the Caribbean",
    1835: "Oceania (excluding Australia and New Zealand)",
    1836: "Australia/New Zealand",
    1829: "Europe and Northern America",
}
#: M49 subregion (WPP code) -> (name, geographic area, SDG region).
SUBREGIONS: dict[int, tuple[str, int, int]] = {
    910: ("Eastern Africa", 903, 1834),
    911: ("Middle Africa", 903, 1834),
    912: ("Northern Africa", 903, 1833),
    913: ("Southern Africa", 903, 1834),
    914: ("Western Africa", 903, 1834),
    5500: ("Central Asia", 935, 1831),
    5501: ("Southern Asia", 935, 1831),
    906: ("Eastern Asia", 935, 1832),
    920: ("South-Eastern Asia", 935, 1832),
    922: ("Western Asia", 935, 1833),
    923: ("Eastern Europe", 908, 1829),
    924: ("Northern Europe", 908, 1829),
    925: ("Southern Europe", 908, 1829),
    926: ("Western Europe", 908, 1829),
    915: ("Caribbean", 904, 1830),
    916: ("Central America", 904, 1830),
    931: ("South America", 904, 1830),
    927: ("Australia/New Zealand", 909, 1836),
    928: ("Melanesia", 909, 1835),
    954: ("Micronesia", 909, 1835),
    957: ("Polynesia", 909, 1835),
}
_NORTHERN_AMERICA = {905, 918}  # countries sit directly under the area (no subregion)
LOC_TYPES = {
    "Country/Area": "country_area",
    "World": "world",
    "SDG region": "sdg_region",
    "Geographic region": "geo_area",
    "Subregion": "geo_subregion",
    "Income group": "income_group",
    "Development group": "development_group",
    "Special other": "special_group",
}
#: World Bank API income level id -> (WPP income group code, label used in the pack).
INCOME = {
    "LIC": (1500, "Low income"),
    "LMC": (1501, "Lower-middle income"),
    "UMC": (1502, "Upper-middle income"),
    "HIC": (1503, "High income"),
}
_NO_INCOME = (1518, "No income group available")


def _read(path: Path, columns: list[str], where: str = "") -> pl.LazyFrame:
    """Columns of an official CSV(.gz), filtered by DuckDB while it streams the file.

    DuckDB decompresses gzip on the fly and pushes the projection and the filter into the scan,
    so a 230 MB file of all WPP variants never sits in memory or on disk uncompressed. The
    filter ``where`` is SQL over the file's own column names (all read as text).
    """
    select = ", ".join(f'"{c}"' for c in columns)
    sql = f"SELECT {select} FROM read_csv(?, header=true, all_varchar=true, quote='\"')"
    if where:
        sql = f"SELECT * FROM ({sql}) WHERE {where}"
    con = duckdb.connect()
    try:
        table = con.sql(sql, params=[str(path)]).to_arrow_table()
    except duckdb.Error as exc:
        raise FetchError(
            f"{path.name} is not in the WPP 2024 CSV layout ({str(exc).splitlines()[0]}).",
            code="data.fetch-bad-file",
            hint="The publisher may have changed the file; check the columns named in "
            "docs/data-pack.md, or import a pack folder with `socialcover data import PATH`.",
        ) from None
    finally:
        con.close()
    return cast(pl.DataFrame, pl.from_arrow(table)).lazy()


def _year_in(first: int, last: int, step: int = 1) -> str:
    year = 'TRY_CAST("Time" AS INTEGER)'
    return f"{year} BETWEEN {first} AND {last} AND ({year} - {first}) % {step} = 0"


def _f(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Float64, strict=False)


def _i(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Float64, strict=False).cast(pl.Int64)


def _persons(col: str) -> pl.Expr:
    """Thousands (WPP) to whole persons."""
    return (_f(col) * 1000).round(0).cast(pl.Int64)


def _period_variant(start: pl.Expr) -> pl.Expr:
    return (
        pl.when(start < 2020)
        .then(pl.lit("estimate"))
        .when(start == 2020)
        .then(pl.lit("estimate+medium"))
        .otherwise(pl.lit("medium"))
    )


def _keys(lf: pl.LazyFrame) -> pl.LazyFrame:
    return lf.with_columns(loc_code=_i("LocID"), iso3=pl.col("ISO3_code"), year=_i("Time")).filter(
        pl.col("loc_code").is_not_null()
    )


def population_age5(medium: Path, other: Path | None) -> pl.DataFrame:
    """Population by 5-year age group and sex, 1990-2100 every 5th year, with low/high."""
    years = list(range(1990, 2101, 5))

    def long(lf: pl.LazyFrame, value: str) -> pl.LazyFrame:
        base = _keys(lf).filter(pl.col("year").is_in(years))
        base = base.with_columns(age_group=pl.col("AgeGrp"), age_start=_i("AgeGrpStart"))
        cols = ["loc_code", "iso3", "year", "age_group", "age_start"]
        return pl.concat(
            [
                base.select(*cols, sex=pl.lit(sex), **{value: _persons(src)})
                for sex, src in (("male", "PopMale"), ("female", "PopFemale"))
            ]
        )

    cols = ["LocID", "ISO3_code", "Variant", "Time", "AgeGrp", "AgeGrpStart", "PopMale",
            "PopFemale"]  # fmt: skip
    every5 = _year_in(1990, 2100, 5)
    med = long(_read(medium, cols, f"\"Variant\" = 'Medium' AND {every5}"), "population")
    out = med.with_columns(
        variant=pl.when(pl.col("year") <= LAST_ESTIMATE_YEAR)
        .then(pl.lit("estimate"))
        .otherwise(pl.lit("medium"))
    )
    if other is not None:
        scanned = _read(other, cols, f"\"Variant\" IN ('Low', 'High') AND {every5}")
        on = ["loc_code", "year", "sex", "age_start"]
        for variant, name in (("Low", "population_low"), ("High", "population_high")):
            part = long(scanned.filter(pl.col("Variant") == variant), name)
            out = out.join(part.select(*on, name), on=on, how="left")
    return out.collect()


def indicators_and_totals(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Annual totals (persons) and demographic indicators from Demographic_Indicators."""
    cols = ["LocID", "ISO3_code", "Variant", "Time", "TPopulation1Jan", "TPopulation1July",
            "TPopulationMale1July", "TPopulationFemale1July", "LExMale", "LExFemale", "LEx",
            "TFR", "Births", "Deaths", "PopChange", "CBR", "CDR", "NatChangeRT", "CNMR",
            "PopGrowthRate", "SRB"]  # fmt: skip
    lf = _keys(_read(path, cols, "\"Variant\" = 'Medium'")).with_columns(
        variant=pl.when(pl.col("year") <= LAST_ESTIMATE_YEAR)
        .then(pl.lit("estimate"))
        .otherwise(pl.lit("medium"))
    )
    totals = lf.select(
        "loc_code",
        "iso3",
        "year",
        "variant",
        pop_jan1=_persons("TPopulation1Jan"),
        pop_jul1=_persons("TPopulation1July"),
        pop_male_jul1=_persons("TPopulationMale1July"),
        pop_female_jul1=_persons("TPopulationFemale1July"),
        method=pl.lit("wpp2024_csv"),
    )
    srb = _f("SRB")
    indicators = lf.select(
        "loc_code",
        "iso3",
        "year",
        "variant",
        e0_male=_f("LExMale"),
        e0_female=_f("LExFemale"),
        e0_both=_f("LEx"),
        tfr=_f("TFR"),
        births=_persons("Births"),
        deaths=_persons("Deaths"),
        pop_change=_persons("PopChange"),
        cbr_per1000=_f("CBR"),
        cdr_per1000=_f("CDR"),
        natural_change_rate_per1000=_f("NatChangeRT"),
        net_migration_rate_per1000=_f("CNMR"),
        growth_rate_pct=_f("PopGrowthRate"),
        # WPP states males per 100 female births; the pack keeps males per female birth.
        sex_ratio_at_birth=pl.when(srb > 10).then(srb / 100).otherwise(srb),
    )
    return totals.collect(), indicators.collect()


def _by_period(lf: pl.LazyFrame) -> pl.LazyFrame:
    start = (pl.col("year") // 5) * 5
    return lf.filter(pl.col("year").is_between(PERIODS[0], PERIODS[-1] + 4)).with_columns(
        period_start=start
    )


def fertility(path: Path) -> pl.DataFrame:
    """Age pattern of fertility per 5-year period (mean of the annual ASFR of the period)."""
    cols = ["LocID", "ISO3_code", "Variant", "Time", "AgeGrp", "AgeGrpStart", "ASFR"]
    where = f"\"Variant\" = 'Medium' AND {_year_in(PERIODS[0], PERIODS[-1] + 4)}"
    lf = _by_period(_keys(_read(path, cols, where)))
    lf = lf.filter(_i("AgeGrpStart").is_between(15, 45))
    per = lf.group_by("loc_code", "iso3", "period_start", "AgeGrp").agg(
        asfr=(_f("ASFR") / 1000).mean()
    )
    per = per.with_columns(tfr_period=pl.col("asfr").sum().over("loc_code", "period_start") * 5)
    return (
        per.select(
            "loc_code",
            "iso3",
            period=pl.format("{}-{}", pl.col("period_start"), pl.col("period_start") + 5),
            period_start="period_start",
            variant=_period_variant(pl.col("period_start")),
            mother_age_group="AgeGrp",
            pct_of_tfr=(pl.col("asfr") * 5 / pl.col("tfr_period") * 100).round(4),
            tfr_period=pl.col("tfr_period").round(4),
            asfr=pl.col("asfr").round(6),
        )
        .sort("loc_code", "period_start", "mother_age_group")
        .collect()
    )


def mortality(paths: list[Path]) -> pl.DataFrame:
    """Central death rates by age and sex per 5-year period (mean of the annual rates)."""
    cols = ["LocID", "ISO3_code", "Time", "Sex", "AgeGrp", "AgeGrpStart", "mx"]
    where = _year_in(PERIODS[0], PERIODS[-1] + 4)
    frames = [_by_period(_keys(_read(p, cols, where))) for p in paths]
    lf = pl.concat(frames).with_columns(
        sex=pl.col("Sex").str.to_lowercase().replace({"total": "both"}),
        age_start=_i("AgeGrpStart"),
    )
    per = lf.group_by("loc_code", "iso3", "period_start", "sex", "AgeGrp", "age_start").agg(
        mx=_f("mx").mean()
    )
    return (
        per.select(
            "loc_code",
            "iso3",
            period=pl.format("{}-{}", pl.col("period_start"), pl.col("period_start") + 5),
            period_start="period_start",
            variant=_period_variant(pl.col("period_start")),
            sex="sex",
            age_group="AgeGrp",
            age_start="age_start",
            mx=pl.col("mx").round(8),
        )
        .sort("loc_code", "period_start", "sex", "age_start")
        .collect()
    )


def locations(path: Path, income: Mapping[str, str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Locations and group memberships from the LocID/ParentID columns of a WPP file.

    ``income`` maps iso3 to the World Bank income level id (LIC, LMC, UMC, HIC).
    """
    cols = ["LocID", "ISO3_code", "ISO2_code", "Location", "LocTypeName", "ParentID", "SortOrder"]
    rows = _read(path, cols).unique(subset=["LocID"], keep="first").collect()
    out: list[dict[str, object]] = []
    groups: list[tuple[int, str, str, int, str]] = []
    names = {int(r["LocID"]): str(r["Location"]) for r in rows.iter_rows(named=True)}
    for r in rows.sort(pl.col("SortOrder").cast(pl.Int64, strict=False)).iter_rows(named=True):
        kind = LOC_TYPES.get(str(r["LocTypeName"]))
        if kind is None:
            continue
        code = int(r["LocID"])
        row: dict[str, object] = {
            "loc_code": code,
            "iso3": r["ISO3_code"] if kind == "country_area" else None,
            "iso2": r["ISO2_code"] if kind == "country_area" else None,
            "name": r["Location"],
            "loc_type": kind,
            "sort_order": int(float(r["SortOrder"])) if r["SortOrder"] else None,
        }
        if kind == "country_area" and r["ISO3_code"]:
            iso3 = str(r["ISO3_code"])
            parent = int(float(r["ParentID"])) if r["ParentID"] else -1
            if parent in SUBREGIONS:
                sub_name, area, sdg = SUBREGIONS[parent]
                row.update(geo_subregion_code=parent, geo_subregion_name=sub_name)
            elif parent in _NORTHERN_AMERICA:
                area, sdg = 905, 1829
            else:
                area = sdg = -1
            if area > 0:
                row.update(geo_area_code=area, geo_area_name=_AREAS[area])
                row.update(sdg_region_code=sdg, sdg_region_name=_SDG[sdg])
            inc_code, inc_name = INCOME.get(income.get(iso3, ""), _NO_INCOME)
            row.update(wb_income_code=inc_code, wb_income_group=inc_name)
            members = [(900, "World", "world")]
            if area > 0:
                members += [(area, _AREAS[area], "geo_area"), (sdg, _SDG[sdg], "sdg_region")]
                if area in (904, 905):
                    members.append((5505, "Americas", "geo_area"))
            if parent in SUBREGIONS:
                members.append((parent, SUBREGIONS[parent][0], "geo_subregion"))
            members.append((inc_code, names.get(inc_code, inc_name), "income_group"))
            groups += [(g, n, t, code, iso3) for g, n, t in members]
        out.append(row)
    locs = pl.DataFrame(out, schema=BY_ID["wpp_locations"].columns)
    grp = pl.DataFrame(groups, schema=BY_ID["wpp_location_groups"].columns, orient="row")
    return locs, grp.unique(subset=["group_code", "loc_code"], keep="first", maintain_order=True)
