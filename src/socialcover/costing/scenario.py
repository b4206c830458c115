"""Costing scenarios as data: a country, a horizon, macro assumptions and a list of benefits.

A scenario is written in YAML or JSON (or built in Python) and validated *completely* before
anything runs, in the manner of PolicyEngine's ``Reform.from_dict``: every problem is reported
at once, each naming the key, the bad value and the fix (:class:`ScenarioError`).

The benefit model follows the ILO Rapid Assessment Protocol and the SPF costing of ESS 58
(Ortiz, Durán-Valverde, Pal, Behrendt and Acuña-Ulate 2017, Annex II): cost = eligible
population x take-up x unit benefit x months / 12, plus administration, with the
administration-cost convention stated on every benefit (METHODS.md B2.1, "implementation
trap": a share of gross spending, gross = benefits / (1 - a), or a share of benefits,
gross = benefits x (1 + r)).

Examples
--------
>>> s = Scenario.from_dict({
...     "name": "Pension", "country": "KEN", "base_year": 2025, "horizon": 2030,
...     "benefits": [{"name": "pension", "guarantee": "old_age",
...                   "eligibility": {"ages": [65, 100]},
...                   "level": {"pct_of_gdp_per_capita": 20}}]})
>>> s.years
(2025, 2026, 2027, 2028, 2029, 2030)
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from socialcover.costing._errors import ScenarioError

MAX_AGE = 100
LAST_YEAR = 2100

Guarantee = Literal["children", "maternity", "disability", "old_age", "working_age", "other"]
Indexation = Literal["prices", "wages", "gdp_per_capita", "none"]
Variant = Literal["low", "medium", "high"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeBandRate(_Model):
    """A prevalence for one age band, e.g. severe disability of 1.6% at ages 15-64."""

    ages: tuple[int, int]
    pct: float = Field(ge=0, le=100)

    @field_validator("ages")
    @classmethod
    def _ages_possible(cls, v: tuple[int, int]) -> tuple[int, int]:
        return _check_ages(v)


class Eligibility(_Model):
    """Who is eligible: an age band, a sex, and optionally a condition with its prevalence."""

    ages: tuple[int, int] = (0, MAX_AGE)
    sex: Literal["both", "male", "female"] = "both"
    population: Literal["persons", "mothers_of_newborns"] = "persons"
    prevalence_pct: float | list[AgeBandRate] | None = None
    condition: str | None = None
    max_children_per_mother: int | None = Field(default=None, ge=1, le=20)

    @field_validator("ages")
    @classmethod
    def _ages_possible(cls, v: tuple[int, int]) -> tuple[int, int]:
        return _check_ages(v)

    @field_validator("prevalence_pct")
    @classmethod
    def _prevalence_range(
        cls, v: float | list[AgeBandRate] | None
    ) -> float | list[AgeBandRate] | None:
        if isinstance(v, (int, float)) and not 0 <= v <= 100:
            raise ValueError(f"a prevalence of {v}% is impossible; give a percentage in 0-100")
        return v


LEVEL_BASES = (
    "pct_of_gdp_per_capita",
    "pct_of_poverty_line",
    "lcu_per_month",
    "lcu_per_year",
    "ppp_per_day",
)


class Amount(_Model):
    """One way of stating an amount: exactly one of the keys."""

    pct_of_gdp_per_capita: float | None = Field(default=None, ge=0)
    pct_of_poverty_line: float | None = Field(default=None, ge=0)
    lcu_per_month: float | None = Field(default=None, ge=0)
    lcu_per_year: float | None = Field(default=None, ge=0)
    ppp_per_day: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Amount:
        given = [k for k in LEVEL_BASES if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of {', '.join(LEVEL_BASES)} (got {given or 'none'}); "
                "e.g. {pct_of_gdp_per_capita: 30}"
            )
        return self

    @property
    def basis(self) -> str:
        return next(k for k in LEVEL_BASES if getattr(self, k) is not None)

    @property
    def value(self) -> float:
        return float(getattr(self, self.basis))


class Level(Amount):
    """The benefit level at the base year, with an optional cap in any of the same units."""

    cap: Amount | None = None


def _percent_not_fraction(v: Any, what: str) -> Any:
    """A share given in percent: a number in (0, 1] looks like a fraction and is refused.

    ``1.0`` in a percent field means 1 %, and a user who meant 100 % would get a cost 100 times
    too low without a word. A share of 1 % or less is written with its unit as a string,
    ``"1%"``, which says the percent was meant.
    """
    if isinstance(v, str) and v.strip().endswith("%"):
        try:
            return float(v.strip()[:-1])
        except ValueError:
            raise ValueError(f"{what} {v!r} is not a percentage; write e.g. 80 or '0.5%'") from None
    if isinstance(v, int | float) and not isinstance(v, bool) and 0 < v <= 1:
        raise ValueError(
            f"a {what} of {v} looks like a fraction: percent fields take 0-100, so {v} means "
            f"{v}% (write {v * 100:g} for {v * 100:g}%); if you do mean {v}%, write it with its "
            f"unit as '{v}%'"
        )
    return v


def _percent_out(v: float | str) -> float | str:
    """Write a share of 1 % or less back with its unit, so the document validates again."""
    if isinstance(v, int | float) and 0 < v <= 1:
        return f"{v}%"
    return v


class TakeUp(_Model):
    """Coverage path: from ``start_pct`` (or today's coverage) to ``target_pct`` by a year.

    A path that moves (a start other than the target, or ``current``) needs ``target_year``;
    without it the path would jump to the target in the base year.
    """

    start_pct: float | Literal["current"] = Field(default=100.0)
    target_pct: float = Field(default=100.0)
    start_year: int | None = None
    target_year: int | None = None
    # for start_pct: current, each country's latest coverage in or before this year
    current_year: int | None = Field(default=None, ge=2000, le=LAST_YEAR)
    shape: Literal["linear", "logistic"] = "linear"
    steepness: float = Field(default=10.0, gt=0)

    @field_validator("start_pct", "target_pct", mode="before")
    @classmethod
    def _not_fraction(cls, v: Any) -> Any:
        return _percent_not_fraction(v, "take-up")

    @field_serializer("start_pct", "target_pct")
    def _unit_kept(self, v: float | str) -> float | str:
        return _percent_out(v)

    @model_validator(mode="after")
    def _path_has_an_end(self) -> TakeUp:
        moves = self.start_pct == "current" or self.start_pct != self.target_pct
        if moves and self.target_year is None:
            start = "today's coverage" if self.start_pct == "current" else f"{self.start_pct}%"
            raise ValueError(
                f"a take-up path from {start} to {self.target_pct}% needs target_year (the year "
                "the target is reached), e.g. target_year: 2030; without it the path would "
                "jump to the target in the base year"
            )
        return self

    @field_validator("start_pct", "target_pct")
    @classmethod
    def _pct(cls, v: float | str) -> float | str:
        if isinstance(v, (int, float)) and not 0 <= v <= 100:
            raise ValueError(
                f"a take-up of {v}% is impossible; give a percentage between 0 and 100 "
                "(100 = everyone eligible receives it)"
            )
        return v


class Targeting(_Model):
    """Pay only a share of the eligible, e.g. the poorest 20%.

    ``share_pct: poverty_headcount`` uses each country's latest share of people below the
    international poverty line ($3.00 a day, 2021 PPP; World Bank PIP via WDI).
    """

    share_pct: float | Literal["poverty_headcount"]
    label: str = ""

    @field_validator("share_pct", mode="before")
    @classmethod
    def _not_fraction(cls, v: Any) -> Any:
        return _percent_not_fraction(v, "targeted share")

    @field_serializer("share_pct")
    def _unit_kept(self, v: float | str) -> float | str:
        return _percent_out(v)

    @field_validator("share_pct")
    @classmethod
    def _share(cls, v: float | str) -> float | str:
        if isinstance(v, (int, float)) and not 0 < v <= 100:
            raise ValueError(
                f"a targeted share of {v}% is impossible; give a percentage above 0 and at most "
                "100 (e.g. 20 for the poorest 20%), or poverty_headcount"
            )
        return v


class Admin(_Model):
    """Administration cost with its convention (METHODS.md B2.1)."""

    rate_pct: float = Field(default=0.0, ge=0, lt=100)
    convention: Literal["share_of_gross", "share_of_benefits"] | None = None

    @model_validator(mode="after")
    def _convention_stated(self) -> Admin:
        if self.rate_pct > 0 and self.convention is None:
            raise ValueError(
                f"an administration cost of {self.rate_pct}% needs its convention: add "
                "convention: share_of_gross (gross = benefits / (1 - a)) or "
                "convention: share_of_benefits (gross = benefits x (1 + r))"
            )
        return self

    @property
    def factor(self) -> float:
        """Gross spending over benefit spending."""
        a = self.rate_pct / 100.0
        if self.convention == "share_of_gross":
            return 1.0 / (1.0 - a)
        return 1.0 + a


class CurrentSpending(_Model):
    """Spending today on the same guarantee, for the financing gap (one of the two keys)."""

    pct_gdp: float | None = Field(default=None, ge=0, le=100)
    lcu_per_year: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one(self) -> CurrentSpending:
        if (self.pct_gdp is None) == (self.lcu_per_year is None):
            raise ValueError("give exactly one of pct_gdp or lcu_per_year")
        return self


class Benefit(_Model):
    """One benefit of a package."""

    name: str = Field(min_length=1)
    guarantee: Guarantee = "other"
    eligibility: Eligibility = Eligibility()
    level: Level
    months: float = Field(default=12.0, gt=0, le=12)
    indexation: Indexation = "prices"
    takeup: TakeUp = TakeUp()
    targeting: Targeting | None = None
    admin: Admin = Admin()
    current_spending: CurrentSpending | None = None
    source: str = ""
    unverified: list[str] = Field(default_factory=list)
    # the keys a scenario set over a preset benefit: their provenance is "user", not the preset
    user_set: list[str] = Field(default_factory=list)


class Macro(_Model):
    """Overrides of the data-pack defaults (every key optional)."""

    real_growth_pct: float | None = Field(default=None, gt=-50, lt=100)
    inflation_pct: float | None = Field(default=None, gt=-50, lt=1000)
    gov_expenditure_pct_gdp: float | None = Field(default=None, gt=0, le=100)
    exchange_rate_lcu_per_usd: float | None = Field(default=None, gt=0)
    poverty_line_lcu_year: float | None = Field(default=None, gt=0)
    ppp_lcu_per_intl_dollar: float | None = Field(default=None, gt=0)
    us_inflation_pct: float | None = Field(default=None, gt=-50, lt=100)
    follow_weo: bool = Field(default=True, strict=True)


class NationalBenefit(_Model):
    """One country's own amounts for a benefit (e.g. a level in its currency)."""

    level: Level | None = None
    current_spending: CurrentSpending | None = None


class National(_Model):
    """Data and parameters of one country that the user supplies; their provenance is "user".

    ``gdp_lcu`` (nominal GDP by year, national currency) replaces IMF WEO's levels in those
    years; ``population`` (total population by year) scales WPP's to it; ``macro`` overrides
    the country's macro assumptions (growth, inflation, exchange rate, government expenditure,
    poverty line, PPP factor); ``benefits`` gives the country's own amounts per benefit name.
    A country missing from WEO (PRK) is costed with these.
    """

    gdp_lcu: dict[int, float] = Field(default_factory=dict)
    population: dict[int, float] = Field(default_factory=dict)
    macro: Macro = Macro()
    benefits: dict[str, NationalBenefit] = Field(default_factory=dict)
    source: str = ""

    @field_validator("gdp_lcu", "population")
    @classmethod
    def _by_year(cls, v: dict[int, float]) -> dict[int, float]:
        bad = {y: x for y, x in v.items() if not (1990 <= y <= LAST_YEAR) or not x > 0}
        if bad:
            raise ValueError(
                f"values by year must be positive, for years 1990-{LAST_YEAR}; got {bad}"
            )
        return v


LCU_MACRO_KEYS = ("exchange_rate_lcu_per_usd", "poverty_line_lcu_year", "ppp_lcu_per_intl_dollar")


class Range(_Model):
    """A triangular range around the central value (low, high; the mode is the central value)."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high}); swap them")
        return self


def _default_variant_weights() -> dict[Variant, float]:
    return {"low": 0.25, "medium": 0.5, "high": 0.25}


class Uncertainty(_Model):
    """Assumption ranges for Monte Carlo and one-way sensitivities.

    ``real_growth_pct`` and ``inflation_pct`` are shifts in percentage points of the whole path;
    ``takeup`` and ``prevalence`` are multipliers of the target take-up and of every prevalence.
    """

    real_growth_pct: Range = Range(low=-1.5, high=1.5)
    inflation_pct: Range = Range(low=-2.0, high=2.0)
    takeup: Range = Range(low=0.8, high=1.0)
    prevalence: Range = Range(low=0.8, high=1.2)
    population_variants: dict[Variant, float] = Field(default_factory=_default_variant_weights)

    @field_validator("population_variants")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        if not v or any(w < 0 for w in v.values()) or sum(v.values()) <= 0:
            raise ValueError("give non-negative weights, e.g. {low: 0.25, medium: 0.5, high: 0.25}")
        return v


class Scenario(_Model):
    """A costing scenario (see the module docstring)."""

    name: str = "scenario"
    description: str = ""
    country: str | None = None
    countries: list[str] | Literal["all"] | None = None
    base_year: int = Field(default=2025, ge=1990, le=2030)
    horizon: int | str = 2040
    population_variant: Variant = "medium"
    macro: Macro = Macro()
    package: str | None = None
    benefits: list[Benefit] = Field(default_factory=list)
    national: dict[str, National] = Field(default_factory=dict)
    uncertainty: Uncertainty = Uncertainty()

    @model_validator(mode="after")
    def _complete(self) -> Scenario:
        if self.country is None and self.countries is None:
            raise ValueError(
                "the scenario names no country: add country: KEN (an ISO3 code or a name), "
                "or countries: all"
            )
        if self.country is not None and self.countries is not None:
            raise ValueError("give either country or countries, not both")
        end = self.end_year
        if not self.base_year <= end <= LAST_YEAR:
            raise ValueError(
                f"horizon {self.horizon!r} must end between the base year {self.base_year} and "
                f"{LAST_YEAR}, e.g. horizon: 2040 or horizon: 2025-2040"
            )
        if not self.benefits:
            raise ValueError(
                "the scenario has no benefits: add benefits: [...] or package: spf-four-guarantees"
            )
        names = [b.name for b in self.benefits]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"benefit names must be unique; repeated: {dupes}")
        self._check_national()
        for b in self.benefits:
            for year in (b.takeup.start_year, b.takeup.target_year):
                if year is not None and not self.base_year <= year <= LAST_YEAR:
                    raise ValueError(
                        f"benefit {b.name!r}: take-up year {year} is before the base year "
                        f"{self.base_year}; give a year from {self.base_year} on"
                    )
        return self

    def _check_national(self) -> None:
        """Per-country keys name real benefits; amounts in a currency are per country."""
        names = {b.name for b in self.benefits}
        for iso, nat in self.national.items():
            if not re.fullmatch(r"[A-Z]{3}", iso):
                raise ValueError(
                    f"national: {iso!r} is not an ISO3 code; key each country's data by its "
                    "upper-case ISO3 code, e.g. national: {PRK: {gdp_lcu: {2025: ...}}}"
                )
            unknown = sorted(set(nat.benefits) - names)
            if unknown:
                raise ValueError(
                    f"national.{iso}.benefits names no benefit of the scenario: {unknown}; "
                    f"the benefits are {sorted(names)}"
                )
        if self.countries is None:
            return
        # in a multi-country scenario an amount in local currency would be applied to every
        # country's currency: refuse it unless given per country
        lcu = [f"macro.{k}" for k in LCU_MACRO_KEYS if getattr(self.macro, k) is not None]
        for b in self.benefits:
            for where, amount in (("level", b.level), ("level.cap", b.level.cap)):
                if amount is not None and amount.basis in ("lcu_per_month", "lcu_per_year"):
                    lcu.append(f"{b.name}.{where}.{amount.basis}")
            cs = b.current_spending
            if cs is not None and cs.lcu_per_year is not None:
                lcu.append(f"{b.name}.current_spending.lcu_per_year")
        if lcu:
            raise ValueError(
                f"amounts in local currency ({', '.join(lcu)}) cannot apply to several "
                "countries, each with its own currency; give them per country under "
                "national: {KEN: {macro: {...}, benefits: {NAME: {level: {lcu_per_month: ...}}}}} "
                "and keep a relative amount (pct_of_gdp_per_capita, pct_of_poverty_line, "
                "ppp_per_day) for the others"
            )

    def __init__(self, **data: Any) -> None:
        # Python-built scenarios get the same expansion and the same errors as files
        try:
            super().__init__(**_expand(data))
        except ValidationError as exc:
            raise _translate(exc) from None

    @property
    def end_year(self) -> int:
        return _parse_horizon(self.horizon, self.base_year)[1]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.base_year, self.end_year + 1))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Validate a scenario dict completely; raise one :class:`ScenarioError` listing every
        problem (key, value, fix)."""
        if not isinstance(data, dict):
            raise ScenarioError(
                f"A scenario must be a mapping of keys to values, not {type(data).__name__}.",
                code="costing.scenario-not-mapping",
                hint="Start the file with keys such as name:, country:, benefits:.",
            )
        bad = [k for k in data if not isinstance(k, str)]
        if bad:
            raise ScenarioError(
                f"Scenario keys must be names; got {bad[0]!r}.",
                code="costing.scenario-not-mapping",
                hint="Write keys such as name:, country:, benefits: (not numbers).",
            )
        return cls(**data)  # __init__ expands presets and translates errors


ScenarioLike = Scenario | dict[str, Any] | str | Path
"""A scenario, or what :func:`load_scenario` reads one from: a dict, or a YAML/JSON path."""


def load_scenario(source: ScenarioLike) -> Scenario:
    """Read and validate a scenario from a YAML/JSON file, a dict or a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        The file cannot be read or parsed, or the scenario is invalid (every problem listed).
    """
    if isinstance(source, Scenario):
        return source
    if isinstance(source, dict):
        return Scenario.from_dict(source)
    path = Path(source)
    if not path.exists():
        raise ScenarioError(
            f"Scenario file {str(path)!r} does not exist.",
            code="costing.scenario-file-missing",
            hint="Check the path, or use --country and --package instead of a file.",
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ScenarioError(
            f"Scenario file {path.name!r} is not valid {path.suffix.lstrip('.').upper()}: {exc}",
            code="costing.scenario-unparsable",
            hint="Fix the syntax at the line shown (indentation, colons, quotes).",
        ) from None
    return Scenario.from_dict(data)


# --- helpers -----------------------------------------------------------------------------------


def _check_ages(v: tuple[int, int]) -> tuple[int, int]:
    lo, hi = v
    if lo < 0 or hi > MAX_AGE or lo > hi:
        raise ValueError(
            f"ages [{lo}, {hi}] are impossible: give [from, to] with 0 <= from <= to <= {MAX_AGE} "
            f"({MAX_AGE} means {MAX_AGE} and over), e.g. ages: [65, {MAX_AGE}]"
        )
    return v


def _parse_horizon(horizon: int | str, base_year: int) -> tuple[int, int]:
    if isinstance(horizon, int):
        return base_year, horizon
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-|–|to)\s*(\d{4})\s*", horizon) or re.fullmatch(
        r"\s*()(\d{4})\s*", horizon
    )
    if not m:
        raise ValueError(f"horizon {horizon!r} is not a year or a range like 2025-2040")
    return (int(m.group(1)) if m.group(1) else base_year), int(m.group(2))


def _expand(data: dict[str, Any]) -> dict[str, Any]:
    """Expand ``package:`` into benefits and ``horizon: 2025-2040`` into base_year + horizon."""
    out = dict(data)
    horizon = out.get("horizon")
    if isinstance(horizon, str) and re.fullmatch(r"\s*\d{4}\s*(?:-|–|to)\s*\d{4}\s*", horizon):
        start, end = re.findall(r"\d{4}", horizon)
        if "base_year" in out and int(out["base_year"]) != int(start):
            raise ScenarioError(
                f"horizon {horizon!r} starts in {start} but base_year is {out['base_year']}.",
                code="costing.scenario-invalid",
                key="horizon",
                hint=f"Write horizon: {end} with base_year: {out['base_year']}, or drop base_year.",
            )
        out["base_year"], out["horizon"] = int(start), int(end)
    package = out.get("package")
    if package is not None:
        from socialcover.costing.presets import package_benefits

        extra = out.get("benefits") or []
        if not isinstance(extra, list):
            extra = []
        preset = package_benefits(str(package))
        by_name = {b.get("name"): b for b in extra if isinstance(b, dict)}
        merged = [_over_preset(b, by_name.pop(b["name"], {})) for b in preset]
        unmatched = [b for b in extra if not isinstance(b, dict) or b.get("name") in by_name]
        out["benefits"] = merged + unmatched
    return out


def _over_preset(preset: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """A preset benefit with the scenario's keys over it, their provenance the user's.

    The preset's unverified notes about a key the scenario replaced (``level: ...``) no longer
    apply and are dropped; ``user_set`` lists the keys the scenario set.
    """
    merged = _deep_merge(preset, over)
    keys = [k for k in over if k not in ("name", "source", "unverified", "user_set")]
    try:  # a key counts as the user's only if it changes the preset's value
        before, after = Benefit.model_validate(preset), Benefit.model_validate(merged)
        given = sorted(k for k in keys if getattr(before, k, None) != getattr(after, k, None))
    except ValidationError:  # reported when the scenario is validated
        given = sorted(keys)
    if given and "unverified" not in over:
        merged["unverified"] = [
            note
            for note in preset.get("unverified", [])
            if note.split(":", 1)[0].strip() not in given
        ]
    if given:
        merged["user_set"] = sorted({*merged.get("user_set", []), *given})
    return merged


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        # a level or an amount is replaced whole: merging {pct_of_poverty_line} into
        # {pct_of_gdp_per_capita} would give two bases
        mergeable = k not in ("level", "cap", "current_spending")
        if mergeable and isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """BaseModel classes reachable in an annotation (through Optional, list, Union...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType, list, tuple, dict):
        return [m for a in typing.get_args(annotation) for m in _models_in(a)]
    return []


def _parent_models(loc: tuple[int | str, ...]) -> list[type[BaseModel]]:
    current: list[type[BaseModel]] = [Scenario]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt = [
            m
            for model in current
            if part in model.model_fields
            for m in _models_in(model.model_fields[part].annotation)
        ]
        if nxt:
            current = nxt
        elif any(part in model.model_fields for model in current):
            return current
    return current


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part[:1].isupper() or "[" in part or part in ("float", "str", "int", "literal"):
            continue  # pydantic's union-member tags
        else:
            out += ("." if out else "") + part
    return out


def _translate(exc: ValidationError) -> ScenarioError:
    problems: list[str] = []
    hints: list[str] = []
    first_code = "costing.scenario-invalid"
    first_key = ""
    seen: set[str] = set()
    for i, err in enumerate(exc.errors()):
        loc = tuple(err["loc"])
        key = _dotted(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            bad = str(loc[-1])
            allowed = sorted({f for m in _parent_models(loc[:-1]) for f in m.model_fields})
            guess = difflib.get_close_matches(bad, allowed, n=1, cutoff=0.5)
            msg = f"unknown key {key!r}"
            hint = (f"did you mean {guess[0]!r}?" if guess else "") + (
                f" Allowed keys here: {', '.join(allowed)}."
            )
            code = "costing.unknown-key"
        elif kind == "missing":
            msg = f"missing key {key!r}"
            hint = f"add {loc[-1]}: to {_dotted(loc[:-1]) or 'the scenario'}"
            code = "costing.missing-key"
        else:
            text = err["msg"].removeprefix("Value error, ")
            value = err.get("input")
            shown = "" if isinstance(value, dict) else f" (got {value!r})"
            msg = f"{key or 'scenario'}: {text}{shown}"
            hint = ""
            code = "costing.invalid-value"
        if msg in seen:
            continue
        seen.add(msg)
        if i == 0 or not problems:
            first_code, first_key = code, key
        problems.append(msg)
        if hint:
            hints.append(f"{key}: {hint.strip()}")
    message = "Invalid scenario: " + "; ".join(problems) + "."
    return ScenarioError(
        message,
        code=first_code,
        hint=" ".join(hints) or "Fix the keys named above.",
        key=first_key,
        problems=problems,
    )
