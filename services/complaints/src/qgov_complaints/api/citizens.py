"""Citizens: file a complaint or a report, and follow it with its tracking number and token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, status

from qgov_complaints import queries, views
from qgov_complaints.dependencies import ContextDep
from qgov_complaints.handlers import filing, procedure
from qgov_complaints.schemas import (
    ComplaintCreate,
    FilingReceipt,
    Rating,
    ReportCreate,
    TrackingView,
)
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.ratelimit import rate_limited
from qgov_shared.uow import UnitOfWork

TrackingToken = Annotated[str, Header(alias="X-Tracking-Token", min_length=8, max_length=64)]

router = APIRouter(prefix="/api/v1", tags=["citizens"])


@router.post(
    "/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=FilingReceipt,
    dependencies=[Depends(rate_limited)],
)
async def file_complaint(
    body: ComplaintCreate, uow: UnitOfWorkDep, ctx: ContextDep, key: IdempotencyKeyDep
):
    """File a complaint (投诉). Keep the tracking number and token to follow it."""
    return await execute(
        uow,
        key,
        lambda uow: filing.file_complaint(body, uow, ctx),
        lambda filed: views.receipt(filed, ctx.policy.calendar),
        status_code=status.HTTP_201_CREATED,
    )


@router.post(
    "/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=FilingReceipt,
    dependencies=[Depends(rate_limited)],
)
async def file_report(
    body: ReportCreate, uow: UnitOfWorkDep, ctx: ContextDep, key: IdempotencyKeyDep
):
    """File a report (举报), with your details or anonymously."""
    return await execute(
        uow,
        key,
        lambda uow: filing.file_report(body, uow, ctx),
        lambda filed: views.receipt(filed, ctx.policy.calendar),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/tracking/{tracking_number}", response_model=TrackingView)
async def follow(
    tracking_number: str, token: TrackingToken, session: SessionDep, ctx: ContextDep
) -> TrackingView:
    """Where a submission stands, for whoever holds its tracking number and token."""
    row = await queries.tracked(session, tracking_number, token)
    history = await queries.history_of(session, row.id)
    return views.tracking(row, history, ctx.policy.calendar)


@router.post("/tracking/{tracking_number}/rating", response_model=TrackingView)
async def rate(
    tracking_number: str,
    body: Rating,
    token: TrackingToken,
    uow: UnitOfWorkDep,
    ctx: ContextDep,
    key: IdempotencyKeyDep,
):
    """Rate how a closed complaint was handled (1 to 5), once."""

    async def rate_it(uow: UnitOfWork) -> TrackingView:
        row = await procedure.rate(tracking_number, token, body.satisfaction, uow, ctx)
        await uow.session.flush()
        history = await queries.history_of(uow.session, row.id)
        return views.tracking(row, history, ctx.policy.calendar)

    return await execute(uow, key, rate_it, lambda shown: shown)
