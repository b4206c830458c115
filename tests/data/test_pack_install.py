"""Installing a pack: manifests, no-op re-import, atomic swap, interrupted imports, status."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from badpacks.slices import edit_cell, make_slice
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data import _store
from socialcover.data._home import current_pack, pack_root
from socialcover.data.catalog import DATASETS
from socialcover.data.manifest import installed_manifest
from socialcover.data.pack import install_pack

AGE5 = "wpp2024/wpp2024_population_age5_sex.csv.gz"


@pytest.fixture(scope="module")
def good_slice(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_slice(shared_data, tmp_path_factory.mktemp("slice"))


def test_manifest_records_provenance_checksum_and_rows(good_slice: Path, sc_home: Path) -> None:
    report = install_pack(good_slice)
    assert report.changed
    manifest = installed_manifest()
    assert manifest is not None and manifest.version == report.version
    assert [d.dataset_id for d in manifest.datasets] == [s.id for s in DATASETS]
    for spec, d in zip(DATASETS, manifest.datasets, strict=True):
        raw = (good_slice / spec.path).read_bytes()
        assert d.sha256 == hashlib.sha256(raw).hexdigest()
        assert d.licence == spec.licence and d.attribution == spec.attribution
        assert d.edition == spec.edition and d.source == spec.source
        on_disk = json.loads((current_pack() / f"{spec.id}.manifest.json").read_text())
        assert (
            on_disk["rows"]
            == d.rows
            == pl.read_parquet(current_pack() / f"{spec.id}.parquet").height
        )
    age5 = _store.scan("wpp_population_age5").collect()
    assert age5.height == 42 * 4
    assert age5.schema["population"] == pl.Int64


def test_reimport_of_the_same_pack_is_a_no_op(good_slice: Path, sc_home: Path) -> None:
    first = install_pack(good_slice)
    target = (pack_root() / "current").readlink()
    again = install_pack(good_slice)
    assert not again.changed
    assert "already installed" in again.message and "nothing to do" in again.message
    assert (pack_root() / "current").readlink() == target
    assert again.manifest.installed_at == first.manifest.installed_at


def test_changed_pack_swaps_version_and_keeps_the_previous(
    good_slice: Path, sc_home: Path, tmp_path: Path
) -> None:
    install_pack(good_slice)
    old_target = (pack_root() / "current").readlink()
    changed = tmp_path / "changed"
    shutil.copytree(good_slice, changed)
    edit_cell(changed, "poverty/wb_poverty_inequality.csv.gz", 2, "pov_hc_national_pct", "33.8")
    report = install_pack(changed)
    assert report.changed
    assert (pack_root() / "current").is_symlink()
    assert (pack_root() / "current").readlink() != old_target
    assert (pack_root() / old_target).is_dir()  # previous version kept for running readers
    pov = _store.scan("wb_poverty").collect()
    assert pov["pov_hc_national_pct"][0] == 33.8


def test_interrupted_import_leaves_live_pack_and_no_staging(
    good_slice: Path, sc_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_pack(good_slice)
    live = current_pack().resolve()
    before = {p.name: p.read_bytes() for p in live.iterdir()}
    changed = tmp_path / "changed"
    shutil.copytree(good_slice, changed)
    edit_cell(changed, "poverty/wb_poverty_inequality.csv.gz", 2, "pov_hc_national_pct", "33.8")

    real_write = pl.DataFrame.write_parquet
    calls = {"n": 0}

    def dying_write(self: pl.DataFrame, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 5:  # Ctrl-C in the middle of writing the new version
            raise KeyboardInterrupt
        real_write(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(pl.DataFrame, "write_parquet", dying_write)
        install_pack(changed)

    assert current_pack().resolve() == live
    assert {p.name: p.read_bytes() for p in live.iterdir()} == before
    assert not list(pack_root().glob(".staging-*"))
    assert install_pack(changed).changed  # and the next import goes through


def test_stale_staging_from_a_crash_is_cleaned(good_slice: Path, sc_home: Path) -> None:
    stale = pack_root() / ".staging-999999-dead"
    stale.mkdir(parents=True)
    (stale / "wb_wdi.parquet").write_bytes(b"half written")
    tmp_link = pack_root() / ".current-dead.tmp"
    os.symlink("versions/nothing", tmp_link)
    install_pack(good_slice)
    assert not stale.exists()
    assert not tmp_link.is_symlink()


def test_status_lists_datasets_or_says_how_to_install(good_slice: Path, sc_home: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(app, ["data", "status"])
    assert empty.exit_code == 0
    assert "socialcover data import PATH" in empty.output

    imported = runner.invoke(app, ["data", "import", str(good_slice)])
    assert imported.exit_code == 0, imported.output
    assert "Installed 14 datasets" in imported.output
    again = runner.invoke(app, ["data", "import", str(good_slice)])
    assert "already installed" in again.output

    out = runner.invoke(app, ["data", "status", "--format", "json"])
    data = json.loads(out.output)
    assert data["installed"] is True
    by_id = {d["dataset_id"]: d for d in data["datasets"]}
    assert by_id["wpp_population_age5"]["rows"] == 168
    assert by_id["imf_weo"]["licence"].startswith("IMF Copyright")
    for field in ("edition", "licence", "attribution", "rows", "sha256", "installed_at"):
        assert all(field in d for d in data["datasets"])

    table = runner.invoke(app, ["data", "status"], env={"COLUMNS": "250"})
    assert "wpp_population_age5" in table.output and "CC BY 3.0 IGO" in table.output


@pytest.mark.shared_data
def test_full_real_pack_installs_with_the_documented_row_counts(installed_pack: Path) -> None:
    manifest = installed_manifest()
    assert manifest is not None
    rows = {d.dataset_id: d.rows for d in manifest.datasets}
    # Row counts stated in ../shared/data/SOURCES.md.
    assert rows["wpp_locations"] == 298
    assert rows["wpp_location_groups"] == 2526
    assert rows["wpp_population_age5"] == 286_902
    assert rows["wpp_population_total"] == 44_847
    assert rows["wpp_mortality"] == 431_244
    assert rows["wpp_fertility"] == 45_738
    assert rows["imf_weo"] == 191_814
    assert rows["wb_wdi"] == 308_392
    assert rows["wb_poverty"] == 3_083
    assert rows["unsd_sdg131"] == 4_371
    assert rows["ilo_sdg131_country"] == 3_569
    assert rows["ilo_sdg131_global"] == 450
    world = (
        _store.scan("wpp_population_age5")
        .filter((pl.col("loc_code") == 900) & (pl.col("year") == 2025))
        .select(pl.col("population").sum())
        .collect()
        .item()
    )
    assert world == 8_231_613_065  # SOURCES.md check value
    # The pack's own documentation is installed beside the data.
    assert (current_pack() / "source-SOURCES.md").read_bytes() == (
        installed_manifest_source() / "SOURCES.md"
    ).read_bytes()


def installed_manifest_source() -> Path:
    manifest = installed_manifest()
    assert manifest is not None
    return Path(manifest.source_path)


def test_extra_columns_are_ignored_and_said(
    good_slice: Path, sc_home: Path, tmp_path: Path
) -> None:
    from badpacks.slices import edit_lines

    extra = tmp_path / "extra"
    shutil.copytree(good_slice, extra)
    edit_lines(
        extra,
        "poverty/wb_poverty_inequality.csv.gz",
        lambda lines: [line.rstrip("\n") + (",note\n" if i == 0 else ",x\n")
                       for i, line in enumerate(lines)],
    )  # fmt: skip
    report = install_pack(extra)
    assert report.notes == (
        "poverty/wb_poverty_inequality.csv.gz: ignored column(s) not in the catalog: note.",
    )
    assert "Note:" in report.message
    assert "note" not in _store.scan("wb_poverty").collect_schema().names()


def test_a_pack_saved_by_excel_with_bom_and_crlf_installs(
    good_slice: Path, sc_home: Path, tmp_path: Path
) -> None:
    from badpacks.slices import edit_lines

    excel = tmp_path / "excel"
    shutil.copytree(good_slice, excel)
    edit_lines(
        excel,
        "wpp2024/wpp2024_population_total_annual.csv.gz",
        lambda lines: (
            ["\ufeff" + lines[0].rstrip("\n") + "\r\n"]
            + [line.rstrip("\n") + "\r\n" for line in lines[1:]]
        ),
    )
    install_pack(excel)
    total = _store.scan("wpp_population_total").collect()
    assert total.columns[0] == "loc_code" and total["method"][0] == "derived_from_popchange"
