"""Contributory extension to informal-economy workers: who joins, what it costs, whom it helps.

A scheme (YAML, see docs/microsim.md) says who may join (groups such as informal employees,
own-account workers or domestic workers, and an age range), the contribution (rate x base), the
government subsidy of contributions (a share, a flat amount, or an income-related share that
tapers to zero), and the benefits a member buys (a pension credit, health cover, maternity
cash...). Each eligible person joins with probability given by a logit in the net price and
income [I: our specification, to be calibrated to the country's take-up data]::

    P_i = 1 / (1 + exp(-(a + b ln(max(p_i, c) / y_i) + g ln(y_i / m))))

with ``p_i`` the yearly contribution left to pay after the subsidy, ``c`` a transaction cost
(registration, travel, time: joining is never free), ``y_i`` per-capita welfare and ``m`` its
weighted median among the eligible. ``b`` (< 0) is the price elasticity of take-up at low
take-up (d ln P / d ln p = b (1 - P)); ``g`` the income elasticity likewise; ``a`` the level.
Elasticities of enrolment in voluntary contributory schemes for informal workers are uncertain;
the ranges given under ``take_up.ranges`` are drawn uniformly in a seeded Monte Carlo
[R: the literature on subsidised voluntary pension and health insurance enrolment (e.g. matching
contributions in Chile and Mexico, Indonesia's JKN for non-wage workers) reports large price
responses; no single value is established: treat defaults as placeholders].

Outputs per variant: eligible persons, expected members and coverage gained (by group and by
sex, urban/rural), contributions collected, subsidy cost, benefit value bought, and the effect
on the poverty headcount of paying the net contribution and receiving the cash benefits
(expected over joining, per capita in the household). Point estimates carry design-based SEs
from the survey engine at the central parameters; the Monte Carlo gives 5th-95th percentile
bands over the take-up parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from socialcover.microsim._errors import RuleError
from socialcover.microsim.rules import RuleSet
from socialcover.microsim.scheme_model import Scheme, TakeUp, take_up_probability
from socialcover.microsim.source import Node, load_yaml

__all__ = [
    "SHARE_INDICATORS",
    "SchemeResult",
    "TakeUp",
    "TakeUpCalibration",
    "calibrate_take_up",
    "load_scheme",
    "run_scheme",
    "take_up_probability",
]

_TOP = {
    "name",
    "description",
    "period",
    "parameters",
    "inputs",
    "groups",
    "age",
    "contribution",
    "subsidy",
    "benefits",
    "take_up",
    "variants",
    "monte_carlo",
}
_SUBSIDY_KINDS = ("share", "flat", "income_related")
#: Indicators of ``SchemeResult.table`` that are shares (0-1); the others are persons or LCU/year.
SHARE_INDICATORS = (
    "coverage_gained_of_eligible",
    "coverage_gained_of_population",
    "poverty_headcount_change",
)


def _num(node: Node | None, default: float, what: str) -> float:
    if node is None:
        return default
    v = node.value
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise RuleError(
            f"{what} must be a number, got {node.plain()!r}",
            where=node.where,
            code="microsim.bad-scheme",
            hint=f"Write {what}: 0.5.",
        )
    try:
        return float(v)
    except ValueError:
        raise RuleError(
            f"{what} must be a number, got {v!r}",
            where=node.where,
            code="microsim.bad-scheme",
            hint=f"Write {what}: 0.5.",
        ) from None


def _keys(node: Node, allowed: set[str], what: str) -> dict[str, Node]:
    body = node.expect_mapping(what)
    for key, sub in body.items():
        if key not in allowed:
            from difflib import get_close_matches

            near = get_close_matches(key, allowed, n=1)
            extra = f"Did you mean {near[0]!r}? " if near else ""
            raise RuleError(
                f"unknown key {key!r} in {what}",
                where=sub.where,
                code="microsim.bad-scheme",
                hint=f"{extra}Allowed: {', '.join(sorted(allowed))}.",
            )
    return body


def _subsidy(node: Node | None) -> dict[str, float | str]:
    if node is None:
        return {"kind": "share", "share": 0.0}
    body = _keys(node, {"kind", "share", "flat", "from_income", "to_income"}, "subsidy")
    kind = str(body["kind"].value) if "kind" in body else "share"
    if kind not in _SUBSIDY_KINDS:
        raise RuleError(
            f"subsidy kind {kind!r} is not known",
            where=body["kind"].where,
            code="microsim.bad-scheme",
            hint="Use kind: share (a share of the contribution), flat (LCU per "
            "member per year) or income_related (a share tapering with income).",
        )
    out: dict[str, float | str] = {
        "kind": kind,
        "share": _num(body.get("share"), 0.0, "share"),
        "flat": _num(body.get("flat"), 0.0, "flat"),
    }
    if kind == "income_related":
        lo = _num(body.get("from_income"), 0.0, "from_income")
        hi = _num(body.get("to_income"), 0.0, "to_income")
        if hi <= lo:
            raise RuleError(
                "income_related subsidy needs from_income < to_income",
                where=node.where,
                code="microsim.bad-scheme",
                hint="The share is full below from_income and zero above to_income.",
            )
        out.update(from_income=lo, to_income=hi)
    share = float(out["share"])
    if not 0.0 <= share <= 1.0:
        raise RuleError(
            f"subsidy share {share} is not between 0 and 1",
            where=(body.get("share") or node).where,
            code="microsim.bad-scheme",
            hint="A share of 0.5 means the government pays half the contribution.",
        )
    return out


def _take_up(node: Node | None) -> TakeUp:
    if node is None:
        return TakeUp()
    body = _keys(
        node,
        {"intercept", "price_elasticity", "income_effect", "transaction_cost", "ranges"},
        "take_up",
    )
    ranges: dict[str, tuple[float, float]] = {}
    if "ranges" in body:
        for key, sub in _keys(
            body["ranges"], {"intercept", "price_elasticity", "income_effect"}, "take_up ranges"
        ).items():
            pair = sub.plain()
            if not (isinstance(pair, list) and len(pair) == 2 and pair[0] <= pair[1]):
                raise RuleError(
                    f"range of {key} must be [low, high]",
                    where=sub.where,
                    code="microsim.bad-scheme",
                    hint=f"Write {key}: [-1.2, -0.4].",
                )
            ranges[key] = (float(pair[0]), float(pair[1]))
    d = TakeUp()
    return TakeUp(
        _num(body.get("intercept"), d.intercept, "intercept"),
        _num(body.get("price_elasticity"), d.price_elasticity, "price_elasticity"),
        _num(body.get("income_effect"), d.income_effect, "income_effect"),
        _num(body.get("transaction_cost"), d.transaction_cost, "transaction_cost"),
        ranges or None,
    )


def _build(root: Node) -> Scheme:
    body = _keys(root, _TOP, "the scheme file")
    where = root.where
    if "groups" not in body:
        raise RuleError(
            "the scheme names no eligible groups",
            where=where,
            code="microsim.bad-scheme",
            hint='Add groups: {own_account: status_in_employment == "own_account"}.',
        )
    groups = body["groups"].expect_mapping("groups")
    age = body.get("age")
    lo, hi = (15.0, 64.0)
    if age is not None:
        pair = age.plain()
        if not (isinstance(pair, list) and len(pair) == 2):
            raise RuleError(
                "age must be [youngest, oldest]",
                where=age.where,
                code="microsim.bad-scheme",
                hint="Write age: [18, 64].",
            )
        lo, hi = float(pair[0]), float(pair[1])
    contrib = _keys(body.get("contribution") or Node({}, where), {"rate", "base"}, "contribution")
    if "base" not in contrib:
        raise RuleError(
            "the contribution has no base",
            where=where,
            code="microsim.bad-scheme",
            hint="Add contribution: {rate: 0.1, base: max(6000, welfare)}.",
        )
    # The expressions go through the rules machinery: names, units and entities checked there.
    variables: dict[str, Node] = {
        "contribution_base": Node(
            {"unit": Node("LCU/year", where), "formula": contrib["base"]}, where
        )
    }
    any_group = []
    for name, cond in groups.items():
        variables[f"group_{name}"] = Node({"formula": cond}, cond.where)
        any_group.append(f"group_{name}")
    elig = f"({' or '.join(any_group)}) and {lo} <= age <= {hi}"
    rules_body: dict[str, Node] = {
        "variables": Node(variables, where),
        "programmes": Node(
            {"scheme": Node({"eligibility": Node(elig, where), "amount": Node(0, where)}, where)},
            where,
        ),
    }
    for key in ("parameters", "inputs"):
        if key in body:
            rules_body[key] = body[key]
    rules = RuleSet.from_node(Node(rules_body, where))
    benefits: list[tuple[str, float, bool]] = []
    bnode = body.get("benefits")
    if bnode is not None:
        for name, sub in bnode.expect_mapping("benefits").items():
            spec = _keys(sub, {"value", "cash", "description"}, f"benefit {name}")
            benefits.append(
                (
                    name,
                    _num(spec.get("value"), 0.0, "value"),
                    bool(spec["cash"].value) if "cash" in spec else False,
                )
            )
    period = body.get("period")
    return Scheme(
        name=str(body["name"].value) if "name" in body else Path(where.file).stem,
        rules=rules,
        groups=tuple(groups),
        rate=_num(contrib.get("rate"), 0.0, "rate"),
        subsidy=_subsidy(body.get("subsidy")),
        benefits=tuple(benefits),
        take_up=_take_up(body.get("take_up")),
        period=str(period.value) if period else "2025",
        source=root,
    )


def _merge(base: Node, change: Node) -> Node:
    if isinstance(base.value, dict) and isinstance(change.value, dict):
        merged = dict(base.value)
        for k, v in change.value.items():
            merged[k] = _merge(merged[k], v) if k in merged else v
        return Node(merged, base.where)
    return change


def load_scheme(path: str | Path | None = None, *, text: str | None = None) -> dict[str, Scheme]:
    """Read a scheme file: ``{variant name: Scheme}`` (the first is the scheme as written).

    Every variant is checked before anything runs.
    """
    root = load_yaml(path if path is not None else "<scheme>", text=text)
    body = root.expect_mapping("the scheme file")
    plain_root = Node(
        {k: v for k, v in body.items() if k not in ("variants", "monte_carlo")}, root.where
    )
    out = {"as written": _build(plain_root)}
    if "variants" in body:
        for name, change in body["variants"].expect_mapping("variants").items():
            if not isinstance(change.value, dict):
                raise RuleError(
                    f"variant {name!r} must be a mapping of changes",
                    where=change.where,
                    code="microsim.bad-scheme",
                    hint="Write e.g. no subsidy: {subsidy: {share: 0}}.",
                )
            out[name] = _build(_merge(plain_root, change))
    return out


def _monte_carlo_spec(path: str | Path | None, text: str | None) -> tuple[int, int]:
    root = load_yaml(path if path is not None else "<scheme>", text=text)
    mc = root.get("monte_carlo")
    if mc is None:
        return 200, 12345
    body = _keys(mc, {"draws", "seed"}, "monte_carlo")
    return int(_num(body.get("draws"), 200, "draws")), int(_num(body.get("seed"), 12345, "seed"))


@dataclass(frozen=True)
class SchemeResult:
    """Variants side by side: ``table`` has variant, indicator, group, estimate, se, p5, p95."""

    table: pl.DataFrame
    # per person: take_up__<variant> probabilities (on Spark a lazy Spark DataFrame with hh_id)
    persons: Any
    calibration: TakeUpCalibration | None = None  # when run with an observed enrolment

    def get(self, variant: str, indicator: str, group: str = "all") -> dict[str, float]:
        t = self.table.filter(
            (pl.col("variant") == variant)
            & (pl.col("indicator") == indicator)
            & (pl.col("group") == group)
        )
        if t.height != 1:
            raise KeyError(f"{variant}/{indicator}/{group}")
        row = t.row(0, named=True)
        return {
            k: float(row[k]) if row[k] is not None else float("nan")
            for k in ("estimate", "se", "p5", "p95")
        }


def _per_person(s: Scheme, f: pl.DataFrame, period: str) -> dict[str, np.ndarray[Any, Any]]:
    from socialcover.microsim.execution import run_rules

    outs = ["contribution_base", "scheme_eligible", *[f"group_{g}" for g in s.groups]]
    ev = run_rules(s.rules, f, period, outputs=outs, spread=True).persons
    elig = ev["scheme_eligible"].to_numpy().astype(bool)
    group = np.full(f.height, "", dtype=object)
    for g in reversed(s.groups):  # the first matching group names the person
        group[ev[f"group_{g}"].to_numpy().astype(bool)] = g
    group[~elig] = ""
    contribution = s.rate * ev["contribution_base"].to_numpy()
    income = f["welfare"].to_numpy().astype(np.float64)
    sub = s.subsidy
    if sub["kind"] == "flat":
        subsidy = np.minimum(float(sub["flat"]), contribution)
    elif sub["kind"] == "share":
        subsidy = float(sub["share"]) * contribution
    else:
        lo, hi = float(sub["from_income"]), float(sub["to_income"])
        taper = np.clip((hi - income) / (hi - lo), 0.0, 1.0)
        subsidy = float(sub["share"]) * taper * contribution
    cash = sum((v for _, v, c in s.benefits if c), 0.0)
    value = sum((v for _, v, _c in s.benefits), 0.0)
    return {
        "eligible": elig.astype(np.float64),
        "group": group,
        "contribution": contribution,
        "subsidy": subsidy,
        "net_price": contribution - subsidy,
        "income": income,
        "cash": np.full(f.height, cash),
        "value": np.full(f.height, value),
    }


def _weighted_median(x: np.ndarray[Any, Any], w: np.ndarray[Any, Any]) -> float:
    if len(x) == 0:
        return 1.0
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cw, cw[-1] / 2)])


def run_scheme(
    path: str | Path | None,
    data: Any,
    *,
    text: str | None = None,
    design: Any = None,
    draws: int | None = None,
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
    intercept: float | None = None,
    enrolment: float | None = None,
    mapping: Any = None,
    engine: str = "auto",
    spark: Any = None,
) -> SchemeResult:
    """Simulate a scheme and its variants on a survey (see the module docstring).

    ``intercept`` replaces the take-up intercept of the scheme as written (for example the value
    :func:`calibrate_take_up` fitted); each variant's intercept and its Monte Carlo range move
    by the same amount, so variants keep their differences.

    A Spark DataFrame (or a path with ``engine="spark"``, read by Spark; ``spark=`` names the
    session) is simulated on Spark (:mod:`~socialcover.microsim.spark_targeting`): the same
    table, with only sums back to the driver; ``persons`` is then a lazy Spark DataFrame
    (``hh_id`` and the probabilities, rows in no set order). A ``mapping`` (a
    ``socialcover.survey.io.Mapping`` or the path of a mapping file) is applied first: by Spark
    to a Spark DataFrame, otherwise to the survey read in memory.
    """
    from socialcover.microsim.estimation import PopulationEstimates
    from socialcover.microsim.frames import as_frame, mapped
    from socialcover.microsim.spark_targeting import on_spark
    from socialcover.survey import Design

    say = progress or (lambda _m: None)
    variants = load_scheme(path, text=text)
    n_draws, mc_seed = _monte_carlo_spec(path, text)
    n_draws = n_draws if draws is None else draws
    mc_seed = mc_seed if seed is None else seed
    sdf = on_spark(data, engine, spark)
    if sdf is not None and mapping is not None:
        sdf = mapped(sdf, mapping)  # by Spark, where the rows are
    f: Any
    if sdf is not None:
        f = sdf
    elif mapping is not None:
        say("reading and mapping the survey")
        f = mapped(data, mapping)
    else:
        f = as_frame(data)
    calibration = None
    if enrolment is not None:
        say("calibrating take-up to the enrolment")
        calibration = calibrate_take_up(path, f, enrolment=enrolment, text=text, design=design)
        intercept = calibration.value
    if intercept is not None:
        variants = _shift_intercept(variants, intercept)
    cols = f.columns
    if design is None:
        design = Design(
            weights="weight" if "weight" in cols else None,
            strata="strata" if "strata" in cols else None,
            psu="psu" if "psu" in cols else None,
            lonely_psu="adjust",
        )
    rows: list[dict[str, Any]] = []
    if sdf is not None:
        from socialcover.microsim.spark_targeting import scheme_on_spark

        draws_of = {
            name: _draws(s, n_draws, np.random.default_rng(mc_seed)) for name, s in variants.items()
        }
        found, spark_persons = scheme_on_spark(variants, f, design, draws_of, say)
        for vname, (estimates, mc_sums) in found.items():
            rows += _variant_rows(vname, estimates, mc_sums)
        return SchemeResult(_scheme_table(rows, variants), spark_persons, calibration)
    w = _weights(f, design)
    size = f.select(pl.len().over("hh_id")).to_series().to_numpy().astype(np.float64)
    line = f["poverty_line"].to_numpy().astype(np.float64) if "poverty_line" in cols else None
    persons: dict[str, Any] = {}
    for vname, s in variants.items():
        say(f"variant {vname}")
        pp = _per_person(s, f, s.period)
        elig = pp["eligible"] > 0
        median = _weighted_median(pp["income"][elig], w[elig])
        prob = np.where(
            elig, take_up_probability(pp["net_price"], pp["income"], median, s.take_up), 0.0
        )
        persons[f"take_up__{vname}"] = prob
        v = {
            "eligible": pp["eligible"],
            "members": prob,
            "contributions": prob * pp["contribution"],
            "subsidy_cost": prob * pp["subsidy"],
            "benefit_value": prob * pp["value"],
        }
        est = PopulationEstimates(
            f.with_columns(pl.Series("_group", pp["group"].astype(str))), design
        )
        overall = [est.totals(v)]
        if line is not None:
            y = pp["income"]
            y_join = y + (pp["cash"] - pp["net_price"]) / size
            poor_after = prob * (y_join < line) + (1 - prob) * (y < line)
            overall.append(est.means({"poverty_headcount_change": poor_after - (y < line)}))
        parts: list[tuple[str | None, pl.DataFrame]] = [(None, pl.concat(overall))]
        # coverage gained: members over the eligible, and over everyone, overall and by group
        for by in (None, "_group", *[c for c in ("sex", "urban") if c in cols]):
            of_elig = est.means({"members": prob}, by, denominator=pp["eligible"])
            parts.append((by, of_elig.with_columns(variable=pl.lit("coverage_gained_of_eligible"))))
            if by != "_group":  # groups hold only eligible persons: the same as of the eligible
                of_pop = est.means({"members": prob}, by)
                parts.append(
                    (by, of_pop.with_columns(variable=pl.lit("coverage_gained_of_population")))
                )
        # Monte Carlo over the take-up parameters (seeded; same draws for every variant)
        # the same draws for every variant (common random numbers), so variants compare fairly
        mc = _monte_carlo(s, pp, w, median, n_draws, np.random.default_rng(mc_seed), size, line)
        rows += _variant_rows(vname, parts, mc)
    return SchemeResult(_scheme_table(rows, variants), pl.DataFrame(persons), calibration)


def _variant_rows(
    vname: str,
    parts: list[tuple[str | None, pl.DataFrame]],
    mc: dict[str, np.ndarray[Any, Any]],
) -> list[dict[str, Any]]:
    """The table rows of one variant: its estimates ((breakdown, frame of variable, group,
    estimate, se) pairs; ``None`` overall, ``"_group"`` by eligible group) and the Monte Carlo
    bands of its overall estimates."""
    rows: list[dict[str, Any]] = []
    for by, table in parts:
        for r in table.iter_rows(named=True):
            if by is not None and r["group"] in (None, ""):
                continue
            label = "all" if by is None else f"{'group' if by == '_group' else by}={r['group']}"
            rows.append(
                {
                    "variant": vname,
                    "indicator": r["variable"],
                    "group": label,
                    "estimate": r["estimate"],
                    "se": r["se"],
                }
            )
    eligible = next(
        (r["estimate"] for r in rows if r["indicator"] == "eligible" and r["group"] == "all"), 0.0
    )
    mc = dict(mc)
    mc["coverage_gained_of_eligible"] = mc["members"] / max(float(eligible), 1e-300)
    for ind, vals in mc.items():
        p5, p95 = np.percentile(vals, [5, 95]) if len(vals) else (np.nan, np.nan)
        for row in rows:
            if row["indicator"] == ind and row["group"] == "all":
                row["p5"], row["p95"] = float(p5), float(p95)
    return rows


def _scheme_table(rows: list[dict[str, Any]], variants: Mapping[str, Any]) -> pl.DataFrame:
    table = pl.DataFrame(
        rows,
        schema={
            "variant": pl.String,
            "indicator": pl.String,
            "group": pl.String,
            "estimate": pl.Float64,
            "se": pl.Float64,
            "p5": pl.Float64,
            "p95": pl.Float64,
        },
    )
    order = {name: i for i, name in enumerate(variants)}
    return (
        table.with_columns(pl.col("variant").replace_strict(order).alias("_v"))
        .sort("_v", "indicator", "group")
        .drop("_v")
    )


def _draws(s: Scheme, n: int, rng: np.random.Generator) -> list[TakeUp]:
    """The Monte Carlo's take-up parameters: ``n`` uniform draws within the scheme's ranges."""
    ranges = dict(s.take_up.ranges or {})
    out = []
    for _ in range(n):
        t = s.take_up
        draws = {k: rng.uniform(lo, hi) for k, (lo, hi) in sorted(ranges.items())}
        out.append(
            TakeUp(
                draws.get("intercept", t.intercept),
                draws.get("price_elasticity", t.price_elasticity),
                draws.get("income_effect", t.income_effect),
                t.transaction_cost,
            )
        )
    return out


def _monte_carlo(
    s: Scheme,
    pp: dict[str, np.ndarray[Any, Any]],
    w: np.ndarray[Any, Any],
    median: float,
    n: int,
    rng: np.random.Generator,
    size: np.ndarray[Any, Any],
    line: np.ndarray[Any, Any] | None,
) -> dict[str, np.ndarray[Any, Any]]:
    elig = pp["eligible"] > 0
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "members",
            "contributions",
            "subsidy_cost",
            "benefit_value",
            "poverty_headcount_change",
        )
    }
    idx = np.flatnonzero(elig)
    we = w[idx]
    y = pp["income"][idx]
    price = pp["net_price"][idx]
    poor_now = poor_join = None
    if line is not None:
        poor_now = (y < line[idx]).astype(np.float64)
        poor_join = ((y + (pp["cash"][idx] - price) / size[idx]) < line[idx]).astype(np.float64)
    w_all = float(w.sum())
    for t in _draws(s, n, rng):
        p = take_up_probability(price, y, median, t)
        out["members"].append(float((we * p).sum()))
        out["contributions"].append(float((we * p * pp["contribution"][idx]).sum()))
        out["subsidy_cost"].append(float((we * p * pp["subsidy"][idx]).sum()))
        out["benefit_value"].append(float((we * p * pp["value"][idx]).sum()))
        if poor_now is not None and poor_join is not None:
            out["poverty_headcount_change"].append(
                float((we * p * (poor_join - poor_now)).sum()) / w_all
            )
    return {k: np.asarray(v) for k, v in out.items()}


def _weights(f: pl.DataFrame, design: Any) -> np.ndarray[Any, Any]:
    weights = (
        design.weights if design is not None else ("weight" if "weight" in f.columns else None)
    )
    if weights:
        out: np.ndarray[Any, Any] = f[weights].to_numpy().astype(np.float64)
        return out
    return np.ones(f.height)


def _shift_intercept(variants: dict[str, Scheme], intercept: float) -> dict[str, Scheme]:
    delta = intercept - variants["as written"].take_up.intercept
    out = {}
    for name, s in variants.items():
        t = s.take_up
        ranges = dict(t.ranges or {})
        if "intercept" in ranges:
            lo, hi = ranges["intercept"]
            ranges["intercept"] = (lo + delta, hi + delta)
        out[name] = replace(
            s, take_up=replace(t, intercept=t.intercept + delta, ranges=ranges or None)
        )
    return out


@dataclass(frozen=True)
class TakeUpCalibration:
    """The take-up intercept that reproduces an observed enrolment, and how close it gets.

    ``parameter`` is always ``"intercept"`` (the level ``a`` of the logit); the price and income
    elasticities stay as written: one enrolment figure identifies one parameter.
    """

    parameter: str
    value: float
    before: float
    target: float
    achieved: float
    members_before: float
    relative_error: float
    evaluations: int

    def to_dict(self) -> dict[str, float | int | str]:
        """The calibration as plain values (for JSON)."""
        return {
            "parameter": self.parameter,
            "value": self.value,
            "before": self.before,
            "target_members": self.target,
            "achieved_members": self.achieved,
            "members_before": self.members_before,
            "relative_error": self.relative_error,
            "evaluations": self.evaluations,
        }


def calibrate_take_up(
    path: str | Path | None,
    data: Any,
    *,
    enrolment: float,
    text: str | None = None,
    design: Any = None,
    engine: str = "auto",
    spark: Any = None,
) -> TakeUpCalibration:
    """Fit the take-up intercept so that expected members equal an observed enrolment.

    Expected members (the weighted sum of take-up probabilities of the eligible, scheme as
    written) rise strictly with the intercept ``a``, so the root of ``members(a) = enrolment``
    is unique; it is found with Brent's method (:func:`scipy.optimize.brentq`; Brent 1973, ch. 4),
    as :func:`socialcover.microsim.calibration.calibrate` does for rule parameters. The
    elasticities are kept as written: one figure identifies one parameter.

    Parameters
    ----------
    path, text
        The scheme file (or its text).
    data
        The survey (as for :func:`run_scheme`), in the weights' units: ``enrolment`` is in
        persons the weights represent.
    enrolment
        The observed number of members (persons), strictly between 0 and the eligible total.

    engine, spark
        As for :func:`run_scheme`: a Spark DataFrame (or a path with ``engine="spark"``) is
        fitted on Spark, each step of the search one sum over the eligible.

    Raises
    ------
    RuleError
        ``microsim.bad-enrolment`` when the figure is not positive or not below the number of
        eligible persons (no intercept reaches it).
    """

    from socialcover.microsim.frames import as_frame
    from socialcover.microsim.spark_targeting import on_spark, take_up_on_spark

    s = load_scheme(path, text=text)["as written"]
    sdf = on_spark(data, engine, spark)
    release: Callable[[], Any] = lambda: None  # noqa: E731
    calls = [0]
    if sdf is not None:
        eligible_total, median, spark_members, release = take_up_on_spark(s, sdf, design)

        def summed(a: float) -> float:
            return spark_members(a)
    else:
        f = as_frame(data)
        w = _weights(f, design)
        pp = _per_person(s, f, s.period)
        elig = pp["eligible"] > 0
        eligible_total = float(w[elig].sum())
        median = _weighted_median(pp["income"][elig], w[elig])
        we, price, y = w[elig], pp["net_price"][elig], pp["income"][elig]

        def summed(a: float) -> float:
            t = replace(s.take_up, intercept=a)
            return float((we * take_up_probability(price, y, median, t)).sum())

    try:
        return _fit_intercept(s, enrolment, eligible_total, summed, calls)
    finally:
        release()


def _fit_intercept(
    s: Scheme,
    enrolment: float,
    eligible_total: float,
    summed: Callable[[float], float],
    calls: list[int],
) -> TakeUpCalibration:
    from scipy.optimize import brentq

    where = s.source.where
    if not (enrolment > 0 and enrolment < eligible_total):
        raise RuleError(
            f"enrolment {enrolment:,.0f} is not between 0 and the {eligible_total:,.0f} eligible "
            "persons of the survey",
            where=where,
            code="microsim.bad-enrolment",
            hint="Give the number of members in the units of the survey weights (persons the "
            "weights represent), for the scheme as written, above 0 and below the eligible.",
        )

    def members(a: float) -> float:
        calls[0] += 1
        return summed(a)

    lo, hi = s.take_up.intercept - 5.0, s.take_up.intercept + 5.0
    while members(lo) > enrolment:
        lo -= 10.0
    while members(hi) < enrolment:
        hi += 10.0
    a = float(
        brentq(lambda x: members(x) - enrolment, lo, hi, xtol=1e-12, rtol=4 * np.finfo(float).eps)
    )
    achieved = members(a)
    return TakeUpCalibration(
        parameter="intercept",
        value=a,
        before=s.take_up.intercept,
        target=float(enrolment),
        achieved=achieved,
        members_before=members(s.take_up.intercept),
        relative_error=abs(achieved - enrolment) / enrolment,
        evaluations=calls[0],
    )
