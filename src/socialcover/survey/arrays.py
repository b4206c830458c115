"""Small tables as NumPy columns: what the mean/total/proportion path needs without Polars.

A query's result comes back from DuckDB as ``{name: array}`` (``fetchnumpy``: a column with
missing values is a masked array). These helpers give dense ids of value combinations, the
first row of each id and row matching between two such tables, in the order Polars would
give (values sorted ascending, column by column). Importing Polars costs about 0.1 s of a
whole process; the estimators that build their results here do not need it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Arrays", "dense", "first_rows", "has_nulls", "match", "plain_keys"]

IntArray = npt.NDArray[np.int64]
Arrays = dict[str, Any]


def has_nulls(x: Any) -> bool:
    """Whether a column (NumPy, masked, or of Python objects) holds a missing value."""
    if isinstance(x, np.ma.MaskedArray):
        return bool(np.ma.getmaskarray(x).any())
    arr = np.asarray(x)
    if arr.dtype == object:
        return any(v is None for v in arr.tolist())
    return False


def plain_keys(cols: list[Any]) -> bool:
    """Whether key columns can be matched here: no missing values, numbers, booleans or text."""
    for c in cols:
        if has_nulls(c):
            return False
        arr = np.asarray(c)
        if arr.dtype.kind in "iub" or (arr.dtype.kind == "f" and not np.isnan(arr).any()):
            continue
        if arr.dtype == object and all(isinstance(v, str) for v in arr.tolist()):
            continue
        return False
    return True


def dense(cols: list[Any], n: int | None = None) -> IntArray:
    """Dense 0-based ids of the value combinations of ``cols``, in sorted (lexicographic) order.

    As Polars' ``pl.struct(cols).rank("dense") - 1`` on columns without missing values.
    """
    if not cols:
        return np.zeros(0 if n is None else n, dtype=np.int64)
    code: IntArray | None = None
    for c in cols:
        _, inv = np.unique(np.asarray(c), return_inverse=True)
        inv = inv.astype(np.int64).reshape(-1)
        if code is None:
            code = inv
        else:
            both = code * np.int64(int(inv.max()) + 1 if inv.size else 1) + inv
            _, code = np.unique(both, return_inverse=True)
            code = code.astype(np.int64).reshape(-1)
    assert code is not None
    return code


def first_rows(ids: IntArray, n_ids: int) -> IntArray:
    """The first row holding each id ``0 .. n_ids - 1``."""
    first = np.full(n_ids, -1, dtype=np.int64)
    first[ids[::-1]] = np.arange(ids.size, dtype=np.int64)[::-1]
    return first


def match(left: list[Any], right: list[Any]) -> IntArray:
    """For each row of ``left``, the row of ``right`` with the same key values (-1: none).

    ``right`` has unique keys; both sides hold the same columns in the same order.
    """
    n_left = len(left[0]) if left else 0
    if not left:
        return np.zeros(n_left, dtype=np.int64)
    pairs = zip(left, right, strict=True)
    both = [np.concatenate([np.asarray(a), np.asarray(b)]) for a, b in pairs]
    ids = dense(both)
    lid, rid = ids[:n_left], ids[n_left:]
    pos = np.full(int(ids.max()) + 1 if ids.size else 0, -1, dtype=np.int64)
    pos[rid] = np.arange(rid.size, dtype=np.int64)
    return pos[lid]
