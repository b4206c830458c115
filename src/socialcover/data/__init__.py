"""The reference data pack and its query API.

Countries and groups (:func:`country`, :func:`countries`, :data:`ILO_REGIONS`), population by
year, sex and age (:func:`population`, :func:`single_age_population`), vital rates
(:func:`births`, :func:`death_rates`, :func:`life_expectancy`), macro series (:func:`macro`),
poverty (:func:`poverty`), SDG 1.3.1 coverage (:func:`coverage`, :func:`coverage_global`) and a
country profile (:func:`profile`). Every query returns a tidy Polars frame with units in column
names and a ``source`` column naming the dataset and vintage; call ``.to_pandas()`` for pandas.

Installing the pack: :func:`install_pack` (validated, atomic, a no-op when unchanged),
:func:`pack_status`, :func:`ensure_pack` (env var, ../shared/data, fetch, else the demo),
:func:`install_demo` / :func:`build_demo_pack` (the fictional Demoland, XDM) and
``socialcover.data.fetch.fetch_pack`` (the official publishers).
"""

from socialcover.data.countries import ILO_REGIONS, Country, check_iso3, countries, country
from socialcover.data.coverage import CONTINGENCIES, coverage, coverage_global
from socialcover.data.demo import build_demo_pack, install_demo
from socialcover.data.ensure import ensure_pack
from socialcover.data.macro import INDICATORS as MACRO_INDICATORS
from socialcover.data.macro import macro
from socialcover.data.pack import ImportReport, install_pack, pack_status
from socialcover.data.population import parse_age_band, population, single_age_population
from socialcover.data.poverty import POVERTY_INDICATORS, poverty
from socialcover.data.profile import profile
from socialcover.data.vital import births, death_rates, life_expectancy

__all__ = [
    "CONTINGENCIES",
    "ILO_REGIONS",
    "MACRO_INDICATORS",
    "POVERTY_INDICATORS",
    "Country",
    "ImportReport",
    "births",
    "build_demo_pack",
    "check_iso3",
    "countries",
    "country",
    "coverage",
    "coverage_global",
    "death_rates",
    "ensure_pack",
    "install_demo",
    "install_pack",
    "life_expectancy",
    "macro",
    "pack_status",
    "parse_age_band",
    "population",
    "poverty",
    "profile",
    "single_age_population",
]
