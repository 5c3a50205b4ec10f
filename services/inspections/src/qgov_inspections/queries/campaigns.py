"""Campaigns and their draws, as everyone may read them: a campaign is public from its
publication (its commitment is the point), its draw from the moment the seed is revealed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_inspections.domain import CampaignNotFound, Status
from qgov_inspections.models import Campaign, Draw, Inspection
from qgov_shared.http.pagination import PageRequest, keyset_page


class DrawNotFound(CampaignNotFound):
    what = "draw"


async def campaign(session: AsyncSession, campaign_id: int) -> Campaign:
    row = await session.get(Campaign, campaign_id)
    if row is None:
        raise CampaignNotFound(str(campaign_id))
    return row


async def campaigns(session: AsyncSession, status: str | None, page: PageRequest):
    query = select(Campaign)
    if status is not None:
        query = query.where(Campaign.status == status)
    rows, cursor = await keyset_page(session, query, [Campaign.id], page)
    return [row.Campaign for row in rows], cursor


async def counts(session: AsyncSession, campaign_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each campaign's inspections and how many of them are final."""
    final = func.count().filter(Inspection.status == Status.FINAL.value)
    query = (
        select(Inspection.campaign_id, func.count(), final)
        .where(Inspection.campaign_id.in_(campaign_ids))
        .group_by(Inspection.campaign_id)
    )
    return {campaign: (total, done) for campaign, total, done in await session.execute(query)}


async def draw_of(session: AsyncSession, campaign_id: int) -> Draw:
    row = await session.get(Draw, campaign_id)
    if row is None:
        raise DrawNotFound(str(campaign_id))
    return row


async def drawn_teams(session: AsyncSession, campaign_id: int) -> list[Inspection]:
    query = select(Inspection).where(Inspection.campaign_id == campaign_id)
    return list(await session.scalars(query.order_by(Inspection.credit_code)))
