"""Public and enterprise reads: brands and their transfers, the credit view, awards and holders,
and the registered reviewers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_brands.domain import (
    AwardNotFound,
    BrandNotFound,
    TransferNotFound,
)
from qgov_brands.domain.eligibility import CreditFact, Standing
from qgov_brands.models import (
    Application,
    Award,
    AwardHistory,
    Brand,
    BrandTransfer,
    CreditFactRow,
    CreditStanding,
    Reviewer,
)
from qgov_brands.queries.pages import page_of
from qgov_shared.auth import Principal
from qgov_shared.http.pagination import Page, PageRequest

# --- brands ----------------------------------------------------------------------------------


async def brand(session: AsyncSession, brand_id: int) -> Brand:
    row = await session.get(Brand, brand_id)
    if row is None:
        raise BrandNotFound(str(brand_id))
    return row


async def accepted_transfers(session: AsyncSession, brand_id: int) -> list[BrandTransfer]:
    query = select(BrandTransfer).where(
        BrandTransfer.brand_id == brand_id, BrandTransfer.status == "accepted"
    )
    return list(await session.scalars(query.order_by(BrandTransfer.id)))


async def brands(session: AsyncSession, credit_code: str | None, page: PageRequest) -> Page:
    query = select(Brand)
    if credit_code is not None:
        query = query.where(Brand.credit_code == credit_code)
    return await page_of(session, query, [Brand.id], page)


async def transfer_for(
    session: AsyncSession, transfer_id: int, principal: Principal, *, for_update: bool = False
) -> BrandTransfer:
    """A transfer the calling enterprise gives or receives."""
    row = await session.get(BrandTransfer, transfer_id, with_for_update=for_update)
    if row is None or principal.credit_code not in (row.from_credit_code, row.to_credit_code):
        raise TransferNotFound(str(transfer_id))
    return row


async def transfers_of(session: AsyncSession, credit_code: str, page: PageRequest) -> Page:
    query = select(BrandTransfer).where(
        or_(
            BrandTransfer.from_credit_code == credit_code,
            BrandTransfer.to_credit_code == credit_code,
        )
    )
    return await page_of(session, query, [BrandTransfer.id], page)


# --- the credit view -------------------------------------------------------------------------


async def credit_view(
    session: AsyncSession, credit_code: str
) -> tuple[Standing, tuple[CreditFact, ...]]:
    row = await session.get(CreditStanding, credit_code)
    standing = (
        Standing(row.grade, row.listed, row.listed_on, row.listing_reason) if row else Standing()
    )
    query = select(CreditFactRow).where(CreditFactRow.credit_code == credit_code)
    facts = tuple(
        CreditFact(fact.kind, fact.severity, fact.occurred_on)
        for fact in await session.scalars(query)
    )
    return standing, facts


# --- awards ----------------------------------------------------------------------------------


async def award(session: AsyncSession, award_id: int) -> Award:
    row = await session.get(Award, award_id)
    if row is None:
        raise AwardNotFound(str(award_id))
    return row


async def handled_award(
    session: AsyncSession, award_id: int, principal: Principal, *, for_update: bool = False
) -> Award:
    row = await session.get(Award, award_id, with_for_update=for_update)
    if row is None or not principal.covers_region(row.credit_code[2:8]):
        raise AwardNotFound(str(award_id))
    return row


async def award_history(session: AsyncSession, award_id: int) -> list[Any]:
    query = select(AwardHistory).where(AwardHistory.award_id == award_id)
    return list(await session.scalars(query.order_by(AwardHistory.id)))


async def awards_of(
    session: AsyncSession, credit_code: str, status: str
) -> list[tuple[Award, Application]]:
    """The enterprise's awards of `status` with their applications, locked for change."""
    query = (
        select(Award, Application)
        .join(Application, Application.id == Award.application_id)
        .where(Award.credit_code == credit_code, Award.status == status)
        .order_by(Award.id)
        .with_for_update(of=Award)
    )
    return [(row.Award, row.Application) for row in await session.execute(query)]


async def brand_awards(session: AsyncSession, brand_id: int, page: PageRequest) -> Page:
    query = select(Award).where(Award.brand_id == brand_id)
    return await page_of(session, query, [Award.id], page)


async def holders(session: AsyncSession, filters: Any, today: Any, page: PageRequest) -> Page:
    """Awards standing today: granted, not suspended, revoked or past re-review."""
    query = select(Award).where(
        Award.programme == filters.programme,
        Award.status == "granted",
        or_(Award.valid_until.is_(None), Award.valid_until >= today),
    )
    if filters.round is not None:
        query = query.where(Award.round == filters.round)
    return await page_of(session, query, [Award.id], page)


async def reviewers(session: AsyncSession, page: PageRequest) -> Page:
    return await page_of(session, select(Reviewer), [Reviewer.id], page)
