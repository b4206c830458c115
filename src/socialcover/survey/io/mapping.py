"""Mapping files: which of a survey's variables and codes carry each standard concept.

A mapping is YAML written by an analyst. It is validated completely when read (every problem
is listed at once, nothing is half-applied), then applied to data by
:func:`~socialcover.survey.io.apply_mapping`. The shape::

    name: Synthetic EU-SILC Austria 2006
    period: year                 # amounts, welfare and line are per year (or: month)
    currency: EUR
    parameters: {pensionable_age: 65, child_age_max: 14, working_age: [15, 64]}
    design: {weight: rb050, strata: db040, psu: db030, lonely_psu: adjust}
    concepts:
      hh_id: db030                               # a variable, copied
      sex: {variable: rb090, values: {male: [male], female: [female]}}
      labour_status:
        variable: pl030
        values: {employed: [1, 2], unemployed: [3], inactive: [4, 5, 6, 7]}
      disabled: {variable: pl030, values: {1: [6], 0: [1, 2, 3, 4, 5, 7]}}
      welfare: eqIncome
      welfare_scale: eqSS
      poverty_line: {relative_to_median: 0.6}    # or {value: 12000} or a variable
      informal:                                   # or a variable with values {1: .., 0: ..}
        rule: ilo
        employer_contributes: {variable: q12, values: {1: [1], 0: [2]}}
        unit_registered: {variable: q20, values: {1: [1], 0: [2, 3]}}
    benefits:
      old_age: {amount: py100n}                   # receipt = amount > 0
      child: {amount: hy050n, level: household}
      unemployment: {receives: {variable: q31, values: {1: [1], 0: [2]}}, amount: q32}
    keep: [region_name]                          # extra variables passed through unchanged

Codes may be the numbers stored in the file or, for Stata and SPSS files, their value labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from socialcover.errors import InputError
from socialcover.survey.io.concepts import BENEFIT_TYPES, BY_NAME, CONTRIBUTORY_BY_DEFAULT

__all__ = ["BenefitSpec", "Mapping", "SurveyParameters", "VariableSpec"]

LONELY_PSU = ("fail", "remove", "adjust", "average", "certainty")
TOP_KEYS = {
    "name",
    "description",
    "period",
    "currency",
    "parameters",
    "design",
    "concepts",
    "benefits",
    "keep",
}
# True == 1 and False == 0 as dict keys, so the numbers 1 and 0 are covered too.
FLAG_KEYS: dict[object, int] = {
    True: 1,
    False: 0,
    "1": 1,
    "0": 0,
    "yes": 1,
    "no": 0,
    "true": 1,
    "false": 0,
}


@dataclass(frozen=True)
class SurveyParameters:
    """Country parameters the indicators need (ages in completed years).

    ``pensionable_age`` defaults to 65 and ``child_age_max`` to 14 (children 0-14), as in the
    ILO World Social Protection Report series [R: check against the country's law and the
    edition used]; ``working_age`` to 15-64.
    """

    pensionable_age: int = 65
    child_age_max: int = 14
    working_age: tuple[int, int] = (15, 64)


@dataclass(frozen=True)
class VariableSpec:
    """Where one concept comes from: a variable (recoded or not), a constant or a rule."""

    variable: str | None = None
    values: dict[Any, tuple[Any, ...]] | None = None  # standard value -> source codes
    missing: tuple[Any, ...] = ()
    constant: float | str | None = None
    multiply: float = 1.0
    relative_to_median: float | None = None
    rule: str | None = None
    inputs: dict[str, VariableSpec] = field(default_factory=dict)

    def variables(self) -> list[str]:
        """Every source variable this spec reads."""
        out = [self.variable] if self.variable else []
        for spec in self.inputs.values():
            out.extend(spec.variables())
        return out


@dataclass(frozen=True)
class BenefitSpec:
    """Receipt and amount of one benefit type."""

    name: str
    receives: VariableSpec | None
    amount: VariableSpec | None
    level: Literal["person", "household"] = "person"
    contributory: bool = False
    missing_amount: Literal["zero", "missing"] = "zero"


@dataclass(frozen=True)
class Mapping:
    """A validated mapping from one survey's variables to the standard concepts."""

    name: str
    concepts: dict[str, VariableSpec]
    benefits: dict[str, BenefitSpec]
    period: Literal["year", "month"] = "year"
    currency: str | None = None
    parameters: SurveyParameters = field(default_factory=SurveyParameters)
    lonely_psu: str = "fail"
    keep: tuple[str, ...] = ()
    source: str = "<dict>"

    @classmethod
    def from_yaml(cls, path: str | Path) -> Mapping:
        """Read and validate a mapping file.

        Raises
        ------
        InputError
            ``survey.mapping-not-found``, ``survey.mapping-yaml`` (not valid YAML) or
            ``survey.mapping-invalid`` (listing every problem found).
        """
        p = Path(path)
        if not p.exists():
            raise InputError(
                f"Mapping file {str(p)!r} does not exist.",
                code="survey.mapping-not-found",
                hint="Give the path of a YAML mapping; docs/examples/ has one for EU-SILC.",
            )
        try:
            raw = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InputError(
                f"Mapping file {p.name!r} is not valid YAML: {exc}",
                code="survey.mapping-yaml",
                hint="Check the indentation and quoting near the line named above.",
            ) from exc
        return cls.from_dict(raw, source=str(p))

    @classmethod
    def from_dict(cls, raw: Any, *, source: str = "<dict>") -> Mapping:
        """Validate a mapping given as a dictionary (the parsed YAML)."""
        problems: list[str] = []
        if not isinstance(raw, dict):
            raise _invalid(source, [f"the top level must be a mapping, not {type(raw).__name__}"])
        for key in sorted(set(raw) - TOP_KEYS, key=str):
            problems.append(f"unknown section {key!r} (known: {', '.join(sorted(TOP_KEYS))})")
        period = raw.get("period", "year")
        if period not in ("year", "month"):
            problems.append(f"period is {period!r}; use 'year' or 'month'")
        parameters = _parameters(raw.get("parameters") or {}, problems)
        concepts: dict[str, VariableSpec] = {}
        design = raw.get("design") or {}
        lonely = "fail"
        if not isinstance(design, dict):
            problems.append("design must be a mapping with weight, strata, psu, fpc")
            design = {}
        for key, value in design.items():
            if key == "lonely_psu":
                if value not in LONELY_PSU:
                    problems.append(f"design.lonely_psu is {value!r}; use one of {LONELY_PSU}")
                else:
                    lonely = str(value)
            elif key in ("weight", "strata", "psu", "fpc"):
                if value is not None:
                    concepts[key] = _variable_spec(f"design.{key}", value, problems)
            else:
                problems.append(f"design.{key} is not known (weight, strata, psu, fpc, lonely_psu)")
        raw_concepts = raw.get("concepts") or {}
        if not isinstance(raw_concepts, dict):
            problems.append("concepts must be a mapping from concept to variable")
            raw_concepts = {}
        for key, value in raw_concepts.items():
            if key not in BY_NAME or key in ("weight", "strata", "psu", "fpc"):
                where = "design" if key in ("weight", "strata", "psu", "fpc") else None
                known = ", ".join(n for n in BY_NAME if n not in ("weight", "strata", "psu", "fpc"))
                problems.append(
                    f"concepts.{key}: put it under design:"
                    if where
                    else f"concepts.{key} is not a standard concept (known: {known})"
                )
                continue
            concepts[key] = _concept_spec(key, value, problems)
        if "weight" not in concepts:
            problems.append("design.weight is missing: every survey needs its weight variable")
        benefits = _benefits(raw.get("benefits") or {}, problems)
        keep = raw.get("keep") or []
        if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
            problems.append("keep must be a list of variable names")
            keep = []
        if problems:
            raise _invalid(source, problems)
        return cls(
            name=str(raw.get("name") or Path(source).stem),
            concepts=concepts,
            benefits=benefits,
            period=period,
            currency=raw.get("currency"),
            parameters=parameters,
            lonely_psu=lonely,
            keep=tuple(keep),
            source=source,
        )

    def variables(self) -> list[str]:
        """Every source variable the mapping reads (for reading only those columns)."""
        out: list[str] = []
        for spec in self.concepts.values():
            out.extend(spec.variables())
        for b in self.benefits.values():
            for part in (b.receives, b.amount):
                if part is not None:
                    out.extend(part.variables())
        out.extend(self.keep)
        return list(dict.fromkeys(out))


def _invalid(source: str, problems: list[str]) -> InputError:
    listing = "\n".join(f"  - {p}" for p in problems)
    return InputError(
        f"The mapping {source} has {len(problems)} problem(s):\n{listing}",
        code="survey.mapping-invalid",
        hint="Fix each line listed; docs/indicators.md describes every section and concept.",
        problems=problems,
    )


def _parameters(raw: Any, problems: list[str]) -> SurveyParameters:
    if not isinstance(raw, dict):
        problems.append("parameters must be a mapping")
        return SurveyParameters()
    known = {"pensionable_age", "child_age_max", "working_age"}
    for key in set(raw) - known:
        problems.append(f"parameters.{key} is not known ({', '.join(sorted(known))})")
    out = SurveyParameters()
    kwargs: dict[str, Any] = {}
    for key in ("pensionable_age", "child_age_max"):
        if key in raw:
            if not isinstance(raw[key], int) or not 0 <= raw[key] <= 120:
                problems.append(f"parameters.{key} is {raw[key]!r}; give an age in years")
            else:
                kwargs[key] = raw[key]
    if "working_age" in raw:
        wa = raw["working_age"]
        if (
            isinstance(wa, list)
            and len(wa) == 2
            and all(isinstance(a, int) for a in wa)
            and wa[0] <= wa[1]
        ):
            kwargs["working_age"] = (wa[0], wa[1])
        else:
            problems.append(f"parameters.working_age is {wa!r}; give [from, to], e.g. [15, 64]")
    return SurveyParameters(**{**out.__dict__, **kwargs})


def _codes(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _variable_spec(where: str, raw: Any, problems: list[str]) -> VariableSpec:
    if isinstance(raw, str):
        return VariableSpec(variable=raw)
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a variable name or a mapping; got {raw!r}")
        return VariableSpec()
    allowed = {"variable", "values", "missing", "value", "multiply"}
    for key in set(raw) - allowed:
        problems.append(f"{where}.{key} is not known ({', '.join(sorted(allowed))})")
    if ("variable" in raw) == ("value" in raw):
        problems.append(f"{where} needs exactly one of 'variable' or 'value'")
    values: dict[Any, tuple[Any, ...]] | None = None
    if "values" in raw:
        if not isinstance(raw["values"], dict) or not raw["values"]:
            problems.append(f"{where}.values must map each standard value to a list of codes")
        else:
            values = {k: _codes(v) for k, v in raw["values"].items()}
    multiply = raw.get("multiply", 1.0)
    if not isinstance(multiply, int | float) or isinstance(multiply, bool):
        problems.append(f"{where}.multiply is {multiply!r}; give a number")
        multiply = 1.0
    constant = raw.get("value")
    return VariableSpec(
        variable=raw.get("variable"),
        values=values,
        missing=_codes(raw["missing"]) if "missing" in raw else (),
        constant=constant,
        multiply=float(multiply),
    )


def _concept_spec(name: str, raw: Any, problems: list[str]) -> VariableSpec:
    concept = BY_NAME[name]
    where = f"concepts.{name}"
    if name == "poverty_line" and isinstance(raw, dict) and "relative_to_median" in raw:
        share = raw["relative_to_median"]
        if set(raw) != {"relative_to_median"} or not isinstance(share, int | float) or share <= 0:
            problems.append(f"{where}: give relative_to_median alone, as a share such as 0.6")
            return VariableSpec()
        return VariableSpec(relative_to_median=float(share))
    if name == "informal" and isinstance(raw, dict) and "rule" in raw:
        return _ilo_rule(raw, problems)
    spec = _variable_spec(where, raw, problems)
    if concept.kind == "category" and spec.variable and spec.values is not None:
        for key in spec.values:
            if key not in concept.categories:
                problems.append(
                    f"{where}.values has {key!r}; the standard values are "
                    + ", ".join(concept.categories)
                )
    if concept.kind == "flag" and spec.values is not None:
        spec = _flag_values(where, spec, problems)
    if concept.kind in ("category", "flag") and spec.variable and spec.values is None:
        return spec  # the variable already holds the standard values; checked on the data
    return spec


def _flag_values(where: str, spec: VariableSpec, problems: list[str]) -> VariableSpec:
    assert spec.values is not None  # guarded by the caller; not user input
    out: dict[Any, tuple[Any, ...]] = {}
    for key, codes in spec.values.items():
        norm = FLAG_KEYS.get(key.lower() if isinstance(key, str) else key)
        if norm is None:
            problems.append(f"{where}.values has {key!r}; a yes/no concept uses 1 and 0")
            continue
        out[norm] = codes
    return VariableSpec(
        variable=spec.variable, values=out, missing=spec.missing, constant=spec.constant
    )


def _ilo_rule(raw: dict[str, Any], problems: list[str]) -> VariableSpec:
    if raw.get("rule") != "ilo":
        problems.append(f"concepts.informal.rule is {raw.get('rule')!r}; the only rule is 'ilo'")
    inputs: dict[str, VariableSpec] = {}
    for key in set(raw) - {"rule", "employer_contributes", "unit_registered"}:
        problems.append(
            f"concepts.informal.{key} is not known (rule, employer_contributes, unit_registered)"
        )
    for key in ("employer_contributes", "unit_registered"):
        if key not in raw:
            problems.append(f"concepts.informal.{key} is needed by the ILO rule")
            continue
        spec = _variable_spec(f"concepts.informal.{key}", raw[key], problems)
        if spec.values is not None:
            spec = _flag_values(f"concepts.informal.{key}", spec, problems)
        inputs[key] = spec
    return VariableSpec(rule="ilo", inputs=inputs)


def _benefits(raw: Any, problems: list[str]) -> dict[str, BenefitSpec]:
    if not isinstance(raw, dict):
        problems.append("benefits must be a mapping from benefit type to its variables")
        return {}
    out: dict[str, BenefitSpec] = {}
    for name, spec in raw.items():
        where = f"benefits.{name}"
        if name not in BENEFIT_TYPES:
            problems.append(f"{where}: unknown benefit type (known: {', '.join(BENEFIT_TYPES)})")
            continue
        if isinstance(spec, str):
            spec = {"amount": spec}
        if not isinstance(spec, dict):
            problems.append(f"{where} must be a mapping with receives and/or amount")
            continue
        allowed = {"receives", "amount", "level", "scheme", "missing_amount"}
        for key in set(spec) - allowed:
            problems.append(f"{where}.{key} is not known ({', '.join(sorted(allowed))})")
        if "receives" not in spec and "amount" not in spec:
            problems.append(f"{where} needs receives, amount or both")
            continue
        receives: VariableSpec | None = None
        if "receives" in spec:
            receives = _variable_spec(f"{where}.receives", spec["receives"], problems)
            if receives.values is not None:
                receives = _flag_values(f"{where}.receives", receives, problems)
        amount = (
            _variable_spec(f"{where}.amount", spec["amount"], problems)
            if "amount" in spec
            else None
        )
        level = spec.get("level", "person")
        if level not in ("person", "household"):
            problems.append(f"{where}.level is {level!r}; use person or household")
            level = "person"
        scheme = spec.get(
            "scheme", "contributory" if name in CONTRIBUTORY_BY_DEFAULT else "non_contributory"
        )
        if scheme not in ("contributory", "non_contributory"):
            problems.append(f"{where}.scheme is {scheme!r}; use contributory or non_contributory")
        missing_amount = spec.get("missing_amount", "zero")
        if missing_amount not in ("zero", "missing"):
            problems.append(f"{where}.missing_amount is {missing_amount!r}; use zero or missing")
            missing_amount = "zero"
        out[name] = BenefitSpec(
            name=name,
            receives=receives,
            amount=amount,
            level=level,
            contributory=scheme == "contributory",
            missing_amount=missing_amount,
        )
    return out
