"""The persons' input columns as the array program reads them, and its outputs as Arrow.

Shared by the whole-file path (``execution``) and the streamed one (``stream``): inputs typed as
the rules declare them (categories as codes, flags, amounts with defaults filled), and result
pieces joined into Arrow columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from socialcover.microsim import arrow_io
from socialcover.microsim.array_program import Codes, concat_pieces
from socialcover.microsim.frames import missing_columns_error, missing_values_error
from socialcover.microsim.rules import RuleSet


def is_polars(frame: Any) -> bool:
    """Whether ``frame`` is Polars's (checked by module: Polars need not be imported)."""
    return type(frame).__module__.startswith("polars")


def arrow_column(data: pa.Table | Mapping[str, Any], name: str) -> pa.Array:
    """Column ``name`` of an Arrow table or a mapping of columns, as one Arrow array."""
    raw = data.column(name) if isinstance(data, pa.Table) else data[name]
    if isinstance(raw, pa.ChunkedArray):
        return raw.combine_chunks() if raw.num_chunks != 1 else raw.chunk(0)
    if isinstance(raw, pa.Array):
        return raw
    if is_polars(raw):
        out: pa.Array = raw.to_arrow()
        return out
    arr = np.asarray(raw)
    if arr.dtype == object:
        return pa.array(arr.tolist(), from_pandas=True)
    return pa.array(arr)


def _category(col: pa.Array) -> Codes:
    if not (
        pa.types.is_dictionary(col.type)
        and (
            pa.types.is_string(col.dictionary.type) or pa.types.is_large_string(col.dictionary.type)
        )
    ):
        import pyarrow.compute as pc

        if not pa.types.is_dictionary(col.type):
            if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
                col = pc.cast(col, pa.string())
            col = pc.dictionary_encode(col)
        else:
            col = pa.DictionaryArray.from_arrays(col.indices, pc.cast(col.dictionary, pa.string()))
    names = np.array([*col.dictionary.to_pylist(), ""], dtype=object)
    codes = arrow_io.numbers(col.indices)
    valid = arrow_io.validity(col)
    if valid is not None:  # a missing category is "" (as COALESCE(x, '') in SQL)
        if len(names) - 1 > np.iinfo(codes.dtype).max:
            codes = codes.astype(np.int64)
        codes = np.where(valid, codes, len(names) - 1).astype(codes.dtype, copy=False)
    return Codes(codes, names)


def _flags(col: pa.Array) -> Any:
    """A bool input: true where set (numbers: non-zero and not NaN); missing is false."""
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    kind = col.type
    if not (pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        import pyarrow.compute as pc  # decimals, text: Arrow's cast

        col = pc.cast(col, pa.float64())
    values = arrow_io.numbers(col)
    if not pa.types.is_boolean(col.type):
        values = np.logical_and(values != 0, ~np.isnan(values.astype(np.float64, copy=False)))
    valid = arrow_io.validity(col)
    return values if valid is None else np.logical_and(values, valid)


def _amounts(name: str, col: pa.Array, default: Any) -> Any:
    """A numeric input in double precision (integers without gaps as they are, exact in double
    for |x| < 2**53); missing values and NaN are the default, or an error without one."""
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    if pa.types.is_integer(col.type) and col.null_count == 0:
        return arrow_io.numbers(col)
    if not pa.types.is_floating(col.type):
        # integers with gaps, decimals, text: Arrow's cast (which refuses inexact values)
        import pyarrow.compute as pc

        col = pc.cast(col, pa.float64())
    num = arrow_io.numbers(col).astype(np.float64, copy=False)
    valid = arrow_io.validity(col)
    bad = np.isnan(num)
    if valid is not None:
        bad |= ~valid
    gaps = int(np.count_nonzero(bad))
    if gaps and default is None:
        raise missing_values_error(name, gaps)
    if gaps:
        return np.where(bad, float(default), num)
    return num


def prepare_columns(
    rules: RuleSet, data: pa.Table | Mapping[str, Any], names: Sequence[str], n: int
) -> dict[str, Any]:
    """The inputs ``names`` as arrays typed as the rules expect (defaults filled)."""
    present = data.column_names if isinstance(data, pa.Table) else list(data)
    missing = [m for m in names if m not in present and rules.inputs[m].default is None]
    if missing:
        raise missing_columns_error(missing, list(present))
    out: dict[str, Any] = {}
    for name in names:
        spec = rules.inputs[name]
        if name not in present:
            default: Any = spec.default  # not None: checked above
            if spec.unit.kind == "bool":
                default = bool(default)
            elif spec.unit.kind == "number":
                default = float(default)
            out[name] = np.full(n, default)
            continue
        col = arrow_column(data, name)
        if spec.unit.kind == "category":
            out[name] = _category(col)
        elif spec.unit.kind == "bool":
            out[name] = _flags(col)
        else:
            out[name] = _amounts(name, col, spec.default)
    return out


def plain_array(value: Any) -> Any:
    """A result as a contiguous NumPy array (categories decoded to their labels)."""
    return np.ascontiguousarray(value.decode() if isinstance(value, Codes) else value)


def _arrow(value: Any) -> pa.Array:
    if isinstance(value, Codes):
        return arrow_io.to_arrow(value.codes, value.labels)
    return arrow_io.to_arrow(value)


def arrow_chunks(parts: Sequence[Any]) -> pa.Array | pa.ChunkedArray:
    """One column from its pieces' values: numbers as chunks (no copy), categories joined (each
    piece's dictionary is the same)."""
    if len(parts) == 1 or isinstance(parts[0], Codes):
        return _arrow(concat_pieces(parts))
    return pa.chunked_array([_arrow(v) for v in parts])
