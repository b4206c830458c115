"""Installing a data pack: validate everything, convert to Parquet, swap atomically.

A pack folder laid out like ``../shared/data`` is installed into
``$SOCIALCOVER_HOME/pack`` (the user data directory by default)::

    pack/
      current -> versions/20261127T031500Z-1a2b3c4d    (a symlink: the live pack)
      versions/20261127T031500Z-1a2b3c4d/
        wpp_population_age5.parquet                   (one Parquet file per dataset id)
        wpp_population_age5.manifest.json             (provenance, checksum, rows, units)
        manifest.json                                 (the whole pack)
      .staging-<pid>-<token>/                         (a version being built; never live)

Every file is validated (:mod:`socialcover.data.validate`) before anything changes; the new
version is built in a staging folder, renamed into ``versions/``, and made live by replacing
the ``current`` symlink with ``os.replace`` (atomic on POSIX). A failed or interrupted import
therefore leaves the live pack untouched. Re-importing files with the same SHA-256 checksums
is a no-op. The previous version is kept (for readers still using it); older ones are removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from socialcover.data._home import current_pack, pack_root
from socialcover.data.catalog import DATASETS, DatasetSpec
from socialcover.data.manifest import DatasetManifest, PackManifest, installed_manifest
from socialcover.data.validate import (
    CrossChecks,
    Problem,
    check_file,
    known_iso3_codes,
    location_codes,
    raise_problems,
)
from socialcover.errors import DataPackError

__all__ = ["ImportReport", "ProgressCallback", "file_checksums", "install_pack", "pack_status"]

#: ``progress(description, done, total)``: called as each dataset is checked and written.
ProgressCallback = Callable[[str, int, int], None]

_STAGING_PREFIX = ".staging-"
PROVENANCE_FILE = "provenance.json"
#: Files of a pack folder copied (as ``source-<name>``) into the installed version.
KEPT_FILES = ("SOURCES.md", PROVENANCE_FILE, "fetch_log.json")
_KEEP_VERSIONS = 2


@dataclass(frozen=True)
class ImportReport:
    """What an import did: the live manifest, whether anything changed, and a message."""

    source: Path
    manifest: PackManifest
    changed: bool
    message: str
    seconds: float
    notes: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        """The live version folder's name."""
        return self.manifest.version

    @property
    def datasets(self) -> tuple[DatasetManifest, ...]:
        """Manifests of the installed datasets."""
        return self.manifest.datasets

    @property
    def rows(self) -> int:
        """Rows installed, over all datasets."""
        return sum(d.rows for d in self.manifest.datasets)


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_checksums(source: Path) -> dict[str, str] | None:
    """SHA-256 of each pack file under ``source`` (None if any file is missing)."""
    out: dict[str, str] = {}
    for spec in DATASETS:
        path = source / spec.path
        if not path.is_file():
            return None
        out[spec.id] = _sha256(path)
    return out


def pack_status() -> PackManifest | None:
    """The live pack's manifest, or None when no pack is installed."""
    return installed_manifest()


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Serialise imports into one home (a second import waits for the first)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock, swaps stay atomic
        yield
        return
    with (root / ".lock").open("a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _clean_staging(root: Path) -> list[Path]:
    """Remove staging folders left by crashed imports (we hold the lock, so none is live)."""
    removed = []
    for path in root.glob(f"{_STAGING_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    for path in root.glob(".current-*.tmp"):
        path.unlink(missing_ok=True)
    return removed


def _same_as_installed(checksums: dict[str, str] | None) -> PackManifest | None:
    live = installed_manifest()
    if live is None or checksums is None or live.checksums != checksums:
        return None
    if not all((current_pack() / f"{i}.parquet").is_file() for i in checksums):
        return None
    return live


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _socialcover_version() -> str:
    try:
        return version("socialcover")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _order() -> list[DatasetSpec]:
    # Locations first: they define the country codes every other file is checked against.
    return sorted(DATASETS, key=lambda s: s.id != "wpp_locations")


def _swap_live(root: Path, version_dir: Path) -> None:
    """Point ``current`` at ``version_dir`` atomically (a temp symlink renamed over it)."""
    live = root / "current"
    if live.exists() and not live.is_symlink():
        # An old layout with a real folder: move it aside so the rename can replace it.
        live.rename(root / "versions" / f"legacy-{secrets.token_hex(4)}")
    tmp = root / f".current-{secrets.token_hex(4)}.tmp"
    os.symlink(Path("versions") / version_dir.name, tmp, target_is_directory=True)
    os.replace(tmp, live)


def _prune_versions(root: Path, keep: Path) -> None:
    versions = sorted(
        (p for p in (root / "versions").iterdir() if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    kept = [keep, *[p for p in versions if p != keep][: _KEEP_VERSIONS - 1]]
    for path in versions:
        if path not in kept:
            shutil.rmtree(path, ignore_errors=True)


def install_pack(
    source: Path,
    *,
    progress: ProgressCallback | None = None,
    origin: str = "import",
    source_label: str | None = None,
) -> ImportReport:
    """Validate a pack folder and make it the live pack (atomically; a no-op if unchanged).

    Parameters
    ----------
    source
        A folder laid out like ``../shared/data`` (see its ``SOURCES.md``).
    progress
        Called with ``(description, done, total)`` as each dataset is checked and written.
    origin
        Recorded in the manifest: ``"import"``, ``"fetch"`` or ``"demo"``.
    source_label
        What to record as the pack's source (default: the folder's path; the demo and a fetch
        into a temporary folder say where the files came from instead).

    Returns
    -------
    ImportReport
        The live manifest, whether anything changed, and a message saying what happened.

    Raises
    ------
    DataPackError
        The folder is missing, or one or more files fail validation (each problem names the
        file, line or column, and the fix). The live pack is left exactly as it was.
    """
    started = time.perf_counter()
    source = Path(source).expanduser().resolve()
    if not source.is_dir():
        raise DataPackError(
            f"No pack folder at {source}.",
            code="data.pack-not-found",
            hint="Pass a folder laid out like ../shared/data (wpp2024/, macro/, poverty/, "
            "social_protection/), or run `socialcover data fetch` / `socialcover data demo`.",
        )
    root = pack_root()
    (root / "versions").mkdir(parents=True, exist_ok=True)
    total = len(DATASETS) + 1
    with _locked(root):
        _clean_staging(root)
        same = _same_as_installed(file_checksums(source))
        if same is not None:
            if progress:
                progress("unchanged", total, total)
            return ImportReport(
                source,
                same,
                changed=False,
                message=f"The pack at {source} is already installed (same checksums for all "
                f"{len(same.datasets)} datasets); nothing to do.",
                seconds=time.perf_counter() - started,
            )
        notes: list[str] = []
        staging = root / f"{_STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        staging.mkdir()
        try:
            label = source_label or (
                "generated by socialcover.data.demo" if origin == "demo" else str(source)
            )
            manifest = _build(source, staging, origin, progress, total, label, notes)
            name = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{manifest.pack_sha256[:8]}"
            version_dir = root / "versions" / name
            while version_dir.exists():
                version_dir = version_dir.with_name(f"{name}-{secrets.token_hex(2)}")
            manifest = PackManifest(
                version=version_dir.name,
                origin=manifest.origin,
                source_path=manifest.source_path,
                installed_at=manifest.installed_at,
                socialcover_version=manifest.socialcover_version,
                datasets=manifest.datasets,
            )
            manifest.write(staging)
            for extra in KEPT_FILES:  # the pack's own documentation travels with it
                if (source / extra).is_file():
                    shutil.copyfile(source / extra, staging / f"source-{extra}")
            staging.rename(version_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _swap_live(root, version_dir)
        _prune_versions(root, version_dir)
        if progress:
            progress("installed", total, total)
    return ImportReport(
        source,
        manifest,
        changed=True,
        message=f"Installed {len(manifest.datasets)} datasets "
        f"({sum(d.rows for d in manifest.datasets):,} rows) from {manifest.source_path} as version "
        f"{manifest.version}." + "".join(f" Note: {n}" for n in notes),
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )


def read_provenance(source: Path) -> dict[str, dict[str, str]]:
    """Per-dataset provenance a pack may carry in ``provenance.json`` (fetch and demo write it).

    The file maps a dataset id (or ``"*"`` for all) to any of ``source``, ``edition``,
    ``licence`` and ``attribution``; these replace the catalog's defaults in the manifests.
    """
    path = source / PROVENANCE_FILE
    if not path.is_file():
        return {}
    fields = {"source", "edition", "licence", "attribution"}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ok = isinstance(data, dict) and all(
            isinstance(v, dict) and set(v) <= fields and all(isinstance(x, str) for x in v.values())
            for v in data.values()
        )
    except ValueError:
        ok = False
    if not ok:
        raise DataPackError(
            f"{path} is not a valid provenance file.",
            code="data.pack-bad-provenance",
            hint='It must be JSON like {"*": {"source": "...", "edition": "...", "licence": '
            '"...", "attribution": "..."}}, keyed by dataset id or "*"; or delete it.',
        )
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items()}


def _build(
    source: Path,
    staging: Path,
    origin: str,
    progress: ProgressCallback | None,
    total: int,
    source_label: str,
    notes: list[str],
) -> PackManifest:
    """Validate every file and write its Parquet file into ``staging``; raise on problems."""
    problems: list[Problem] = []
    provenance = read_provenance(source)
    cross = CrossChecks()
    known: set[str] | None = None
    locations: dict[int, str | None] | None = None
    datasets: dict[str, DatasetManifest] = {}
    installed_at = _now()
    for done, spec in enumerate(_order()):
        if progress:
            progress(f"checking {spec.path}", done, total)
        checked, found = check_file(spec, source, known, locations)
        problems.extend(found)
        if checked is None:
            continue
        if checked.ignored_columns:
            notes.append(
                f"{spec.path}: ignored column(s) not in the catalog: "
                f"{', '.join(checked.ignored_columns)}."
            )
        if spec.id == "wpp_locations":
            known = known_iso3_codes(checked.frame)
            locations = location_codes(checked.frame)
        cross.observe(checked)
        if not problems:  # nothing is written once the pack is known to be bad
            checked.frame.write_parquet(staging / f"{spec.id}.parquet", compression="zstd")
        about = {
            "source": spec.source,
            "edition": spec.edition,
            "licence": spec.licence,
            "attribution": spec.attribution,
        }
        about.update(provenance.get("*", {}))
        about.update(provenance.get(spec.id, {}))
        datasets[spec.id] = DatasetManifest(
            dataset_id=spec.id,
            file=spec.path,
            **about,
            sha256=checked.sha256,
            size_bytes=checked.size_bytes,
            rows=checked.frame.height,
            columns={c: str(t) for c, t in checked.frame.schema.items()},
            units=dict(spec.units),
            installed_at=installed_at,
        )
        del checked
    problems.extend(cross.run())
    if known is None and not problems:  # pragma: no cover - locations always checked first
        problems.append(
            Problem("data.pack-invalid", "", "No locations file.", "Add wpp2024_locations.csv.")
        )
    raise_problems(problems, source)
    if progress:
        progress("swapping in the new version", total - 1, total)
    return PackManifest(
        version="",
        origin=origin,
        source_path=source_label,
        installed_at=installed_at,
        socialcover_version=_socialcover_version(),
        datasets=tuple(datasets[s.id] for s in DATASETS),
    )
