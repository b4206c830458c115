"""Applying a mapping in SQL: a DuckDB relation or a Spark DataFrame, mapped where it lies.

The mapping becomes one ``SELECT`` of expressions over the survey's own columns (recodes as
``CASE``, household benefits as window sums over the household, the ILO rule as a ``CASE`` on
the mapped status), written once in the SQL both DuckDB and Spark read; only the checks'
answers (unmapped codes with their counts, text in number columns, bad weights: small grouped
results) and, for a relative poverty line, the weighted median come back. The result is lazy
and of the input's kind: a DuckDB relation, or a Spark DataFrame whose rows stay on the
executors.

The checks and their messages are those of the in-memory path
(:func:`~socialcover.survey.io.recoding.apply_mapping` on a Polars frame), code
``survey.mapping-mismatch``; rows with bad weights are named by the weights found rather than
by their positions (rows have no order on Spark).
"""

from __future__ import annotations

import itertools
from typing import Any

from socialcover.errors import InputError
from socialcover.survey.backend.base import sql_literal
from socialcover.survey.backend.spark import is_spark_frame, spark_error
from socialcover.survey.io.concepts import BY_NAME, CONCEPTS, DESIGN_CONCEPTS
from socialcover.survey.io.mapping import Mapping, VariableSpec
from socialcover.survey.io.recoding import (
    MONEY,
    SHOWN_VALUES,
    _Context,
    _fmt,
    _mismatch,
    _resolve_codes,
)

__all__ = ["apply_mapping_sql", "is_sql_frame"]

_counter = itertools.count()
_NUMERIC = {
    "tinyint", "smallint", "int", "integer", "bigint", "hugeint", "utinyint", "usmallint",
    "uinteger", "ubigint", "uhugeint", "float", "real", "double", "decimal", "boolean",
    "byte", "short", "long",
}  # fmt: skip
_ILO_SELF = ("own_account", "employer", "cooperative_member")


def is_sql_frame(data: Any) -> bool:
    """Whether ``data`` is mapped in SQL: a DuckDB relation or a Spark DataFrame."""
    if is_spark_frame(data):
        return True
    return type(data).__module__.startswith("duckdb") and hasattr(data, "query")


class _SqlContext(_Context):
    """The relation or Spark frame behind one view, its column types, and the problems found."""

    def __init__(self, data: Any, labels: dict[str, dict[Any, str]]) -> None:
        self.data = data
        self.labels = labels
        self.problems: list[str] = []
        self.view = f"sc_mapping_{next(_counter)}"
        self.spark = is_spark_frame(data)
        if self.spark:
            data.createOrReplaceTempView(self.view)
            types = dict(data.dtypes)
        else:
            types = {c: str(t) for c, t in zip(data.columns, data.types, strict=True)}
        self.columns = list(types)
        self.types = {c: t.lower().split("(")[0].strip() for c, t in types.items()}

    def numeric(self, variable: str) -> bool:
        return self.types[variable] in _NUMERIC

    def q(self, identifier: str) -> str:
        if self.spark:
            return "`" + identifier.replace("`", "``") + "`"
        return '"' + identifier.replace('"', '""') + '"'

    def frame(self, sql: str) -> Any:
        """The statement's result, lazy, of the input's kind."""
        if self.spark:
            return self.data.sparkSession.sql(sql)
        return self.data.query(self.view, sql)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The statement's (small) result as tuples."""
        if self.spark:
            try:
                return [tuple(r) for r in self.frame(sql).collect()]
            except Exception as exc:
                raise spark_error(exc, "checking the survey against its mapping") from exc
        return list(self.frame(sql).fetchall())


def _text(ctx: _SqlContext, variable: str) -> str:
    return f"CAST({ctx.q(variable)} AS STRING)"


def _in(values: list[Any]) -> str:
    return ", ".join(sql_literal(v) for v in values)


def _recode(ctx: _SqlContext, spec: VariableSpec, concept: str, flag: bool) -> str:
    """``spec.variable`` recoded through ``spec.values``; unmapped values are problems."""
    variable = spec.variable
    assert variable is not None and spec.values is not None  # internal: guarded by callers
    numeric = ctx.numeric(variable)
    pairs: list[tuple[Any, Any]] = []
    for std, codes in spec.values.items():
        pairs += [(c, std) for c in _resolve_codes(ctx, variable, concept, codes)]
    missing = _resolve_codes(ctx, variable, concept, spec.missing)
    source = f"CAST({ctx.q(variable)} AS DOUBLE)" if numeric else _text(ctx, variable)
    known = {c for c, _ in pairs} | set(missing)
    keep = f"v NOT IN ({_in(sorted(known, key=str))})" if known else "TRUE"
    found = ctx.rows(
        f"SELECT v, n, COUNT(*) OVER () AS k FROM (SELECT v, COUNT(*) AS n FROM "
        f"(SELECT {source} AS v FROM {ctx.view}) AS s WHERE v IS NOT NULL AND {keep} "
        f"GROUP BY v) AS g ORDER BY v LIMIT {SHOWN_VALUES}"
    )
    if found:
        shown = [f"{ctx.show(variable, v)} ({n:,} rows)" for v, n, _ in found]
        extra = found[0][2] - SHOWN_VALUES
        more = f" and {extra} more" if extra > 0 else ""
        mapped = ", ".join(ctx.show(variable, v) for v in sorted(known, key=str)) or "none"
        ctx.problems.append(
            f'variable "{variable}" ({concept}) has values not in the mapping: '
            f"{', '.join(shown)}{more}; mapped codes: {mapped}. "
            f"Add them under values (or missing) of {concept}"
        )
    out = "TINYINT" if flag else "STRING"
    if not pairs:
        return f"CAST(NULL AS {out})"
    whens = " ".join(f"WHEN {sql_literal(c)} THEN {sql_literal(s)}" for c, s in pairs)
    return f"CAST(CASE {source} {whens} END AS {out})"


def _check_values(ctx: _SqlContext, variable: str, concept: str, allowed: list[Any]) -> None:
    v = _text(ctx, variable)
    bad = ctx.rows(
        f"SELECT DISTINCT {v} AS v FROM {ctx.view} WHERE {v} IS NOT NULL AND {v} NOT IN "
        f"({_in([str(a) for a in allowed])}) ORDER BY v LIMIT {SHOWN_VALUES}"
    )
    if bad:
        ctx.problems.append(
            f'variable "{variable}" ({concept}) has values '
            f"{', '.join(repr(b[0]) for b in bad)}"
            f"; without a values: recode it must hold {', '.join(map(str, allowed))}"
        )


def _number(ctx: _SqlContext, variable: str, concept: str) -> str:
    if ctx.numeric(variable):
        return f"CAST({ctx.q(variable)} AS DOUBLE)"
    v = _text(ctx, variable)
    bad = ctx.rows(
        f"SELECT DISTINCT {v} AS v FROM {ctx.view} WHERE {v} IS NOT NULL AND "
        f"TRY_CAST({v} AS DOUBLE) IS NULL ORDER BY v LIMIT {SHOWN_VALUES}"
    )
    if bad:
        ctx.problems.append(
            f'variable "{variable}" ({concept}) must be numeric; values found: '
            + ", ".join(repr(b[0]) for b in bad)
        )
        return "CAST(NULL AS DOUBLE)"
    return f"TRY_CAST({v} AS DOUBLE)"


def _times(expr: str, factor: float) -> str:
    return f"({expr} * {sql_literal(factor)})" if factor != 1.0 else expr


def _concept(ctx: _SqlContext, name: str, spec: VariableSpec, mapping: Mapping) -> str | None:
    concept = BY_NAME[name]
    factor = spec.multiply * (12.0 if mapping.period == "month" and name in MONEY else 1.0)
    if spec.constant is not None:
        if concept.kind == "number":
            return sql_literal(float(spec.constant) * factor)
        if concept.kind == "flag":
            return f"CAST({int(spec.constant)} AS TINYINT)"
        return sql_literal(spec.constant)
    if spec.variable is None or not ctx.has(spec.variable, name):
        return None
    var = spec.variable
    if concept.kind == "id":
        return ctx.q(var)
    if concept.kind == "number":
        return _times(_number(ctx, var, name), factor)
    if concept.kind == "category":
        if spec.values is None:
            _check_values(ctx, var, name, list(concept.categories))
            return _text(ctx, var)
        return _recode(ctx, spec, name, flag=False)
    if spec.values is None:  # a flag holding 0/1 or true/false
        _check_values(ctx, var, name, [0, 1, "0", "1", "true", "false"])
        text = _text(ctx, var)
        yes = f"CASE WHEN {text} IN ('1', 'true') THEN 1 WHEN {text} IS NOT NULL THEN 0 END"
        return f"CAST({yes} AS TINYINT)"
    return _recode(ctx, spec, name, flag=True)


def _money(ctx: _SqlContext, spec: VariableSpec, where: str, mapping: Mapping) -> str | None:
    factor = spec.multiply * (12.0 if mapping.period == "month" else 1.0)
    if spec.constant is not None:
        return sql_literal(float(spec.constant) * factor)
    if spec.variable is None or not ctx.has(spec.variable, where):
        return None
    return _times(_number(ctx, spec.variable, where), factor)


def _flag_input(ctx: _SqlContext, spec: VariableSpec, where: str) -> str | None:
    if spec.variable is None or not ctx.has(spec.variable, where):
        return None
    if spec.values is None:
        _check_values(ctx, spec.variable, where, [0, 1])
        return f"CAST({ctx.q(spec.variable)} AS TINYINT)"
    return _recode(ctx, spec, where, flag=True)


def _ilo_informal(ctx: _SqlContext, spec: VariableSpec, status: str) -> str | None:
    contributes = _flag_input(
        ctx, spec.inputs["employer_contributes"], "informal.employer_contributes"
    )
    registered = _flag_input(ctx, spec.inputs["unit_registered"], "informal.unit_registered")
    if contributes is None or registered is None:
        return None
    return (
        f"CAST(CASE WHEN {status} = 'employee' THEN 1 - {contributes} "
        f"WHEN {status} IN ({_in(list(_ILO_SELF))}) THEN 1 - {registered} "
        f"WHEN {status} = 'contributing_family' THEN 1 END AS TINYINT)"
    )


def apply_mapping_sql(
    data: Any, mapping: Mapping, *, value_labels: dict[str, dict[Any, str]] | None = None
) -> Any:
    """The survey in standard concept columns, computed where the data are.

    Parameters
    ----------
    data
        A DuckDB relation or a Spark DataFrame, one row per person.
    mapping
        A validated :class:`~socialcover.survey.io.Mapping`.
    value_labels
        ``{variable: {code: label}}`` so that mappings may name codes by their labels.

    Returns
    -------
    duckdb.DuckDBPyRelation or pyspark.sql.DataFrame
        Of the input's kind, lazy, with the columns and values of the in-memory path.

    Raises
    ------
    InputError
        ``survey.mapping-mismatch`` listing every problem found.
    """
    ctx = _SqlContext(data, value_labels or {})
    exprs: dict[str, str] = {}
    for concept in (*DESIGN_CONCEPTS, *CONCEPTS):
        spec = mapping.concepts.get(concept.name)
        if spec is None or (concept.name == "informal" and spec.rule == "ilo"):
            continue
        if concept.name == "poverty_line" and spec.relative_to_median is not None:
            continue
        expr = _concept(ctx, concept.name, spec, mapping)
        if expr is not None:
            exprs[concept.name] = expr
    for var in mapping.keep:
        if ctx.has(var, "keep"):
            exprs.setdefault(var, ctx.q(var))
    if ctx.problems:
        raise _mismatch(mapping, ctx.problems)
    informal = mapping.concepts.get("informal")
    if informal is not None and informal.rule == "ilo":
        if "status_in_employment" not in exprs:
            ctx.problems.append("informal: the ILO rule needs concepts.status_in_employment")
        else:
            rule = _ilo_informal(ctx, informal, exprs["status_in_employment"])
            if rule is not None:
                exprs["informal"] = rule
    _benefits(ctx, exprs, mapping)
    _check_design(ctx, exprs)
    if ctx.problems:
        raise _mismatch(mapping, ctx.problems)
    return ctx.frame(_finish(ctx, exprs, mapping))


def _benefits(ctx: _SqlContext, exprs: dict[str, str], mapping: Mapping) -> None:
    needs_household = any(b.level == "household" for b in mapping.benefits.values())
    if needs_household and "hh_id" not in exprs:
        ctx.problems.append("household-level benefits need concepts.hh_id")
        return
    for b in mapping.benefits.values():
        amount: str | None = None
        if b.amount is not None:
            amount = _money(ctx, b.amount, f"benefits.{b.name}.amount", mapping)
            if amount is not None and b.missing_amount == "zero":
                amount = f"COALESCE({amount}, CAST(0 AS DOUBLE))"
        receives: str | None = None
        if b.receives is not None:
            receives = _flag_input(ctx, b.receives, f"benefits.{b.name}.receives")
        elif amount is not None:
            receives = f"CASE WHEN {amount} IS NULL THEN NULL WHEN {amount} > 0 THEN 1 ELSE 0 END"
        if ctx.problems or receives is None:
            continue
        amt = amount or "CAST(NULL AS DOUBLE)"
        if b.level == "household":
            over = f"OVER (PARTITION BY {exprs['hh_id']})"
            receives = f"MAX({receives}) {over}"
            amt = f"MAX({amt}) {over} / COUNT(*) {over}"
        exprs[f"receives_{b.name}"] = f"CAST({receives} AS TINYINT)"
        exprs[f"amount_{b.name}"] = f"CAST({amt} AS DOUBLE)"


def _check_design(ctx: _SqlContext, exprs: dict[str, str]) -> None:
    if "weight" not in exprs:
        return
    w = exprs["weight"]
    bad = ctx.rows(
        f"SELECT w, COUNT(*) OVER () AS k FROM (SELECT {w} AS w FROM {ctx.view}) AS s "
        "WHERE w IS NULL OR w < 0 OR isnan(w) LIMIT 5"
    )
    if bad:
        found = ", ".join("missing" if v is None else _fmt(v) for v, _ in bad)
        ctx.problems.append(
            f"weight has {bad[0][1]:,} missing or negative values (values {found}...); "
            "weights must be 0 or more"
        )


def _finish(ctx: _SqlContext, exprs: dict[str, str], mapping: Mapping) -> str:
    """The final statement: the informal flag for the employed only, scale and line added."""
    if "welfare_scale" not in exprs:
        size = f"COUNT(*) OVER (PARTITION BY {exprs['hh_id']})" if "hh_id" in exprs else "1"
        exprs["welfare_scale"] = f"CAST({size} AS DOUBLE)"
    line = mapping.concepts.get("poverty_line")
    if line is not None and line.relative_to_median is not None and "welfare" in exprs:
        median = _weighted_median(ctx, exprs["welfare"], exprs["weight"])
        exprs["poverty_line"] = sql_literal(median * line.relative_to_median)
    if "labour_status" in exprs and "informal" in exprs:
        exprs["informal"] = (
            f"CASE WHEN {exprs['labour_status']} = 'employed' THEN {exprs['informal']} END"
        )
    select = ", ".join(f"{e} AS {ctx.q(n)}" for n, e in exprs.items())
    return f"SELECT {select} FROM {ctx.view}"


def _weighted_median(ctx: _SqlContext, welfare: str, weight: str) -> float:
    """The smallest welfare whose cumulative weight reaches half the total (as in memory)."""
    rows = ctx.rows(
        "SELECT v FROM (SELECT v, SUM(w) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING "
        "AND CURRENT ROW) AS c, SUM(w) OVER () AS t FROM (SELECT v, SUM(w) AS w FROM "
        f"(SELECT {welfare} AS v, {weight} AS w FROM {ctx.view}) AS s WHERE v IS NOT NULL "
        "AND w IS NOT NULL GROUP BY v) AS g) AS c WHERE c >= t / 2 ORDER BY v LIMIT 1"
    )
    if not rows:
        raise InputError(
            "The relative poverty line needs welfare and weights, and none were found.",
            code="survey.mapping-mismatch",
            hint="Check that the welfare and weight variables hold values.",
        )
    return float(rows[0][0])
