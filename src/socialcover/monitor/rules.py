"""Validation rules for observations, run before anything is kept.

Four kinds of rule, each a :class:`Problem` that names the row in the file, the column, the
value, why it is refused and how to fix it:

- **structure**: an indicator code of the registry (:mod:`socialcover.monitor.registry`), a
  known area (ISO3 code or a group that
  :mod:`socialcover.data` names), a year between 1900 and 2100, a known sex and nature, numbers
  where numbers go, a value and a source on every row, one row per indicator, area, year and
  sex;
- **range**: values within the indicator's bounds in the registry (coverage between 0 and
  100 percent); a standard error not negative; ``lower <= value <= upper``;
- **consistency**: where a file holds both sexes and the total for the same indicator, area
  and year, the total lies within the range the two sexes span (0.1 pp of rounding allowed:
  values published to one decimal can miss it by at most that);
- **jump**: a change of more than 20 percentage points from the previous period of the same
  series (in ``previous`` or in the file itself) is a warning, unless the row's footnotes
  explain a break in series (the word "break", or the status code ``[status B]``).

Errors refuse the whole file (:class:`ObservationFileError`, nothing is returned half);
warnings are raised as one :class:`~socialcover.errors.SocialcoverWarning`. DHIS2's validation
rules and the UN SDG database's footnotes are the models.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import polars as pl

from socialcover.data import countries
from socialcover.errors import InputError, SocialcoverWarning
from socialcover.monitor.csvfile import ROW
from socialcover.monitor.frame import (
    NATURES,
    OBSERVATION_SCHEMA,
    SEXES,
    known_areas,
)
from socialcover.monitor.registry import indicator_codes, list_indicators

__all__ = [
    "JUMP_PP",
    "NATURE_OF_STATUS",
    "ROUNDING_PP",
    "STATUS_LABELS",
    "JumpWarning",
    "ObservationFileError",
    "Problem",
    "accept_observations",
    "check_observations",
    "translate_codes",
]

STATUS_LABELS: dict[str, str] = {
    "B": "Time series break",
    "D": "Definition differs",
    "E": "Estimated value",
    "F": "Forecast value",
    "I": "Imputed value",
    "N": "Not significant",
    "P": "Provisional value",
    "U": "Low reliability",
}
"""Labels of the SDMX observation status codes (code list CL_OBS_STATUS) used in footnotes."""
NATURE_OF_STATUS: dict[str, str] = {"E": "modelled", "F": "modelled", "I": "imputed"}
"""The nature an observation status implies; any other status is ``observed``."""
JUMP_PP = 20.0
"""A change from the previous period larger than this (percentage points) is a warning."""
ROUNDING_PP = 0.1
"""How far the total may lie outside the range of the female and male values."""
_SHOWN = 20  # problems spelt out in an error message; all of them are in its context
_NUMBERS = ("value", "se", "lower", "upper")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell of a file: where, what, why and how to fix it."""

    row: int
    column: str
    value: str
    code: str
    why: str
    fix: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column} ({self.value!r}): {self.why} {self.fix}"


class JumpWarning(SocialcoverWarning):
    """Values that jump from the previous period; ``problems`` lists each (row, why, fix)."""

    def __init__(
        self, message: str, *, code: str, hint: str = "", problems: list[dict[str, Any]]
    ) -> None:
        super().__init__(message, code=code, hint=hint)
        self.problems = problems


class ObservationFileError(InputError):
    """A file of observations breaks validation rules; nothing of it was kept."""

    default_code = "monitor.invalid-observations"


def _problems_error(problems: Sequence[Problem], what: str) -> ObservationFileError:
    lines = [f"  {p}" for p in problems[:_SHOWN]]
    if len(problems) > _SHOWN:
        lines.append(f"  ... and {len(problems) - _SHOWN} more.")
    return ObservationFileError(
        f"{len(problems)} problem(s) in {what}; nothing was imported:\n" + "\n".join(lines),
        hint="Fix the rows named above and import the whole file again.",
        problems=[asdict(p) for p in problems],
    )


def _known_areas() -> set[str]:
    known = known_areas()
    if known is None:
        countries()  # no pack: raises the error that says how to install one
        return set()
    return known


def _bounds() -> list[tuple[tuple[float, float], list[str], str, str]]:
    """The registry's bounds: each range with its indicators, why it is broken, how to fix it."""
    groups: dict[tuple[float | None, float | None, str], list[str]] = {}
    for definition in list_indicators():
        if definition.bounds != (None, None):
            groups.setdefault((*definition.bounds, definition.unit), []).append(definition.code)
    out = []
    for (low, high, unit), members in groups.items():
        if low is not None and high is not None:
            why = f"the value must be between {low:g} and {high:g} {unit}."
        elif low is not None:
            why = f"the value must be at least {low:g} {unit}."
        else:
            why = f"the value must be at most {high:g} {unit}."
        fix = (
            "Write coverage in percent (35.2, not 0.352 or 3520)."
            if unit == "percent"
            else f"Write the value in {unit}."
        )
        span = (-math.inf if low is None else low, math.inf if high is None else high)
        out.append((span, members, why, fix))
    return out


def _near(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3, cutoff=0.6)
    return f" Did you mean {', '.join(close)}?" if close else ""


@dataclass(frozen=True)
class _Rule:
    """A rule on single cells: the rows where ``broken`` holds get the problem ``code``."""

    column: str
    code: str
    broken: pl.Expr
    why: str
    fix: str
    suggest: Sequence[str] = ()  # codes to suggest the nearest of


def _cells(text: pl.DataFrame, areas: set[str]) -> tuple[list[_Rule], list[_Rule]]:
    """Rules on single cells of the frame as text: structure first, then ranges."""
    number = {
        c: pl.col(c).str.strip_chars().replace("", None).cast(pl.Float64, strict=False)
        for c in _NUMBERS
    }
    year = pl.col("year").str.strip_chars().cast(pl.Int64, strict=False)
    codes = indicator_codes()
    structure = [
        _Rule("indicator", "unknown-indicator", ~pl.col("indicator").is_in(codes),
              "unknown indicator code.",
              "Use a code `socialcover monitor indicators` lists.", codes),
        _Rule("area", "unknown-area", ~pl.col("area").is_in(sorted(areas)),
              "unknown country or group code.",
              "Use an ISO3 code (KEN), World, an ILO region or an income group as "
              "socialcover.data.countries() names them.", sorted(areas)),
        _Rule("year", "bad-year", ~year.is_between(1900, 2100).fill_null(False),
              "the year is not a whole number between 1900 and 2100.",
              "Write the reference year as four digits (2023)."),
        _Rule("sex", "unknown-sex", ~pl.col("sex").is_in(SEXES), "unknown sex.",
              f"Use one of {', '.join(SEXES)}."),
        _Rule("nature", "unknown-nature", ~pl.col("nature").is_in(NATURES),
              "unknown nature of data.", f"Use one of {', '.join(NATURES)}."),
        _Rule("value", "missing-value", pl.col("value").str.strip_chars() == "",
              "the value is missing.", "Write the value, or delete the row."),
        _Rule("source", "missing-source", pl.col("source").str.strip_chars() == "",
              "the source is missing.", "Say who published the value (ILO, ILOSTAT ...)."),
        *(
            _Rule(c, "not-a-number",
                  (pl.col(c).str.strip_chars() != "") & ~number[c].is_finite().fill_null(False),
                  "not a finite number.",
                  "Write a number with a dot for decimals (35.2), or leave the cell empty.")
            for c in _NUMBERS
        ),
    ]  # fmt: skip
    swapped = "Check that lower and upper are not swapped."
    ranges = [
        *(
            _Rule(c, "out-of-range",
                  pl.col("indicator").is_in(members)
                  & ~number[c].is_between(low, high).fill_null(True),
                  why, fix)
            for (low, high), members, why, fix in _bounds()
            for c in ("value", "lower", "upper")
        ),
        _Rule("se", "negative-se", (number["se"] < 0).fill_null(False),
              "a standard error cannot be negative.", "Write its absolute value."),
        _Rule("lower", "bad-interval", (number["lower"] > number["value"]).fill_null(False),
              "the lower bound is above the value.", swapped),
        _Rule("upper", "bad-interval", (number["upper"] < number["value"]).fill_null(False),
              "the upper bound is below the value.", swapped),
    ]  # fmt: skip
    return structure, ranges


def _broken(text: pl.DataFrame, rules: list[_Rule], col: Mapping[str, str]) -> list[Problem]:
    found = text.select(
        pl.col("_at"), *(r.broken.alias(str(i)) for i, r in enumerate(rules)),
        *(pl.col(c) for c in {r.column for r in rules}),
    )  # fmt: skip
    out = []
    for i, rule in enumerate(rules):
        hits = found.filter(pl.col(str(i)))
        for row, value in zip(hits["_at"].to_list(), hits[rule.column].to_list(), strict=True):
            fix = rule.fix + (_near(value, rule.suggest) if rule.suggest else "")
            out.append(
                Problem(row, col.get(rule.column, rule.column), value, rule.code, rule.why, fix)
            )
    return out


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame cast to :data:`OBSERVATION_SCHEMA` (cells that do not fit become null)."""

    def cast(name: str, dtype: pl.DataType) -> pl.Expr:
        column = pl.col(name)
        if dtype == pl.String():
            return column.cast(pl.String).fill_null("")
        if frame.schema[name] == pl.String():
            column = column.str.strip_chars().replace("", None)
        return column.cast(dtype, strict=False)

    return frame.select(cast(name, dtype) for name, dtype in OBSERVATION_SCHEMA.items())


def _duplicates(typed: pl.DataFrame, rows: pl.Series, col: Mapping[str, str]) -> list[Problem]:
    key = ["indicator", "area", "year", "sex"]
    seen = typed.with_columns(_at=rows).filter(pl.col("year").is_not_null())
    repeated = seen.filter(pl.int_range(pl.len()).over(key) > 0)
    firsts = seen.group_by(key).agg(pl.col("_at").min().alias("_first"))
    return [
        Problem(
            r["_at"],
            col.get("year", "year"),
            str(r["year"]),
            "duplicate",
            f"row {r['_first']} already has {r['indicator']}, {r['area']}, {r['year']}, "
            f"{r['sex']}.",
            "Keep one of the two rows (a revision is imported as a new file).",
        )
        for r in repeated.join(firsts, on=key).sort("_at").iter_rows(named=True)
    ]


def _consistency(typed: pl.DataFrame, rows: pl.Series, col: Mapping[str, str]) -> list[Problem]:
    key = ["indicator", "area", "year"]
    data = typed.with_columns(_at=rows).filter(pl.col("value").is_not_null())
    both = data.filter(pl.col("sex") == "both").select(*key, "value", "_at")
    sexes = (
        data.filter(pl.col("sex").is_in(["female", "male"]))
        .group_by(key)
        .agg(low=pl.col("value").min(), high=pl.col("value").max(), n=pl.col("sex").n_unique())
        .filter(pl.col("n") == 2)
    )
    outside = both.join(sexes, on=key).filter(
        (pl.col("value") < pl.col("low") - ROUNDING_PP - 1e-9)
        | (pl.col("value") > pl.col("high") + ROUNDING_PP + 1e-9)
    )
    return [
        Problem(
            r["_at"],
            col.get("value", "value"),
            repr(r["value"]),
            "total-outside-sexes",
            "the total for both sexes lies outside the female and male values "
            f"({r['low']} to {r['high']}).",
            "Check the sex codes of these rows, or the three values.",
        )
        for r in outside.sort("_at").iter_rows(named=True)
    ]


def _jumps(
    typed: pl.DataFrame, rows: pl.Series, previous: pl.DataFrame | None, col: Mapping[str, str]
) -> list[Problem]:
    key = ["indicator", "area", "sex"]
    here = typed.with_columns(_at=rows).filter(
        pl.col("value").is_not_null() & pl.col("year").is_not_null()
    )
    history = here.select(*key, "year", "value")
    if previous is not None and previous.height:
        history = pl.concat([_typed(previous).select(*key, "year", "value"), history])
    before = history.rename({"year": "_year0", "value": "_value0"}).sort("_year0")
    pairs = (
        here.sort("year")
        .join_asof(
            before,
            left_on="year",
            right_on="_year0",
            by=key,
            strategy="backward",
            allow_exact_matches=False,
            check_sortedness=False,  # both sides are sorted by year above
        )
        .filter(pl.col("_value0").is_not_null())
        .filter((pl.col("value") - pl.col("_value0")).abs() > JUMP_PP)
        .filter(~pl.col("footnotes").str.to_lowercase().str.contains("break|\\[status b\\]"))
    )
    return [
        Problem(
            r["_at"],
            col.get("value", "value"),
            repr(r["value"]),
            "jump",
            f"{r['value'] - r['_value0']:+.1f} pp since {r['_year0']} ({r['_value0']}), "
            f"more than {JUMP_PP:g} pp.",
            "Check the value; if the series has a break, say so in the footnotes.",
            "warning",
        )
        for r in pairs.sort("_at").iter_rows(named=True)
    ]


def translate_codes(
    raw: pl.DataFrame, column: str, codes: Mapping[str, str], *, why: str, fix: str
) -> tuple[pl.Series, list[Problem]]:
    """A file's code column translated (unknown codes become null), and a problem for each.

    ``raw`` is a frame from :func:`~socialcover.monitor.csvfile.parse_table`; an empty cell
    is a problem too, reported as ``why`` with ``fix``.
    """
    values = raw[column].str.strip_chars()
    translated = values.replace_strict(dict(codes), default=None, return_dtype=pl.String)
    unknown = raw.filter(translated.is_null())
    problems = [
        Problem(row, column, value, "unknown-code", why, fix)
        for value, row in zip(unknown[column].to_list(), unknown[ROW].to_list(), strict=True)
    ]
    return translated, problems


def check_observations(
    frame: pl.DataFrame,
    previous: pl.DataFrame | None = None,
    *,
    rows: Sequence[int] | None = None,
    columns: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every problem of an observation frame, errors and warnings, in file order.

    Parameters
    ----------
    frame
        The columns of :data:`OBSERVATION_SCHEMA`, typed or still as text read from a file.
    previous
        Observations already kept (earlier periods), for the jump rule; ``None`` checks jumps
        within the frame only.
    rows
        The row number in the file of each frame row; default ``2, 3, ...`` (a file with a
        header row).
    columns
        The file's name of a frame column when it differs (``{"value": "obs_value"}``), so that
        problems name the column the user sees.

    Returns
    -------
    list[Problem]
        Sorted by row; ``level`` is ``"error"`` or ``"warning"`` (the jump rule).

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"indicator": ["sdg131.children"], "area": ["World"], "year": [2023],
    ...     "sex": ["both"], "value": [123.0], "se": [None], "lower": [None], "upper": [None],
    ...     "nature": ["modelled"], "source": ["ILO"], "vintage": ["2025"], "footnotes": [""]})
    >>> [p.code for p in check_observations(frame)]
    ['out-of-range']
    """
    col = dict(columns or {})
    at = pl.Series("_at", list(rows) if rows is not None else range(2, frame.height + 2), pl.Int64)
    areas = _known_areas()
    text = frame.select(
        pl.col(c).cast(pl.String).fill_null("") for c in OBSERVATION_SCHEMA
    ).with_columns(at)
    structure, ranges = _cells(text, areas)
    found = _broken(text, structure, col)
    sound = text.filter(~pl.col("_at").is_in([p.row for p in found]))
    found += _broken(sound, ranges, col)
    typed = _typed(frame)
    found += _duplicates(typed, at, col) + _consistency(typed, at, col)
    found += _jumps(typed, at, previous, col)
    return sorted(found, key=lambda p: (p.row, p.level != "error"))


def accept_observations(
    frame: pl.DataFrame,
    *,
    what: str = "the observations",
    previous: pl.DataFrame | None = None,
    rows: Sequence[int] | None = None,
    columns: Mapping[str, str] | None = None,
    found: Sequence[Problem] = (),
) -> pl.DataFrame:
    """The frame typed as :data:`OBSERVATION_SCHEMA` if no rule refuses it.

    ``found`` holds problems a reader already met (an unknown ILOSTAT code); a rule's problem
    on the same row and column is then not repeated. Warnings are raised as one
    :class:`JumpWarning` (a :class:`~socialcover.errors.SocialcoverWarning`, code
    ``monitor.jump``) whose ``problems`` name each row.

    Raises
    ------
    ObservationFileError
        Listing every error (the first 20 in the message, all in ``context["problems"]``).
    """
    seen = {(p.row, p.column) for p in found}
    checked = [
        p
        for p in check_observations(frame, previous, rows=rows, columns=columns)
        if (p.row, p.column) not in seen
    ]
    problems = sorted([*found, *checked], key=lambda p: (p.row, p.level != "error"))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise _problems_error(errors, what)
    jumps = [p for p in problems if p.level == "warning"]
    if jumps:
        shown = "; ".join(str(p) for p in jumps[:_SHOWN])
        more = f"; ... and {len(jumps) - _SHOWN} more" if len(jumps) > _SHOWN else ""
        warnings.warn(
            JumpWarning(
                f"{len(jumps)} jump(s) in {what}: {shown}{more}.",
                code="monitor.jump",
                hint="Check these values; footnote a break in series to silence this.",
                problems=[asdict(p) for p in jumps],
            ),
            stacklevel=2,
        )
    return _typed(frame)
