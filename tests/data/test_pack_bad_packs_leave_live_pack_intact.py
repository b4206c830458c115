"""Bad packs are refused with an error naming file, line or column and the fix; the live pack
stays byte-identical (files, manifests and the ``current`` link)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from badpacks.slices import edit_cell, edit_lines, make_slice

from socialcover.data._home import pack_root
from socialcover.data.pack import install_pack
from socialcover.errors import DataPackError

AGE5 = "wpp2024/wpp2024_population_age5_sex.csv.gz"
TOTAL = "wpp2024/wpp2024_population_total_annual.csv.gz"
LOCS = "wpp2024/wpp2024_locations.csv"
POVERTY = "poverty/wb_poverty_inequality.csv.gz"
WEO = "macro/imf_weo_2025oct.csv.gz"
MORT = "wpp2024/wpp2024_mortality_rates_age5.csv.gz"
ILO = "social_protection/ilostat_sdg131_country_latest.csv.gz"


@pytest.fixture(scope="module")
def good_slice(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_slice(shared_data, tmp_path_factory.mktemp("slice"))


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file under the pack root (bytes) and every symlink (its target)."""
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            out[rel] = "-> " + str(path.readlink())
        elif path.is_file() and path.name != ".lock":
            out[rel] = path.read_bytes()
    return out


def _truncate(pack: Path) -> None:
    path = pack / AGE5
    path.write_bytes(path.read_bytes()[:-200])


def _drop_column(pack: Path) -> None:
    def change(lines: list[str]) -> list[str]:
        rows = [line.rstrip("\n").split(",") for line in lines]
        i = rows[0].index("pop_jul1")
        return [",".join(r[:i] + r[i + 1 :]) + "\n" for r in rows]

    edit_lines(pack, TOTAL, change)


def _rename_column(pack: Path) -> None:
    edit_lines(pack, AGE5, lambda lines: [lines[0].replace(",population,", ",pop,"), *lines[1:]])


def _duplicate_row(pack: Path) -> None:
    edit_lines(pack, TOTAL, lambda lines: [*lines[:10], lines[5], *lines[10:]])


CASES: list[tuple[str, Callable[[Path], None], str, list[str]]] = [
    ("truncated gzip", _truncate, "data.pack-bad-gzip", [AGE5, "truncated", "gzip -t"]),
    ("missing column", _drop_column, "data.pack-missing-column", [TOTAL, "'pop_jul1'"]),
    (
        "renamed column",
        _rename_column,
        "data.pack-missing-column",
        [AGE5, "'population' is missing", "'pop'", "rename 'pop' to 'population'"],
    ),
    (
        "negative population",
        lambda p: edit_cell(p, AGE5, 7, "population", "-5"),
        "data.pack-negative-value",
        [AGE5, "line 7", "'population'", "-5", "cannot be below 0", "Correct the value"],
    ),
    (
        "duplicate key",
        _duplicate_row,
        "data.pack-duplicate-key",
        [TOTAL, "lines 6 and 11", "loc_code=4", "year=1954", "Keep one row per"],
    ),
    (
        "unknown country code",
        lambda p: edit_cell(p, POVERTY, 3, "iso3", "XYZ"),
        "data.pack-unknown-country",
        [POVERTY, "line 3", "'XYZ'", "ISO 3166-1 alpha-3"],
    ),
    (
        "country code typo",
        lambda p: edit_cell(p, ILO, 2, "iso3", "ABX"),
        "data.pack-unknown-country",
        [ILO, "line 2", "'ABX'", "Did you mean ABW?"],
    ),
    (
        "population in thousands",
        lambda p: edit_cell(p, AGE5, 4, "population", "1173.503"),
        "data.pack-bad-value",
        [AGE5, "line 4", "'1173.503'", "whole number", "times 1,000"],
    ),
    (
        "rate per 1,000 instead of per person",
        lambda p: edit_cell(p, MORT, 5, "mx", "250.1"),
        "data.pack-out-of-range",
        [MORT, "line 5", "'mx'", "per 1,000"],
    ),
    (
        "wrong unit stated",
        lambda p: edit_cell(p, WEO, 2, "unit", "national currency"),
        "data.pack-wrong-unit",
        [WEO, "line 2", "'GGR'", "billions of national currency"],
    ),
    (
        "unknown sex code",
        lambda p: edit_cell(p, AGE5, 3, "sex", "F"),
        "data.pack-unknown-code",
        [AGE5, "line 3", "'F'", "male, female"],
    ),
    (
        "unknown location code",
        lambda p: edit_cell(p, AGE5, 22, "loc_code", "99999"),
        "data.pack-unknown-location",
        [AGE5, "line 22", "location 99999", "M49 codes"],
    ),
    (
        "loc_code and iso3 disagree",
        lambda p: edit_cell(p, AGE5, 3, "iso3", "ALB"),
        "data.pack-code-mismatch",
        [AGE5, "line 3", "loc_code 4 is AFG", "'ALB'", "shifted"],
    ),
    (
        "a line with a field too many",
        lambda p: edit_lines(p, TOTAL, lambda ls: [*ls[:8], ls[8].rstrip("\n") + ",9\n", *ls[9:]]),
        "data.pack-unreadable",
        [TOTAL, "line 9", "10 fields where the header has 9", "quote values"],
    ),
    (
        "missing file",
        lambda p: (p / LOCS).unlink(),
        "data.pack-missing-file",
        [LOCS, "missing"],
    ),
    (
        "age groups do not add up to the total",
        lambda p: edit_cell(p, AGE5, 2, "population", "91173503"),
        "data.pack-inconsistent",
        ["loc_code 4 (AFG)", "1990", "same WPP edition"],
    ),
]


@pytest.mark.parametrize(("name", "breaker", "code", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_pack_is_refused_and_live_pack_is_untouched(
    name: str,
    breaker: Callable[[Path], None],
    code: str,
    words: list[str],
    good_slice: Path,
    sc_home: Path,
    tmp_path: Path,
) -> None:
    install_pack(good_slice)
    before = snapshot(pack_root())
    bad = tmp_path / "bad"
    shutil.copytree(good_slice, bad)
    breaker(bad)

    with pytest.raises(DataPackError) as info:
        install_pack(bad)

    err = info.value
    assert err.code == code, err.message
    text = f"{err.message} {err.hint}"
    for word in words:
        assert word in text, f"{word!r} not in: {text}"
    assert err.hint  # every error says how to fix it
    assert snapshot(pack_root()) == before
    assert not list(pack_root().glob(".staging-*"))


def test_several_problems_are_reported_together(
    good_slice: Path, sc_home: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(good_slice, bad)
    edit_cell(bad, AGE5, 7, "population", "-5")
    edit_cell(bad, POVERTY, 3, "iso3", "XYZ")
    with pytest.raises(DataPackError) as info:
        install_pack(bad)
    assert info.value.code == "data.pack-invalid"
    assert "2 problems" in info.value.message
    assert AGE5 in info.value.message and POVERTY in info.value.message
    assert not (pack_root() / "current").exists()


def test_missing_folder_says_how_to_get_a_pack(sc_home: Path, tmp_path: Path) -> None:
    with pytest.raises(DataPackError) as info:
        install_pack(tmp_path / "nowhere")
    assert info.value.code == "data.pack-not-found"
    assert "socialcover data fetch" in info.value.hint
