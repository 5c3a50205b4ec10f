"""The complaints HTTP API: citizens file and follow; regulators work their regions' cases;
the respondent enterprise sees and answers complaints about itself, masked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import or_, select

from qgov_complaints import domain, handlers, views
from qgov_complaints.dependencies import ContextDep
from qgov_complaints.handlers import Context
from qgov_complaints.models import EnterpriseResponse, Submission, SubmissionNote
from qgov_complaints.schemas import (
    ComplaintCreate,
    Decision,
    Extension,
    FilingReceipt,
    MediationOutcome,
    NoteCreate,
    NoteView,
    Rating,
    ReportCreate,
    ReportDecision,
    SubmissionDetail,
    SubmissionSummary,
    TrackingView,
    Transfer,
)
from qgov_shared.app import UnitOfWorkDep
from qgov_shared.auth import Principal, Role, require_roles
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep, keyset_page
from qgov_shared.http.problems import ProblemException
from qgov_shared.http.ratelimit import rate_limited
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import region_prefix

TrackingToken = Annotated[str, Header(alias="X-Tracking-Token", min_length=8, max_length=64)]


Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]

public = APIRouter(prefix="/api/v1", tags=["citizens"])
regulators = APIRouter(prefix="/api/v1/submissions", tags=["regulators"])
enterprises = APIRouter(prefix="/api/v1/enterprise/complaints", tags=["enterprises"])


# --- citizens ------------------------------------------------------------------------------


@public.post(
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
        lambda uow: handlers.file_complaint(body, uow, ctx),
        lambda filed: views.receipt(filed, ctx.policy.calendar),
        status_code=status.HTTP_201_CREATED,
    )


@public.post(
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
        lambda uow: handlers.file_report(body, uow, ctx),
        lambda filed: views.receipt(filed, ctx.policy.calendar),
        status_code=status.HTTP_201_CREATED,
    )


@public.get("/tracking/{tracking_number}", response_model=TrackingView)
async def follow(
    tracking_number: str, token: TrackingToken, uow: UnitOfWorkDep, ctx: ContextDep
) -> TrackingView:
    """Where a submission stands, for whoever holds its tracking number and token."""
    async with uow:
        row = await handlers.track(tracking_number, token, uow)
        history = await handlers.history_of(row, uow)
        return views.tracking(row, history, ctx.policy.calendar)


@public.post("/tracking/{tracking_number}/rating", response_model=TrackingView)
async def rate(
    tracking_number: str,
    body: Rating,
    token: TrackingToken,
    uow: UnitOfWorkDep,
    ctx: ContextDep,
    key: IdempotencyKeyDep,
):
    """Rate how a closed complaint was handled (1 to 5), once."""

    async def rate_it(uow: UnitOfWork):
        row = await handlers.rate(tracking_number, token, body.satisfaction, uow, ctx)
        await uow.session.flush()
        return row, await handlers.history_of(row, uow)

    return await execute(
        uow, key, rate_it, lambda result: views.tracking(*result, ctx.policy.calendar)
    )


# --- regulators ----------------------------------------------------------------------------


class SubmissionFilters(BaseModel):
    kind: Literal["complaint", "report"] | None = None
    status: str | None = Field(None, max_length=24)
    region_code: str | None = Field(None, pattern=r"^\d{6}$", description="within your regions")
    overdue: bool | None = None


@regulators.get("", response_model=Page[SubmissionSummary])
async def list_submissions(
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    page: PageRequestDep,
    filters: Annotated[SubmissionFilters, Query()],
) -> Page[SubmissionSummary]:
    """Submissions handled in your regions, oldest first."""
    query = _in_regions(select(Submission), principal, filters.region_code)
    if filters.kind:
        query = query.where(Submission.kind == filters.kind)
    if filters.status:
        query = query.where(Submission.status == filters.status)
    if filters.overdue is not None:
        late = Submission.running_due_on < domain.overdue_before(ctx.today)
        query = query.where(
            late if filters.overdue else or_(~late, Submission.running_due_on.is_(None))
        )
    async with uow:
        rows, cursor = await keyset_page(uow.session, query, [Submission.id], page)
        return Page(
            items=[views.summary(r.Submission, ctx.today, ctx.policy.calendar) for r in rows],
            next_cursor=cursor,
        )


@regulators.get("/due", response_model=Page[SubmissionSummary])
async def due_soon(
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    page: PageRequestDep,
) -> Page[SubmissionSummary]:
    """Everything in your regions that is overdue or due within the policy's warning period,
    most urgent first."""
    horizon = domain.nearly_due_before(ctx.today, ctx.policy)
    query = _in_regions(select(Submission), principal).where(Submission.running_due_on < horizon)
    async with uow:
        rows, cursor = await keyset_page(
            uow.session, query, [Submission.running_due_on, Submission.id], page
        )
        return Page(
            items=[views.summary(r.Submission, ctx.today, ctx.policy.calendar) for r in rows],
            next_cursor=cursor,
        )


@regulators.get("/{submission_id}", response_model=SubmissionDetail)
async def show(
    submission_id: RowId, principal: Regulator, ctx: ContextDep, uow: UnitOfWorkDep
) -> SubmissionDetail:
    """The whole submission; personal data unmasked for the regulator handling it."""
    async with uow:
        row = await handlers.handled_submission(submission_id, uow, ctx)
        return await _detail(row, uow, ctx)


async def _step(
    uow: UnitOfWork, key, ctx: Context, act: Callable[[UnitOfWork], Awaitable[Submission]]
):
    """Run one step of the procedure; answer with the submission as it now is."""

    async def act_and_show(uow: UnitOfWork) -> SubmissionDetail:
        row = await act(uow)
        await uow.session.flush()
        return await _detail(row, uow, ctx)

    return await execute(uow, key, act_and_show, lambda shown: shown)


@regulators.post("/{submission_id}/decision", response_model=SubmissionDetail)
async def decide(
    submission_id: RowId,
    body: Decision,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Accept a complaint, or reject it on a ground of 第十六条 (within 7 working days)."""
    accept = body.decision == "accept"
    return await _step(
        uow,
        key,
        ctx,
        lambda uow: handlers.decide_complaint(submission_id, accept, body.ground, uow, ctx),
    )


@regulators.post("/{submission_id}/mediation/start", response_model=SubmissionDetail)
async def start_mediation(
    submission_id: RowId,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Start mediating an accepted complaint."""
    return await _step(uow, key, ctx, lambda uow: handlers.start_mediation(submission_id, uow, ctx))


@regulators.post("/{submission_id}/mediation/outcome", response_model=SubmissionDetail)
async def end_mediation(
    submission_id: RowId,
    body: MediationOutcome,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """End mediation: an agreement, a failure, or a termination on a reason of 第二十六条."""
    return await _step(
        uow,
        key,
        ctx,
        lambda uow: handlers.end_mediation(
            submission_id, body.outcome, body.reason, body.agreement, uow, ctx
        ),
    )


@regulators.post("/{submission_id}/close", response_model=SubmissionDetail)
async def close(
    submission_id: RowId,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Close a complaint once the parties have been told how mediation ended."""
    return await _step(uow, key, ctx, lambda uow: handlers.close(submission_id, uow, ctx))


@regulators.post("/{submission_id}/verification", response_model=SubmissionDetail)
async def begin_verification(
    submission_id: RowId,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Begin verifying a report."""
    return await _step(
        uow, key, ctx, lambda uow: handlers.begin_verification(submission_id, uow, ctx)
    )


@regulators.post("/{submission_id}/extension", response_model=SubmissionDetail)
async def extend(
    submission_id: RowId,
    body: Extension,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Extend a report's decision deadline by 15 working days, once, with a reason."""
    return await _step(
        uow, key, ctx, lambda uow: handlers.extend(submission_id, body.reason, uow, ctx)
    )


@regulators.post("/{submission_id}/report-decision", response_model=SubmissionDetail)
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
        lambda uow: handlers.decide_report(submission_id, body.case_opened, body.reason, uow, ctx),
    )


@regulators.post("/{submission_id}/transfer", response_model=SubmissionDetail)
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
        lambda uow: handlers.transfer(submission_id, body.region_code, body.reason, uow, ctx),
    )


@regulators.post(
    "/{submission_id}/notes", status_code=status.HTTP_201_CREATED, response_model=NoteView
)
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
        lambda uow: handlers.add_note(submission_id, body.text, uow, ctx),
        NoteView.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


# --- enterprises ---------------------------------------------------------------------------


class ResponseCreate(BaseModel):
    kind: Literal["answer", "settlement_proposal"]
    text: str = Field(min_length=1, max_length=2000)


@enterprises.get("", response_model=Page[SubmissionSummary])
async def my_complaints(
    principal: Enterprise, ctx: ContextDep, uow: UnitOfWorkDep, page: PageRequestDep
) -> Page[SubmissionSummary]:
    """Complaints naming your enterprise as the respondent."""
    query = select(Submission).where(
        Submission.kind == "complaint", Submission.respondent_credit_code == principal.credit_code
    )
    async with uow:
        rows, cursor = await keyset_page(uow.session, query, [Submission.id], page)
        return Page(
            items=[views.summary(r.Submission, ctx.today, ctx.policy.calendar) for r in rows],
            next_cursor=cursor,
        )


@enterprises.get("/{submission_id}", response_model=SubmissionDetail)
async def my_complaint(
    submission_id: RowId, principal: Enterprise, ctx: ContextDep, uow: UnitOfWorkDep
) -> SubmissionDetail:
    """One complaint about your enterprise; the complainant's personal data is masked."""
    async with uow:
        row = await uow.session.get(Submission, submission_id)
        if (
            row is None
            or row.kind != "complaint"
            or (row.respondent_credit_code != principal.credit_code)
        ):
            raise handlers.SubmissionNotFound(str(submission_id))
        return await _detail(row, uow, ctx, notes=False)


@enterprises.post(
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
        await handlers.respond(submission_id, body.kind, body.text, uow, ctx)
        await uow.session.flush()
        row = await uow.session.get(Submission, submission_id)
        return await _detail(row, uow, ctx, notes=False)

    return await execute(
        uow, key, respond, lambda shown: shown, status_code=status.HTTP_201_CREATED
    )


# --- shared --------------------------------------------------------------------------------


def _in_regions(query, principal: Principal, region_code: str | None = None):
    """Restrict to the caller's regions (admins see all), and to `region_code` within them."""
    if region_code is not None:
        if not principal.covers_region(region_code):
            raise ProblemException(
                422,
                "That region is not one of yours.",
                errors=[{"parameter": "region_code", "in": "query", "detail": "not your region"}],
            )
        return query.where(Submission.handling_region_code.startswith(region_prefix(region_code)))
    if principal.role is Role.ADMIN:
        return query
    prefixes = [
        Submission.handling_region_code.startswith(region_prefix(r)) for r in principal.regions
    ]
    return query.where(or_(*prefixes))


async def _detail(
    row: Submission, uow: UnitOfWork, ctx: Context, *, notes: bool = True
) -> SubmissionDetail:
    session = uow.session
    by_row = {"submission_id": row.id}
    note_rows = (
        list(
            await session.scalars(
                select(SubmissionNote).filter_by(**by_row).order_by(SubmissionNote.id)
            )
        )
        if notes
        else []
    )
    responses = list(
        await session.scalars(
            select(EnterpriseResponse).filter_by(**by_row).order_by(EnterpriseResponse.id)
        )
    )
    return views.detail(
        row,
        ctx.today,
        ctx.policy.calendar,
        unmasked=handlers.is_regulator_for(ctx.principal, row),
        history=await handlers.history_of(row, uow),
        notes=note_rows,
        responses=responses,
    )
