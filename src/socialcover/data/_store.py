"""Reading installed datasets: one Parquet file per dataset id under the live pack folder."""

from __future__ import annotations

import polars as pl

from socialcover.data._home import current_pack
from socialcover.data.catalog import BY_ID
from socialcover.errors import DataNotInstalledError, NotFoundError


def scan(dataset_id: str) -> pl.LazyFrame:
    """A lazy frame over one installed dataset.

    Raises
    ------
    NotFoundError
        ``dataset_id`` is not a dataset of the pack.
    DataNotInstalledError
        The dataset is not installed in this socialcover home.
    """
    if dataset_id not in BY_ID:
        raise NotFoundError(
            f"No dataset {dataset_id!r} in the data pack.",
            code="data.unknown-dataset",
            hint=f"Known datasets: {', '.join(sorted(BY_ID))}.",
        )
    path = current_pack() / f"{dataset_id}.parquet"
    if not path.exists():
        raise DataNotInstalledError(
            f"Dataset {dataset_id!r} is not installed ({path} is missing).",
            hint="Run `socialcover data import PATH` with a pack laid out like ../shared/data, "
            "or `socialcover data fetch` on a machine with internet access.",
        )
    return pl.scan_parquet(path)
