"""UN SDG Global Database: SDG 1.3.1 series from the SDG API (JSON).

Source: UN Statistics Division, *SDG Global Database*, API
``https://unstats.un.org/sdgapi/v1/sdg/Series/Data?seriesCode=SI_COV_BENFTS&page=1&pageSize=...``
(series supplied by the ILO and the World Bank; free to use with attribution). A page is
``{"totalPages": n, "data": [{"series", "seriesDescription", "geoAreaCode", "geoAreaName",
"timePeriodStart", "value", "attributes": {"Nature": "E", ...}, "dimensions": {"Sex":
"BOTHSEX", "Quantile": "_T", ...}}, ...]}``. Codes are turned into the pack's words (sex
``both/female/male``, quantile ``total/q1..q5``, nature ``E: estimated data``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from socialcover.data.catalog import BY_ID

__all__ = ["SERIES", "page_count", "read_series"]

SERIES = {
    "SI_COV_BENFTS": "ILO",
    "SI_COV_CHLD": "ILO",
    "SI_COV_MATNL": "ILO",
    "SI_COV_DISAB": "ILO",
    "SI_COV_UEMP": "ILO",
    "SI_COV_PENSN": "ILO",
    "SI_COV_POOR": "ILO",
    "SI_COV_VULN": "ILO",
    "SI_COV_WKINJRY": "ILO",
    "SI_COV_SOCAST": "World Bank",
    "SI_COV_SOCINS": "World Bank",
    "SI_COV_LMKT": "World Bank",
}
_SEX = {"BOTHSEX": "both", "FEMALE": "female", "MALE": "male"}
_NATURE = {
    "C": "C: country data",
    "CA": "CA: country adjusted data",
    "E": "E: estimated data",
    "M": "M: modelled data",
    "G": "G: global monitoring data",
    "N": "N: non-relevant",
}


def page_count(path: Path) -> int:
    """Pages the API reports for a query."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return int(doc.get("totalPages") or 1) if isinstance(doc, dict) else 1


def _quantile(value: str | None) -> str:
    if value and value.upper().startswith("Q") and value[1:].isdigit():
        return value.lower()
    return "total"


def read_series(paths: Iterable[Path], iso3_by_m49: Mapping[int, str]) -> pl.DataFrame:
    """The pack's ``unsd_sdg131`` dataset from SDG API pages."""
    rows: list[tuple[Any, ...]] = []
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for r in doc.get("data", []) if isinstance(doc, dict) else []:
            series = str(r.get("series", ""))
            if series not in SERIES or r.get("value") in (None, "", "NaN"):
                continue
            dims = r.get("dimensions") or {}
            attrs = r.get("attributes") or {}
            m49 = int(str(r["geoAreaCode"]))
            iso3 = iso3_by_m49.get(m49)
            nature = str(attrs.get("Nature", ""))
            rows.append(
                (
                    series,
                    r.get("seriesDescription"),
                    SERIES[series],
                    m49,
                    iso3,
                    r.get("geoAreaName"),
                    iso3 is None,
                    int(float(r["timePeriodStart"])),
                    _SEX.get(str(dims.get("Sex", "BOTHSEX")).upper(), "both"),
                    _quantile(dims.get("Quantile")),
                    _NATURE.get(nature, nature or None),
                    float(r["value"]),
                )
            )
    spec = BY_ID["unsd_sdg131"]
    frame = pl.DataFrame(rows, schema=spec.columns, orient="row")
    return frame.unique(subset=list(spec.key), keep="first", maintain_order=True).sort(
        "series", "m49_code", "year"
    )
