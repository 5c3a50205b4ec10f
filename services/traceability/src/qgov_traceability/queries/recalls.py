"""Reads of recalls and certificates, each within what the caller may see: the producer its
own, a regulator those of its regions, an administrator all."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.auth import Principal, Role
from qgov_shared.errors import NotFound
from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_shared.region_scope import in_regions
from qgov_traceability.models import Certificate, Recall, RecallItem, RecallParty


class RecallNotFound(NotFound):
    what = "recall"


class CertificateNotFound(NotFound):
    what = "certificate"


def _mine(credit_code: ColumnElement, region_code: ColumnElement, principal: Principal):
    if principal.role is Role.ADMIN:
        return true()
    if principal.role is Role.ENTERPRISE:
        return credit_code == principal.credit_code
    if principal.role is Role.REGULATOR:
        return in_regions(region_code, principal.regions)
    return false()


async def recall_for(
    session: AsyncSession, recall_id: int, principal: Principal, *, lock: bool = False
) -> Recall:
    query = select(Recall).where(
        Recall.id == recall_id, _mine(Recall.credit_code, Recall.region_code, principal)
    )
    recall = await session.scalar(query.with_for_update() if lock else query)
    if recall is None:
        raise RecallNotFound()
    return recall


async def recalls(session: AsyncSession, principal: Principal, page: PageRequest):
    query = select(Recall).where(_mine(Recall.credit_code, Recall.region_code, principal))
    return await keyset_page(session, query, [Recall.id], page)


async def recall_parties(session: AsyncSession, recall_id: int) -> list[RecallParty]:
    rows = await session.scalars(
        select(RecallParty).where(RecallParty.recall_id == recall_id).order_by(RecallParty.party)
    )
    return list(rows)


async def affected_items(session: AsyncSession, recall_id: int) -> int:
    return await session.scalar(
        select(func.count()).select_from(RecallItem).where(RecallItem.recall_id == recall_id)
    )


async def certificate_for(session: AsyncSession, certificate_id: int, principal: Principal):
    found = await session.scalar(
        select(Certificate).where(
            Certificate.id == certificate_id,
            _mine(Certificate.credit_code, Certificate.region_code, principal),
        )
    )
    if found is None:
        raise CertificateNotFound()
    return found


async def certificates(session: AsyncSession, principal: Principal, page: PageRequest):
    query = select(Certificate).where(
        _mine(Certificate.credit_code, Certificate.region_code, principal)
    )
    return await keyset_page(session, query, [Certificate.id], page)
