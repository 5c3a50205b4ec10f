"""Compliance certificates (承诺达标合格证): producers issue them for their lots; each has a
trace code for the lot's public page."""

from __future__ import annotations

from fastapi import APIRouter, status

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_traceability import views
from qgov_traceability.dependencies import ContextDep, Enterprise, Member
from qgov_traceability.handlers import certificates
from qgov_traceability.queries import recalls as records
from qgov_traceability.schemas import CertificateCreate, CertificatePublic

router = APIRouter(prefix="/api/v1/traceability/certificates", tags=["certificates"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CertificatePublic)
async def issue(
    body: CertificateCreate,
    principal: Enterprise,
    ctx: ContextDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Issue a certificate for one lot of your products; keep its trace code for the label."""
    return await execute(
        uow,
        key,
        lambda uow: certificates.issue(body, uow, ctx),
        lambda row: views.certificate(row, ctx.policy),
        status_code=status.HTTP_201_CREATED,
    )


@router.get("", response_model=Page[CertificatePublic])
async def list_certificates(
    principal: Member, ctx: ContextDep, session: SessionDep, page: PageRequestDep
) -> Page[CertificatePublic]:
    """Certificates: your own (enterprises), your regions' (regulators), or all (admin)."""
    rows, cursor = await records.certificates(session, principal, page)
    return Page(items=[views.certificate(r[0], ctx.policy) for r in rows], next_cursor=cursor)


@router.get("/{certificate_id}", response_model=CertificatePublic)
async def show(
    certificate_id: RowId, principal: Member, ctx: ContextDep, session: SessionDep
) -> CertificatePublic:
    row = await records.certificate_for(session, certificate_id, principal)
    return views.certificate(row, ctx.policy)
