"""Tables out of the app as CSV, Excel or JSON (``?format=csv|xlsx|json``).

A text cell that starts with ``= + - @``, a tab or a carriage return would run as a formula in a
spreadsheet: CSV files write it after a single quote, workbooks as a text cell.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime
from typing import Any

import polars as pl
from fastapi.responses import JSONResponse, Response

from socialcover.web.errors import WebError

FORMATS = ("json", "csv", "xlsx")
_FORMULA = r"^([=+\-@\t\r])"  # a first character that makes a spreadsheet cell a formula
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def check_format(fmt: str) -> str:
    """Validate an export format name."""
    if fmt not in FORMATS:
        raise WebError(
            422,
            f"Unknown export format {fmt!r}.",
            code="input.format",
            hint="Use format=json, format=csv or format=xlsx.",
        )
    return fmt


_PLAIN = frozenset({str, int, bool})


def jsonable(value: Any) -> Any:
    """Plain JSON values (no NaN, dates as ISO text)."""
    if value is None or type(value) in _PLAIN:  # most cells: nothing to convert
        return value
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def frame_rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows of a Polars frame as JSON-ready dicts."""
    return [jsonable(r) for r in frame.to_dicts()]


def table_response(
    rows: list[dict[str, Any]], fmt: str, filename: str, meta: dict[str, Any] | None = None
) -> Response:
    """Rows as a JSON document (with ``meta``), a CSV file or an Excel workbook."""
    check_format(fmt)
    if fmt == "json":
        body: dict[str, Any] = dict(meta or {})
        body["items"] = [jsonable(r) for r in rows]
        return JSONResponse(body)
    frame = _frame(rows)
    disposition = {"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'}
    if fmt == "csv":
        text = frame.with_columns(pl.col(pl.String).str.replace(_FORMULA, "'$1")).write_csv()
        return Response(text, media_type=MEDIA["csv"], headers=disposition)
    return Response(xlsx_bytes({"data": frame}), media_type=MEDIA["xlsx"], headers=disposition)


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    flat = [
        {k: (json.dumps(v) if isinstance(v, (dict, list)) else v) for k, v in r.items()}
        for r in rows
    ]
    return pl.DataFrame(flat, infer_schema_length=None) if flat else pl.DataFrame()


def _cell(value: Any) -> Any:
    """A value Excel accepts: control characters (illegal in XLSX XML) are removed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    value = jsonable(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_bytes(sheets: dict[str, pl.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per frame (openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook()
    first = True
    for name, frame in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        first = False
        assert ws is not None  # a new Workbook always has an active sheet
        ws.title = name[:31]
        ws.append(frame.columns)
        for row in frame.iter_rows():
            ws.append([_cell(v) for v in row])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # openpyxl reads "=..." as a formula: keep it text
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
