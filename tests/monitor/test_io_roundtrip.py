"""ILOSTAT and SDMX-CSV files in their official layouts import, export and re-import unchanged."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from socialcover.monitor.frame import OBSERVATION_SCHEMA
from socialcover.monitor.ilostat import read_ilostat
from socialcover.monitor.sdmx import DATAFLOW, read_sdmx_csv, write_csv, write_sdmx_csv

pytestmark = [pytest.mark.shared_data, pytest.mark.usefixtures("installed_pack")]

FILES = Path(__file__).parent / "files"


@pytest.fixture(scope="module")
def ilostat() -> pl.DataFrame:
    return read_ilostat(FILES / "ilostat_sdg131.csv", vintage="2025-06")


@pytest.fixture(scope="module")
def sdmx() -> pl.DataFrame:
    return read_sdmx_csv(FILES / "sdmx_sdg131.csv", vintage="2024.Q4")


def test_ilostat_rows_map_to_the_observation_frame(ilostat: pl.DataFrame) -> None:
    assert ilostat.schema == pl.Schema(OBSERVATION_SCHEMA)
    assert ilostat.height == 12
    first = ilostat.row(1, named=True)
    assert first == {
        "indicator": "sdg131.at_least_one_benefit",
        "area": "KEN",
        "year": 2021,
        "sex": "both",
        "value": 9.0,
        "se": None,
        "lower": None,
        "upper": None,
        "nature": "observed",
        "source": "ILO, ILOSTAT SDG_0131_SEX_SOC_RT_A; "
        "source DA:1001 (SSI - Social Security Inquiry)",
        "vintage": "2025-06",
        "footnotes": "[status B] Break in series | [T30:2120] Methodology revised"
        " | [R1:3903] Repository: ILO-STATISTICS - Social Security Inquiry"
        ' | [S3:5] Coverage: "covered" persons, excluding the informal economy',
    }
    assert ilostat["sex"].to_list()[1:4] == ["both", "female", "male"]
    assert set(ilostat["indicator"]) == {
        "sdg131.at_least_one_benefit",
        "sdg131.children",
        "sdg131.mothers_with_newborns",
        "sdg131.older_persons_pension",
        "sdg131.employment_injury",
        "sdg131.unemployed",
    }


def test_ilostat_statuses_become_natures_and_aggregates_are_modelled(
    ilostat: pl.DataFrame,
) -> None:
    nature = dict(zip(ilostat["value"].to_list(), ilostat["nature"].to_list(), strict=True))
    assert nature[3.2] == "modelled"  # E: estimated
    assert nature[4.1] == "imputed"  # I
    assert nature[6.3] == "observed"  # P: provisional, kept as a footnote
    assert nature[52.4] == "modelled"  # X01, the ILO's modelled world estimate
    world = ilostat.filter(pl.col("area") == "World")
    assert world["year"].to_list() == [2015, 2023]
    assert ilostat.filter(pl.col("value") == 0.6)["area"].item() == "Low income"
    assert ilostat.filter(pl.col("value") == 29.5)["footnotes"].item() == "[status U] Unreliable"


def test_sdmx_un_layout_maps_series_m49_and_nature(sdmx: pl.DataFrame) -> None:
    assert sdmx.schema == pl.Schema(OBSERVATION_SCHEMA)
    assert sdmx.height == 12
    assert sdmx["area"].unique().sort().to_list() == ["KEN", "UGA", "World"]
    assert sdmx.row(0, named=True)["source"] == "ILO, World Social Protection Database"
    assert sdmx.row(3, named=True)["nature"] == "observed"  # C: country data
    assert (
        sdmx.filter(pl.col("indicator") == "sdg131.mothers_with_newborns")["sex"].item() == "female"
    )
    assert sdmx["vintage"].unique().to_list() == ["2024.Q4"]


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("name", ["ilostat", "sdmx"])
def test_export_then_import_keeps_every_value_and_footnote(
    name: str, version: str, request: pytest.FixtureRequest
) -> None:
    frame: pl.DataFrame = request.getfixturevalue(name)
    text = write_sdmx_csv(frame, version=version)  # type: ignore[arg-type]
    assert text is not None
    assert text.splitlines()[1].startswith(
        DATAFLOW if version == "1.0" else f"dataflow,{DATAFLOW},I,"
    )
    again = read_sdmx_csv(text.encode())
    assert_frame_equal(again, frame, check_exact=True)
    assert write_sdmx_csv(again, version=version) == text  # type: ignore[arg-type]


def test_export_to_a_path_and_gzip(ilostat: pl.DataFrame, tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "out.csv"
    assert write_sdmx_csv(ilostat, path) is None
    packed = tmp_path / "out.csv.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    assert_frame_equal(read_sdmx_csv(packed), ilostat, check_exact=True)


def test_plain_csv_has_the_frame_columns(sdmx: pl.DataFrame, tmp_path: Path) -> None:
    text = write_csv(sdmx)
    assert text is not None
    assert text.splitlines()[0] == ",".join(OBSERVATION_SCHEMA)
    written = pl.read_csv(text.encode(), infer_schema_length=0)
    assert written["value"].cast(pl.Float64).to_list() == sdmx["value"].to_list()
    assert write_csv(sdmx, tmp_path / "o.csv") is None
    assert (tmp_path / "o.csv").read_bytes().decode() == text


def test_sdmx_30_with_labels_semicolons_and_decimal_commas() -> None:
    frame = read_sdmx_csv(FILES / "sdmx30_labels_semicolon.csv")
    assert frame.select("indicator", "area", "sex", "year", "value", "nature").rows() == [
        ("sdg131.older_persons_pension", "KEN", "both", 2021, 29.5, "administrative"),
        ("sdg131.children", "UGA", "female", 2020, 3.25, "survey_estimate"),
    ]
    assert frame["footnotes"].to_list() == ['Pensions; "non-contributory" included', ""]
    assert frame["source"].to_list() == ["SOCIALCOVER:DF_SP_MONITOR(1.0)"] * 2
