"""`ensure_pack()`: env var, then ../shared/data, then the installed pack, fetch, demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from badpacks.slices import make_slice

from socialcover.data.ensure import ENV_VAR, ensure_pack
from socialcover.data.fetch import FetchSources
from socialcover.data.manifest import installed_manifest
from socialcover.errors import DataPackError

#: Nothing listens on port 9 of 127.0.0.1: a fetch fails at once (no internet needed).
DEAD = "http://127.0.0.1:9"
NOWHERE = FetchSources(wpp=DEAD, worldbank=DEAD, ilostat=DEAD + "/", weo=DEAD, sdg=DEAD)


@pytest.fixture(scope="module")
def good_slice(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_slice(shared_data, tmp_path_factory.mktemp("slice"))


def test_env_var_pack_is_installed_once(
    good_slice: Path, sc_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(good_slice))
    assert "Installed 14 datasets" in ensure_pack(allow_fetch=False, search_roots=[])
    assert "already installed" in ensure_pack(allow_fetch=False, search_roots=[])


def test_bad_env_var_pack_is_an_error(
    sc_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(DataPackError):
        ensure_pack(allow_fetch=False)


def test_shared_data_beside_the_working_folder_is_found(
    good_slice: Path, sc_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    project = tmp_path / "main"
    project.mkdir()
    shutil.copytree(good_slice, tmp_path / "shared" / "data")
    message = ensure_pack(allow_fetch=False, search_roots=[project])
    assert "Installed 14 datasets" in message
    manifest = installed_manifest()
    assert manifest is not None and manifest.source_path == str(tmp_path / "shared" / "data")


def test_offline_without_a_pack_installs_the_demo_and_says_how_to_get_real_data(
    sc_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    message = ensure_pack(search_roots=[], fetch_sources=NOWHERE, fetch_timeout=2)
    assert message.startswith("Installed the fictional demo country Demoland (XDM)")
    assert "could not be reached" in message and "socialcover data import PATH" in message
    manifest = installed_manifest()
    assert manifest is not None and manifest.origin == "demo"
    again = ensure_pack(search_roots=[], fetch_sources=NOWHERE, fetch_timeout=2)
    assert again.startswith("Using the fictional demo country")


def test_an_installed_real_pack_is_kept_when_no_source_is_found(
    good_slice: Path, sc_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(good_slice))
    ensure_pack(allow_fetch=False, search_roots=[])
    monkeypatch.delenv(ENV_VAR)
    message = ensure_pack(search_roots=[], fetch_sources=NOWHERE)
    assert message.startswith("Using the installed data pack")
    manifest = installed_manifest()
    assert manifest is not None and manifest.origin == "import"
