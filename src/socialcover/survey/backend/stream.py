"""Stata and SPSS files streamed to Parquet a chunk at a time (Spark has no reader for them).

The reading side (:func:`socialcover.survey.io.survey_to_parquet`) checks the path and turns
reader failures into coded errors; the Spark back-end converts ``.dta``/``.sav`` paths with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["STATS_SUFFIXES", "stream_to_parquet"]

STATS_SUFFIXES = (".dta", ".sav", ".zsav")


def stream_to_parquet(source: Path, target: Path, chunk_rows: int) -> Path:
    """Write ``source`` (Stata or SPSS) to the Parquet file ``target``, ``chunk_rows`` at a time.

    Memory holds one chunk; codes stay codes (value labels stay in the source file). Reader
    errors are raised as the reader raises them.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq
    import pyreadstat

    reader = pyreadstat.read_dta if source.suffix.lower() == ".dta" else pyreadstat.read_sav
    writer: Any = None
    try:
        chunks = pyreadstat.read_file_in_chunks(
            reader, str(source), chunksize=chunk_rows, apply_value_formats=False
        )
        for chunk, _meta in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            writer.write_table(table.cast(writer.schema))
        if writer is None:  # no rows: the columns alone
            empty, _meta = reader(str(source), metadataonly=True)
            writer = pq.ParquetWriter(target, pa.Table.from_pandas(empty).schema)
    finally:
        if writer is not None:
            writer.close()
    return target
