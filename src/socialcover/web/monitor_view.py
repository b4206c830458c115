"""What the monitoring pages show, read from approved observations only.

Public pages never show a value that was entered or submitted but not approved: every function
here reads :func:`socialcover.monitor.observations` with ``approved_only=True``, and a group
(the world, an ILO region, an income group) without an approved series of its own is the
aggregate of the approved country values (:func:`socialcover.monitor.aggregate`, imputation
included), marked ``modelled``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from socialcover import monitor
from socialcover.data.countries import ILO_REGIONS
from socialcover.errors import InputError
from socialcover.web import charts
from socialcover.web.facts import country_list
from socialcover.web.labels import N_
from socialcover.web.names import country_name, group_name, sort_key

DEFAULT_INDICATOR = "sdg131.at_least_one_benefit"
UNIVERSAL = 100.0
TARGET_YEAR = 2030
TARGET_SOURCE = "SDG target 1.3 (A/RES/70/1): universal social protection"
FIRST_YEAR = 2000
AGGREGATE_SOURCE = "socialcover: weighted aggregate of approved country observations"
NATURE_LABELS = {
    "observed": N_("observed"),
    "survey_estimate": N_("survey estimate"),
    "administrative": N_("administrative"),
    "modelled": N_("modelled"),
    "imputed": N_("imputed"),
}
SEX_LABELS = {"both": N_("both sexes"), "female": N_("women"), "male": N_("men")}
GROUP_TYPE_LABELS = {
    "world": N_("World"),
    "ilo-region": N_("ILO region"),
    "income-group": N_("Income group"),
}
STATUS_LABELS = {
    "reached": N_("reached"),
    "on track": N_("on track"),
    "off track": N_("off track"),
    "no data": N_("no data"),
}


@dataclass(frozen=True)
class Choice:
    """The reader's choices on the explorer, all of them in the query string."""

    indicator: str
    areas: tuple[str, ...]
    start: int | None
    end: int | None
    sex: str
    rank_year: int | None
    sort: str
    order: str

    def api_query(self) -> str:
        """The same observations as a query of ``/api/v1/monitor/observations``."""
        from urllib.parse import urlencode

        pairs = [
            ("indicator", self.indicator),
            *(("area", a) for a in self.areas),
            ("year_from", self.start),
            ("year_to", self.end),
            ("sex", self.sex),
        ]
        return urlencode([(k, v) for k, v in pairs if v is not None and v != ""])

    def query(self, **change: Any) -> str:
        """The query string of these choices (with ``change`` applied), for links."""
        from urllib.parse import urlencode

        values = {
            "indicator": self.indicator,
            "area": list(self.areas),
            "start": self.start,
            "end": self.end,
            "sex": self.sex,
            "rank_year": self.rank_year,
            "sort": self.sort,
            "order": self.order,
        }
        values.update(change)
        pairs = [
            (k, v)
            for k, value in values.items()
            for v in (value if isinstance(value, list) else [value])
            if v is not None and v != ""
        ]
        return urlencode(pairs)


def indicator_options(weighted_only: bool = False) -> list[dict[str, str]]:
    """Code and name of every indicator, in registry order."""
    return [
        {"code": d.code, "name": d.name}
        for d in monitor.list_indicators()
        if d.weight is not None or not weighted_only
    ]


def indicator_name(code: str, gt: Callable[[str], str]) -> str:
    """An indicator's name in the reader's language (the catalogues translate the registry's)."""
    return gt(monitor.get_indicator(code).name)


def groups() -> list[str]:
    """The group areas a reader can choose: the world, the ILO regions, the income groups."""
    incomes = sorted({c["income_group"] for c in country_list() if c.get("income_group")})
    return [monitor.WORLD, *ILO_REGIONS, *incomes]


def country_names(lang: str = "en") -> dict[str, str]:
    """ISO3 -> country name in ``lang`` (CLDR, see :mod:`socialcover.web.names`), in the
    order readers expect (accents and case ignored)."""
    named = [(c["iso3"], country_name(c["iso3"], c["name"], lang)) for c in country_list()]
    return dict(sorted(named, key=lambda pair: sort_key(pair[1])))


def _m49() -> dict[str, str]:
    """ISO3 -> the 3-digit UN M49 code the world-atlas shapes are keyed by."""
    return {c["iso3"]: f"{int(c['m49']):03d}" for c in country_list() if c.get("m49") is not None}


def source_line(rows: Sequence[dict[str, Any]], gt: Callable[[str], str]) -> str:
    """The chart's source line: the distinct sources of the values shown, then the platform
    (:func:`socialcover.monitor.source_line`, in the reader's language)."""
    # the literal is monitor.SOURCE_LINE, written out so that the catalogue extracts it
    template = gt("Source: %(sources)s. Chart: socialcover monitoring.")
    return monitor.source_line((r.get("source") for r in rows), template=template)


def series_chart(
    rows: Sequence[dict[str, Any]], name: str, unit: str, gt: Callable[[str], str]
) -> dict[str, Any] | None:
    """The explorer's line chart of ``rows`` (one line per area), with its source line: the
    monitor's chart (:func:`socialcover.monitor.series_chart`), as the report and the media
    kits draw it."""
    if not rows:
        return None
    frame = pl.DataFrame(
        [
            {"area": r["area"], "year": r["year"], "value": r["value"], "nature": r["nature"]}
            for r in rows
        ],
        schema={"area": pl.String, "year": pl.Int64, "value": pl.Float64, "nature": pl.String},
    )
    return monitor.series_chart(
        frame,
        title=name,
        y_title=unit,
        source=source_line(rows, gt),
        description=gt("Line chart: the chosen indicator by year, one line per area."),
        labels={r["area"]: r["name"] for r in rows},
        width="container",
        height=260,
    )


def ranking_map(
    ranking: Sequence[dict[str, Any]], title: str, unit: str, gt: Callable[[str], str]
) -> dict[str, Any] | None:
    """A world map of the ranking's values (countries of one year), with its source line."""
    codes = _m49()
    rows = [
        {"id": codes[r["area"]], "iso3": r["area"], "name": r["name"], "value": r["value"],
         "year": r["year"]}
        for r in ranking
        if r["area"] in codes
    ]  # fmt: skip
    if not rows:
        return None
    return charts.world_map(
        rows,
        title=title,
        description=gt("World map: the chosen indicator by country, for the ranking's year."),
        legend_title=unit,
        domain=(0, 100) if unit == "percent" else None,
        source=source_line(ranking, gt),
        country_title=gt("Country"),
        year_title=gt("Year"),
        no_data=gt("No data"),
    )


def members(group: str) -> list[str]:
    """The ISO3 codes of a group's countries (the world: every country)."""
    if group == monitor.WORLD:
        return [c["iso3"] for c in country_list()]
    return [
        c["iso3"] for c in country_list() if group in (c.get("ilo_region"), c.get("income_group"))
    ]


def add_not_covered(rows: list[dict[str, Any]], code: str) -> None:
    """Set each row's ``not_covered``: persons outside the indicator's coverage.

    (100 - value) / 100 x the indicator's denominator population (UN WPP, the same weight as
    the aggregates); a group's denominator is the sum of its countries'. Only for coverage
    rates of both sexes weighted by a population; otherwise ``None``.
    """
    d = monitor.get_indicator(code)
    weighted = d.unit == "percent" and d.weight is not None and d.weight.series != "gdp_usd"
    years = sorted({r["year"] for r in rows})
    table: dict[tuple[str, int], float] = {}
    if weighted and years:
        try:
            frame = monitor.denominators(code, years)
        except InputError:  # years outside the projections: no denominator to use
            frame = pl.DataFrame()
        table = {(i, y): p for i, y, p in frame.iter_rows()} if frame.height else {}
    group_sizes: dict[tuple[str, int], float] = {}
    names = country_names()
    for r in rows:
        r["not_covered"] = None
        if not table or r.get("sex") != "both" or r.get("value") is None:
            continue
        key = (r["area"], r["year"])
        if key not in table and r["area"] not in names:
            if key not in group_sizes:
                group_sizes[key] = sum(table.get((i, r["year"]), 0.0) for i in members(r["area"]))
            population = group_sizes[key] or None
        else:
            population = table.get(key)
        if population is not None:
            r["not_covered"] = max(0.0, 100.0 - r["value"]) / 100.0 * population


def approved(
    session: Session, actor: Any, code: str, area: Sequence[str] | None = None
) -> pl.DataFrame:
    """The approved observations of one indicator (optionally of some areas only)."""
    return monitor.observations(
        session, actor, indicator=code, area=list(area) if area else None, approved_only=True
    )


def group_series(
    frame: pl.DataFrame, code: str, areas: Sequence[str], sex: str, years: Sequence[int]
) -> pl.DataFrame:
    """Observation rows of group ``areas``: their own approved rows, else the aggregate.

    ``frame`` holds the approved observations of ``code``; an aggregate row is ``modelled`` and
    its footnote gives the share of the group's population on observed values. Years in which
    no country of the group has an observed value are left out.
    """
    own = frame.filter(pl.col("area").is_in(list(areas)), pl.col("sex") == sex)
    missing = [a for a in areas if a not in set(own["area"].to_list())]
    if not missing or not years or monitor.get_indicator(code).weight is None:
        return own
    try:
        table = monitor.aggregate(
            frame, code, years, ("world", "ilo-region", "income-group"), sex=sex
        )
    except InputError:  # no country rows of this sex, or no weight: nothing to aggregate
        return own
    # A year in which none of the group's population has an observed value is imputation only.
    made = table.filter(
        pl.col("group").is_in(missing),
        pl.col("value").is_not_null(),
        pl.col("population_share_observed") > 0,
    ).select(
        pl.lit(code).alias("indicator"),
        pl.col("group").alias("area"),
        "year",
        pl.lit(sex).alias("sex"),
        "value",
        pl.lit(None, pl.Float64).alias("se"),
        pl.lit(None, pl.Float64).alias("lower"),
        pl.lit(None, pl.Float64).alias("upper"),
        pl.lit("modelled").alias("nature"),
        pl.lit(AGGREGATE_SOURCE).alias("source"),
        pl.lit("").alias("vintage"),
        pl.format(
            "{}% of the population on observed values",
            (pl.col("population_share_observed") * 100).round(0).cast(pl.Int64),
        ).alias("footnotes"),
    )
    return pl.concat([own, made]).sort("area", "year")


def _years(frame: pl.DataFrame, start: int | None, end: int | None) -> list[int]:
    if frame.is_empty():
        return []
    first = max(FIRST_YEAR, int(frame["year"].min() or FIRST_YEAR))  # type: ignore[arg-type]
    last = int(frame["year"].max() or first)  # type: ignore[arg-type]
    return list(range(max(first, start or first), min(last, end or last) + 1))


def explore(
    session: Session, actor: Any, choice: Choice, gt: Callable[[str], str], lang: str = "en"
) -> dict[str, Any]:
    """The explorer's series (chart and table rows) and its ranking of countries for one year;
    places are named in ``lang``."""
    code = choice.indicator
    frame = approved(session, actor, code)
    names = country_names(lang)
    group_names = set(groups())
    years = _years(frame, choice.start, choice.end)
    chosen = [a for a in choice.areas if a in names or a in group_names]
    countries = frame.filter(
        pl.col("area").is_in([a for a in chosen if a in names]), pl.col("sex") == choice.sex
    )
    series = pl.concat(
        [
            countries,
            group_series(frame, code, [a for a in chosen if a in group_names], choice.sex, years),
        ]
    ).filter(pl.col("year").is_in(years))
    rows = [
        {
            **r,
            "name": names.get(r["area"], group_name(r["area"], gt)),
            "nature_label": gt(NATURE_LABELS.get(r["nature"], r["nature"])),
        }
        for r in series.sort("area", "year").to_dicts()
    ]
    in_countries = frame.filter(pl.col("area").is_in(list(names)), pl.col("sex") == choice.sex)
    counts = in_countries["year"].value_counts(name="n").sort(["n", "year"], descending=True)
    rank_years = sorted(counts["year"].to_list(), reverse=True)
    # By default the year with the most countries: the latest years have only a few values.
    rank_year = (
        choice.rank_year
        if choice.rank_year in rank_years
        else (counts["year"].to_list() or [None])[0]
    )
    ranking = [
        {
            **r,
            "name": names[r["area"]],
            "nature_label": gt(NATURE_LABELS.get(r["nature"], r["nature"])),
        }
        for r in in_countries.to_dicts()
        if r["year"] == rank_year
    ]
    key = (lambda r: sort_key(r["name"])) if choice.sort == "name" else (lambda r: r["value"])
    ranking.sort(key=key, reverse=choice.order == "desc")
    add_not_covered(rows, code)
    add_not_covered(ranking, code)
    return {
        "rows": rows,
        "ranking": ranking,
        "rank_year": rank_year,
        "rank_years": rank_years,
        "years": years,
        "chosen": chosen,
    }


def aggregates(
    session: Session, actor: Any, code: str, year: int | None, sex: str | None
) -> tuple[int | None, list[dict[str, Any]]]:
    """The year shown (the latest with approved values when ``year`` is None) and its table."""
    if year is None:
        frame = approved(session, actor, code)
        if frame.is_empty():
            return None, []
        year = int(frame["year"].max())  # type: ignore[arg-type]
    table = monitor.aggregate_store(
        session, actor, code, year, ("world", "ilo-region", "income-group"), sex=sex
    )
    return year, table.to_dicts()


def progress_rows(
    session: Session, actor: Any, code: str, area: str, sex: str
) -> tuple[list[dict[str, Any]], pl.DataFrame]:
    """The progress table of the world, the ILO regions (and ``area``), and ``area``'s series."""
    frame = approved(session, actor, code)
    areas = [monitor.WORLD, *ILO_REGIONS]
    if area not in areas:
        areas.append(area)
    in_groups = [a for a in areas if a in groups()]
    series = pl.concat(
        [
            group_series(frame, code, in_groups, sex, _years(frame, None, None)),
            frame.filter(pl.col("area").is_in(areas), ~pl.col("area").is_in(in_groups)),
        ]
    ).filter(pl.col("sex") == sex)
    targets = [monitor.Target(code, a, UNIVERSAL, TARGET_YEAR, source=TARGET_SOURCE) for a in areas]
    table = monitor.progress(series, targets)
    order = {a: i for i, a in enumerate(areas)}
    rows = sorted(table.to_dicts(), key=lambda r: order.get(r["area"], len(order)))
    latest = [
        {"area": r["area"], "year": r["latest_year"], "value": r["latest_value"], "sex": sex}
        for r in rows
    ]
    add_not_covered([x for x in latest if x["year"] is not None], code)
    for r, x in zip(rows, latest, strict=True):
        r["not_covered"] = x.get("not_covered")
    return rows, series.filter(pl.col("area") == area)


def progress_chart(series: pl.DataFrame, code: str, area: str, name: str) -> dict[str, Any] | None:
    """The progress chart of one series against universal coverage by 2030 (None: too short).

    Its title names the indicator (``name``) and the area rather than their codes.
    """
    if series.height < 2:
        return None
    try:
        spec = monitor.progress_chart(
            series, monitor.Target(code, area, UNIVERSAL, TARGET_YEAR, source=TARGET_SOURCE)
        )
    except InputError:
        return None
    spec["title"]["text"] = f"{name}, {area}"
    return spec


def country_history(
    session: Session, actor: Any, iso3: str, gt: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Each SDG 1.3.1 indicator's approved history in one country, one entry per sex the
    country has values for (the indicator's own first), with the nature of each point and the
    people not covered at the latest point (both sexes)."""
    codes = [d.code for d in monitor.list_indicators("sdg131.")]
    frame = monitor.observations(session, actor, indicator=codes, area=iso3, approved_only=True)
    out = []
    for code in codes:
        d = monitor.get_indicator(code)
        sexes = [d.sex, *(x for x in ("both", "female", "male") if x != d.sex)]
        for sex in sexes:
            rows = frame.filter(pl.col("indicator") == code, pl.col("sex") == sex).sort("year")
            if rows.is_empty():
                continue
            points = rows.to_dicts()
            add_not_covered(points[-1:], code)
            out.append(
                {
                    "code": code,
                    "name": d.name,  # translated on the page
                    "sex": sex,
                    "sex_label": gt(SEX_LABELS[sex]),
                    "own_sex": sex == d.sex,
                    "not_covered": points[-1]["not_covered"],
                    "points": [
                        {
                            "year": r["year"],
                            "value": r["value"],
                            "nature": gt(NATURE_LABELS.get(r["nature"], r["nature"])),
                        }
                        for r in points
                    ],
                }
            )
    return out


def group_page(
    session: Session, actor: Any, group: str, gt: Callable[[str], str], lang: str = "en"
) -> dict[str, Any]:
    """A region's or an income group's page: each SDG 1.3.1 series with the people not
    covered, and its countries' latest approved value of the headline indicator (countries
    named in ``lang``)."""
    names = country_names(lang)
    codes = [d.code for d in monitor.list_indicators("sdg131.")]
    series = []
    for code in codes:
        d = monitor.get_indicator(code)
        frame = approved(session, actor, code)
        rows = group_series(frame, code, [group], d.sex, _years(frame, None, None)).to_dicts()
        if not rows:
            continue
        rows.sort(key=lambda r: r["year"])
        add_not_covered(rows, code)
        for r in rows:
            r["nature_label"] = gt(NATURE_LABELS.get(r["nature"], r["nature"]))
        series.append({"code": code, "name": d.name, "rows": rows, "latest": rows[-1]})
    head = approved(session, actor, DEFAULT_INDICATOR, members(group))
    latest = (
        head.filter(pl.col("sex") == "both").sort("year").group_by("area").last().to_dicts()
        if head.height
        else []
    )
    by_area = {r["area"]: r for r in latest}
    countries = [
        {"iso3": i, "name": names[i], "value": by_area.get(i, {}).get("value"),
         "year": by_area.get(i, {}).get("year")}
        for i in members(group)
        if i in names
    ]  # fmt: skip
    countries.sort(key=lambda c: sort_key(str(c["name"])))
    kind = "world" if group == monitor.WORLD else (
        "ilo-region" if group in ILO_REGIONS else "income-group"
    )  # fmt: skip
    return {"series": series, "countries": countries, "kind": kind}
