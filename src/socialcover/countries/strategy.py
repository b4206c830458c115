"""The national strategy of an engagement: objectives, measures, financing, logframe, progress.

After the dialogue has agreed and endorsed recommendations, the engagement helps the country
write them into a national strategy. One strategy per engagement, drafted by its team and made
public by it (``status``: draft, published); readers see it once both the engagement and the
strategy are published, the team and the constituents' representatives see the draft.

- **Objectives** and **measures**: each measure says what is done, over which years (the
  timeline), who is responsible (a person or body, and optionally an organisation of the
  actor registry), and which recommendations of the matrix it carries out; through them it
  cites the saved costing scenarios (``name@version``) that cost it.
- **Financing** (:func:`strategy_financing`): the measures' costs, year by year over the
  strategy's years, from their scenarios (the costing engine's projection for the country,
  :func:`socialcover.countries.costs.scenario_cost`; a scenario cited by two measures counts
  once), against the fiscal space of the data pack's macro series: general government revenue
  and expenditure in % of GDP (IMF WEO, WDI fallback, :func:`socialcover.data.macro`), the cost
  in % of revenue and the fiscal balance.
- **Logframe**: indicators of the monitor registry (:func:`socialcover.monitor.get_indicator`)
  with a baseline (an approved observation of the country, cited like the matrix cites one),
  a target (value and year) and the means of verification.
- **Progress** (:mod:`socialcover.countries.progress`): the logframe against the latest
  approved observations of the indicator store, read on request or issued as a dated report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.countries.engagements import (
    get_engagement,
    is_team,
    representation,
    require_team,
)
from socialcover.store import RecordNotFoundError, ValidationError, flush_audited, validate_input
from socialcover.store.fields import RecordRef
from socialcover.store.models import (
    Engagement,
    EngagementRecommendation,
    LogframeIndicator,
    Observation,
    Organisation,
    Strategy,
    StrategyMeasure,
    StrategyObjective,
)

__all__ = [
    "LOGFRAME_LEVELS",
    "LogframeInput",
    "MeasureInput",
    "ObjectiveInput",
    "StrategyInput",
    "add_logframe_indicator",
    "add_measure",
    "add_objective",
    "get_strategy",
    "publish_strategy",
    "remove_strategy_item",
    "set_strategy",
    "strategy_as_dict",
    "strategy_financing",
    "withdraw_strategy",
]

LOGFRAME_LEVELS = ("impact", "outcome", "output")
"""The levels of a logframe row, from the widest change to what the measures deliver."""

_YEAR = Field(ge=1990, le=2100)


class StrategyInput(BaseModel):
    """The strategy's title, vision and years."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=3, max_length=300)
    vision: str = Field(default="", max_length=20_000)
    start_year: int = _YEAR
    end_year: int = _YEAR


class ObjectiveInput(BaseModel):
    """An objective of the strategy."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=3, max_length=20_000)


class MeasureInput(BaseModel):
    """A measure: what, when, by whom, carrying out which recommendations."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=3, max_length=20_000)
    objective_id: RecordRef | None = None
    start_year: int = _YEAR
    end_year: int = _YEAR
    responsible: str = Field(default="", max_length=300)
    responsible_organisation_id: RecordRef | None = None
    recommendation_ids: list[RecordRef] = Field(default_factory=list, max_length=100)


class LogframeInput(BaseModel):
    """A logframe row: an indicator of the registry, its baseline, target and verification."""

    model_config = ConfigDict(extra="forbid")
    level: str = Field(pattern="^(" + "|".join(LOGFRAME_LEVELS) + ")$")
    indicator: str = Field(min_length=3, max_length=100)
    sex: str = Field(default="both", pattern="^(both|female|male)$")
    objective_id: RecordRef | None = None
    baseline_observation_id: RecordRef | None = None
    target_value: float = Field(allow_inf_nan=False)
    target_year: int = _YEAR
    means_of_verification: str = Field(default="", max_length=20_000)


def _years(start: int, end: int, inside: tuple[int, int] | None = None) -> None:
    if end < start:
        raise ValidationError(
            f"The years end ({end}) before they start ({start}).",
            code="engagement.strategy-years",
            hint="Give an end year on or after the start year. Nothing was saved.",
            fields=["end_year"],
        )
    if inside is not None and not (inside[0] <= start and end <= inside[1]):
        raise ValidationError(
            f"The years {start}-{end} are outside the strategy's {inside[0]}-{inside[1]}.",
            code="engagement.strategy-years",
            hint="Give years within the strategy's, or widen the strategy first. "
            "Nothing was saved.",
            fields=["start_year", "end_year"],
        )


def _strategy(session: Session, engagement: Engagement) -> Strategy | None:
    return session.scalars(select(Strategy).where(Strategy.engagement_id == engagement.id)).first()


def get_strategy(session: Session, actor: Any, engagement_id: int) -> tuple[Strategy, Engagement]:
    """The engagement's strategy, if ``actor`` may see it: published (and the engagement
    visible), or ``actor`` on the team or a representative.

    Raises
    ------
    RecordNotFoundError
        No strategy yet, or a draft ``actor`` may not see.
    """
    engagement = get_engagement(session, actor, engagement_id)
    strategy = _strategy(session, engagement)
    inside = is_team(actor, engagement) or representation(actor, engagement) is not None
    if strategy is None or (strategy.status != "published" and not inside):
        raise RecordNotFoundError(
            f"Engagement {engagement_id} has no national strategy that you may see.",
            hint="Its team writes it (`socialcover engagement strategy set`) and publishes it.",
        )
    return strategy, engagement


def _team_strategy(
    session: Session, actor: Any, engagement_id: int, what: str
) -> tuple[Strategy, Engagement]:
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, what)
    strategy = _strategy(session, engagement)
    if strategy is None:
        raise ValidationError(
            f"Engagement {engagement_id} has no strategy yet.",
            code="engagement.no-strategy",
            hint="Write the strategy's title and years first (set_strategy). Nothing was saved.",
        )
    return strategy, engagement


def set_strategy(
    session: Session, actor: Any, engagement_id: int, data: StrategyInput | Mapping[str, Any]
) -> Strategy:
    """Write the strategy's title, vision and years (its team): created as a draft, or changed."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "write its strategy")
    values = validate_input(StrategyInput, data, "strategy")
    _years(values.start_year, values.end_year)
    strategy = _strategy(session, engagement)
    if strategy is not None:
        for m in strategy.measures:
            if m.start_year < values.start_year or m.end_year > values.end_year:
                _years(m.start_year, m.end_year, (values.start_year, values.end_year))
    if strategy is None:
        strategy = Strategy(engagement_id=engagement.id, status="draft", **values.model_dump())
        session.add(strategy)
    else:
        for key, value in values.model_dump().items():
            if getattr(strategy, key) != value:
                setattr(strategy, key, value)
    flush_audited(session, "engagement.strategy")
    return strategy


def _move(session: Session, actor: Any, engagement_id: int, status: str) -> Strategy:
    strategy, _ = _team_strategy(session, actor, engagement_id, "publish its strategy")
    strategy.status = status
    flush_audited(
        session, f"engagement.strategy.{'publish' if status == 'published' else 'withdraw'}"
    )
    return strategy


def publish_strategy(session: Session, actor: Any, engagement_id: int) -> Strategy:
    """Make the strategy public (its team); readers see it while the engagement is public."""
    return _move(session, actor, engagement_id, "published")


def withdraw_strategy(session: Session, actor: Any, engagement_id: int) -> Strategy:
    """Take the strategy back to a draft (its team)."""
    return _move(session, actor, engagement_id, "draft")


def _objective(strategy: Strategy, objective_id: int | None) -> None:
    if objective_id is not None and objective_id not in {o.id for o in strategy.objectives}:
        raise ValidationError(
            f"The strategy has no objective {objective_id}.",
            code="engagement.unknown-objective",
            hint="Give the id of one of this strategy's objectives. Nothing was saved.",
            fields=["objective_id"],
        )


def add_objective(
    session: Session, actor: Any, engagement_id: int, data: ObjectiveInput | Mapping[str, Any]
) -> StrategyObjective:
    """Add an objective to the strategy (its team)."""
    strategy, _ = _team_strategy(session, actor, engagement_id, "change its strategy")
    values = validate_input(ObjectiveInput, data, "objective")
    objective = StrategyObjective(text=values.text)
    strategy.objectives.append(objective)
    flush_audited(session, "engagement.strategy.objective")
    return objective


def add_measure(
    session: Session, actor: Any, engagement_id: int, data: MeasureInput | Mapping[str, Any]
) -> StrategyMeasure:
    """Add a measure to the strategy (its team), citing recommendations of the engagement.

    Raises
    ------
    ValidationError
        ``engagement.unknown-objective``, ``engagement.unknown-recommendation`` (not of this
        engagement), ``engagement.unknown-organisation``, ``engagement.strategy-years`` (years
        outside the strategy's); nothing is saved.
    """
    strategy, engagement = _team_strategy(session, actor, engagement_id, "change its strategy")
    values = validate_input(MeasureInput, data, "measure")
    _objective(strategy, values.objective_id)
    _years(values.start_year, values.end_year, (strategy.start_year, strategy.end_year))
    own = set(
        session.scalars(
            select(EngagementRecommendation.id).where(
                EngagementRecommendation.engagement_id == engagement.id
            )
        )
    )
    unknown = [r for r in values.recommendation_ids if r not in own]
    if unknown:
        raise ValidationError(
            f"Engagement {engagement.id} has no recommendation {unknown[0]}.",
            code="engagement.unknown-recommendation",
            hint="Cite recommendations of this engagement's matrix. Nothing was saved.",
            fields=["recommendation_ids"],
        )
    oid = values.responsible_organisation_id
    if oid is not None and session.get(Organisation, oid) is None:
        raise ValidationError(
            f"No organisation {oid}.",
            code="engagement.unknown-organisation",
            hint="Add it to the actor registry first (/actors). Nothing was saved.",
            fields=["responsible_organisation_id"],
        )
    measure = StrategyMeasure(
        **(
            values.model_dump()
            | {"recommendation_ids": list(dict.fromkeys(values.recommendation_ids))}
        )
    )
    strategy.measures.append(measure)
    flush_audited(session, "engagement.strategy.measure")
    return measure


def add_logframe_indicator(
    session: Session, actor: Any, engagement_id: int, data: LogframeInput | Mapping[str, Any]
) -> LogframeIndicator:
    """Add a logframe row (its team): an indicator of the monitor registry, its baseline
    observation (approved, of the country, of that indicator and sex), target and verification.

    Raises
    ------
    NotFoundError
        ``monitor.unknown-indicator`` (with the nearest codes).
    ValidationError
        The baseline is not an approved observation of the country
        (``engagement.unknown-observation``...), is of another indicator or sex
        (``engagement.baseline-mismatch``) or is not before the target year
        (``engagement.strategy-years``); the indicator is already in the logframe
        (``engagement.logframe-duplicate``); nothing is saved.
    """
    from socialcover.countries.matrix import cited_observation
    from socialcover.monitor import get_indicator

    strategy, engagement = _team_strategy(session, actor, engagement_id, "change its strategy")
    values = validate_input(LogframeInput, data, "logframe row")
    get_indicator(values.indicator)
    _objective(strategy, values.objective_id)
    if any(r.indicator == values.indicator and r.sex == values.sex for r in strategy.logframe):
        raise ValidationError(
            f"The logframe already follows {values.indicator} ({values.sex}).",
            code="engagement.logframe-duplicate",
            hint="Keep one row per indicator and sex. Nothing was saved.",
            fields=["indicator"],
        )
    if values.baseline_observation_id is not None:
        obs = cited_observation(session, engagement, values.baseline_observation_id)
        if obs.indicator != values.indicator or obs.sex != values.sex:
            raise ValidationError(
                f"Observation {obs.id} is of {obs.indicator} ({obs.sex}), not "
                f"{values.indicator} ({values.sex}).",
                code="engagement.baseline-mismatch",
                hint="Cite a baseline observation of the row's indicator and sex. "
                "Nothing was saved.",
                fields=["baseline_observation_id"],
            )
        if obs.year >= values.target_year:
            raise ValidationError(
                f"The baseline year {obs.year} is not before the target year {values.target_year}.",
                code="engagement.strategy-years",
                hint="Give a target year after the baseline's. Nothing was saved.",
                fields=["target_year"],
            )
    row = LogframeIndicator(**values.model_dump())
    strategy.logframe.append(row)
    flush_audited(session, "engagement.strategy.logframe")
    return row


_ITEMS: dict[str, type[StrategyObjective | StrategyMeasure | LogframeIndicator]] = {
    "objective": StrategyObjective,
    "measure": StrategyMeasure,
    "logframe": LogframeIndicator,
}


def remove_strategy_item(
    session: Session, actor: Any, engagement_id: int, kind: str, item_id: int
) -> None:
    """Remove an objective, a measure or a logframe row from the strategy (its team)."""
    strategy, _ = _team_strategy(session, actor, engagement_id, "change its strategy")
    model = _ITEMS.get(kind)
    if model is None:
        raise ValidationError(
            f"No kind of strategy item {kind!r}.",
            code="store.invalid",
            hint="Kinds: objective, measure, logframe.",
            fields=["kind"],
        )
    item = session.get(model, item_id)
    if item is None or getattr(item, "strategy_id", None) != strategy.id:
        raise RecordNotFoundError(
            f"The strategy has no {kind} {item_id}.",
            hint="The strategy lists its items with their ids.",
        )
    session.delete(item)
    flush_audited(session, f"engagement.strategy.{kind}")
    session.expire(strategy)


def _observation_dict(obs: Observation | None) -> dict[str, Any] | None:
    if obs is None:
        return None
    return {
        "id": obs.id,
        "year": obs.year,
        "value": obs.value,
        "revision": obs.revision,
        "source": obs.source,
        "vintage": obs.vintage,
    }


def _scenarios_of(session: Session, recommendation_ids: list[int]) -> list[tuple[int, int]]:
    """The distinct (scenario, version) pairs the recommendations link to, in their order."""
    recs = {
        r.id: r
        for r in session.scalars(
            select(EngagementRecommendation).where(
                EngagementRecommendation.id.in_(recommendation_ids)
            )
        )
    }
    pairs = [
        (int(recs[i].scenario_id or 0), int(recs[i].scenario_version or 1))
        for i in recommendation_ids
        if i in recs and recs[i].scenario_id
    ]
    return list(dict.fromkeys(pairs))


def strategy_as_dict(session: Session, actor: Any, engagement_id: int) -> dict[str, Any]:
    """The strategy as plain data: objectives, measures (with their recommendations and the
    scenarios that cost them, as ``name@version``), the timeline and the logframe."""
    from socialcover.countries.costs import scenario_label

    strategy, engagement = get_strategy(session, actor, engagement_id)
    orgs = {
        o.id: o.name
        for o in session.scalars(
            select(Organisation).where(
                Organisation.id.in_(
                    [
                        m.responsible_organisation_id
                        for m in strategy.measures
                        if m.responsible_organisation_id
                    ]
                )
            )
        )
    }
    measures: list[dict[str, Any]] = []
    for m in strategy.measures:
        ids = [int(i) for i in m.recommendation_ids]
        measures.append(
            {
                "id": m.id,
                "objective_id": m.objective_id,
                "text": m.text,
                "start_year": m.start_year,
                "end_year": m.end_year,
                "responsible": m.responsible,
                "responsible_organisation_id": m.responsible_organisation_id,
                "responsible_organisation": orgs.get(m.responsible_organisation_id or 0),
                "recommendation_ids": ids,
                "scenarios": [
                    {"scenario_id": sid, "version": v, "label": scenario_label(session, sid, v)}
                    for sid, v in _scenarios_of(session, ids)
                ],
            }
        )
    return {
        "id": strategy.id,
        "engagement_id": engagement.id,
        "title": strategy.title,
        "vision": strategy.vision,
        "start_year": strategy.start_year,
        "end_year": strategy.end_year,
        "status": strategy.status,
        "editable": is_team(actor, engagement),
        "objectives": [{"id": o.id, "text": o.text} for o in strategy.objectives],
        "measures": measures,
        "timeline": [
            {
                "year": y,
                "measure_ids": [m["id"] for m in measures if m["start_year"] <= y <= m["end_year"]],
            }
            for y in range(strategy.start_year, strategy.end_year + 1)
        ],
        "logframe": [
            {
                "id": r.id,
                "objective_id": r.objective_id,
                "level": r.level,
                "indicator": r.indicator,
                "sex": r.sex,
                "baseline": _observation_dict(
                    session.get(Observation, r.baseline_observation_id)
                    if r.baseline_observation_id
                    else None
                ),
                "target_value": r.target_value,
                "target_year": r.target_year,
                "means_of_verification": r.means_of_verification,
            }
            for r in strategy.logframe
        ],
    }


def strategy_financing(session: Session, actor: Any, engagement_id: int) -> dict[str, Any]:
    """The measures' costs against fiscal space, year by year over the strategy's years.

    Returns
    -------
    dict
        ``scenarios`` (the distinct scenario versions the measures cite, as ``name@version``),
        ``measures`` (per measure: its cost in % of GDP in its first and last year, summed over
        its own scenarios) and ``years`` (per year of the strategy that the scenarios project:
        ``cost_lcu``, ``cost_pct_gdp``, ``cost_pct_gov_expenditure``, ``financing_gap_lcu``,
        ``financing_gap_pct_gdp`` summed over the distinct scenarios; ``gov_revenue_pct_gdp`` and
        ``gov_expenditure_pct_gdp`` from the data pack's macro series, with ``macro_source``;
        ``cost_pct_gov_revenue`` = cost / revenue; ``fiscal_balance_pct_gdp`` = revenue -
        expenditure). A year the macro series lacks has those fields ``None``.
    """
    from socialcover.countries.costs import scenario_cost, scenario_label
    from socialcover.data import macro

    strategy, engagement = get_strategy(session, actor, engagement_id)
    iso3 = engagement.country_iso3
    span = range(strategy.start_year, strategy.end_year + 1)
    costs: dict[tuple[int, int], dict[int, dict[str, Any]]] = {}
    measures = []
    for m in strategy.measures:
        pairs = _scenarios_of(session, [int(i) for i in m.recommendation_ids])
        for pair in pairs:
            if pair not in costs:
                rows = scenario_cost(session, pair[0], pair[1], iso3)["years"]
                costs[pair] = {int(r["year"]): r for r in rows}

        def pct(year: int, pairs: list[tuple[int, int]] = pairs) -> float | None:
            values = [costs[p][year]["cost_pct_gdp"] for p in pairs if year in costs[p]]
            return sum(values) if values else None

        measures.append(
            {
                "id": m.id,
                "scenarios": [scenario_label(session, *p) for p in pairs],
                "first_year": m.start_year,
                "first_cost_pct_gdp": pct(m.start_year),
                "last_year": m.end_year,
                "last_cost_pct_gdp": pct(m.end_year),
            }
        )
    years_costed = sorted({y for c in costs.values() for y in c if y in span})
    fiscal: dict[tuple[int, str], tuple[float, str]] = {}
    if years_costed:
        frame = macro(iso3, years_costed, ["gov_revenue_pct_gdp", "gov_expenditure_pct_gdp"])
        for found in frame.iter_rows(named=True):
            fiscal[(int(found["year"]), str(found["indicator"]))] = (
                float(found["value"]),
                str(found["source"]),
            )
    sums = (
        "cost_lcu",
        "cost_pct_gdp",
        "cost_pct_gov_expenditure",
        "financing_gap_lcu",
        "financing_gap_pct_gdp",
    )
    years = []
    for y in years_costed:
        row: dict[str, Any] = {"year": y}
        for column in sums:
            row[column] = sum(float(c[y][column]) for c in costs.values() if y in c)
        revenue = fiscal.get((y, "gov_revenue_pct_gdp"))
        spending = fiscal.get((y, "gov_expenditure_pct_gdp"))
        row["gov_revenue_pct_gdp"] = revenue[0] if revenue else None
        row["gov_expenditure_pct_gdp"] = spending[0] if spending else None
        row["macro_source"] = revenue[1] if revenue else None
        row["cost_pct_gov_revenue"] = (
            row["cost_pct_gdp"] / revenue[0] * 100 if revenue and revenue[0] else None
        )
        row["fiscal_balance_pct_gdp"] = revenue[0] - spending[0] if revenue and spending else None
        years.append(row)
    return {
        "scenarios": [scenario_label(session, *p) for p in costs],
        "measures": measures,
        "years": years,
    }
