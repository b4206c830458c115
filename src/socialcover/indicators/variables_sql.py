"""The analysis variables of :mod:`.variables`, written as one SQL query for DuckDB and Spark.

Same definitions, same conventions and the same missing-value rules as the Polars version
(:func:`~socialcover.indicators.prepare_variables`; the tests check that both give the same
indicator table): a flag of a missing value is missing, ``GREATEST`` ignores missing values as
Polars' ``max_horizontal`` does, and household variables are aggregates per ``hh_id`` joined
back to the persons (a missing ``hh_id`` is one household, as Polars' ``over`` has it). The
welfare quintiles need their cut-offs first: :func:`quintile_sql` writes them into the query
once the survey engine's quantile search has found them.

One dialect for both engines: identifiers in backticks, ``CAST(x AS DOUBLE)``, no
engine-specific clauses, so DuckDB and Spark SQL run the very same text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from socialcover.survey.io import BENEFIT_TYPES, CONTRIBUTORY_BY_DEFAULT, SurveyParameters

__all__ = ["SqlVariables", "quintile_sql", "sql_variables"]

ZERO = "CAST(0 AS DOUBLE)"
ONE = "CAST(1 AS DOUBLE)"


def q(name: str) -> str:
    """A quoted SQL identifier (backticks: DuckDB and Spark SQL both read them)."""
    return "`" + name.replace("`", "``") + "`"


def _flag(cond: str) -> str:
    return f"CAST(({cond}) AS DOUBLE)"


@dataclass
class SqlVariables:
    """The query adding the analysis variables, and what could be built.

    ``stages`` are lists of (name, expression); each stage may use the names of the ones
    before. ``household`` lists (name, aggregate) per ``hh_id``, joined after the first stage.
    """

    stages: list[list[tuple[str, str]]]
    household: list[tuple[str, str]]
    available: set[str]
    benefits: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict)
    basis: str | None = None  # the welfare column the quintiles cut

    @property
    def names(self) -> list[str]:
        """Every column the query adds (the quintile included when there is one)."""
        out = [n for stage in self.stages[:1] for n, _ in stage]
        out += [n for n, _ in self.household if not n.startswith("_")]
        out += [n for stage in self.stages[1:] for n, _ in stage]
        return out + (["quintile"] if self.basis else [])

    def query(self, source: str, columns: list[str]) -> str:
        """SELECT the source's columns and every variable (the quintile excepted)."""
        sql = f"SELECT * FROM {source}"
        first, rest = self.stages[0], self.stages[1:]
        sql = f"SELECT *, {_list(first)} FROM ({sql}) AS _s0" if first else sql
        if self.household:
            aggs = ", ".join(f"{e} AS {q(n)}" for n, e in self.household)
            picked = ", ".join(f"_h.{q(n)}" for n, _ in self.household)
            sql = (
                f"WITH _p AS ({sql}), _h AS (SELECT hh_id AS _hh, {aggs} FROM _p GROUP BY hh_id) "
                f"SELECT _p.*, {picked} FROM _p LEFT JOIN _h "
                "ON _p.hh_id IS NOT DISTINCT FROM _h._hh"
            )
        for k, stage in enumerate(rest, start=1):
            if stage:
                sql = f"SELECT *, {_list(stage)} FROM ({sql}) AS _s{k}"
        return sql


def _list(stage: list[tuple[str, str]]) -> str:
    return ", ".join(f"{e} AS {q(n)}" for n, e in stage)


def quintile_sql(basis: str, cuts: list[float]) -> str:
    """The quintile of each person from the weighted cut-offs of ``basis``."""
    b = q(basis)
    whens = " ".join(
        f"WHEN {b} <= CAST('{c!r}' AS DOUBLE) THEN 'Q{k + 1}'" for k, c in enumerate(cuts[:4])
    )
    return f"CASE WHEN {b} IS NULL THEN NULL {whens} ELSE 'Q5' END"


def sql_variables(
    cols: Iterable[str],
    with_amounts: Iterable[str],
    parameters: SurveyParameters | None = None,
    *,
    contributory: Iterable[str] = CONTRIBUTORY_BY_DEFAULT,
    quintiles_of: str = "post",
) -> SqlVariables:
    """The variables :func:`~socialcover.indicators.prepare_variables` adds, as SQL.

    ``with_amounts`` are the benefits whose ``amount_`` column has at least one value.
    """
    p = parameters or SurveyParameters()
    cols = set(cols)
    benefits = tuple(b for b in BENEFIT_TYPES if f"receives_{b}" in cols)
    amounts = tuple(b for b in benefits if b in set(with_amounts) and f"amount_{b}" in cols)
    available = set(cols)
    if benefits:
        available.add("benefits")
    if amounts:
        available.add("amounts")
    notes: dict[str, str] = {}
    missing_amounts = [b for b in benefits if b not in amounts]
    if amounts and missing_amounts:
        notes["amounts"] = "No amounts for " + ", ".join(missing_amounts) + ": not in transfers."
    first: list[tuple[str, str]] = [("one", ONE)]
    if "age" in cols:
        lo, hi = p.working_age
        a = q("age")
        first += [
            ("working_age", _flag(f"{a} >= {lo} AND {a} <= {hi}")),
            ("child", _flag(f"{a} <= {p.child_age_max}")),
            ("old", _flag(f"{a} >= {p.pensionable_age}")),
            ("adult", _flag(f"{a} > {p.child_age_max} AND {a} < {p.pensionable_age}")),
            ("age_band", _age_band(a)),
        ]
    if "labour_status" in cols:
        ls = q("labour_status")
        first += [
            ("employed", "COALESCE(" + _flag(ls + " = 'employed'") + f", {ZERO})"),
            ("unemployed", "COALESCE(" + _flag(ls + " = 'unemployed'") + f", {ZERO})"),
        ]
        if "informal" in cols:
            inf = q("informal")
            first.append(
                (
                    "formality",
                    f"CASE WHEN {ls} = 'employed' THEN (CASE WHEN {inf} = 1 THEN 'informal' "
                    f"WHEN {inf} = 0 THEN 'formal' END) END",
                )
            )
    for b in benefits:
        first.append((f"rec_{b}", f"CAST({q('receives_' + b)} AS DOUBLE)"))
    if benefits:
        first.append(
            ("rec_any", _greatest([f"CAST({q('receives_' + b)} AS DOUBLE)" for b in benefits]))
        )
        contrib = [b for b in benefits if b in set(contributory)]
        first.append(
            (
                "rec_contributory",
                _greatest([f"CAST({q('receives_' + b)} AS DOUBLE)" for b in contrib])
                if contrib
                else ZERO,
            )
        )
    if amounts:
        first.append(
            (
                "transfer_person",
                "(" + " + ".join(f"COALESCE({q('amount_' + b)}, {ZERO})" for b in amounts) + ")",
            )
        )
    has = cols | {n for n, _ in first}
    household: list[tuple[str, str]] = []
    second: list[tuple[str, str]] = []
    if "hh_id" in cols:
        household.append(("hh_size", "CAST(COUNT(*) AS DOUBLE)"))
        for b in (*benefits, "any") if benefits else ():
            household.append((f"hh_receives_{b}", f"COALESCE(MAX({q('rec_' + b)}), {ZERO})"))
        if amounts and "welfare_scale" in cols:
            household.append(("_hh_transfer", "SUM(transfer_person)"))
            second.append(("transfer_wu", f"_hh_transfer / {q('welfare_scale')}"))
    has |= {n for n, _ in household} | {n for n, _ in second}
    third = _coverage(has, cols, notes)
    out = SqlVariables([first, second, third], household, available, benefits, notes)
    if "welfare" in cols and "weight" in cols:
        _welfare(out, has, cols, quintiles_of)
    return out


def _greatest(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else f"GREATEST({', '.join(exprs)})"


def _age_band(age: str) -> str:
    from socialcover.indicators.variables import AGE_BANDS

    whens = " ".join(
        f"WHEN {age} >= {lo} AND {age} <= {hi} THEN '{label}'" for lo, hi, label in AGE_BANDS
    )
    return f"CASE WHEN {age} IS NULL THEN NULL {whens} WHEN {age} >= 65 THEN '65+' END"


def _coverage(has: set[str], cols: set[str], notes: dict[str, str]) -> list[tuple[str, str]]:
    ex: list[tuple[str, str]] = []
    contributes = f"CAST({q('contributes')} AS DOUBLE)" if "contributes" in cols else None
    if "rec_any" in has:
        covered = "rec_any"
        if contributes is not None:
            covered = f"GREATEST(rec_any, COALESCE({contributes}, {ZERO}))"
        else:
            notes["coverage.at_least_one"] = "Contributions not mapped: benefit receipt only."
        ex += [("y_coverage_at_least_one", covered), ("x_coverage_at_least_one", "one")]

    def pair(code: str, pop: str, receives: str) -> None:
        if f"rec_{receives}" in has:
            ex.append((f"y_coverage_{code}", f"({pop}) * {q('rec_' + receives)}"))
            ex.append((f"x_coverage_{code}", pop))

    if "child" in has and "hh_receives_child" in has:
        ex.append(("y_coverage_children", "child * hh_receives_child"))
        ex.append(("x_coverage_children", "child"))
    elif "child" in has:
        pair("children", "child", "child")
    if "child" in has:
        pair("older_persons", "old", "old_age")
    if "gave_birth" in cols:
        pair("maternity", f"CAST({q('gave_birth')} AS DOUBLE)", "maternity")
    if "disabled" in cols:
        pair("disability", f"CAST({q('disabled')} AS DOUBLE)", "disability")
    if "unemployed" in has:
        pair("unemployed", "unemployed", "unemployment")
    if "welfare" in cols and "poverty_line" in cols:
        pair("poor", _flag(f"{q('welfare')} < {q('poverty_line')}"), "social_assistance")
    if "child" in has and "rec_contributory" in has:
        not_contrib = f"({ONE} - COALESCE(rec_contributory, {ZERO}))"
        adult_out = f"adult * {not_contrib}"
        if contributes is not None:
            adult_out = f"{adult_out} * ({ONE} - COALESCE({contributes}, {ZERO}))"
        else:
            notes["coverage.vulnerable"] = (
                "Contributions not mapped: adults count as vulnerable unless they receive a "
                "contributory benefit."
            )
        pair(
            "vulnerable", f"GREATEST(child, {adult_out}, old * {not_contrib})", "social_assistance"
        )
    if "employed" in has and contributes is not None:
        protected = f"COALESCE({contributes}, {ZERO})"
        if "rec_employment_injury" in has:
            protected = f"GREATEST({protected}, rec_employment_injury)"
        ex += [
            ("y_coverage_employment_injury", f"employed * {protected}"),
            ("x_coverage_employment_injury", "employed"),
            ("y_coverage_contributors_employed", f"employed * {contributes}"),
            ("x_coverage_contributors_employed", "employed"),
        ]
        if "working_age" in has:
            ex += [
                (
                    "y_coverage_contributors_working_age",
                    f"working_age * COALESCE({contributes}, {ZERO})",
                ),
                ("x_coverage_contributors_working_age", "working_age"),
            ]
        if "informal" in cols:
            inf = f"(employed * COALESCE(CAST({q('informal')} AS DOUBLE), {ZERO}))"
            ex += [
                ("y_coverage_contributors_informal", f"{inf} * {contributes}"),
                ("x_coverage_contributors_informal", inf),
            ]
    return ex


def _welfare(out: SqlVariables, has: set[str], cols: set[str], quintiles_of: str) -> None:
    w = q("welfare")
    third, fourth = out.stages[2], []
    if "transfer_wu" in has:
        third.append(("welfare_pre", f"GREATEST({w} - transfer_wu, {ZERO})"))
        has.add("welfare_pre")
    out.basis = "welfare_pre" if quintiles_of == "pre" and "welfare_pre" in has else "welfare"
    if "hh_receives_any" in has and "transfer_wu" in has:
        fourth += [
            ("y_adequacy", "hh_receives_any * transfer_wu"),
            ("x_adequacy", f"hh_receives_any * {w}"),
        ]
    if "poverty_line" in cols and "welfare_pre" in has:
        z = q("poverty_line")
        poor_pre = _flag(f"welfare_pre < {z}")
        poor_post = _flag(f"{w} < {z}")
        gap_pre = f"GREATEST(({z} - welfare_pre) / {z}, {ZERO})"
        gap_post = f"GREATEST(({z} - {w}) / {z}, {ZERO})"
        share = f"({q('welfare_scale')} / hh_size)"
        fourth += [
            ("poor_pre", poor_pre),
            ("y_headcount_reduction", f"{poor_pre} - {poor_post}"),
            ("gap_pre", gap_pre),
            ("y_gap_reduction", f"{gap_pre} - {gap_post}"),
            ("y_bcr", f"({gap_pre} - {gap_post}) * {z} * {share}"),
        ]
        if "hh_receives_social_assistance" in has:
            sa = "hh_receives_social_assistance"
            fourth += [
                ("y_exclusion", f"{poor_pre} * ({ONE} - {sa})"),
                ("y_inclusion", f"{sa} * ({ONE} - {poor_pre})"),
            ]
    out.stages.append(fourth)
