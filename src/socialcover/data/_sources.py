"""The ``source`` text of query results, checked against the installed pack's manifests.

Query modules describe their sources for the real pack (``UN WPP 2024 ...``). When the live
pack says otherwise in its manifest (the fictional demo pack, or a newer edition fetched from the
publishers), the manifest's own source and edition are used instead, so a result never claims
a provenance its data do not have.
"""

from __future__ import annotations

import json
from functools import lru_cache

from socialcover.data._home import current_pack
from socialcover.data.catalog import BY_ID


@lru_cache(maxsize=64)
def _manifest(dataset_id: str, _key: str) -> tuple[str, str] | None:
    path = current_pack() / f"{dataset_id}.manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["source"]), str(data["edition"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _key(dataset_id: str) -> str:
    path = current_pack() / f"{dataset_id}.parquet"
    try:
        st = path.stat()
    except OSError:
        return str(path)
    return f"{path.resolve()}:{st.st_mtime_ns}"


def source_text(dataset_id: str, label: str) -> str:
    """``label`` when the installed dataset is the catalogued edition, else its manifest's words."""
    found = _manifest(dataset_id, _key(dataset_id))
    spec = BY_ID.get(dataset_id)
    if found is None or spec is None:
        return label
    source, edition = found
    if edition == spec.edition:
        return label
    return f"{source} ({edition})"
