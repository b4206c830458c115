"""Writing one dataset of a pack folder in the ``../shared/data`` layout (CSV, gzip if .gz).

Used by the demo generator and by ``data fetch``, so both produce exactly what the importer
reads. Booleans are written ``True``/``False`` and missing values as empty cells, as in the
shared pack; gzip members carry no timestamp, so the same data give the same bytes (and the
same checksum, which makes a re-install a no-op).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl

from socialcover.data.catalog import BY_ID


def write_dataset(frame: pl.DataFrame, folder: Path, dataset_id: str) -> Path:
    """Write ``frame`` as the file of ``dataset_id`` under ``folder``; return its path."""
    spec = BY_ID[dataset_id]
    out = frame.select(
        [pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
         for c, t in spec.columns.items()]
    ).with_columns(
        pl.col(c).replace_strict({True: "True", False: "False"}, return_dtype=pl.Utf8)
        for c, t in spec.columns.items()
        if t == pl.Boolean
    )  # fmt: skip
    # Rows in key order: the same data always give the same bytes, whatever order a parallel
    # group-by or join produced them in.
    out = out.sort(list(spec.key), nulls_last=True, maintain_order=True)
    text = out.write_csv(null_value="").encode("utf-8")
    path = folder / spec.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text, mtime=0) if spec.path.endswith(".gz") else text)
    return path
