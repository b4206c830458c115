"""A bad row is refused with its row number, column and why; nothing of the file is kept."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.errors import InputError, SocialcoverWarning
from socialcover.monitor.ilostat import read_ilostat
from socialcover.monitor.rules import ObservationFileError, check_observations
from socialcover.monitor.sdmx import read_sdmx_csv

pytestmark = [pytest.mark.shared_data, pytest.mark.usefixtures("installed_pack")]

FILES = Path(__file__).parent / "files"
BAD = sorted((FILES / "bad").glob("*.csv"))


def _read(path: Path, **kwargs: object) -> pl.DataFrame:
    is_sdmx = path.read_text(encoding="utf-8").startswith(("DATAFLOW", "STRUCTURE"))
    return (read_sdmx_csv if is_sdmx else read_ilostat)(path, **kwargs)  # type: ignore[arg-type]


def test_there_is_a_bad_file_per_rule() -> None:
    assert len(BAD) >= 15


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_is_refused_with_the_words_it_must_contain(path: Path) -> None:
    words = path.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
    with pytest.raises(ObservationFileError) as caught:
        _read(path)
    err = caught.value
    assert isinstance(err, InputError)
    assert err.code == "monitor.invalid-observations"
    for word in words:
        assert word in str(err), word
    assert err.context["problems"], "the problems are also given as data"


def test_every_problem_is_listed_first_twenty_in_the_message() -> None:
    header = b"ref_area,indicator,sex,classif1,time,obs_value\n"
    rows = b"".join(
        b"KEN,SDG_0131_SEX_SOC_RT_A,SEX_T,SOC_CONTIG_TOTAL,%d,150\n" % year
        for year in range(2000, 2025)
    )
    with pytest.raises(ObservationFileError) as caught:
        read_ilostat(header + rows)
    err = caught.value
    assert err.message.startswith("25 problem(s) in the ILOSTAT file; nothing was imported")
    assert "row 21," in err.message and "row 22," not in err.message
    assert "... and 5 more." in err.message
    assert [p["row"] for p in err.context["problems"]] == list(range(2, 27))


def test_row_numbers_count_the_header_and_blank_lines_as_the_file_shows_them() -> None:
    text = (
        b"ref_area,indicator,sex,classif1,time,obs_value\n"
        b"KEN,SDG_0131_SEX_SOC_RT_A,SEX_T,SOC_CONTIG_TOTAL,2021,9.0\n"
        b"\n"
        b'KEN,SDG_0131_SEX_SOC_RT_A,SEX_T,SOC_CONTIG_CHILD,2021,"3,2"\n'
    )
    with pytest.raises(ObservationFileError) as caught:
        read_ilostat(text)
    (problem,) = caught.value.context["problems"]
    assert (problem["row"], problem["column"], problem["value"]) == (4, "obs_value", "3,2")
    assert "dot for decimals" in problem["fix"]


def test_a_file_without_the_layout_is_refused_before_any_row() -> None:
    with pytest.raises(InputError, match="lacks the column") as caught:
        read_ilostat(b"country,year,value\nKEN,2021,9\n")
    assert caught.value.code == "monitor.not-ilostat"
    with pytest.raises(InputError) as caught:
        read_sdmx_csv(b"REF_AREA,TIME_PERIOD,OBS_VALUE\nKEN,2021,9\n")
    assert caught.value.code == "monitor.not-sdmx-csv"


def _series(values: dict[int, float], footnote: str = "") -> bytes:
    head = b"ref_area,indicator,sex,classif1,time,obs_value,obs_status\n"
    return head + b"".join(
        b"KEN,SDG_0131_SEX_SOC_RT_A,SEX_T,SOC_CONTIG_TOTAL,%d,%s,%s\n"
        % (year, str(value).encode(), footnote.encode())
        for year, value in values.items()
    )


def test_a_jump_of_more_than_20_pp_is_a_warning_with_its_row() -> None:
    with pytest.warns(SocialcoverWarning, match=r"row 3, column obs_value.*\+25\.0 pp since 2019"):
        frame = read_ilostat(_series({2019: 10.0, 2021: 35.0}))
    assert frame.height == 2


def test_a_jump_against_previous_observations_is_found() -> None:
    previous = read_ilostat(_series({2019: 10.0}))
    with pytest.warns(SocialcoverWarning) as caught:
        read_ilostat(_series({2022: 40.0}), previous=previous)
    assert caught[0].message.code == "monitor.jump"  # type: ignore[union-attr]


@pytest.mark.filterwarnings("error")
def test_a_jump_explained_by_a_break_is_not_flagged() -> None:
    frame = read_ilostat(_series({2019: 10.0, 2021: 35.0}, footnote="B"))
    assert frame["footnotes"].to_list() == ["[status B] Time series break"] * 2


def test_check_observations_lists_warnings_and_errors_without_raising() -> None:
    frame = read_ilostat(_series({2019: 10.0})).vstack(
        pl.DataFrame(
            {
                "indicator": ["sdg131.at_least_one_benefit"],
                "area": ["KEN"],
                "year": [2021],
                "sex": ["both"],
                "value": [35.0],
                "se": [-1.0],
                "lower": [None],
                "upper": [None],
                "nature": ["observed"],
                "source": ["x"],
                "vintage": [""],
                "footnotes": [""],
            },
            schema=read_ilostat(_series({2019: 10.0})).schema,
        )
    )
    problems = check_observations(frame)
    assert [(p.row, p.code, p.level) for p in problems] == [
        (3, "negative-se", "error"),
        (3, "jump", "warning"),
    ]


def test_a_row_without_source_is_refused_and_sdmx_falls_back_to_its_dataflow() -> None:
    frame = read_sdmx_csv(
        b"DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,SOURCE_DETAIL\n"
        b"IAEG-SDGs:DF_SDG_GLH(1.20),SI_COV_BENFTS,404,2021,9.0,\n"
    )
    assert frame["source"].to_list() == ["IAEG-SDGs:DF_SDG_GLH(1.20)"]
    problems = check_observations(frame.with_columns(source=pl.lit(" ")))
    assert [(p.row, p.column, p.code) for p in problems] == [(2, "source", "missing-source")]
