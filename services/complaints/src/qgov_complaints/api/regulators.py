"""Regulators: the submissions handled in their regions, the due list, and each step of the
procedure, answered with the submission as it then stands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, status

from qgov_complaints import queries
from qgov_complaints.dependencies import ContextDep, Regulator
from qgov_complaints.handlers import Context, procedure
from qgov_complaints.models import Submission
from qgov_complaints.schemas import (
    Decision,
    Extension,
    MediationOutcome,
    NoteCreate,
    NoteView,
    ReportDecision,
    SubmissionDetail,
    SubmissionFilters,
    SubmissionSummary,
    Transfer,
)
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKey, IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.http.problems import ProblemException
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork

router = APIRouter(prefix="/api/v1/submissions", tags=["regulators"])


@router.get("", response_model=Page[SubmissionSummary])
async def list_submissions(
    principal: Regulator,
    ctx: ContextDep,
    session: SessionDep,
    page: PageRequestDep,
    filters: Annotated[SubmissionFilters, Query()],
) -> Page[SubmissionSummary]:
    """Submissions handled in your regions, oldest first."""
    if filters.region_code is not None and not principal.covers_region(filters.region_code):
        raise ProblemException(
            422,
            "That region is not one of yours.",
            errors=[{"parameter": "region_code", "in": "query", "detail": "not your region"}],
        )
    return await queries.submissions(
        session, principal, filters, ctx.today, ctx.policy.calendar, page
    )


@router.get("/due", response_model=Page[SubmissionSummary])
async def due_soon(
    principal: Regulator, ctx: ContextDep, session: SessionDep, page: PageRequestDep
) -> Page[SubmissionSummary]:
    """Everything in your regions that is overdue or due within the policy's warning period,
    most urgent first."""
    return await queries.due(session, principal, ctx.today, ctx.policy, page)


@router.get("/{submission_id}", response_model=SubmissionDetail)
async def show(
    submission_id: RowId, principal: Regulator, ctx: ContextDep, session: SessionDep
) -> SubmissionDetail:
    """The whole submission; personal data unmasked for the regulator handling it."""
    row = await queries.handled_submission(session, submission_id, principal)
    return await queries.submission_detail(session, row, principal, ctx.today, ctx.policy.calendar)


async def _step(
    uow: UnitOfWork,
    key: IdempotencyKey | None,
    ctx: Context,
    act: Callable[[UnitOfWork], Awaitable[Submission]],
):
    """Run one step of the procedure; answer with the submission as it now is."""

    async def act_and_show(uow: UnitOfWork) -> SubmissionDetail:
        row = await act(uow)
        await uow.session.flush()
        return await queries.submission_detail(
            uow.session, row, ctx.principal, ctx.today, ctx.policy.calendar
        )

    return await execute(uow, key, act_and_show, lambda shown: shown)


@router.post("/{submission_id}/decision", response_model=SubmissionDetail)
async def decide(
    submission_id: RowId,
    body: Decision,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Accept a complaint, or reject it on one of the policy's rejection grounds, within the
    policy's acceptance limit."""
    accept = body.decision == "accept"
    return await _step(
        uow,
        key,
        ctx,
        lambda uow: procedure.decide_complaint(submission_id, accept, body.ground, uow, ctx),
    )


@router.post("/{submission_id}/mediation/start", response_model=SubmissionDetail)
async def start_mediation(
    submission_id: RowId,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Start mediating an accepted complaint."""
    return await _step(
        uow, key, ctx, lambda uow: procedure.start_mediation(submission_id, uow, ctx)
    )


@router.post("/{submission_id}/mediation/outcome", response_model=SubmissionDetail)
async def end_mediation(
    submission_id: RowId,
    body: MediationOutcome,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """End mediation: an agreement, a failure, or a termination on one of the policy's
    termination reasons."""
    return await _step(
        uow,
        key,
        ctx,
        lambda uow: procedure.end_mediation(
            submission_id, body.outcome, body.reason, body.agreement, uow, ctx
        ),
    )


@router.post("/{submission_id}/close", response_model=SubmissionDetail)
async def close(
    submission_id: RowId,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Close a complaint once the parties have been told how mediation ended."""
    return await _step(uow, key, ctx, lambda uow: procedure.close(submission_id, uow, ctx))


@router.post("/{submission_id}/verification", response_model=SubmissionDetail)
async def begin_verification(
    submission_id: RowId,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Begin verifying a report."""
    return await _step(
        uow, key, ctx, lambda uow: procedure.begin_verification(submission_id, uow, ctx)
    )


@router.post("/{submission_id}/extension", response_model=SubmissionDetail)
async def extend(
    submission_id: RowId,
    body: Extension,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Extend a report's decision deadline once, by the policy's extension, with a reason."""
    return await _step(
        uow, key, ctx, lambda uow: procedure.extend(submission_id, body.reason, uow, ctx)
    )


@router.post("/{submission_id}/report-decision", response_model=SubmissionDetail)
async def decide_report(
    submission_id: RowId,
    body: ReportDecision,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Open a case on a report, or decide not to, with the reason."""
    return await _step(
        uow,
        key,
        ctx,
        lambda uow: procedure.decide_report(submission_id, body.case_opened, body.reason, uow, ctx),
    )


@router.post("/{submission_id}/transfer", response_model=SubmissionDetail)
async def transfer(
    submission_id: RowId,
    body: Transfer,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Hand the submission to another region's office; its deadlines keep running."""
    return await _step(
        uow,
        key,
        ctx,
        lambda uow: procedure.transfer(submission_id, body.region_code, body.reason, uow, ctx),
    )


@router.post("/{submission_id}/notes", status_code=status.HTTP_201_CREATED, response_model=NoteView)
async def add_note(
    submission_id: RowId,
    body: NoteCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """An internal note on the case, kept in its file."""
    return await execute(
        uow,
        key,
        lambda uow: procedure.add_note(submission_id, body.text, uow, ctx),
        NoteView.model_validate,
        status_code=status.HTTP_201_CREATED,
    )
