"""An edition's numbers: what the report says, computed from the data at its cut-off.

:func:`build_edition` reads the approved observations of the store (or the data pack's series)
once, at one moment, and computes everything the report prints, in no language yet:

- the headline figures of the eight SDG 1.3.1 series and their trends, by ILO region and
  income group, and the headline series by sex: :func:`socialcover.monitor.aggregate`, the
  function behind ``socialcover monitor aggregate``, so the report's world and regional figures
  are that command's by construction;
- the cost of the social protection floor's four cash guarantees (preset
  ``spf-four-guarantees``) in every low- and middle-income country at once, with its Monte
  Carlo band and the financing gap: :func:`socialcover.costing.run_costing`; the gap subtracts
  current spending on each guarantee where the store holds an approved observation of it
  (``spending.<guarantee>_pct_gdp``, the latest up to the year), and is the full cost elsewhere
  (:meth:`EditionData.without_spending`);
- progress towards universal coverage by 2030 and the year it is reached at the current pace:
  :func:`socialcover.monitor.progress`;
- the country annex: each country's latest value of each series, its year and nature.

The cut-off (:class:`CutOff`) records when the data were read, how many approved observations
there were, a checksum over them, and the data pack's version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import polars as pl
from sqlalchemy.orm import Session

from socialcover.costing import CostingRequest, CostingRun, describe_package, run_costing
from socialcover.costing.aggregate import aggregate as aggregate_costs
from socialcover.data import ILO_REGIONS, countries, pack_status
from socialcover.errors import InputError
from socialcover.monitor import (
    AGGREGATE_SOURCE,
    OBSERVATION_SCHEMA,
    WORLD,
    Target,
    aggregate,
    get_indicator,
    list_indicators,
    observations,
    observations_from_pack,
    progress,
)
from socialcover.monitor.frame import NO_INCOME_GROUP
from socialcover.monitor.registry import SPENDING_PREFIX
from socialcover.report.i18n import N_

__all__ = [
    "HEADLINES",
    "INCOME_GROUPS",
    "PACKAGE",
    "SOURCES",
    "SPENDING_SCHEMA",
    "CutOff",
    "Edition",
    "EditionData",
    "build_edition",
]

Source = Literal["store", "pack"]
SOURCES: tuple[Source, ...] = ("store", "pack")
"""Where an edition reads its observations: the store's approved ones, or the data pack's."""

HEADLINES: tuple[tuple[str, str], ...] = (
    ("sdg131.at_least_one_benefit", N_("Population covered by at least one benefit")),
    ("sdg131.children", N_("Children")),
    ("sdg131.mothers_with_newborns", N_("Mothers with newborns")),
    ("sdg131.persons_with_severe_disabilities", N_("Persons with severe disabilities")),
    ("sdg131.unemployed", N_("Unemployed persons")),
    ("sdg131.older_persons_pension", N_("Older persons")),
    ("sdg131.vulnerable_social_assistance", N_("Vulnerable persons")),
    ("sdg131.employment_injury", N_("Employment injury")),
)
"""The headline series (SDG 1.3.1) and their short names, in the report's order."""

OWN_DENOMINATOR = (
    "sdg131.at_least_one_benefit",
    "sdg131.children",
    "sdg131.mothers_with_newborns",
    "sdg131.older_persons_pension",
)
"""Series weighted by their own denominator (docs/monitor-aggregate.md): only for these is
"people not covered" a count of people; the others are weighted by a proxy population."""

HEADLINE = HEADLINES[0][0]
INCOME_GROUPS = ("Low income", "Lower-middle income", "Upper-middle income", "High income")
LMIC = INCOME_GROUPS[:3]
PACKAGE = "spf-four-guarantees"
"""The costed package: the four cash guarantees of the social protection floor (R202)."""
UNIVERSAL, TARGET_YEAR = 100.0, 2030
TARGET_SOURCE = "SDG target 1.3 (A/RES/70/1): universal social protection"
TREND_YEARS = 8
SPENDING_SCHEMA: dict[str, pl.DataType] = {
    "iso3": pl.String(),
    "guarantee": pl.String(),
    "benefit": pl.String(),
    "indicator": pl.String(),
    "pct_gdp": pl.Float64(),
    "year": pl.Int64(),
    "source": pl.String(),
}
"""Columns of :attr:`EditionData.spending`: the country, the guarantee and the package's
benefit for it, the spending indicator, its value (% of GDP), year and source."""
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Edition:
    """What to build: the year, the world or one ILO region, and where the data come from.

    Parameters
    ----------
    year
        The reference year of the figures (2000-2030).
    region
        An ILO region (``Africa``...) for a regional edition; ``None`` for the world.
    source
        ``store`` (default): the platform database's approved observations; ``pack``: the data
        pack's series, as ``socialcover monitor aggregate`` reads them by default.
    draws, seed
        Monte Carlo draws of the costing's uncertainty band, and their seed.
    site
        The platform's address, for the links from each figure to its data.
    """

    year: int
    region: str | None = None
    source: Source = "store"
    draws: int = 200
    seed: int = 20250101
    site: str = "http://127.0.0.1:8000"

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= TARGET_YEAR:
            raise InputError(
                f"No report can be built for {self.year}.",
                code="report.bad-year",
                hint=f"Give a year from 2000 to {TARGET_YEAR}, e.g. --year 2023.",
                value=self.year,
            )
        if self.region is not None and self.region not in ILO_REGIONS:
            import difflib

            near = difflib.get_close_matches(self.region, ILO_REGIONS, n=1, cutoff=0.4)
            raise InputError(
                f"{self.region!r} is not an ILO region.",
                code="report.unknown-region",
                hint=(f"Did you mean {near[0]!r}? " if near else "")
                + "ILO regions: "
                + ", ".join(ILO_REGIONS)
                + ".",
                value=self.region,
            )
        if self.source not in SOURCES:
            raise InputError(
                f"Unknown source {self.source!r}.",
                code="report.bad-source",
                hint="Use --source store (approved observations) or pack.",
                value=self.source,
            )
        if self.draws < 1:
            raise InputError(
                f"{self.draws} Monte Carlo draws cannot make an uncertainty band.",
                code="report.bad-draws",
                hint="Give at least 1 draw, e.g. --draws 200.",
                value=self.draws,
            )

    @property
    def slug(self) -> str:
        """The edition's name in links and files: ``world-2023``, ``africa-2023``,
        ``asia-and-the-pacific-2023`` (:meth:`from_slug` reads it back).

        Examples
        --------
        >>> Edition(2023, "Asia and the Pacific").slug
        'asia-and-the-pacific-2023'
        >>> Edition.from_slug("world-2023") == Edition(2023)
        True
        """
        return f"{_slugify(self.region or 'World')}-{self.year}"

    @classmethod
    def from_slug(cls, slug: str, **options: Any) -> Edition:
        """The edition a :attr:`slug` names (``options``: the other fields, e.g. ``site=``).

        Raises
        ------
        InputError
            ``report.unknown-edition``: not ``world-YEAR`` or ``<ILO region>-YEAR``.
        """
        area, _, year = slug.rpartition("-")
        regions = {_slugify(r): r for r in ILO_REGIONS}
        if not year.isdigit() or len(year) != 4 or (area != "world" and area not in regions):
            raise InputError(
                f"No report edition is called {slug!r}.",
                code="report.unknown-edition",
                hint="Name an edition by its area and year: world-2023, or an ILO region's, "
                "e.g. " + ", ".join(f"{k}-2023" for k in regions) + ".",
                value=slug,
            )
        return cls(int(year), regions.get(area), **options)

    @property
    def area(self) -> str:
        """The edition's area: ``World`` or the region."""
        return self.region or WORLD

    @property
    def years(self) -> list[int]:
        """The years of the trends: the reference year and the eight before it."""
        return list(range(self.year - TREND_YEARS, self.year + 1))


@dataclass(frozen=True)
class CutOff:
    """The data an edition was built from, at the moment it read them."""

    taken_at: str
    source: Source
    observations: int
    observations_sha256: str
    pack_version: str
    pack_sha256: str


@dataclass(frozen=True)
class EditionData:
    """Every number of an edition (see the module docstring); rendered by
    :func:`socialcover.report.write_report` in any language."""

    edition: Edition
    cutoff: CutOff
    members: pl.DataFrame
    aggregates: pl.DataFrame
    by_sex: pl.DataFrame
    progress: pl.DataFrame
    progress_series: pl.DataFrame
    costing: CostingRun
    costs: pl.DataFrame
    annex: pl.DataFrame
    package: dict[str, Any] = field(default_factory=dict)
    spending: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SPENDING_SCHEMA))
    """Current spending the financing gap subtracts (:data:`SPENDING_SCHEMA`): one row per
    costed country and guarantee whose spending an approved observation gives."""

    def without_spending(self) -> pl.DataFrame:
        """The costed countries without any known spending on the guarantees: their financing
        gap is the full cost."""
        costed = self.costing.result.rows["iso3"].unique().to_list()
        known = set(self.spending["iso3"].to_list())
        return self.members.filter(
            pl.col("iso3").is_in(costed), ~pl.col("iso3").is_in(list(known))
        ).select("iso3", "name")

    def headline(self, code: str = HEADLINE, group: str | None = None) -> dict[str, Any]:
        """The aggregate row of ``code`` for ``group`` (default: the edition's area) in the
        reference year."""
        rows = self.aggregates.filter(
            pl.col("indicator") == code,
            pl.col("group") == (group or self.edition.area),
            pl.col("year") == self.edition.year,
        )
        return rows.row(0, named=True) if rows.height else {}


def build_edition(
    edition: Edition, *, session: Session | None = None, progress_to: Progress | None = None
) -> EditionData:
    """Compute an edition's numbers from the data as they are now.

    Parameters
    ----------
    edition
        What to build.
    session
        A read transaction on the platform database (needed for ``source="store"``).
    progress_to
        Called as ``progress_to(step, done, total)`` as the work goes.

    Returns
    -------
    EditionData

    Raises
    ------
    InputError
        ``report.no-store`` (no session for the store), ``report.no-data`` (no approved value
        of the headline series for the year), and the errors of the monitor and costing.
    """
    tell = progress_to or _silent
    total = 5
    tell("Reading the approved observations", 0, total)
    frame = _read(edition, session)
    cutoff = _cutoff(edition, frame)
    members = _members(edition)
    tell("Aggregating by region, income group and sex", 1, total)
    aggregates = _aggregates(edition, frame)
    if not aggregates.filter(
        pl.col("indicator") == HEADLINE,
        pl.col("group") == edition.area,
        pl.col("year") == edition.year,
        pl.col("value").is_not_null(),
    ).height:
        raise InputError(
            f"No approved value of {HEADLINE} for {edition.area} in {edition.year}.",
            code="report.no-data",
            hint="Approve observations for the year (socialcover monitor import, then the "
            "data-set review), or build from the data pack with --source pack.",
            value=edition.year,
        )
    by_sex = pl.concat(
        [
            aggregate(frame, HEADLINE, edition.year, _groupings(edition), sex=sex).with_columns(
                pl.lit(sex).alias("sex")
            )
            for sex in ("female", "male")
        ]
    )
    tell("Progress towards universal coverage", 2, total)
    progress_table, series = _progress(edition, aggregates)
    tell(f"Costing the floor in low- and middle-income countries ({edition.draws} draws)", 3, total)
    spending = _spending(edition, members, session)
    run, costs = _costing(edition, members, spending)
    tell("Country annex", 4, total)
    annex = _annex(edition, frame, members)
    tell("Done", total, total)
    return EditionData(
        edition=edition,
        cutoff=cutoff,
        members=members,
        aggregates=aggregates,
        by_sex=by_sex,
        progress=progress_table,
        progress_series=series,
        costing=run,
        costs=costs,
        annex=annex,
        package=describe_package(PACKAGE),
        spending=spending,
    )


# -- steps --------------------------------------------------------------------------------------


def _read(edition: Edition, session: Session | None) -> pl.DataFrame:
    codes = [code for code, _ in HEADLINES]
    if edition.source == "pack":
        return pl.concat([observations_from_pack(code) for code in codes])
    if session is None:
        raise InputError(
            "An edition from the store needs a database session.",
            code="report.no-store",
            hint="Pass session= (session_scope(write=False)), or build with source='pack'.",
        )
    return observations(session, None, indicator=codes, approved_only=True)


def _cutoff(edition: Edition, frame: pl.DataFrame) -> CutOff:
    ordered = frame.sort("indicator", "area", "year", "sex", "vintage")
    digest = hashlib.sha256(ordered.write_csv().encode("utf-8")).hexdigest()
    manifest = pack_status()
    return CutOff(
        taken_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        source=edition.source,
        observations=frame.height,
        observations_sha256=digest,
        pack_version=manifest.version if manifest else "none",
        pack_sha256=manifest.pack_sha256 if manifest else "",
    )


def _members(edition: Edition) -> pl.DataFrame:
    table = countries().select(
        "iso3",
        "name",
        "ilo_region",
        pl.when(pl.col("income_group") == NO_INCOME_GROUP)
        .then(None)
        .otherwise(pl.col("income_group"))
        .alias("income_group"),
    )
    if edition.region is not None:
        table = table.filter(pl.col("ilo_region") == edition.region)
    return table.sort("name")


def _groupings(edition: Edition) -> tuple[str, ...]:
    return ("world", "ilo-region", "income-group")


def _aggregates(edition: Edition, frame: pl.DataFrame) -> pl.DataFrame:
    out = []
    for code, _ in HEADLINES:
        table = aggregate(frame, code, edition.years, _groupings(edition))
        out.append(table.with_columns(pl.lit(code).alias("indicator")))
    return pl.concat(out)


def _progress(edition: Edition, aggregates: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    areas = [WORLD, *ILO_REGIONS, *INCOME_GROUPS]
    if edition.region is not None:
        areas = [edition.region, WORLD]
    code = HEADLINE
    sex = get_indicator(code).sex
    series = aggregates.filter(
        pl.col("indicator") == code,
        pl.col("group").is_in(areas),
        pl.col("value").is_not_null(),
        pl.col("population_share_observed") > 0,  # a year of imputation only is no observation
    ).select(
        pl.lit(code).alias("indicator"),
        pl.col("group").alias("area"),
        pl.col("year").cast(pl.Int32),
        pl.lit(sex).alias("sex"),
        "value",
        pl.lit(None, pl.Float64).alias("se"),
        pl.lit(None, pl.Float64).alias("lower"),
        pl.lit(None, pl.Float64).alias("upper"),
        pl.lit("modelled").alias("nature"),
        pl.lit(AGGREGATE_SOURCE).alias("source"),
        pl.lit("").alias("vintage"),
        pl.lit("").alias("footnotes"),
    )
    series = series.cast(OBSERVATION_SCHEMA)  # type: ignore[arg-type]
    targets = [Target(code, a, UNIVERSAL, TARGET_YEAR, source=TARGET_SOURCE) for a in areas]
    table = progress(series, targets)
    order = {a: i for i, a in enumerate(areas)}
    table = table.sort(pl.col("area").replace_strict(order, default=len(order)))
    return table, series.filter(pl.col("area") == edition.area)


def _spending(edition: Edition, members: pl.DataFrame, session: Session | None) -> pl.DataFrame:
    """Each costed country's latest approved spending on each guarantee, up to the year.

    Only the store holds spending (the data pack has none); an edition from the pack, or a
    country and guarantee without an approved observation, has none, and none is made up.
    """
    empty = pl.DataFrame(schema=SPENDING_SCHEMA)
    if edition.source != "store" or session is None:
        return empty
    codes = {
        d.code: str(d.metadata["guarantee"])
        for d in list_indicators()
        if d.code.startswith(SPENDING_PREFIX) and "guarantee" in d.metadata
    }
    iso3s = members.filter(pl.col("income_group").is_in(LMIC))["iso3"].to_list()
    frame = observations(session, None, indicator=list(codes), area=iso3s, approved_only=True)
    benefits = {b["guarantee"]: b["name"] for b in describe_package(PACKAGE)["benefits"]}
    latest = (
        frame.filter(
            pl.col("year") <= edition.year,
            pl.col("sex") == "both",
            pl.col("value").is_not_null(),
            pl.col("value").is_not_nan(),
        )
        .sort("indicator", "area", "year", "vintage")
        .unique(["indicator", "area"], keep="last", maintain_order=True)
    )
    if latest.is_empty():
        return empty
    return (
        latest.select(
            pl.col("area").alias("iso3"),
            pl.col("indicator").replace_strict(codes).alias("guarantee"),
            pl.col("indicator").replace_strict(codes).replace_strict(benefits).alias("benefit"),
            "indicator",
            pl.col("value").alias("pct_gdp"),
            "year",
            "source",
        )
        .cast(dict(SPENDING_SCHEMA))  # type: ignore[arg-type]
        .sort("iso3", "guarantee")
    )


def _costing(
    edition: Edition, members: pl.DataFrame, spending: pl.DataFrame
) -> tuple[CostingRun, pl.DataFrame]:
    iso3s = members.filter(pl.col("income_group").is_in(LMIC))["iso3"].to_list()
    national: dict[str, dict[str, Any]] = {}
    for r in spending.iter_rows(named=True):
        entry = national.setdefault(
            r["iso3"], {"benefits": {}, "source": "approved observations of the platform's store"}
        )
        entry["benefits"][r["benefit"]] = {"current_spending": {"pct_gdp": r["pct_gdp"]}}
    scenario: dict[str, Any] = {
        "name": f"Social protection floor, low- and middle-income countries, {edition.area}",
        "countries": iso3s,
        "package": PACKAGE,
        "base_year": edition.year,
        "horizon": TARGET_YEAR,
        **({"national": national} if national else {}),
    }
    run = run_costing(
        CostingRequest(scenario, by="income-group", monte_carlo=edition.draws, seed=edition.seed)
    )
    world = aggregate_costs(run.result, "world").with_columns(pl.lit(edition.area).alias("group"))
    grouped = run.grouped if run.grouped is not None else world.clear()
    costs = pl.concat([world, grouped.select(world.columns)])
    return run, costs


def _annex(edition: Edition, frame: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    table = members
    for code, _ in HEADLINES:
        short = code.removeprefix("sdg131.")
        latest = (
            frame.filter(
                pl.col("indicator") == code,
                pl.col("sex") == get_indicator(code).sex,
                pl.col("year") <= edition.year,
                pl.col("value").is_not_null(),
            )
            .sort("area", "year", "vintage")
            .unique("area", keep="last", maintain_order=True)
            .select(
                pl.col("area").alias("iso3"),
                pl.col("value").alias(f"{short}_value"),
                pl.col("year").alias(f"{short}_year"),
                pl.col("nature").alias(f"{short}_nature"),
            )
        )
        table = table.join(latest, on="iso3", how="left")
    return table


def _slugify(name: str) -> str:
    return "-".join(name.lower().split())


def _silent(step: str, done: int, total: int) -> None:
    """No progress shown."""
