"""Installing a data pack (provisional: converts without the full validation; being replaced)."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from socialcover.data._home import current_pack, pack_root
from socialcover.data.catalog import DATASETS


def install_pack(source: Path) -> None:
    """Convert every dataset of a pack folder to Parquet and make it the live pack."""
    target = pack_root() / "staging"
    target.mkdir(parents=True, exist_ok=True)
    for spec in DATASETS:
        df = pl.read_csv(
            source / spec.path, schema_overrides=spec.columns, null_values=[""],
            infer_schema_length=10000,
        )
        df.write_parquet(target / f"{spec.id}.parquet")
    live = current_pack()
    if live.is_symlink():
        live.unlink()
    os.symlink(target, live)
