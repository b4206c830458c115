"""Manifests of an installed pack: where each dataset came from, and what was installed.

Every installed version folder holds one ``<dataset_id>.manifest.json`` per dataset (source,
edition, licence, attribution text, SHA-256 of the source file, rows, columns and units) and a
``manifest.json`` for the whole pack (version, origin, the folder it came from, when). The
checksums let a re-import of the same files be recognised and skipped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from socialcover.data._home import current_pack

__all__ = ["DatasetManifest", "PackManifest", "installed_manifest", "read_manifest"]

PACK_MANIFEST = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class DatasetManifest:
    """Provenance and contents of one installed dataset."""

    dataset_id: str
    file: str
    source: str
    edition: str
    licence: str
    attribution: str
    sha256: str
    size_bytes: int
    rows: int
    columns: dict[str, str]
    units: dict[str, str]
    installed_at: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetManifest:
        """Read back what :meth:`to_dict` wrote."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class PackManifest:
    """The installed pack: its version folder, origin and datasets."""

    version: str
    origin: str  # "import", "fetch" or "demo"
    source_path: str
    installed_at: str
    socialcover_version: str
    datasets: tuple[DatasetManifest, ...]

    @property
    def pack_sha256(self) -> str:
        """One checksum over the source files' checksums (in dataset order)."""
        text = "\n".join(f"{d.dataset_id} {d.sha256}" for d in self.datasets)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def checksums(self) -> dict[str, str]:
        """Source-file SHA-256 per dataset id."""
        return {d.dataset_id: d.sha256 for d in self.datasets}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the datasets in full)."""
        return {
            "format": FORMAT_VERSION,
            "version": self.version,
            "origin": self.origin,
            "source_path": self.source_path,
            "installed_at": self.installed_at,
            "socialcover_version": self.socialcover_version,
            "pack_sha256": self.pack_sha256,
            "datasets": [d.to_dict() for d in self.datasets],
        }

    def write(self, folder: Path) -> None:
        """Write the pack manifest and one manifest per dataset into ``folder``."""
        for d in self.datasets:
            _write_json(folder / f"{d.dataset_id}.manifest.json", d.to_dict())
        summary = self.to_dict()
        summary["datasets"] = [d.dataset_id for d in self.datasets]
        _write_json(folder / PACK_MANIFEST, summary)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> PackManifest | None:
    """The manifest of the pack in ``folder`` (None when absent or unreadable)."""
    path = folder / PACK_MANIFEST
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
        datasets = tuple(
            DatasetManifest.from_dict(
                json.loads((folder / f"{i}.manifest.json").read_text(encoding="utf-8"))
            )
            for i in summary["datasets"]
        )
        return PackManifest(
            version=summary["version"],
            origin=summary["origin"],
            source_path=summary["source_path"],
            installed_at=summary["installed_at"],
            socialcover_version=summary["socialcover_version"],
            datasets=datasets,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def installed_manifest() -> PackManifest | None:
    """The manifest of the live pack, or None when nothing is installed."""
    return read_manifest(current_pack())
