"""World Bank: WDI indicators and PIP poverty series from the Indicators API (v2, JSON).

Source: World Bank, *World Development Indicators*, API ``https://api.worldbank.org/v2``
(CC BY 4.0). ``/country?format=json`` lists economies with their income level and region
(``"Aggregates"`` for regional and income aggregates); ``/country/all/indicator/{code}
?format=json&per_page=...&date=1960:2025`` returns ``[page info, [observations]]`` with
``indicator {id, value}``, ``country {id, value}``, ``countryiso3code``, ``date`` and ``value``.
Poverty and inequality (SI.POV.*, SI.DST.*, SI.SPR.*) are the PIP estimates WDI publishes
(2021 PPPs). The same series can be read from the bulk download
``https://databank.worldbank.org/data/download/WDI_CSV.zip`` (:func:`read_bulk_zip`), one file
instead of 43 API queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from socialcover.data.catalog import BY_ID

__all__ = [
    "POVERTY_COLUMNS",
    "WDI_INDICATORS",
    "countries",
    "indicator_rows",
    "poverty",
    "read_bulk_zip",
    "wdi",
    "wdi_indicators",
]

WDI_INDICATORS = (
    "BX.TRF.PWKR.CD.DT", "FP.CPI.TOTL.ZG", "GC.DOD.TOTL.GD.ZS", "GC.NLD.TOTL.GD.ZS",
    "GC.REV.XGRT.GD.ZS", "GC.TAX.TOTL.GD.ZS", "GC.XPN.TOTL.GD.ZS", "NY.GDP.DEFL.KD.ZG",
    "NY.GDP.MKTP.CD", "NY.GDP.MKTP.KD.ZG", "NY.GDP.PCAP.CD", "NY.GDP.PCAP.KD.ZG",
    "NY.GDP.PCAP.PP.CD", "NY.GNP.PCAP.CD", "PA.NUS.FCRF", "PA.NUS.PPP", "SE.XPD.TOTL.GD.ZS",
    "SL.EMP.TOTL.SP.ZS", "SL.EMP.VULN.FE.ZS", "SL.EMP.VULN.MA.ZS", "SL.EMP.WORK.FE.ZS",
    "SL.EMP.WORK.MA.ZS", "SL.TLF.CACT.FE.ZS", "SL.TLF.CACT.MA.ZS", "SL.TLF.TOTL.IN",
    "SL.UEM.TOTL.ZS", "SP.POP.0014.TO.ZS", "SP.POP.65UP.TO.ZS", "SP.POP.DPND", "SP.POP.TOTL",
)  # fmt: skip
#: WDI code -> column of the pack's poverty file.
POVERTY_COLUMNS = {
    "SI.POV.DDAY": "pov_hc_300_pct",
    "SI.POV.GAPS": "pov_gap_300_pct",
    "SI.POV.GINI": "gini_index",
    "SI.POV.NAHC": "pov_hc_national_pct",
    "SI.SPR.PCAP": "survey_mean_ppp2021_per_day",
    "SI.SPR.PC40": "survey_mean_b40_ppp2021_per_day",
    "SI.DST.FRST.10": "share_d1_pct",
    "SI.DST.FRST.20": "share_q1_pct",
    "SI.DST.02ND.20": "share_q2_pct",
    "SI.DST.03RD.20": "share_q3_pct",
    "SI.DST.04TH.20": "share_q4_pct",
    "SI.DST.05TH.20": "share_q5_pct",
    "SI.DST.10TH.10": "share_d10_pct",
}


def _pages(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Observations of every page file (``[info, rows]``; an error page has no rows)."""
    rows: list[dict[str, Any]] = []
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, list) and len(doc) > 1 and isinstance(doc[1], list):
            rows.extend(doc[1])
    return rows


def page_count(path: Path) -> int:
    """Number of pages the API says a query has (1 when it does not say)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(doc, list) and doc and isinstance(doc[0], dict):
        return int(doc[0].get("pages") or 1)
    return 1


def countries(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """Economies by code: name, income level id, aggregate flag."""
    out: dict[str, dict[str, Any]] = {}
    for r in _pages(paths):
        code = str(r.get("id") or "")
        region = (r.get("region") or {}).get("value", "")
        out[code] = {
            "name": r.get("name"),
            "income": (r.get("incomeLevel") or {}).get("id", ""),
            "aggregate": region == "Aggregates",
        }
    return out


def indicator_rows(paths: Iterable[Path]) -> pl.DataFrame:
    """Observations as ``wb_code, country_name, year, indicator, indicator_label, value``."""
    rows = [
        (
            r.get("countryiso3code") or (r.get("country") or {}).get("id"),
            (r.get("country") or {}).get("value"),
            int(str(r["date"])[:4]),
            str((r.get("indicator") or {}).get("id", "")).upper(),
            (r.get("indicator") or {}).get("value"),
            float(r["value"]),
        )
        for r in _pages(paths)
        if r.get("value") is not None and str(r.get("date", ""))[:4].isdigit()
    ]
    schema = {
        "wb_code": pl.Utf8,
        "country_name": pl.Utf8,
        "year": pl.Int64,
        "indicator": pl.Utf8,
        "indicator_label": pl.Utf8,
        "value": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row").filter(pl.col("wb_code") != "")


def _with_iso3(
    frame: pl.DataFrame, meta: Mapping[str, Mapping[str, Any]], known: set[str]
) -> pl.DataFrame:
    aggregate = {c for c, m in meta.items() if m["aggregate"]}
    return frame.with_columns(
        is_aggregate=pl.col("wb_code").is_in(sorted(aggregate)),
        iso3=pl.when(
            ~pl.col("wb_code").is_in(sorted(aggregate)) & pl.col("wb_code").is_in(sorted(known))
        ).then(pl.col("wb_code")),
    )


def wdi(
    frame: pl.DataFrame, meta: Mapping[str, Mapping[str, Any]], known: set[str]
) -> pl.DataFrame:
    """The pack's ``wb_wdi`` dataset."""
    out = _with_iso3(frame.filter(pl.col("indicator").is_in(WDI_INDICATORS)), meta, known)
    return out.select(list(BY_ID["wb_wdi"].columns)).sort("wb_code", "indicator", "year")


def wdi_indicators(frame: pl.DataFrame) -> pl.DataFrame:
    """Titles of the WDI indicators fetched, with their licence."""
    return (
        frame.filter(pl.col("indicator").is_in(WDI_INDICATORS))
        .group_by("indicator")
        .agg(title=pl.col("indicator_label").first())
        .with_columns(license=pl.lit("CC-BY-4.0"))
        .sort("indicator")
    )


def poverty(
    frame: pl.DataFrame, meta: Mapping[str, Mapping[str, Any]], known: set[str]
) -> pl.DataFrame:
    """The pack's ``wb_poverty`` dataset (one row per economy and survey year)."""
    pov = frame.filter(pl.col("indicator").is_in(list(POVERTY_COLUMNS)))
    if pov.height == 0:
        return pl.DataFrame(schema=BY_ID["wb_poverty"].columns)
    wide = pov.pivot(on="indicator", index=["wb_code", "year"], values="value").rename(
        {k: v for k, v in POVERTY_COLUMNS.items() if k in pov["indicator"].unique().to_list()}
    )
    names = pov.group_by("wb_code").agg(name=pl.col("country_name").first())
    wide = _with_iso3(wide.join(names, on="wb_code"), meta, known)
    for col, dtype in BY_ID["wb_poverty"].columns.items():
        if col not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype).alias(col))
    return wide.select(list(BY_ID["wb_poverty"].columns)).sort("wb_code", "year")


INCOME_NAMES = {
    "Low income": "LIC",
    "Lower middle income": "LMC",
    "Upper middle income": "UMC",
    "High income": "HIC",
}


def read_bulk_zip(path: Path, workdir: Path) -> tuple[pl.DataFrame, dict[str, dict[str, Any]]]:
    """Observations and economies from the WDI bulk download (``WDI_CSV.zip``).

    The zip holds the data file (``WDICSV.csv``; ``WDIData.csv`` in older releases) with the
    columns ``Country Name, Country Code, Indicator Name, Indicator Code, 1960, ..., 2024`` and
    ``WDICountry.csv`` whose ``Region`` is empty for aggregates and whose ``Income Group`` reads
    "Lower middle income" etc. Only the indicators the pack uses are kept.
    """
    import zipfile

    wanted = [*WDI_INDICATORS, *POVERTY_COLUMNS]
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        data_name = next(
            (n for n in names if n.endswith(("WDICSV.csv", "WDIData.csv", "WDI_CSV.csv"))), None
        )
        country_name = next((n for n in names if n.endswith("Country.csv")), None)
        if data_name is None or country_name is None:
            from socialcover.data.fetch._http import FetchError

            raise FetchError(
                f"{path.name} has no WDICSV.csv/WDIData.csv and WDICountry.csv "
                f"(it holds {', '.join(names[:6])}).",
                code="data.fetch-bad-file",
                hint="Point --wb-bulk-url at the WDI bulk CSV zip, or drop it to use the API.",
            )
        data_path = Path(zf.extract(data_name, workdir))
        country_path = Path(zf.extract(country_name, workdir))
    wide = (
        pl.scan_csv(data_path, infer_schema_length=0, encoding="utf8-lossy")
        .rename(lambda c: c.lstrip("\ufeff"))
        .filter(pl.col("Indicator Code").is_in(wanted))
        .collect()
    )
    years = [c for c in wide.columns if c.strip().isdigit()]
    rows = (
        wide.unpivot(
            index=["Country Name", "Country Code", "Indicator Name", "Indicator Code"],
            on=years,
            variable_name="year",
            value_name="value",
        )
        .select(
            wb_code=pl.col("Country Code"),
            country_name=pl.col("Country Name"),
            year=pl.col("year").str.strip_chars().cast(pl.Int64),
            indicator=pl.col("Indicator Code").str.to_uppercase(),
            indicator_label=pl.col("Indicator Name"),
            value=pl.col("value").cast(pl.Float64, strict=False),
        )
        .filter(pl.col("value").is_not_null())
    )
    countries_raw = pl.read_csv(country_path, infer_schema_length=0, encoding="utf8-lossy")
    countries_raw = countries_raw.rename({c: c.lstrip("\ufeff") for c in countries_raw.columns})
    meta = {
        str(r["Country Code"]): {
            "name": r.get("Table Name") or r.get("Short Name"),
            "income": INCOME_NAMES.get(str(r.get("Income Group") or ""), ""),
            "aggregate": not (r.get("Region") or "").strip(),
        }
        for r in countries_raw.iter_rows(named=True)
    }
    return rows, meta
