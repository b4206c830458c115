"""Input frames: the population a simulation runs on, one row per person with ``hh_id``.

Accepts a Polars or pandas frame, an Arrow table or a Parquet/CSV path, and says which columns
are missing (with the mapping to write) when the rules need more than the data hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialcover.microsim._errors import MicrosimDataError

if TYPE_CHECKING:
    import polars as pl

__all__ = ["as_frame", "mapped", "missing_columns_error", "missing_values_error"]


def missing_values_error(name: str, count: int) -> MicrosimDataError:
    """The error for a numeric input with missing values and no default."""
    return MicrosimDataError(
        f"the input {name!r} has {count} missing value(s)",
        code="microsim.missing-values",
        hint=f"Give it a default under inputs: ({name}: {{unit: ..., default: 0}}), or fill "
        "or drop those rows before simulating.",
        column=name,
        count=count,
    )


def missing_columns_error(missing: Sequence[str], present: Sequence[str]) -> MicrosimDataError:
    """The error for columns the rules need but the population lacks."""
    tips = []
    for name in missing:
        near = get_close_matches(name, list(present), n=1)
        if near:
            tips.append(f"{name} (the data have {near[0]!r})")
    extra = f" Close names: {', '.join(tips)}." if tips else ""
    return MicrosimDataError(
        f"the population has no column {', '.join(repr(m) for m in missing)}, which the rules read",
        code="microsim.missing-column",
        hint="Map the survey's columns to these names with --mapping map.yaml (or rename "
        f"them), or give the input a default: under inputs: in the rules.{extra}",
        missing=list(missing),
    )


def as_frame(data: Any) -> pl.DataFrame:
    """The population as a Polars frame (Parquet/CSV paths are read; pandas/Arrow converted)."""
    import polars as pl  # here: the errors above are used where Polars is not

    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, pl.LazyFrame):
        return data.collect()
    if isinstance(data, (str, Path)):
        path = Path(data)
        if not path.exists():
            raise MicrosimDataError(
                f"no such data file {str(path)!r}",
                code="microsim.file-not-found",
                hint="Check the path to the survey file.",
            )
        if path.suffix.lower() == ".parquet":
            return pl.read_parquet(path)
        if path.suffix.lower() == ".csv":
            return pl.read_csv(path)
        raise MicrosimDataError(
            f"cannot read {path.name!r} as a population",
            code="microsim.bad-data-format",
            hint="Give a .parquet or .csv file, or read .dta/.sav first "
            "with socialcover.survey.io.read_survey.",
        )
    try:
        import pyarrow as pa

        if isinstance(data, pa.Table):
            out = pl.from_arrow(data)
            if isinstance(out, pl.DataFrame):
                return out
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    mod = type(data).__module__
    if mod.startswith("pyspark.sql"):
        raise MicrosimDataError(
            "this step needs the persons in memory and cannot take a Spark DataFrame",
            code="microsim.spark-not-supported",
            hint="run_rules() (backend 'auto' or 'spark'), simulate(), calibrate(), "
            "proxy_means_test(), run_scheme() and calibrate_take_up() run on a Spark "
            "DataFrame; the array program and DuckDB back-ends need the persons in memory "
            "(pass a Parquet extract for DuckDB). See docs/spark.md.",
        )
    if mod.startswith("pandas"):
        converted: pl.DataFrame = pl.from_pandas(data)
        return converted
    if isinstance(data, dict):
        return pl.DataFrame(data)
    raise MicrosimDataError(
        f"cannot use a {type(data).__name__} as a population",
        code="microsim.bad-data-format",
        hint="Pass a Polars or pandas frame, an Arrow table or a path.",
    )


def mapped(data: Any, mapping: Any) -> Any:
    """``data`` in the standard columns of ``mapping`` (a ``socialcover.survey.io.Mapping`` or
    the path of a mapping file): a Spark DataFrame is mapped by Spark, lazily, where the rows
    are; anything else is read and mapped in memory."""
    from socialcover.survey.io import Mapping, apply_mapping, load_survey

    m = mapping if isinstance(mapping, Mapping) else Mapping.from_yaml(mapping)
    if type(data).__module__.startswith("pyspark.sql"):
        return apply_mapping(data, m)
    return load_survey(data, m)
