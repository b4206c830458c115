"""The datasets of the reference data pack: where each file lies, its columns and checks.

One :class:`DatasetSpec` per file of a pack laid out like ``../shared/data`` (see its
``SOURCES.md``). The importer validates a file against its spec before anything is installed,
and the query API reads the Parquet file named after the spec's ``id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

Utf8 = pl.Utf8
Int = pl.Int64
Float = pl.Float64
Bool = pl.Boolean

WPP_ATTRIBUTION = (
    "Source: United Nations, DESA, Population Division. World Population Prospects 2024."
)
WB_ATTRIBUTION = "Source: World Bank, World Development Indicators (CC BY 4.0)."
IMF_ATTRIBUTION = "Source: IMF, World Economic Outlook Database, October 2025."
ILO_ATTRIBUTION = "ILO, ILOSTAT, SDG indicator 1.3.1 (SDG_0131_SEX_SOC_RT_A)."
UNSD_ATTRIBUTION = (
    "Source: UN Statistics Division, SDG Global Database (ILO and World Bank series), 2020."
)


@dataclass(frozen=True)
class DatasetSpec:
    """What one file of the pack must contain, and where it comes from."""

    id: str
    path: str  # relative to the pack folder
    columns: dict[str, pl.DataType | type[pl.DataType]]
    key: tuple[str, ...]
    source: str
    edition: str
    licence: str
    attribution: str
    non_negative: tuple[str, ...] = ()
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    iso3_column: str | None = "iso3"  # checked against the WPP locations (empty = aggregate)


DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        id="wpp_locations",
        path="wpp2024/wpp2024_locations.csv",
        columns={
            "loc_code": Int, "iso3": Utf8, "iso2": Utf8, "name": Utf8, "loc_type": Utf8,
            "sort_order": Int, "geo_subregion_code": Int, "geo_subregion_name": Utf8,
            "geo_area_code": Int, "geo_area_name": Utf8, "sdg_region_code": Int,
            "sdg_region_name": Utf8, "wb_income_code": Int, "wb_income_group": Utf8,
            "more_developed": Bool, "ldc": Bool, "lldc": Bool, "sids": Bool,
        },
        key=("loc_code",),
        source="UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        iso3_column=None,
    ),
    DatasetSpec(
        id="wpp_location_groups",
        path="wpp2024/wpp2024_location_groups.csv",
        columns={
            "group_code": Int, "group_name": Utf8, "group_type": Utf8, "loc_code": Int,
            "iso3": Utf8,
        },
        key=("group_code", "loc_code"),
        source="UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
    ),
    DatasetSpec(
        id="wpp_population_age5",
        path="wpp2024/wpp2024_population_age5_sex.csv.gz",
        columns={
            "loc_code": Int, "iso3": Utf8, "year": Int, "variant": Utf8, "sex": Utf8,
            "age_group": Utf8, "age_start": Int, "population": Int, "population_low": Int,
            "population_high": Int,
        },
        key=("loc_code", "year", "sex", "age_start"),
        source="UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("population", "population_low", "population_high"),
        ranges={"year": (1950, 2100), "age_start": (0, 100)},
    ),
    DatasetSpec(
        id="wpp_population_total",
        path="wpp2024/wpp2024_population_total_annual.csv.gz",
        columns={
            "loc_code": Int, "iso3": Utf8, "year": Int, "variant": Utf8, "pop_jan1": Int,
            "pop_jul1": Int, "pop_male_jul1": Int, "pop_female_jul1": Int, "method": Utf8,
        },
        key=("loc_code", "year"),
        source="UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("pop_jan1", "pop_jul1", "pop_male_jul1", "pop_female_jul1"),
        ranges={"year": (1950, 2100)},
    ),
    DatasetSpec(
        id="wpp_indicators",
        path="wpp2024/wpp2024_indicators_annual.csv.gz",
        columns={
            "loc_code": Int, "iso3": Utf8, "year": Int, "variant": Utf8, "e0_male": Float,
            "e0_female": Float, "e0_both": Float, "tfr": Float, "births": Int, "deaths": Int,
            "pop_change": Int, "cbr_per1000": Float, "cdr_per1000": Float,
            "natural_change_rate_per1000": Float, "net_migration_rate_per1000": Float,
            "growth_rate_pct": Float, "sex_ratio_at_birth": Float,
        },
        key=("loc_code", "year"),
        source="UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("e0_male", "e0_female", "e0_both", "tfr", "births", "deaths"),
        ranges={"year": (1950, 2100), "e0_both": (0, 120), "tfr": (0, 15)},
    ),
    DatasetSpec(
        id="wpp_mortality",
        path="wpp2024/wpp2024_mortality_rates_age5.csv.gz",
        columns={
            "loc_code": Int, "iso3": Utf8, "period": Utf8, "period_start": Int,
            "variant": Utf8, "sex": Utf8, "age_group": Utf8, "age_start": Int, "mx": Float,
        },
        key=("loc_code", "period_start", "sex", "age_start"),
        source="UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("mx",),
        ranges={"period_start": (1950, 2100), "age_start": (0, 100)},
    ),
    DatasetSpec(
        id="wpp_fertility",
        path="wpp2024/wpp2024_fertility_age_pattern.csv.gz",
        columns={
            "loc_code": Int, "iso3": Utf8, "period": Utf8, "period_start": Int,
            "variant": Utf8, "mother_age_group": Utf8, "pct_of_tfr": Float,
            "tfr_period": Float, "asfr": Float,
        },
        key=("loc_code", "period_start", "mother_age_group"),
        source="UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("pct_of_tfr", "tfr_period", "asfr"),
        ranges={"pct_of_tfr": (0, 100)},
    ),
    DatasetSpec(
        id="imf_weo",
        path="macro/imf_weo_2025oct.csv.gz",
        columns={
            "iso3": Utf8, "weo_code": Utf8, "is_aggregate": Bool, "year": Int,
            "indicator": Utf8, "indicator_label": Utf8, "unit": Utf8, "value": Float,
            "last_actual_label": Utf8, "last_actual_year": Int, "is_projection": Bool,
            "base_year": Utf8,
        },
        key=("weo_code", "year", "indicator"),
        source="IMF, World Economic Outlook database (IMF.RES:WEO 9.0.0), via R package imf-weo",
        edition="WEO October 2025",
        licence="IMF Copyright and Usage terms (attribute; do not redistribute)",
        attribution=IMF_ATTRIBUTION,
        ranges={"year": (1980, 2030)},
    ),
    DatasetSpec(
        id="wb_wdi",
        path="macro/wb_wdi_selected.csv.gz",
        columns={
            "iso3": Utf8, "wb_code": Utf8, "country_name": Utf8, "is_aggregate": Bool,
            "year": Int, "indicator": Utf8, "indicator_label": Utf8, "value": Float,
        },
        key=("wb_code", "year", "indicator"),
        source="World Bank, World Development Indicators "
        "(mirror datasets/world-development-indicators)",
        edition="WDI 2026-07",
        licence="CC BY 4.0",
        attribution=WB_ATTRIBUTION,
        ranges={"year": (1960, 2030)},
    ),
    DatasetSpec(
        id="wb_wdi_indicators",
        path="macro/wb_wdi_selected_indicators.csv",
        columns={"indicator": Utf8, "title": Utf8, "license": Utf8},
        key=("indicator",),
        source="World Bank, World Development Indicators (indicator titles)",
        edition="WDI 2026-07",
        licence="CC BY 4.0",
        attribution=WB_ATTRIBUTION,
        iso3_column=None,
    ),
    DatasetSpec(
        id="wb_poverty",
        path="poverty/wb_poverty_inequality.csv.gz",
        columns={
            "iso3": Utf8, "wb_code": Utf8, "name": Utf8, "is_aggregate": Bool, "year": Int,
            "pov_hc_300_pct": Float, "pov_gap_300_pct": Float, "gini_index": Float,
            "pov_hc_national_pct": Float, "survey_mean_ppp2021_per_day": Float,
            "survey_mean_b40_ppp2021_per_day": Float, "share_d1_pct": Float,
            "share_q1_pct": Float, "share_q2_pct": Float, "share_q3_pct": Float,
            "share_q4_pct": Float, "share_q5_pct": Float, "share_d10_pct": Float,
            "sg_pov_hc_300_pct": Float, "sg_pov_hc_420_pct": Float, "sg_pov_hc_830_pct": Float,
        },
        key=("wb_code", "year"),
        source="World Bank Poverty and Inequality Platform (2021 PPP) via WDI; Gapminder copies",
        edition="WDI 2026-07 (PIP, 2021 PPPs)",
        licence="CC BY 4.0",
        attribution=WB_ATTRIBUTION,
        ranges={
            "pov_hc_300_pct": (0, 100), "pov_gap_300_pct": (0, 100), "gini_index": (0, 100),
            "pov_hc_national_pct": (0, 100),
        },
    ),
    DatasetSpec(
        id="unsd_sdg131",
        path="social_protection/unsd_sdg131_coverage_2020.csv.gz",
        columns={
            "series": Utf8, "series_description": Utf8, "custodian": Utf8, "m49_code": Int,
            "iso3": Utf8, "geo_name": Utf8, "is_aggregate": Bool, "year": Int, "sex": Utf8,
            "quantile": Utf8, "nature": Utf8, "value_pct": Float,
        },
        key=("series", "m49_code", "year", "sex", "quantile"),
        source="UN Statistics Division, SDG Global Database "
        "(via open-numbers/ddf--unstats--sdg_indicators)",
        edition="SDG database 2020",
        licence="CC BY 4.0 (packaging); UN SDG data free with attribution",
        attribution=UNSD_ATTRIBUTION,
        ranges={"value_pct": (0, 100)},
    ),
    DatasetSpec(
        id="ilo_sdg131_country",
        path="social_protection/ilostat_sdg131_country_latest.csv.gz",
        columns={
            "iso3": Utf8, "ilostat_ref_area": Utf8, "sex": Utf8, "contingency": Utf8,
            "contingency_label": Utf8, "year": Int, "value_pct": Float, "is_latest": Int,
        },
        key=("ilostat_ref_area", "sex", "contingency", "year"),
        source="ILO, ILOSTAT SDG_0131_SEX_SOC_RT (via open-numbers/ddf--ilo--ilostat)",
        edition="ILOSTAT 2025",
        licence="ILOSTAT terms (reuse with attribution)",
        attribution=ILO_ATTRIBUTION,
        ranges={"value_pct": (0, 100)},
    ),
    DatasetSpec(
        id="ilo_sdg131_global",
        path="social_protection/ilostat_sdg131_world_lowincome_2009_2023.csv",
        columns={
            "ilo_ref_area": Utf8, "area_name": Utf8, "year": Int, "sex": Utf8,
            "ilo_classif1": Utf8, "contingency": Utf8, "coverage_pct": Float,
        },
        key=("ilo_ref_area", "year", "sex", "ilo_classif1"),
        source="ILO, ILOSTAT SDG_0131_SEX_SOC_RT modelled global estimates (WSPR 2024-26)",
        edition="WSPR 2024-26",
        licence="CC BY 4.0 (packaging); ILOSTAT terms",
        attribution=ILO_ATTRIBUTION,
        ranges={"coverage_pct": (0, 100), "year": (2009, 2030)},
        iso3_column=None,
    ),
)

BY_ID: dict[str, DatasetSpec] = {spec.id: spec for spec in DATASETS}
