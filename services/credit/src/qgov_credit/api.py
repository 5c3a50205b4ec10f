"""The credit HTTP API: regulators enter records and read files in their regions; an
enterprise reads its own file; anyone reads an enterprise's public records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from qgov_credit import queries
from qgov_credit.dependencies import ContextDep, PolicyDep
from qgov_credit.handlers import files, grading, repair
from qgov_credit.schemas import (
    CreditFile,
    CreditSummary,
    EnterpriseUpsert,
    GradeChangeView,
    PublicCreditFile,
    RebuildReport,
    RecordCreate,
    RecordView,
    RepairCreate,
    RepairDecision,
    RepairView,
)
from qgov_shared.app import RuntimeDep, SessionDep, UnitOfWorkDep
from qgov_shared.auth import Principal, Role, require_roles
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_shared.uscc import CreditCodeStr

Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
EnterpriseCaller = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
# Whole files are for regulators, enterprises and admins: an anonymous caller is asked for a
# token (401) and a citizen refused (403); `queries` then narrows to the caller's own files.
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
        lambda uow: files.enter_record(
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
        lambda uow: files.register_enterprise(
            credit_code, body.name, body.region_code, body.industry, principal, uow, ctx
        ),
        CreditSummary.model_validate,
    )


@router.get("/enterprises", response_model=Page[CreditSummary])
async def list_enterprises(
    principal: Regulator,
    session: SessionDep,
    page: PageRequestDep,
    grade: Annotated[str | None, Query(pattern="^[ABCD]$")] = None,
    score_min: Annotated[int | None, Query(ge=0, le=100)] = None,
    score_max: Annotated[int | None, Query(ge=0, le=100)] = None,
    listed: bool | None = None,
) -> Page[CreditSummary]:
    """Enterprises in your regions, by grade, score band, or on the serious-violation list."""
    return await queries.enterprises(
        session,
        principal,
        page,
        grade=grade,
        score_min=score_min,
        score_max=score_max,
        listed=listed,
    )


@router.get("/enterprises/{credit_code}", response_model=CreditFile)
async def credit_file(
    credit_code: CreditCodeStr, principal: FileReader, policy: PolicyDep, session: SessionDep
) -> CreditFile:
    """The whole file: score, grade, the live records that make them, and every record."""
    return await queries.credit_file(session, credit_code, principal, policy)


@router.get("/enterprises/{credit_code}/history", response_model=Page[GradeChangeView])
async def history(
    credit_code: CreditCodeStr, principal: FileReader, session: SessionDep, page: PageRequestDep
) -> Page[GradeChangeView]:
    """Every change of score or grade, with the records behind each."""
    return await queries.grade_history(session, credit_code, principal, page)


@router.get("/public/{credit_code}", response_model=PublicCreditFile)
async def public_file(
    credit_code: CreditCodeStr, policy: PolicyDep, session: SessionDep
) -> PublicCreditFile:
    """An enterprise's public records, as a public credit-information system shows them."""
    return await queries.public_file(session, credit_code, policy)


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
        lambda uow: repair.apply_for_repair(
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
    session: SessionDep,
    page: PageRequestDep,
    state: Annotated[
        str | None, Query(alias="status", pattern="^(pending|approved|refused)$")
    ] = None,
) -> Page[RepairView]:
    """Repair applications of enterprises in your regions, oldest first."""
    return await queries.repair_applications(session, principal, page, state)


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
        lambda uow: repair.decide_repair(
            application_id, body.approve, body.reason, principal, uow, ctx
        ),
        RepairView.model_validate,
    )


@router.post("/rebuild", response_model=RebuildReport)
async def rebuild(principal: Admin, ctx: ContextDep, runtime: RuntimeDep) -> RebuildReport:
    """Assess every enterprise from its records alone; `differing` counts files that moved.
    It commits a chunk of files at a time: if it fails part way, run it again."""
    return RebuildReport(**await grading.rebuild(runtime.unit_of_work, ctx))
