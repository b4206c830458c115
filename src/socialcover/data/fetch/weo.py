"""IMF World Economic Outlook: the database's tab-separated "by countries" file.

Source: IMF, *World Economic Outlook Database*, e.g.
``https://www.imf.org/-/media/Files/Publications/WEO/WEO-Database/2025/October/WEOOct2025all.ashx``
(IMF Copyright and Usage terms: attribute, do not redistribute). The file is tab-separated
(UTF-16 with a byte-order mark in recent editions, Latin-1 in older ones) with the columns
``WEO Country Code, ISO, WEO Subject Code, Country, Subject Descriptor, Subject Notes, Units,
Scale, Country/Series-specific Notes, 1980, ..., 2030, Estimates Start After``; numbers carry
thousands separators and ``n/a`` or ``--`` for no data. Values are rescaled when the file's
``Scale`` differs from the unit the pack stores (e.g. millions to billions).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from socialcover.data.catalog import BY_ID, WEO_UNITS

__all__ = ["read_weo"]

#: IMF country codes that differ from ISO 3166 (Kosovo).
IMF_ISO = {"UVK": "XKX", "KOS": "XKX"}
_SCALE = {"billions": 1e9, "millions": 1e6, "thousands": 1e3, "units": 1.0, "": 1.0}


def _decode(raw: bytes) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _target_scale(code: str) -> float:
    unit = WEO_UNITS[code]
    for word, factor in _SCALE.items():
        if word and unit.startswith(word):
            return factor
    return 1.0


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    if text in ("", "n/a", "--", "NA"):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def read_weo(path: Path, known: set[str]) -> pl.DataFrame:
    """The pack's ``imf_weo`` dataset from a WEO "by countries" file."""
    text = _decode(path.read_bytes())
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    years = [c for c in (reader.fieldnames or []) if re.fullmatch(r"\d{4}", c or "")]
    rows = []
    for r in reader:
        code = (r.get("WEO Subject Code") or "").strip()
        weo_code = (r.get("ISO") or "").strip()
        if code not in WEO_UNITS or not weo_code:
            continue
        factor = _SCALE.get((r.get("Scale") or "").strip().lower(), 1.0) / _target_scale(code)
        last = _number(r.get("Estimates Start After") or "")
        last_year = int(last) if last is not None else None
        iso3 = IMF_ISO.get(weo_code, weo_code)
        for year in years:
            value = _number(r.get(year) or "")
            if value is None:
                continue
            rows.append(
                (
                    iso3 if iso3 in known else None,
                    weo_code,
                    False,
                    int(year),
                    code,
                    (r.get("Subject Descriptor") or "").strip(),
                    WEO_UNITS[code],
                    round(value * factor, 6),
                    str(last_year) if last_year is not None else None,
                    last_year,
                    None if last_year is None else int(year) > last_year,
                    None,
                )
            )
    spec = BY_ID["imf_weo"]
    frame = pl.DataFrame(rows, schema=spec.columns, orient="row")
    return frame.unique(subset=list(spec.key), keep="first", maintain_order=True)
