"""Award applications: enterprises apply and follow their own; regulators of the applicant's
region close each stage, assign reviewers and resolve objections; assigned reviewers score;
anyone may object to an application in public notice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_brands import queries, views
from qgov_brands.dependencies import ContextDep, Enterprise, Participant, Regulator, Reviewer
from qgov_brands.handlers import applying, objections, reviewers, steps
from qgov_brands.models import Application
from qgov_brands.schemas import (
    ApplicationCreate,
    ApplicationDetail,
    ApplicationFilters,
    ApplicationSummary,
    AssignmentCreate,
    ObjectionCreate,
    ObjectionView,
    Resolution,
    ScoreCreate,
    ScoreView,
    StepCreate,
)
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.auth import Principal, Role
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.http.ratelimit import rate_limited
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork

router = APIRouter(prefix="/api/v1/awards", tags=["applications"])


async def detail(
    session: AsyncSession, row: Application, principal: Principal
) -> ApplicationDetail:
    """The application, with its reviewers for those who run it (a reviewer sees itself)."""
    steps_done, filed = await queries.steps_and_objections(session, row.id)
    assigned = await queries.assignments(session, row.id)
    if principal.role is Role.REVIEWER:
        assigned = [a for a in assigned if a[1].subject == principal.subject]
    elif not principal.covers_region(row.region_code):
        assigned = []
    return views.application_detail(row, steps_done, filed, assigned)


async def _shown(uow: UnitOfWork, row: Application, principal: Principal) -> ApplicationDetail:
    """The application as it now stands, within the step's transaction."""
    await uow.session.flush()
    return await detail(uow.session, row, principal)


@router.post("/applications", status_code=status.HTTP_201_CREATED, response_model=ApplicationDetail)
async def apply(
    body: ApplicationCreate,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Apply to an open round of a programme; refused, saying why, if not eligible."""

    async def apply_and_show(uow: UnitOfWork) -> ApplicationDetail:
        return await _shown(uow, await applying.apply(body, uow, ctx), principal)

    return await execute(uow, key, apply_and_show, lambda shown: shown, status_code=201)


@router.get("/applications", response_model=Page[ApplicationSummary])
async def list_applications(
    principal: Participant,
    session: SessionDep,
    page: PageRequestDep,
    filters: Annotated[ApplicationFilters, Query()],
) -> Page[ApplicationSummary]:
    """Your applications; a regulator's regions'; a reviewer's assigned ones."""
    rows = await queries.applications(session, principal, filters, page)
    return views.page(rows, ApplicationSummary)


@router.get("/applications/{application_id}", response_model=ApplicationDetail)
async def show_application(
    application_id: RowId, principal: Participant, session: SessionDep
) -> ApplicationDetail:
    row = await queries.visible_application(session, application_id, principal)
    return await detail(session, row, principal)


@router.post("/applications/{application_id}/steps", response_model=ApplicationDetail)
async def close_stage(
    application_id: RowId,
    body: StepCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Close the application's current stage, passed or failed, with the reasons; the last
    stage's pass grants the award."""

    async def step(uow: UnitOfWork) -> ApplicationDetail:
        return await _shown(uow, await steps.close_stage(application_id, body, uow, ctx), principal)

    return await execute(uow, key, step, lambda shown: shown)


@router.post("/applications/{application_id}/assignments", response_model=ApplicationDetail)
async def assign(
    application_id: RowId,
    body: AssignmentCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Assign a reviewer, unless a conflict of interest forbids it (the refusal says which)."""

    async def assign_it(uow: UnitOfWork) -> ApplicationDetail:
        assignment = await reviewers.assign(application_id, body, uow, ctx)
        row = await uow.session.get(Application, assignment.application_id)
        return await _shown(uow, row, principal)

    return await execute(uow, key, assign_it, lambda shown: shown)


@router.post(
    "/applications/{application_id}/scores",
    status_code=status.HTTP_201_CREATED,
    response_model=ScoreView,
)
async def score(
    application_id: RowId,
    body: ScoreCreate,
    principal: Reviewer,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Score an application assigned to you, each criterion within its weight, once."""
    return await execute(
        uow,
        key,
        lambda uow: reviewers.score(application_id, body, uow, ctx),
        ScoreView.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


@router.post(
    "/applications/{application_id}/objections",
    status_code=status.HTTP_201_CREATED,
    response_model=ObjectionView,
    dependencies=[Depends(rate_limited)],
)
async def object_to(
    application_id: RowId,
    body: ObjectionCreate,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Object to an application in public notice, until its notice ends."""
    return await execute(
        uow,
        key,
        lambda uow: objections.file_objection(application_id, body, uow, ctx),
        ObjectionView.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


@router.post("/objections/{objection_id}/resolution", response_model=ObjectionView)
async def resolve(
    objection_id: RowId,
    body: Resolution,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Uphold or dismiss an objection, with the reasons."""
    return await execute(
        uow,
        key,
        lambda uow: objections.resolve(objection_id, body, uow, ctx),
        ObjectionView.model_validate,
    )
