"""One inspection: regulators of its enterprise's region record the sample and follow up a
failure; the enterprise sees its own and may object to a failure within the period."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter

from qgov_inspections import views
from qgov_inspections.api import PREFIX
from qgov_inspections.dependencies import ContextDep, Enterprise, Regulator
from qgov_inspections.handlers import Context, follow_up, testing
from qgov_inspections.models import Inspection
from qgov_inspections.queries import inspections as stored
from qgov_inspections.schemas.inspections import (
    InspectionPublic,
    ObjectionCreate,
    ReinspectionCreate,
    SampleRecord,
)
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.auth import CurrentPrincipal, Role
from qgov_shared.http.idempotency import IdempotencyKey, IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork

router = APIRouter(prefix=PREFIX, tags=["inspections"])
# Registered first: its path would otherwise be read as an inspection's id.
enterprise_router = APIRouter(prefix=PREFIX, tags=["enterprises"])


async def _shown(session, row: Inspection, *, samples: bool) -> InspectionPublic:
    team = (await stored.teams(session, [row]))[row.id]
    shown_samples = await stored.samples_of(session, row.id) if samples else []
    return views.inspection(row, team, shown_samples)


async def _step(
    uow: UnitOfWork,
    key: IdempotencyKey | None,
    ctx: Context,
    act: Callable[[UnitOfWork], Awaitable[Inspection]],
):
    """Run one step; answer with the inspection as it now is, as the caller may see it."""

    async def act_and_show(uow: UnitOfWork) -> InspectionPublic:
        row = await act(uow)
        await uow.session.flush()
        return await _shown(uow.session, row, samples=ctx.principal.role is not Role.ENTERPRISE)

    return await execute(uow, key, act_and_show, lambda shown: shown)


@enterprise_router.get("/mine", response_model=Page[InspectionPublic])
async def mine(
    principal: Enterprise, session: SessionDep, page: PageRequestDep
) -> Page[InspectionPublic]:
    """Your enterprise's inspections, oldest first."""
    rows, cursor = await stored.enterprise_inspections(session, principal.credit_code, page)
    teams = await stored.teams(session, rows)
    return Page(items=[views.inspection(r, teams[r.id], []) for r in rows], next_cursor=cursor)


@router.get("/{inspection_id}", response_model=InspectionPublic)
async def show(
    inspection_id: RowId, principal: CurrentPrincipal, session: SessionDep
) -> InspectionPublic:
    """The whole inspection, to regulators of its region (with its samples' blind codes) and
    to the enterprise inspected (without them)."""
    if principal.role is Role.ENTERPRISE:
        row = await stored.of_enterprise(session, inspection_id, principal)
        return await _shown(session, row, samples=False)
    row = await stored.handled(session, inspection_id, principal)
    return await _shown(session, row, samples=True)


@router.post("/{inspection_id}/sample", response_model=InspectionPublic)
async def record_sample(
    inspection_id: RowId,
    body: SampleRecord,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Record the sample the drawn inspectors took (at least two of them); it goes to one of
    the campaign's laboratories under a blind code."""
    return await _step(
        uow, key, ctx, lambda uow: testing.record_sample(inspection_id, body, uow, ctx)
    )


@router.post("/{inspection_id}/objection", response_model=InspectionPublic)
async def object_to(
    inspection_id: RowId,
    body: ObjectionCreate,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Object to a failure within the objection period: another laboratory retests the
    sample kept for it, and its result is final."""
    return await _step(uow, key, ctx, lambda uow: testing.object_to(inspection_id, body, uow, ctx))


@router.post("/{inspection_id}/follow-up/reinspection", response_model=InspectionPublic)
async def reinspect(
    inspection_id: RowId,
    body: ReinspectionCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Record the re-inspection of a failure after its rectification."""
    return await _step(
        uow, key, ctx, lambda uow: follow_up.reinspect(inspection_id, body, uow, ctx)
    )


@router.post("/{inspection_id}/follow-up/close", response_model=InspectionPublic)
async def close_follow_up(
    inspection_id: RowId,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Close the follow-up on its re-inspection: rectified, or referred for enforcement."""
    return await _step(uow, key, ctx, lambda uow: follow_up.close(inspection_id, uow, ctx))
