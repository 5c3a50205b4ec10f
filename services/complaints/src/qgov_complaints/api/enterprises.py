"""Enterprises: the complaints naming them as the respondent, with the complainant's personal
data masked, and their answers or settlement proposals."""

from __future__ import annotations

from fastapi import APIRouter, status

from qgov_complaints import queries
from qgov_complaints.dependencies import ContextDep, Enterprise
from qgov_complaints.handlers import procedure
from qgov_complaints.schemas import ResponseCreate, SubmissionDetail, SubmissionSummary
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork

router = APIRouter(prefix="/api/v1/enterprise/complaints", tags=["enterprises"])


@router.get("", response_model=Page[SubmissionSummary])
async def my_complaints(
    principal: Enterprise, ctx: ContextDep, session: SessionDep, page: PageRequestDep
) -> Page[SubmissionSummary]:
    """Complaints naming your enterprise as the respondent."""
    return await queries.complaints_about(
        session, principal.credit_code, ctx.today, ctx.policy.calendar, page
    )


@router.get("/{submission_id}", response_model=SubmissionDetail)
async def my_complaint(
    submission_id: RowId, principal: Enterprise, ctx: ContextDep, session: SessionDep
) -> SubmissionDetail:
    """One complaint about your enterprise; the complainant's personal data is masked."""
    row = await queries.complaint_about(session, submission_id, principal.credit_code)
    return await queries.submission_detail(
        session, row, principal, ctx.today, ctx.policy.calendar, notes=False
    )


@router.post(
    "/{submission_id}/responses",
    status_code=status.HTTP_201_CREATED,
    response_model=SubmissionDetail,
)
async def answer(
    submission_id: RowId,
    body: ResponseCreate,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Answer the complaint, or propose a settlement, before mediation has ended."""

    async def respond(uow: UnitOfWork) -> SubmissionDetail:
        row = await procedure.respond(submission_id, body.kind, body.text, uow, ctx)
        await uow.session.flush()
        return await queries.submission_detail(
            uow.session, row, principal, ctx.today, ctx.policy.calendar, notes=False
        )

    return await execute(
        uow, key, respond, lambda shown: shown, status_code=status.HTTP_201_CREATED
    )
