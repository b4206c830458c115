"""The datasets of the reference data pack: where each file lies, its columns and checks.

One :class:`DatasetSpec` per file of a pack laid out like ``../shared/data`` (see its
``SOURCES.md``). The importer validates a file against its spec before anything is installed
(:mod:`socialcover.data.validate`), and the query API reads the Parquet file named after the
spec's ``id``. Units follow SOURCES.md: WPP counts are persons (not thousands), rates say their
base in the column name (``_per1000``, ``_pct``), IMF WEO values carry their unit in a column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

Utf8 = pl.Utf8
Int = pl.Int64
Float = pl.Float64
Bool = pl.Boolean

_TYPES: dict[str, type[pl.DataType]] = {
    "s": pl.Utf8,
    "i": pl.Int64,
    "f": pl.Float64,
    "b": pl.Boolean,
}

WPP_ATTRIBUTION = (
    "Source: United Nations, DESA, Population Division. World Population Prospects 2024."
)
WB_ATTRIBUTION = "Source: World Bank, World Development Indicators (CC BY 4.0)."
IMF_ATTRIBUTION = "Source: IMF, World Economic Outlook Database, October 2025."
ILO_ATTRIBUTION = "ILO, ILOSTAT, SDG indicator 1.3.1 (SDG_0131_SEX_SOC_RT_A)."
UNSD_ATTRIBUTION = (
    "Source: UN Statistics Division, SDG Global Database (ILO and World Bank series), 2020."
)
WPP_SOURCE = "UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)"

#: Country codes that publishers other than the UN use for economies WPP lists under another
#: code (IMF ``WBG`` = WPP ``PSE``) or not at all (World Bank ``CHI``, Channel Islands). They are
#: accepted by the importer's unknown-country check.
ISO3_ALIASES: dict[str, str | None] = {"WBG": "PSE", "CHI": None}

#: The unit the IMF WEO file must state for each indicator (SOURCES.md section 2). A file in
#: other units (e.g. NGDPD in US dollars instead of billions) is refused.
WEO_UNITS: dict[str, str] = {
    "GGR": "billions of national currency",
    "GGR_NGDP": "percent of GDP",
    "GGX": "billions of national currency",
    "GGXCNL_NGDP": "percent of GDP",
    "GGXONLB_NGDP": "percent of GDP",
    "GGXWDG_NGDP": "percent of GDP",
    "GGX_NGDP": "percent of GDP",
    "LE": "millions of persons",
    "LP": "millions of persons",
    "LUR": "percent of total labor force",
    "NGDP": "billions of national currency",
    "NGDPD": "billions of US dollars",
    "NGDPDPC": "US dollars",
    "NGDPPC": "national currency",
    "NGDP_D": "index",
    "NGDP_R": "billions of national currency",
    "NGDP_RPCH": "percent",
    "PCPI": "index",
    "PCPIEPCH": "percent",
    "PCPIPCH": "percent",
    "PPPEX": "national currency per international dollar",
    "PPPGDP": "billions of international dollars",
    "PPPPC": "international dollars",
}

#: ILOSTAT SDG 1.3.1 contingency codes (classif1) and their labels.
ILO_CONTINGENCY_LABELS: dict[str, str] = {
    "SOC_CONTIG_TOTAL": "Population covered by at least one social protection cash benefit",
    "SOC_CONTIG_CHILD": "Children/households receiving child/family cash benefits",
    "SOC_CONTIG_MAT": "Mothers with newborns receiving maternity cash benefits",
    "SOC_CONTIG_DISAB": "Persons with severe disabilities receiving disability cash benefits",
    "SOC_CONTIG_UNE": "Unemployed receiving unemployment cash benefits",
    "SOC_CONTIG_PENSION": "Persons above statutory retirement age receiving an old-age pension",
    "SOC_CONTIG_VULN": "Vulnerable persons covered by social assistance",
    "SOC_CONTIG_POOR": "Poor persons covered by social protection (SOC_CONTIG_POOR)",
    "SOC_CONTIG_INJ": "Labour force covered in the event of work injury",
}
#: Names used for the contingencies in the ILO global series file.
ILO_GLOBAL_CONTINGENCIES: dict[str, str] = {
    "SOC_CONTIG_TOTAL": "at_least_one_benefit",
    "SOC_CONTIG_CHILD": "children",
    "SOC_CONTIG_MAT": "mothers_with_newborns",
    "SOC_CONTIG_DISAB": "persons_with_severe_disabilities",
    "SOC_CONTIG_UNE": "unemployed",
    "SOC_CONTIG_PENSION": "older_persons_pension",
    "SOC_CONTIG_VULN": "vulnerable_social_assistance",
    "SOC_CONTIG_INJ": "employment_injury",
}

_SEX3 = ("male", "female", "both")


def _columns(text: str) -> dict[str, pl.DataType | type[pl.DataType]]:
    """Columns from ``"name:type ..."`` (types: s text, i integer, f float, b boolean)."""
    out: dict[str, pl.DataType | type[pl.DataType]] = {}
    for item in text.split():
        name, kind = item.split(":")
        out[name] = _TYPES[kind]
    return out


@dataclass(frozen=True)
class DatasetSpec:
    """What one file of the pack must contain, and where it comes from.

    ``units`` names the unit of each measured column (shown in range errors and manifests);
    ``allowed`` lists the values a code column may take; ``unit_column`` is
    ``(code column, unit column, expected unit per code)`` for files that state units per row.
    """

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
    units: dict[str, str] = field(default_factory=dict)
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unit_column: tuple[str, str, dict[str, str]] | None = None


DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        id="wpp_locations",
        path="wpp2024/wpp2024_locations.csv",
        columns=_columns(
            "loc_code:i iso3:s iso2:s name:s loc_type:s sort_order:i geo_subregion_code:i "
            "geo_subregion_name:s geo_area_code:i geo_area_name:s sdg_region_code:i "
            "sdg_region_name:s wb_income_code:i wb_income_group:s more_developed:b ldc:b "
            "lldc:b sids:b"
        ),
        key=("loc_code",),
        source=WPP_SOURCE,
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        iso3_column=None,
        allowed={
            "loc_type": (
                "country_area",
                "world",
                "geo_area",
                "geo_subregion",
                "sdg_region",
                "income_group",
                "development_group",
                "special_group",
            )
        },
    ),
    DatasetSpec(
        id="wpp_location_groups",
        path="wpp2024/wpp2024_location_groups.csv",
        columns=_columns("group_code:i group_name:s group_type:s loc_code:i iso3:s"),
        key=("group_code", "loc_code"),
        source=WPP_SOURCE,
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
    ),
    DatasetSpec(
        id="wpp_population_age5",
        path="wpp2024/wpp2024_population_age5_sex.csv.gz",
        columns=_columns(
            "loc_code:i iso3:s year:i variant:s sex:s age_group:s age_start:i population:i "
            "population_low:i population_high:i"
        ),
        key=("loc_code", "year", "sex", "age_start"),
        source=WPP_SOURCE,
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("population", "population_low", "population_high"),
        ranges={"year": (1950, 2100), "age_start": (0, 100)},
        units={
            "population": "persons (mid-year)",
            "population_low": "persons (mid-year)",
            "population_high": "persons (mid-year)",
        },
        allowed={"sex": ("male", "female"), "variant": ("estimate", "medium")},
    ),
    DatasetSpec(
        id="wpp_population_total",
        path="wpp2024/wpp2024_population_total_annual.csv.gz",
        columns=_columns(
            "loc_code:i iso3:s year:i variant:s pop_jan1:i pop_jul1:i pop_male_jul1:i "
            "pop_female_jul1:i method:s"
        ),
        key=("loc_code", "year"),
        source=WPP_SOURCE,
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("pop_jan1", "pop_jul1", "pop_male_jul1", "pop_female_jul1"),
        ranges={"year": (1950, 2100)},
        units={
            "pop_jan1": "persons",
            "pop_jul1": "persons",
            "pop_male_jul1": "persons",
            "pop_female_jul1": "persons",
        },
        allowed={"variant": ("estimate", "medium")},
    ),
    DatasetSpec(
        id="wpp_indicators",
        path="wpp2024/wpp2024_indicators_annual.csv.gz",
        columns=_columns(
            "loc_code:i iso3:s year:i variant:s e0_male:f e0_female:f e0_both:f tfr:f "
            "births:i deaths:i pop_change:i cbr_per1000:f cdr_per1000:f "
            "natural_change_rate_per1000:f net_migration_rate_per1000:f growth_rate_pct:f "
            "sex_ratio_at_birth:f"
        ),
        key=("loc_code", "year"),
        source=WPP_SOURCE,
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("e0_male", "e0_female", "e0_both", "tfr", "births", "deaths"),
        ranges={
            "year": (1950, 2100),
            "e0_male": (0, 120),
            "e0_female": (0, 120),
            "e0_both": (0, 120),
            "tfr": (0, 15),
            "cbr_per1000": (0, 100),
            "cdr_per1000": (0, 1000),
            "sex_ratio_at_birth": (0.5, 2),
        },
        units={
            "e0_male": "years",
            "e0_female": "years",
            "e0_both": "years",
            "tfr": "children per woman",
            "births": "persons per year",
            "deaths": "persons per year",
            "pop_change": "persons per year",
            "cbr_per1000": "births per 1,000 population",
            "cdr_per1000": "deaths per 1,000 population",
            "sex_ratio_at_birth": "male per female births",
        },
        allowed={"variant": ("estimate", "medium")},
    ),
    DatasetSpec(
        id="wpp_mortality",
        path="wpp2024/wpp2024_mortality_rates_age5.csv.gz",
        columns=_columns(
            "loc_code:i iso3:s period:s period_start:i variant:s sex:s age_group:s age_start:i mx:f"
        ),
        key=("loc_code", "period_start", "sex", "age_start"),
        source=WPP_SOURCE,
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("mx",),
        ranges={"period_start": (1950, 2100), "age_start": (0, 100), "mx": (0, 4)},
        units={"mx": "deaths per person-year (central death rate)"},
        allowed={"sex": _SEX3, "variant": ("estimate", "estimate+medium", "medium")},
    ),
    DatasetSpec(
        id="wpp_fertility",
        path="wpp2024/wpp2024_fertility_age_pattern.csv.gz",
        columns=_columns(
            "loc_code:i iso3:s period:s period_start:i variant:s mother_age_group:s "
            "pct_of_tfr:f tfr_period:f asfr:f"
        ),
        key=("loc_code", "period_start", "mother_age_group"),
        source=WPP_SOURCE,
        edition="WPP 2024",
        licence="CC BY 3.0 IGO",
        attribution=WPP_ATTRIBUTION,
        non_negative=("pct_of_tfr", "tfr_period", "asfr"),
        ranges={"pct_of_tfr": (0, 100), "tfr_period": (0, 15), "asfr": (0, 1)},
        units={
            "pct_of_tfr": "% of the period TFR",
            "tfr_period": "children per woman",
            "asfr": "births per woman per year",
        },
        allowed={"variant": ("estimate", "estimate+medium", "medium")},
    ),
    DatasetSpec(
        id="imf_weo",
        path="macro/imf_weo_2025oct.csv.gz",
        columns=_columns(
            "iso3:s weo_code:s is_aggregate:b year:i indicator:s indicator_label:s unit:s "
            "value:f last_actual_label:s last_actual_year:i is_projection:b base_year:s"
        ),
        key=("weo_code", "year", "indicator"),
        source="IMF, World Economic Outlook database (IMF.RES:WEO 9.0.0), via R package imf-weo",
        edition="WEO October 2025",
        licence="IMF Copyright and Usage terms (attribute; do not redistribute)",
        attribution=IMF_ATTRIBUTION,
        ranges={"year": (1980, 2030)},
        units={"value": "stated per row in `unit`"},
        unit_column=("indicator", "unit", WEO_UNITS),
    ),
    DatasetSpec(
        id="wb_wdi",
        path="macro/wb_wdi_selected.csv.gz",
        columns=_columns(
            "iso3:s wb_code:s country_name:s is_aggregate:b year:i indicator:s "
            "indicator_label:s value:f"
        ),
        key=("wb_code", "year", "indicator"),
        source=(
            "World Bank, World Development Indicators "
            "(mirror datasets/world-development-indicators)"
        ),
        edition="WDI 2026-07",
        licence="CC BY 4.0",
        attribution=WB_ATTRIBUTION,
        ranges={"year": (1960, 2030)},
        units={"value": "per indicator (see indicator_label)"},
    ),
    DatasetSpec(
        id="wb_wdi_indicators",
        path="macro/wb_wdi_selected_indicators.csv",
        columns=_columns("indicator:s title:s license:s"),
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
        columns=_columns(
            "iso3:s wb_code:s name:s is_aggregate:b year:i pov_hc_300_pct:f pov_gap_300_pct:f "
            "gini_index:f pov_hc_national_pct:f survey_mean_ppp2021_per_day:f "
            "survey_mean_b40_ppp2021_per_day:f share_d1_pct:f share_q1_pct:f share_q2_pct:f "
            "share_q3_pct:f share_q4_pct:f share_q5_pct:f share_d10_pct:f sg_pov_hc_300_pct:f "
            "sg_pov_hc_420_pct:f sg_pov_hc_830_pct:f"
        ),
        key=("wb_code", "year"),
        source="World Bank Poverty and Inequality Platform (2021 PPP) via WDI; Gapminder copies",
        edition="WDI 2026-07 (PIP, 2021 PPPs)",
        licence="CC BY 4.0",
        attribution=WB_ATTRIBUTION,
        non_negative=("survey_mean_ppp2021_per_day", "survey_mean_b40_ppp2021_per_day"),
        ranges={
            "pov_hc_300_pct": (0, 100),
            "pov_gap_300_pct": (0, 100),
            "gini_index": (0, 100),
            "pov_hc_national_pct": (0, 100),
            "share_q1_pct": (0, 100),
            "share_q5_pct": (0, 100),
        },
        units={
            "pov_hc_300_pct": "% of population below $3.00/day (2021 PPP)",
            "pov_gap_300_pct": "%",
            "gini_index": "index 0-100",
            "pov_hc_national_pct": "% of population",
            "survey_mean_ppp2021_per_day": "2021 PPP $ per person per day",
        },
    ),
    DatasetSpec(
        id="unsd_sdg131",
        path="social_protection/unsd_sdg131_coverage_2020.csv.gz",
        columns=_columns(
            "series:s series_description:s custodian:s m49_code:i iso3:s geo_name:s "
            "is_aggregate:b year:i sex:s quantile:s nature:s value_pct:f"
        ),
        key=("series", "m49_code", "year", "sex", "quantile"),
        source=(
            "UN Statistics Division, SDG Global Database "
            "(via open-numbers/ddf--unstats--sdg_indicators)"
        ),
        edition="SDG database 2020",
        licence="CC BY 4.0 (packaging); UN SDG data free with attribution",
        attribution=UNSD_ATTRIBUTION,
        # SI_COV_POOR is recipients over the poor and exceeds 100 in the source (URY 2019: 267).
        ranges={"value_pct": (0, 400)},
        units={"value_pct": "% of the reference population"},
        allowed={"sex": _SEX3, "custodian": ("ILO", "World Bank")},
    ),
    DatasetSpec(
        id="ilo_sdg131_country",
        path="social_protection/ilostat_sdg131_country_latest.csv.gz",
        columns=_columns(
            "iso3:s ilostat_ref_area:s sex:s contingency:s contingency_label:s year:i "
            "value_pct:f is_latest:i"
        ),
        key=("ilostat_ref_area", "sex", "contingency", "year"),
        source="ILO, ILOSTAT SDG_0131_SEX_SOC_RT (via open-numbers/ddf--ilo--ilostat)",
        edition="ILOSTAT 2025",
        licence="ILOSTAT terms (reuse with attribution)",
        attribution=ILO_ATTRIBUTION,
        ranges={"value_pct": (0, 100), "is_latest": (0, 1)},
        units={"value_pct": "% of the reference population"},
        allowed={"sex": ("SEX_T", "SEX_F", "SEX_M")},
    ),
    DatasetSpec(
        id="ilo_sdg131_global",
        path="social_protection/ilostat_sdg131_world_lowincome_2009_2023.csv",
        columns=_columns(
            "ilo_ref_area:s area_name:s year:i sex:s ilo_classif1:s contingency:s coverage_pct:f"
        ),
        key=("ilo_ref_area", "year", "sex", "ilo_classif1"),
        source="ILO, ILOSTAT SDG_0131_SEX_SOC_RT modelled global estimates (WSPR 2024-26)",
        edition="WSPR 2024-26",
        licence="CC BY 4.0 (packaging); ILOSTAT terms",
        attribution=ILO_ATTRIBUTION,
        ranges={"coverage_pct": (0, 100), "year": (2009, 2030)},
        iso3_column=None,
        units={"coverage_pct": "% of the reference population"},
        allowed={"sex": _SEX3},
    ),
)

BY_ID: dict[str, DatasetSpec] = {spec.id: spec for spec in DATASETS}
