"""The credit HTTP API: regulators enter records and read files in their regions; an
enterprise reads its own file; anyone reads an enterprise's public records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy import or_, select

from qgov_credit import domain, handlers
from qgov_credit.dependencies import ContextDep
from qgov_credit.events import Reason
from qgov_credit.handlers import Context, EnterpriseNotFound
from qgov_credit.models import (
    CreditRecord,
    Enterprise,
    GradeChange,
    Listing,
    RepairApplication,
)
from qgov_credit.schemas import (
    CreditFile,
    CreditSummary,
    EnterpriseUpsert,
    GradeChangeView,
    ListingView,
    PublicCreditFile,
    PublicRecord,
    ReasonView,
    RebuildReport,
    RecordCreate,
    RecordView,
    RepairCreate,
    RepairDecision,
    RepairView,
)
from qgov_shared.app import UnitOfWorkDep
from qgov_shared.auth import Principal, Role, require_roles
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep, keyset_page
from qgov_shared.ids import RowId
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import CreditCodeStr, region_prefix

Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
EnterpriseCaller = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
# Whole files are for regulators, enterprises and admins: an anonymous caller is asked for a
# token (401) and a citizen refused (403); `_visible` then narrows to the caller's own files.
FileReader = Annotated[
    Principal, Depends(require_roles(Role.REGULATOR, Role.ENTERPRISE, Role.ADMIN))
]

router = APIRouter(prefix="/api/v1/credit", tags=["credit"])


@router.post(
    "/records",
    status_code=status.HTTP_201_CREATED,
    response_model=RecordView,
    responses={404: {"description": "No such enterprise in your regions"}},
)
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


@router.put("/enterprises/{credit_code}", response_model=CreditSummary)
async def register_enterprise(
    credit_code: CreditCodeStr,
    body: EnterpriseUpsert,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Open an enterprise's file, or record its name, supervising region or industry."""
    return await execute(
        uow,
        key,
        lambda uow: handlers.register_enterprise(
            credit_code, body.name, body.region_code, body.industry, principal, uow, ctx
        ),
        CreditSummary.model_validate,
    )


@router.get("/enterprises", response_model=Page[CreditSummary])
async def list_enterprises(
    principal: Regulator,
    uow: UnitOfWorkDep,
    page: PageRequestDep,
    grade: Annotated[str | None, Query(pattern="^[ABCD]$")] = None,
    score_min: Annotated[int | None, Query(ge=0, le=100)] = None,
    score_max: Annotated[int | None, Query(ge=0, le=100)] = None,
    listed: bool | None = None,
) -> Page[CreditSummary]:
    """Enterprises in your regions, by grade, score band, or on the serious-violation list."""
    query = select(Enterprise)
    query = _in_regions(query, principal)
    if grade:
        query = query.where(Enterprise.grade == grade)
    if score_min is not None:
        query = query.where(Enterprise.score >= score_min)
    if score_max is not None:
        query = query.where(Enterprise.score <= score_max)
    if listed is not None:
        query = query.where(Enterprise.listed.is_(listed))
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
            await handlers.records_of(credit_code, uow),
            enterprise.assessed_on,
            ctx.policy,
            listed=enterprise.listed,
        )
        listings = await uow.session.scalars(
            select(Listing).where(Listing.credit_code == credit_code).order_by(Listing.id)
        )
        return CreditFile(
            **CreditSummary.model_validate(enterprise).model_dump(),
            listings=[_listing_view(listing, ctx) for listing in listings],
            reasons=[
                ReasonView(**reason.model_dump())
                for reason in Reason.all_of(assessment, ctx.policy)
            ],
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
async def public_file(
    credit_code: CreditCodeStr, ctx: ContextDep, uow: UnitOfWorkDep
) -> PublicCreditFile:
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
        listing = await handlers.active_listing(credit_code, uow)
        return PublicCreditFile(
            credit_code=credit_code,
            name=enterprise.name,
            listed=enterprise.listed,
            listing=_listing_view(listing, ctx) if listing else None,
            records=[PublicRecord.model_validate(r) for r in records],
        )


@router.post(
    "/enterprises/{credit_code}/repairs",
    status_code=status.HTTP_201_CREATED,
    response_model=RepairView,
)
async def apply_for_repair(
    credit_code: CreditCodeStr,
    body: RepairCreate,
    principal: EnterpriseCaller,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Apply for credit repair (信用修复): end a listing after its minimum period, or end early
    the publicity of an ordinary penalty, with a good-faith pledge and proof of correction."""
    return await execute(
        uow,
        key,
        lambda uow: handlers.apply_for_repair(
            credit_code,
            body.target,
            body.record_id,
            body.pledge,
            body.correction,
            principal,
            uow,
            ctx,
        ),
        RepairView.model_validate,
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/repairs", response_model=Page[RepairView])
async def repair_applications(
    principal: Regulator,
    uow: UnitOfWorkDep,
    page: PageRequestDep,
    state: Annotated[
        str | None, Query(alias="status", pattern="^(pending|approved|refused)$")
    ] = None,
) -> Page[RepairView]:
    """Repair applications of enterprises in your regions, oldest first."""
    query = select(RepairApplication).join(
        Enterprise, Enterprise.credit_code == RepairApplication.credit_code
    )
    query = _in_regions(query, principal)
    if state:
        query = query.where(RepairApplication.status == state)
    async with uow:
        rows, cursor = await keyset_page(uow.session, query, [RepairApplication.id], page)
        return Page(
            items=[RepairView.model_validate(r.RepairApplication) for r in rows], next_cursor=cursor
        )


@router.post("/repairs/{application_id}/decision", response_model=RepairView)
async def decide_repair(
    application_id: RowId,
    body: RepairDecision,
    principal: Regulator,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Approve or refuse a repair application; an approved listing repair ends the listing."""
    return await execute(
        uow,
        key,
        lambda uow: handlers.decide_repair(
            application_id, body.approve, body.reason, principal, uow, ctx
        ),
        RepairView.model_validate,
    )


@router.post("/rebuild", response_model=RebuildReport)
async def rebuild(principal: Admin, ctx: ContextDep, uow: UnitOfWorkDep):
    """Assess every enterprise from its records alone; `differing` counts files that moved."""
    return await execute(
        uow, None, lambda uow: handlers.rebuild(uow, ctx), lambda report: RebuildReport(**report)
    )


def _in_regions(query, principal: Principal):
    if principal.role is Role.ADMIN:
        return query
    return query.where(
        or_(*(Enterprise.region_code.startswith(region_prefix(r)) for r in principal.regions))
    )


def _listing_view(listing: Listing, ctx: Context) -> ListingView:
    view = ListingView.model_validate(listing)
    if listing.delisted_on is None:
        view.joint_punishment = list(ctx.policy.listing.joint_punishment)
    return view


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
