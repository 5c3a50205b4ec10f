"""Reads of plans and rankings: a category's plan (latest, or a version), its latest ranking
and entries, a declaration's place, and what the ranker needs to know what is stale."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.errors import NotFound
from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_standards.models import Declaration, Ranking, RankingEntry, RankingPlan
from qgov_standards.queries import PUBLISHED


class PlanNotFound(NotFound):
    what = "evaluation plan"


class RankingNotFound(NotFound):
    what = "ranking"


async def plan(session: AsyncSession, category: str, version: int | None = None) -> RankingPlan:
    query = select(RankingPlan).where(RankingPlan.category == category)
    if version is not None:
        query = query.where(RankingPlan.version == version)
    row = (await session.scalars(query.order_by(RankingPlan.version.desc()).limit(1))).first()
    if row is None:
        raise PlanNotFound(category)
    return row


async def latest_plans(session: AsyncSession) -> list[RankingPlan]:
    """Each category's newest plan."""
    query = (
        select(RankingPlan)
        .distinct(RankingPlan.category)
        .order_by(RankingPlan.category, RankingPlan.version.desc())
    )
    return list(await session.scalars(query))


async def latest_ranking(session: AsyncSession, category: str) -> Ranking | None:
    query = select(Ranking).where(Ranking.category == category)
    return (await session.scalars(query.order_by(Ranking.number.desc()).limit(1))).first()


async def ranking(session: AsyncSession, category: str) -> Ranking:
    row = await latest_ranking(session, category)
    if row is None:
        raise RankingNotFound(category)
    return row


async def members(session: AsyncSession, category: str) -> tuple[int, int]:
    """The category's highest change number and how many declarations it holds, of any
    state: what its latest ranking must have seen to be current."""
    query = select(func.coalesce(func.max(Declaration.change_seq), 0), func.count()).where(
        Declaration.category == category
    )
    watermark, count = (await session.execute(query)).one()
    return watermark, count


async def candidates(session: AsyncSession, category: str) -> list[Any]:
    """The category's published declarations, with what ranking and announcing need."""
    query = select(
        Declaration.id,
        Declaration.version,
        Declaration.credit_code,
        Declaration.enterprise_name,
        Declaration.region_code,
        Declaration.product_name,
        Declaration.category,
        Declaration.indicators,
        Declaration.published_at,
    ).where(Declaration.category == category, PUBLISHED)
    return list((await session.execute(query.order_by(Declaration.id))).all())


async def entry_states(session: AsyncSession, category: str) -> dict[int, tuple[int | None, bool]]:
    """Each declaration's rank and title in the category's current ranking."""
    query = select(RankingEntry.declaration_id, RankingEntry.rank, RankingEntry.frontrunner).where(
        RankingEntry.category == category
    )
    return {row[0]: (row[1], row[2]) for row in (await session.execute(query)).all()}


async def entries(
    session: AsyncSession, category: str, page: PageRequest
) -> tuple[list[RankingEntry], str | None]:
    await ranking(session, category)
    query = select(RankingEntry).where(RankingEntry.category == category)
    rows, cursor = await keyset_page(session, query, [RankingEntry.position], page)
    return [row for (row,) in rows], cursor


async def placement(session: AsyncSession, declaration_id: int) -> tuple[RankingEntry, Ranking]:
    """The declaration's entry in its category's latest ranking."""
    query = select(RankingEntry).where(RankingEntry.declaration_id == declaration_id)
    entry = (await session.scalars(query.order_by(RankingEntry.category))).first()
    if entry is None:
        raise RankingNotFound(str(declaration_id))
    return entry, await ranking(session, entry.category)
