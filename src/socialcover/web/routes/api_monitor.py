"""REST API over monitoring: indicators, observations and their approval, aggregates, progress.

Thin adapters over :mod:`socialcover.monitor`: the domain decides who may see and change what
(approved data sets are public; contributors see and change their own entered ones; reviewers
approve), the routes parse, call and shape. Tables come as JSON (paginated), CSV, Excel or
SDMX-CSV; text cells a spreadsheet would run as a formula are written as text.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

import polars as pl
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need, allowed
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.errors import WebError
from socialcover.web.exports import MEDIA, frame_rows, table_response
from socialcover.web.limits import save_upload
from socialcover.web.paging import Page, paging
from socialcover.web.params import QueryBool
from socialcover.web.schemas import ErrorBody
from socialcover.web.schemas.monitor import (
    FIRST_YEAR,
    LAST_YEAR,
    AggregateList,
    DataSetOut,
    DataSetPage,
    IndicatorList,
    IndicatorOut,
    ObservationPage,
    ObservationRows,
    RecordOut,
    StepIn,
    VegaLiteOut,
)

router = APIRouter(prefix="/api/v1/monitor", tags=["monitor"])

SDMX_MEDIA = "application/vnd.sdmx.data+csv; charset=utf-8"


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": ErrorBody} for s in (*statuses, 422)}


def _tables(*formats: str) -> dict[int | str, dict[str, Any]]:
    media = {"csv": MEDIA["csv"], "xlsx": MEDIA["xlsx"], "sdmx": SDMX_MEDIA}
    return {200: {"content": {media[f]: {"schema": {"type": "string"}} for f in formats}}}


# -- response models ----------------------------------------------------------------------
# The others are in socialcover.web.schemas.monitor; these two stay here because the schema
# names ProgressOut after its module (the engagements' strategy has a ProgressOut too).


class ProgressOut(BaseModel):
    """A series' pace, projection and status against its target."""

    indicator: str
    area: str
    sex: str
    latest_year: int | None
    latest_value: float | None
    fit_first_year: int | None
    fit_last_year: int | None
    pace_pp_year: float | None
    pace_se: float | None
    target_value: float | None
    target_year: int | None
    required_pace_pp_year: float | None
    projected_value: float | None
    projected_lower: float | None
    projected_upper: float | None
    year_reached: float | None
    year_reached_lower: float | None
    year_reached_upper: float | None
    status: str | None
    reason: str | None


class ProgressList(BaseModel):
    """One row per indicator, area and sex."""

    items: list[ProgressOut]


# -- helpers ------------------------------------------------------------------------------


def _code(indicator: str) -> str:
    from socialcover import monitor

    return monitor.get_indicator(indicator).code


def _area(area: str) -> str:
    """A known area (404 with the nearest names otherwise); a country as its ISO3 code."""
    from socialcover.data.countries import resolve_areas

    found = resolve_areas(area)[0]
    return found.iso3 if found.kind == "country" and found.iso3 else area


def _years(year_from: int | None, year_to: int | None) -> range | None:
    if year_from is None and year_to is None:
        return None
    return range(year_from or FIRST_YEAR, (year_to or LAST_YEAR) + 1)


def _observation_response(
    request: Request, frame: pl.DataFrame, fmt: str, page: Page, name: str
) -> Response:
    from socialcover import monitor

    if fmt == "sdmx":
        text = monitor.write_sdmx_csv(frame) or ""
        return Response(
            text,
            media_type=SDMX_MEDIA,
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    rows = frame_rows(frame)
    if fmt == "json":
        return table_response(page.slice(rows), fmt, name, page.meta(request, len(rows)))
    return table_response(rows, fmt, name)


def _approved_by_role(user: Principal | None) -> None:
    """Unapproved values are for those who enter them, or review them."""
    if allowed(user.role if user else None, "monitor.enter"):
        return
    raise WebError(
        401,
        "Unapproved values are shown to signed-in contributors and reviewers only.",
        code="auth.required",
        hint="Sign in, or send `Authorization: Bearer <token>`; or leave out unapproved.",
    )


# -- indicators ---------------------------------------------------------------------------


@router.get(
    "/indicators",
    summary="Monitored indicators",
    response_model=IndicatorList,
    dependencies=[Depends(Need("monitor.read_approved"))],
)
async def list_indicators() -> dict[str, Any]:
    """Every indicator the campaign follows, with its definition, unit and weight."""
    from socialcover import monitor

    return {"items": [d.to_dict() for d in monitor.list_indicators()]}


@router.get(
    "/indicators/{code}",
    summary="One indicator's metadata",
    response_model=IndicatorOut,
    responses=_errors(404),
    dependencies=[Depends(Need("monitor.read_approved"))],
)
async def get_indicator(code: str = PathParam(max_length=80)) -> dict[str, Any]:
    """Definition, numerator, denominator, weight, unit, bounds and methodology."""
    from socialcover import monitor

    return monitor.get_indicator(code).to_dict()


# -- observations -------------------------------------------------------------------------


@router.get(
    "/observations",
    summary="Observations",
    response_model=ObservationPage,
    responses=_errors(401, 404) | _tables("csv", "xlsx", "sdmx"),
)
async def list_observations(
    request: Request,
    session: ReadSession,
    indicator: str | None = Query(None, min_length=1, max_length=80, description="Indicator code."),
    area: list[Annotated[str, Field(min_length=1, max_length=60)]] | None = Query(
        None, max_length=300, description="ISO3 codes or group names (repeat for several)."
    ),
    year_from: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    year_to: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    sex: Literal["both", "female", "male"] | None = None,
    unapproved: Annotated[
        QueryBool,
        Query(
            description="Also the unapproved values the caller may see (their own data sets; "
            "every one for reviewers). Needs a signed-in contributor or reviewer.",
        ),
    ] = False,
    page: Page = Depends(paging),
    format: Literal["json", "csv", "xlsx", "sdmx"] = Query(
        "json", description="json (paginated), csv, xlsx or sdmx (SDMX-CSV; all rows)."
    ),
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> Response:
    """The current value of each observation: approved ones, unless ``unapproved`` is asked."""
    from socialcover import monitor

    if unapproved:
        _approved_by_role(user)

    def _do() -> pl.DataFrame:
        frame = monitor.observations(
            session,
            user,
            indicator=_code(indicator) if indicator else None,
            area=[_area(a) for a in area] if area else None,
            years=_years(year_from, year_to),
            approved_only=not unapproved,
        )
        return frame.filter(pl.col("sex") == sex) if sex else frame

    frame = await run_in_threadpool(_do)
    return _observation_response(request, frame, format, page, "observations")


def _record(session: Session, user: Principal, frame: pl.DataFrame) -> dict[str, Any]:
    from dataclasses import asdict

    from socialcover import monitor

    return asdict(monitor.enter_observations(session, user, frame))


@router.post(
    "/observations",
    summary="Enter observations",
    response_model=RecordOut,
    responses=_errors(401, 403, 409),
)
async def enter_observations(
    body: ObservationRows,
    session: WriteSession,
    user: Principal = Depends(Need("monitor.enter")),
) -> dict[str, Any]:
    """Enter values in one's data sets, all or nothing: a bad row is refused with its number."""
    from socialcover import monitor

    frame = pl.DataFrame(
        [r.model_dump() for r in body.rows], schema=dict(monitor.OBSERVATION_SCHEMA)
    )
    return await run_in_threadpool(_record, session, user, frame)


@router.post(
    "/observations/file",
    summary="Import an observation file",
    response_model=RecordOut,
    responses=_errors(401, 403, 409, 413),
)
async def import_file(
    request: Request,
    session: WriteSession,
    file: UploadFile = File(..., description="The file (plain or gzip-compressed)."),
    format: Literal["csv", "sdmx", "ilostat"] = Form(
        "csv", description="csv (as exported here), sdmx (SDMX-CSV 1.0/2.0) or ilostat (bulk)."
    ),
    vintage: str = Form("", max_length=40, description="The file's edition, e.g. 2025-06."),
    user: Principal = Depends(Need("monitor.enter")),
) -> dict[str, Any]:
    """Import a whole file or nothing: a bad row is refused with its row number and column."""
    from dataclasses import asdict

    from socialcover import monitor

    limit = request.app.state.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="sc-monitor-") as folder:
        path = Path(folder) / "upload"
        await save_upload(file, path, limit, "Split the file by indicator or by year.")
        report = await run_in_threadpool(
            lambda: monitor.import_observations(session, user, path, format, vintage=vintage)
        )
    return asdict(report)


# -- approval -----------------------------------------------------------------------------


@router.get(
    "/data-sets",
    summary="Data sets and their approval",
    response_model=DataSetPage,
    responses=_errors(404),
)
async def list_data_sets(
    request: Request,
    session: ReadSession,
    state: Literal["entered", "submitted", "approved"] | None = Query(
        None, description="Only data sets in this state (submitted: the review queue)."
    ),
    area: str | None = Query(None, min_length=1, max_length=60),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    page: Page = Depends(paging),
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> Response:
    """The data sets the caller may see: approved ones, one's own, every one for reviewers."""
    from socialcover import monitor

    def _do() -> pl.DataFrame:
        return monitor.list_data_sets(
            session, user, area=_area(area) if area else None, year=year, status=state
        )

    rows = frame_rows(await run_in_threadpool(_do))
    return table_response(page.slice(rows), "json", "data-sets", page.meta(request, len(rows)))


def _move(
    session: Session, user: Principal, area: str, year: int, step: str, body: StepIn
) -> dict[str, Any]:
    from socialcover import monitor
    from socialcover.errors import NotFoundError

    found = monitor.list_data_sets(session, user, area=_area(area), year=year)
    if found.is_empty():
        raise NotFoundError(
            f"No data set for {area} {year} that you may see.",
            code="monitor.no-data-set",
            hint="Enter values for this area and year first; GET /api/v1/monitor/data-sets "
            "lists the data sets.",
        )
    data_set_id = int(found["id"][0])
    if step == "submit":
        moved = monitor.submit_data_set(session, user, data_set_id)
    elif step == "approve":
        moved = monitor.approve_data_set(session, user, data_set_id, body.comment)
    else:
        moved = monitor.unapprove_data_set(
            session, user, data_set_id, body.comment, back_to=body.back_to
        )
    session.flush()
    row = monitor.list_data_sets(session, user, area=moved.area, year=moved.year)
    return frame_rows(row)[0]


@router.post(
    "/data-sets/{area}/{year}/{step}",
    summary="Submit, approve or un-approve a data set",
    response_model=DataSetOut,
    responses=_errors(401, 403, 404, 409),
)
async def move_data_set(
    session: WriteSession,
    area: str = PathParam(max_length=60),
    year: int = PathParam(ge=FIRST_YEAR, le=LAST_YEAR),
    step: Literal["submit", "approve", "unapprove"] = PathParam(),
    body: StepIn | None = None,
    user: Principal = Depends(Need("monitor.enter")),
) -> dict[str, Any]:
    """Move a data set: its contributor submits; a reviewer approves or un-approves it.

    Un-approving needs a comment (``back_to=entered`` returns it for corrections); every step
    is audited.
    """
    return await run_in_threadpool(_move, session, user, area, year, step, body or StepIn())


# -- aggregates and progress --------------------------------------------------------------


@router.get(
    "/aggregates",
    summary="Regional, income-group and world aggregates",
    response_model=AggregateList,
    responses=_errors(404) | _tables("csv", "xlsx", "sdmx"),
)
async def get_aggregates(
    session: ReadSession,
    indicator: str = Query(min_length=1, max_length=80, description="Indicator code."),
    year: int = Query(ge=FIRST_YEAR, le=LAST_YEAR),
    by: str = Query(
        "ilo-region,income-group,world",
        min_length=1,
        max_length=80,
        description="Groupings joined by commas: ilo-region, income-group, world, subregion.",
    ),
    sex: Literal["both", "female", "male"] | None = None,
    window: int = Query(3, ge=0, le=30, description="Years a country's nearest value may be."),
    format: Literal["json", "csv", "xlsx", "sdmx"] = Query(
        "json",
        description="json, csv, xlsx, or sdmx (SDMX-CSV: each group and year a modelled "
        "observation, its population shares in the footnote).",
    ),
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> Response:
    """Aggregates of approved observations, with the population shares observed and imputed."""
    from socialcover import monitor

    frame = await run_in_threadpool(
        lambda: monitor.aggregate_store(session, user, indicator, year, by, window=window, sex=sex)
    )
    if format == "sdmx":
        code = _code(indicator)
        chosen = sex or monitor.get_indicator(code).sex
        text = monitor.write_sdmx_csv(monitor.aggregates_as_observations(frame, code, chosen))
        return Response(
            text or "",
            media_type=SDMX_MEDIA,
            headers={"Content-Disposition": f'attachment; filename="aggregates-{year}.csv"'},
        )
    return table_response(frame_rows(frame), format, f"aggregates-{year}")


def _series(
    session: Session, user: Principal | None, indicator: str, area: str | None
) -> pl.DataFrame:
    from socialcover import monitor

    return monitor.observations(
        session, user, indicator=_code(indicator), area=_area(area) if area else None
    )


@router.get(
    "/progress",
    summary="Progress towards a target",
    response_model=ProgressList,
    responses=_errors(404) | _tables("csv", "xlsx"),
)
async def get_progress(
    session: ReadSession,
    indicator: str = Query(min_length=1, max_length=80, description="Indicator code."),
    area: str | None = Query(
        None, min_length=1, max_length=60, description="ISO3 code or group name."
    ),
    target_value: float | None = Query(None, ge=-1e6, le=1e6, allow_inf_nan=False),
    target_year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    format: Literal["json", "csv", "xlsx"] = "json",
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> Response:
    """Pace, projection, the year the target is reached and the status, of approved series."""
    from socialcover import monitor

    def _do() -> pl.DataFrame:
        targets = []
        if target_value is not None or target_year is not None:
            if area is None or target_value is None or target_year is None:
                raise WebError(
                    422,
                    "A target needs an area, a target_value and a target_year.",
                    code="input.invalid",
                    hint="Give all three, or none for the pace alone.",
                )
            targets = [monitor.Target(_code(indicator), _area(area), target_value, target_year)]
        return monitor.progress(_series(session, user, indicator, area), targets)

    frame = await run_in_threadpool(_do)
    return table_response(frame_rows(frame), format, "progress")


@router.get(
    "/progress/chart",
    summary="Progress chart (Vega-Lite)",
    response_model=VegaLiteOut,
    responses=_errors(404),
)
async def get_progress_chart(
    session: ReadSession,
    indicator: str = Query(min_length=1, max_length=80, description="Indicator code."),
    area: str = Query(min_length=1, max_length=60, description="ISO3 code or group name."),
    target_value: float = Query(ge=-1e6, le=1e6, allow_inf_nan=False),
    target_year: int = Query(ge=FIRST_YEAR, le=LAST_YEAR),
    sex: Literal["both", "female", "male"] = "both",
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> dict[str, Any]:
    """Observed, modelled and projected parts of an approved series against its target."""
    from socialcover import monitor

    def _do() -> dict[str, Any]:
        series = _series(session, user, indicator, area).filter(pl.col("sex") == sex)
        target = monitor.Target(_code(indicator), _area(area), target_value, target_year)
        return monitor.progress_chart(series, target)

    return await run_in_threadpool(_do)


@router.get(
    "/chart",
    summary="The explorer's chart as SVG, PNG or Vega-Lite",
    responses=_errors(404)
    | {200: {"content": {"image/svg+xml": {}, "image/png": {}, "application/json": {}}}},
    response_model=VegaLiteOut,
)
async def get_chart(
    request: Request,
    session: ReadSession,
    indicator: str = Query(min_length=1, max_length=80, description="Indicator code."),
    area: list[Annotated[str, Field(min_length=1, max_length=60)]] | None = Query(
        None, max_length=40, description="ISO3 codes or group names (default: World)."
    ),
    year_from: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    year_to: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    sex: Literal["both", "female", "male"] | None = None,
    format: Literal["svg", "png", "json"] = Query(
        "svg", description="svg, png (rendered on the server) or json (the Vega-Lite spec)."
    ),
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> Response:
    """The line chart of the explorer's choices, with its source line: approved values only."""
    from socialcover import monitor
    from socialcover.web import monitor_view
    from socialcover.web.i18n import translations

    definition = monitor.get_indicator(indicator)
    gt = translations(request.state.lang).gettext
    choice = monitor_view.Choice(
        indicator=definition.code,
        areas=tuple(_area(a) for a in area) if area else (monitor.WORLD,),
        start=year_from,
        end=year_to,
        sex=sex or definition.sex,
        rank_year=None,
        sort="value",
        order="desc",
    )

    def _do() -> dict[str, Any] | None:
        found = monitor_view.explore(session, user, choice, gt, request.state.lang)
        name = monitor_view.indicator_name(definition.code, gt)
        return monitor_view.series_chart(found["rows"], name, definition.unit, gt)

    spec = await run_in_threadpool(_do)
    if spec is None:
        raise WebError(
            404,
            f"No approved values of {definition.code} for these areas and years.",
            code="monitor.no-values",
            hint="Choose other areas or years; GET /api/v1/monitor/observations lists the values.",
        )
    if format == "json":
        return Response(json.dumps(spec), media_type="application/json")
    import vl_convert as vlc

    name = f"{definition.code}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    spec["width"] = 720  # "container" has no meaning off the page
    if format == "svg":
        svg = await run_in_threadpool(vlc.vegalite_to_svg, spec)
        return Response(svg, media_type="image/svg+xml", headers=headers)
    png = await run_in_threadpool(lambda: vlc.vegalite_to_png(spec, scale=2))
    return Response(png, media_type="image/png", headers=headers)
