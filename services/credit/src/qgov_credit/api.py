"""The credit HTTP API: regulators enter records and read files in their regions; an
enterprise reads its own file; anyone reads an enterprise's public records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import or_, select

from qgov_credit import domain, handlers
from qgov_credit.handlers import Context, EnterpriseNotFound
from qgov_credit.models import CreditRecord, Enterprise, GradeChange
from qgov_credit.schemas import (
    CreditFile,
    CreditSummary,
    GradeChangeView,
    PublicCreditFile,
    PublicRecord,
    ReasonView,
    RebuildReport,
    RecordCreate,
    RecordView,
)
from qgov_shared.app import UnitOfWorkDep
from qgov_shared.auth import Principal, Role, require_roles
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep, keyset_page
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import CreditCodeStr, region_prefix


async def context(request: Request) -> Context:
    return Context(rules=request.app.state.rules, now=request.app.state.clock())


ContextDep = Annotated[Context, Depends(context)]
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
# Whole files are for regulators, enterprises and admins: an anonymous caller is asked for a
# token (401) and a citizen refused (403); `_visible` then narrows to the caller's own files.
FileReader = Annotated[
    Principal, Depends(require_roles(Role.REGULATOR, Role.ENTERPRISE, Role.ADMIN))
]

router = APIRouter(prefix="/api/v1/credit", tags=["credit"])


@router.post("/records", status_code=status.HTTP_201_CREATED, response_model=RecordView)
async def enter_record(
    body: RecordCreate,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Record an inspection result, a penalty or a quality accident (your regions only)."""
    return await execute(
        uow,
        key,
        lambda uow: handlers.enter_record(
            body.credit_code,
            body.kind,
            body.severity,
            body.occurred_on,
            body.note,
            principal,
            uow,
            ctx,
        ),
        RecordView.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/enterprises", response_model=Page[CreditSummary])
async def list_enterprises(
    principal: Regulator,
    uow: UnitOfWorkDep,
    page: PageRequestDep,
    grade: Annotated[str | None, Query(pattern="^[ABCD]$")] = None,
    score_min: Annotated[int | None, Query(ge=0, le=100)] = None,
    score_max: Annotated[int | None, Query(ge=0, le=100)] = None,
) -> Page[CreditSummary]:
    """Enterprises in your regions, by grade or score band."""
    query = select(Enterprise)
    if principal.role is not Role.ADMIN:
        regions = [Enterprise.region_code.startswith(region_prefix(r)) for r in principal.regions]
        query = query.where(or_(*regions))
    if grade:
        query = query.where(Enterprise.grade == grade)
    if score_min is not None:
        query = query.where(Enterprise.score >= score_min)
    if score_max is not None:
        query = query.where(Enterprise.score <= score_max)
    async with uow:
        rows, cursor = await keyset_page(uow.session, query, [Enterprise.credit_code], page)
        return Page(
            items=[CreditSummary.model_validate(r.Enterprise) for r in rows], next_cursor=cursor
        )


@router.get("/enterprises/{credit_code}", response_model=CreditFile)
async def credit_file(
    credit_code: CreditCodeStr, principal: FileReader, ctx: ContextDep, uow: UnitOfWorkDep
) -> CreditFile:
    """The whole file: score, grade, the live records that make them, and every record."""
    async with uow:
        enterprise = await _visible(credit_code, principal, uow)
        records = list(
            await uow.session.scalars(
                select(CreditRecord)
                .where(CreditRecord.credit_code == credit_code)
                .order_by(CreditRecord.id)
            )
        )
        # The reasons of the stored assessment, so the file always explains its own grade.
        assessment = domain.assess(
            await handlers.records_of(credit_code, uow), enterprise.assessed_on, ctx.rules
        )
        return CreditFile(
            **CreditSummary.model_validate(enterprise).model_dump(),
            reasons=[ReasonView(**reason) for reason in handlers.reasons_json(assessment)],
            records=[RecordView.model_validate(record) for record in records],
        )


@router.get("/enterprises/{credit_code}/history", response_model=Page[GradeChangeView])
async def history(
    credit_code: CreditCodeStr, principal: FileReader, uow: UnitOfWorkDep, page: PageRequestDep
) -> Page[GradeChangeView]:
    """Every change of score or grade, with the records behind each."""
    async with uow:
        await _visible(credit_code, principal, uow)
        query = select(GradeChange).where(GradeChange.credit_code == credit_code)
        rows, cursor = await keyset_page(uow.session, query, [GradeChange.id], page)
        return Page(
            items=[GradeChangeView.model_validate(r.GradeChange) for r in rows], next_cursor=cursor
        )


@router.get("/public/{credit_code}", response_model=PublicCreditFile)
async def public_file(credit_code: CreditCodeStr, uow: UnitOfWorkDep) -> PublicCreditFile:
    """An enterprise's public records, as a public credit-information system shows them."""
    async with uow:
        enterprise = await uow.session.get(Enterprise, credit_code)
        if enterprise is None:
            raise EnterpriseNotFound(credit_code)
        records = await uow.session.scalars(
            select(CreditRecord)
            .where(CreditRecord.credit_code == credit_code, CreditRecord.public.is_(True))
            .order_by(CreditRecord.effective_on, CreditRecord.id)
        )
        return PublicCreditFile(
            credit_code=credit_code,
            name=enterprise.name,
            records=[PublicRecord.model_validate(r) for r in records],
        )


@router.post("/rebuild", response_model=RebuildReport)
async def rebuild(principal: Admin, ctx: ContextDep, uow: UnitOfWorkDep):
    """Assess every enterprise from its records alone; `differing` counts files that moved."""
    return await execute(
        uow, None, lambda uow: handlers.rebuild(uow, ctx), lambda report: RebuildReport(**report)
    )


async def _visible(code: str, principal: Principal, uow: UnitOfWork) -> Enterprise:
    """The enterprise, if the caller may see its file: its regulators, itself, admins."""
    enterprise = await uow.session.get(Enterprise, code)
    allowed = enterprise is not None and (
        principal.covers_region(enterprise.region_code)
        if principal.role is Role.REGULATOR
        else principal.can_act_for_enterprise(code)
    )
    if not allowed:
        raise EnterpriseNotFound(code)
    return enterprise
