"""Applying a mapping: a survey's own variables become the standard concept columns.

Every check runs before anything is returned and all problems are reported together, each
naming the variable, the concept and the values found (with their value labels when the file
has them). Error codes::

    survey.mapping-mismatch   the data do not fit the mapping (missing variables, unmapped
                              codes, text where numbers are needed, bad weights)
"""

from __future__ import annotations

import difflib
from typing import Any

import polars as pl

from socialcover.errors import InputError
from socialcover.survey.io.concepts import BY_NAME, CONCEPTS, DESIGN_CONCEPTS
from socialcover.survey.io.mapping import Mapping, VariableSpec
from socialcover.survey.io.reader import SurveySource, read_survey, read_value_labels

__all__ = ["load_survey", "map_frame"]

MONEY = ("welfare", "poverty_line")
SHOWN_VALUES = 12


class _Context:
    """The frame being mapped, its labels, and the problems found so far."""

    def __init__(self, df: pl.DataFrame, labels: dict[str, dict[Any, str]]):
        self.df = df
        self.columns = list(df.columns)
        self.labels = labels
        self.problems: list[str] = []

    def numeric(self, variable: str) -> bool:
        """Whether the column holds numbers (or booleans), so codes compare as numbers."""
        return _is_numeric(self.df.schema[variable])

    def has(self, variable: str, concept: str) -> bool:
        if variable in self.columns:
            return True
        near = difflib.get_close_matches(variable, self.columns, n=3, cutoff=0.6)
        near += [c for c in self.columns if c.lower() == variable.lower() and c not in near]
        also = f"; columns like it: {', '.join(near)}" if near else ""
        self.problems.append(f'variable "{variable}" named for {concept} is not in the data{also}')
        return False

    def show(self, variable: str, value: Any) -> str:
        label = self.labels.get(variable, {}).get(value)
        if label is None and isinstance(value, float) and value.is_integer():
            label = self.labels.get(variable, {}).get(int(value))
        shown = _fmt(value)
        return f'{shown} "{label}"' if label is not None else shown


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _is_numeric(dtype: pl.DataType) -> bool:
    return dtype.is_numeric() or dtype == pl.Boolean


def _resolve_codes(ctx: _Context, variable: str, concept: str, codes: tuple[Any, ...]) -> list[Any]:
    """Codes as stored in the column: labels become codes, numbers and strings match dtype."""
    numeric = ctx.numeric(variable)
    out: list[Any] = []
    labels = ctx.labels.get(variable, {})
    by_label = {str(label).lower(): code for code, label in labels.items()}
    for code in codes:
        if code is None:
            continue
        if numeric:
            if isinstance(code, str):
                if code.lower() in by_label:
                    out.append(float(by_label[code.lower()]))
                    continue
                try:
                    out.append(float(code))
                except ValueError:
                    known = ", ".join(f'{_fmt(c)} "{lab}"' for c, lab in labels.items())
                    ctx.problems.append(
                        f'{concept}: code "{code}" is not a value label of "{variable}"'
                        + (f" (its labels: {known})" if known else " (it has no value labels)")
                    )
                continue
            out.append(float(code))
        else:
            out.append(str(code))
    return out


def _recode(ctx: _Context, spec: VariableSpec, concept: str, out_dtype: pl.DataType) -> pl.Expr:
    """A recode of ``spec.variable`` through ``spec.values``; unmapped values are problems."""
    variable = spec.variable
    assert variable is not None and spec.values is not None  # internal: guarded by callers
    numeric = ctx.numeric(variable)
    old: list[Any] = []
    new: list[Any] = []
    for std, codes in spec.values.items():
        for code in _resolve_codes(ctx, variable, concept, codes):
            old.append(code)
            new.append(std)
    missing = _resolve_codes(ctx, variable, concept, spec.missing)
    source = pl.col(variable).cast(pl.Float64) if numeric else pl.col(variable).cast(pl.Utf8)
    found = ctx.df.select(source.alias("v")).drop_nulls().group_by("v").len().sort("v")
    known = set(old) | set(missing)
    unmapped = found.filter(~pl.col("v").is_in(list(known)))
    if unmapped.height:
        shown = [f"{ctx.show(variable, v)} ({n:,} rows)" for v, n in unmapped.iter_rows()]
        more = f" and {len(shown) - SHOWN_VALUES} more" if len(shown) > SHOWN_VALUES else ""
        mapped = ", ".join(ctx.show(variable, v) for v in sorted(known, key=str)) or "none"
        ctx.problems.append(
            f'variable "{variable}" ({concept}) has values not in the mapping: '
            f"{', '.join(shown[:SHOWN_VALUES])}{more}; mapped codes: {mapped}. "
            f"Add them under values (or missing) of {concept}"
        )
    if not old:
        return pl.lit(None, dtype=out_dtype)
    return source.replace_strict(old, new, default=None, return_dtype=out_dtype)


def _check_values(ctx: _Context, variable: str, concept: str, allowed: list[Any]) -> None:
    found = ctx.df.select(pl.col(variable).cast(pl.Utf8).alias("v")).drop_nulls().unique()["v"]
    bad = sorted(set(found.to_list()) - {str(a) for a in allowed})
    if bad:
        ctx.problems.append(
            f'variable "{variable}" ({concept}) has values '
            f"{', '.join(map(repr, bad[:SHOWN_VALUES]))}"
            f"; without a values: recode it must hold {', '.join(map(str, allowed))}"
        )


def _number(ctx: _Context, variable: str, concept: str) -> pl.Expr:
    dtype = ctx.df.schema[variable]
    if _is_numeric(dtype):
        return pl.col(variable).cast(pl.Float64)
    text = ctx.df.select(pl.col(variable).cast(pl.Utf8)).to_series()
    as_num = text.cast(pl.Float64, strict=False)
    bad = text.filter(as_num.is_null() & text.is_not_null()).unique().head(SHOWN_VALUES)
    if bad.len():
        ctx.problems.append(
            f'variable "{variable}" ({concept}) must be numeric; values found: '
            + ", ".join(repr(v) for v in bad.to_list())
        )
        return pl.lit(None, dtype=pl.Float64)
    return pl.col(variable).cast(pl.Utf8).cast(pl.Float64, strict=False)


def _concept(ctx: _Context, name: str, spec: VariableSpec, mapping: Mapping) -> pl.Expr | None:
    concept = BY_NAME[name]
    factor = spec.multiply * (12.0 if mapping.period == "month" and name in MONEY else 1.0)
    if spec.constant is not None:
        value: Any = spec.constant
        if concept.kind in ("number", "flag"):
            return pl.lit(float(value) * factor if concept.kind == "number" else int(value))
        return pl.lit(value)
    if spec.variable is None or not ctx.has(spec.variable, name):
        return None
    var = spec.variable
    if concept.kind == "id":
        return pl.col(var)
    if concept.kind == "number":
        expr = _number(ctx, var, name)
        return expr * factor if factor != 1.0 else expr
    if concept.kind == "category":
        if spec.values is None:
            _check_values(ctx, var, name, list(concept.categories))
            return pl.col(var).cast(pl.Utf8)
        return _recode(ctx, spec, name, pl.Utf8())
    # flag
    if spec.values is None:
        _check_values(ctx, var, name, [0, 1, "0", "1", "true", "false"])
        return pl.col(var).cast(pl.Utf8).replace({"true": "1", "false": "0"}).cast(pl.Int8)
    return _recode(ctx, spec, name, pl.Int8())


def _money(ctx: _Context, spec: VariableSpec, where: str, mapping: Mapping) -> pl.Expr | None:
    """A money amount per year: a variable (or constant) times the period factor."""
    factor = spec.multiply * (12.0 if mapping.period == "month" else 1.0)
    if spec.constant is not None:
        return pl.lit(float(spec.constant) * factor)
    if spec.variable is None or not ctx.has(spec.variable, where):
        return None
    expr = _number(ctx, spec.variable, where)
    return expr * factor if factor != 1.0 else expr


def _flag_input(ctx: _Context, spec: VariableSpec, where: str) -> pl.Expr | None:
    if spec.variable is None or not ctx.has(spec.variable, where):
        return None
    if spec.values is None:
        _check_values(ctx, spec.variable, where, [0, 1])
        return pl.col(spec.variable).cast(pl.Int8)
    return _recode(ctx, spec, where, pl.Int8())


def _ilo_informal(ctx: _Context, spec: VariableSpec) -> pl.Expr | None:
    contributes = _flag_input(
        ctx, spec.inputs["employer_contributes"], "informal.employer_contributes"
    )
    registered = _flag_input(ctx, spec.inputs["unit_registered"], "informal.unit_registered")
    if contributes is None or registered is None:
        return None
    status = pl.col("status_in_employment")
    return (
        pl.when(status == "employee")
        .then(1 - contributes)
        .when(status.is_in(["own_account", "employer", "cooperative_member"]))
        .then(1 - registered)
        .when(status == "contributing_family")
        .then(pl.lit(1))
        .otherwise(None)
        .cast(pl.Int8)
    )


def map_frame(
    data: SurveySource,
    mapping: Mapping,
    *,
    value_labels: dict[str, dict[Any, str]] | None = None,
) -> pl.DataFrame:
    """The survey in standard concept columns (see :mod:`socialcover.survey.io.concepts`).

    Parameters
    ----------
    data
        The survey as read by :func:`~socialcover.survey.io.read_survey` (or any source it
        reads), one row per person. A DuckDB relation or a Spark DataFrame is mapped where it
        lies, in SQL (:func:`~socialcover.survey.io.mapping_sql.apply_mapping_sql`): the same
        checks, and a lazy result of the same kind.
    mapping
        A validated :class:`~socialcover.survey.io.Mapping`.
    value_labels
        ``{variable: {code: label}}`` so that mappings may name codes by their labels.

    Returns
    -------
    polars.DataFrame (a DuckDB relation or a Spark DataFrame for those inputs)
        Design columns (weight, strata, psu, fpc), the mapped concepts, ``receives_<b>`` (0/1)
        and ``amount_<b>`` (per person per year; household benefits shared equally among
        members) for each mapped benefit, and the ``keep`` variables.

    Raises
    ------
    InputError
        ``survey.mapping-mismatch`` listing every problem found.
    """
    df = read_survey(data)
    ctx = _Context(df, value_labels or {})
    exprs: dict[str, pl.Expr] = {}
    order = [c.name for c in (*DESIGN_CONCEPTS, *CONCEPTS)]
    for name in order:
        spec = mapping.concepts.get(name)
        if spec is None or (name == "informal" and spec.rule == "ilo"):
            continue
        if name == "poverty_line" and spec.relative_to_median is not None:
            continue
        expr = _concept(ctx, name, spec, mapping)
        if expr is not None:
            exprs[name] = expr.alias(name)
    for var in mapping.keep:
        if ctx.has(var, "keep"):
            exprs.setdefault(var, pl.col(var))
    if ctx.problems:
        raise _mismatch(mapping, ctx.problems)
    out = df.select(list(exprs.values()))
    ctx.df = df  # rule inputs are read from the source frame
    informal = mapping.concepts.get("informal")
    if informal is not None and informal.rule == "ilo":
        if "status_in_employment" not in out.columns:
            ctx.problems.append("informal: the ILO rule needs concepts.status_in_employment")
        else:
            rule = _ilo_informal(ctx, informal)
            if rule is not None:
                tmp = df.select(informal.variables()).with_columns(out["status_in_employment"])
                out = out.with_columns(tmp.select(rule.alias("informal")).to_series())
    out = _benefit_columns(ctx, out, mapping)
    _check_design(ctx, out)
    if ctx.problems:
        raise _mismatch(mapping, ctx.problems)
    return _finish(out, mapping)


def _benefit_columns(ctx: _Context, out: pl.DataFrame, mapping: Mapping) -> pl.DataFrame:
    needs_household = any(b.level == "household" for b in mapping.benefits.values())
    if needs_household and "hh_id" not in out.columns:
        ctx.problems.append("household-level benefits need concepts.hh_id")
        return out
    cols: list[pl.Series] = []
    frame = ctx.df
    for b in mapping.benefits.values():
        amount: pl.Expr | None = None
        if b.amount is not None:
            amount = _money(ctx, b.amount, f"benefits.{b.name}.amount", mapping)
            if amount is not None and b.missing_amount == "zero":
                amount = amount.fill_null(0.0)
        receives: pl.Expr | None = None
        if b.receives is not None:
            receives = _flag_input(ctx, b.receives, f"benefits.{b.name}.receives")
        elif amount is not None:
            receives = pl.when(amount.is_null()).then(None).otherwise(amount > 0).cast(pl.Int8)
        if ctx.problems or receives is None:
            continue
        rec = frame.select(receives.alias("r")).to_series()
        amt = (
            frame.select(amount.alias("a")).to_series()
            if amount is not None
            else pl.Series("a", [None] * frame.height, dtype=pl.Float64)
        )
        if b.level == "household":
            tmp = pl.DataFrame({"hh": out["hh_id"], "r": rec, "a": amt}).with_columns(
                pl.col("r").max().over("hh"),
                (pl.col("a").max().over("hh") / pl.len().over("hh")),
            )
            rec, amt = tmp["r"], tmp["a"]
        cols.append(rec.cast(pl.Int8).alias(f"receives_{b.name}"))
        cols.append(amt.cast(pl.Float64).alias(f"amount_{b.name}"))
    return out.with_columns(cols) if cols else out


def _check_design(ctx: _Context, out: pl.DataFrame) -> None:
    if "weight" not in out.columns:
        return
    w = out["weight"]
    bad = out.with_row_index("row").filter(w.is_null() | (w < 0) | w.is_nan())
    if bad.height:
        rows = ", ".join(str(r) for r in bad["row"].head(5).to_list())
        ctx.problems.append(
            f"weight has {bad.height:,} missing or negative values (rows {rows}...); weights "
            "must be 0 or more"
        )


def _finish(out: pl.DataFrame, mapping: Mapping) -> pl.DataFrame:
    extra: list[pl.Expr] = []
    if "welfare_scale" not in out.columns:
        size = pl.len().over("hh_id") if "hh_id" in out.columns else pl.lit(1)
        extra.append(size.cast(pl.Float64).alias("welfare_scale"))
    line = mapping.concepts.get("poverty_line")
    if line is not None and line.relative_to_median is not None and "welfare" in out.columns:
        median = _weighted_median(out["welfare"], out["weight"])
        extra.append(pl.lit(median * line.relative_to_median).alias("poverty_line"))
    if "labour_status" in out.columns and "informal" in out.columns:
        out = out.with_columns(
            pl.when(pl.col("labour_status") == "employed")
            .then(pl.col("informal"))
            .alias("informal")
        )
    return out.with_columns(extra) if extra else out


def _weighted_median(values: pl.Series, weights: pl.Series) -> float:
    frame = pl.DataFrame({"v": values, "w": weights}).drop_nulls().sort("v")
    cum = frame["w"].cum_sum()
    half = float(frame["w"].sum()) / 2.0
    return float(frame["v"].filter(cum >= half)[0])


def _mismatch(mapping: Mapping, problems: list[str]) -> InputError:
    listing = "\n".join(f"  - {p}" for p in problems)
    return InputError(
        f"The data do not fit the mapping {mapping.source} "
        f"({len(problems)} problem(s)):\n{listing}",
        code="survey.mapping-mismatch",
        hint="Edit the mapping so that every variable exists and every code found is listed "
        "(codes meaning 'no answer' go under missing:).",
        problems=problems,
    )


def load_survey(source: SurveySource, mapping: Mapping | str) -> pl.DataFrame:
    """Read a survey (only the variables the mapping uses) and apply the mapping.

    Examples
    --------
    >>> import polars as pl
    >>> m = Mapping.from_dict({"design": {"weight": "w"}, "concepts": {"age": "a"}})
    >>> load_survey(pl.DataFrame({"w": [1.0, 2.0], "a": [30, 70]}), m).columns
    ['weight', 'age', 'welfare_scale']
    """
    if isinstance(mapping, str):
        mapping = Mapping.from_yaml(mapping)
    labels = read_value_labels(source)
    df = read_survey(source)
    wanted = [c for c in mapping.variables() if c in df.columns]
    missing = [c for c in mapping.variables() if c not in df.columns]
    # Missing variables are kept out of the selection and reported by apply_mapping.
    df = df.select(wanted) if not missing else df
    return map_frame(df, mapping, value_labels=labels)
