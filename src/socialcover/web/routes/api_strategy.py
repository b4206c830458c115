"""REST API over an engagement's national strategy: its objectives, measures (carrying out
recommendations of the matrix), logframe, financing against fiscal space and progress.

Thin adapters over :mod:`socialcover.countries`, as :mod:`.api_countries`: the engagement's
team writes; readers see a published strategy of a published engagement. Errors come in the
app's one error shape.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.countries import (
    LogframeInput,
    MeasureInput,
    ObjectiveInput,
    StrategyInput,
)
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId
from socialcover.web.schemas import Created
from socialcover.web.schemas.countries import (
    FinancingOut,
    ProgressOut,
    StrategyOut,
)

router = APIRouter(prefix="/api/v1/engagements", tags=["engagements"])

StrategyItem = Literal["objective", "measure", "logframe"]


def _strategy(s: Session, user: Any, eid: int) -> dict[str, Any]:
    from socialcover import countries

    return dict(jsonable(countries.strategy_as_dict(s, user, eid)))


@router.get("/{eid}/strategy", response_model=StrategyOut, summary="The national strategy")
async def get_strategy(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Objectives, measures (with the recommendations and scenarios they carry out), timeline,
    logframe; a draft strategy only for the team and the representatives."""
    return await run_in_threadpool(_strategy, session, user, eid)


@router.put(
    "/{eid}/strategy",
    response_model=StrategyOut,
    summary="Write the strategy's title, vision and years",
)
async def set_strategy(
    eid: RecordId,
    body: StrategyInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Created as a draft, or changed (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.set_strategy(session, user, eid, body)
        return _strategy(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/publish", response_model=StrategyOut, summary="Make the strategy public"
)
async def publish_strategy(
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Readers see it while the engagement is public (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.publish_strategy(session, user, eid)
        return _strategy(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/withdraw",
    response_model=StrategyOut,
    summary="Take the strategy back to a draft",
)
async def withdraw_strategy(
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Only the team and the representatives see it again (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.withdraw_strategy(session, user, eid)
        return _strategy(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/objectives",
    response_model=Created,
    status_code=201,
    summary="Add an objective",
)
async def add_objective(
    eid: RecordId,
    body: ObjectiveInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """An objective of the strategy (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        return {"id": countries.add_objective(session, user, eid, body).id}

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/measures", response_model=Created, status_code=201, summary="Add a measure"
)
async def add_measure(
    eid: RecordId,
    body: MeasureInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """A measure citing recommendations of the matrix, with its years and who is responsible."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        return {"id": countries.add_measure(session, user, eid, body).id}

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/logframe",
    response_model=Created,
    status_code=201,
    summary="Add a logframe indicator",
)
async def add_logframe_indicator(
    eid: RecordId,
    body: LogframeInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """An indicator of the monitor registry with its baseline observation, target and means of
    verification (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        return {"id": countries.add_logframe_indicator(session, user, eid, body).id}

    return await run_in_threadpool(_do)


@router.delete("/{eid}/strategy/{kind}/{item_id}", status_code=204, summary="Remove an item")
async def remove_strategy_item(
    eid: RecordId,
    kind: StrategyItem,
    item_id: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Remove an objective, a measure or a logframe row (its team)."""
    from socialcover import countries

    await run_in_threadpool(countries.remove_strategy_item, session, user, eid, kind, item_id)
    return Response(status_code=204)


@router.get(
    "/{eid}/strategy/financing",
    response_model=FinancingOut,
    summary="The strategy's costs against fiscal space",
)
async def strategy_financing(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Per year: the measures' scenario costs and government revenue and expenditure."""
    from socialcover import countries

    out = await run_in_threadpool(countries.strategy_financing, session, user, eid)
    return dict(jsonable(out))


@router.get(
    "/{eid}/strategy/progress",
    response_model=ProgressOut,
    summary="Progress report on the logframe",
)
async def strategy_progress(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Each logframe indicator with the latest approved observations and on/off track."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.progress_report, session, user, eid)
    return {"items": jsonable(rows)}
