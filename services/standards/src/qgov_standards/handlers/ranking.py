"""The ranker: a category whose declarations or plan changed since its latest ranking is
ranked anew by its newest plan (the policy's `frontrunner` rule), the ranking published with
the plan's version, and each declaration whose title changed is told
(`standard.frontrunners_published`): named a frontrunner, moved, or no longer one."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, func, insert, select

from qgov_shared.uow import UnitOfWork
from qgov_standards import ranking
from qgov_standards.documents import bounds_of, plan_of
from qgov_standards.events import StandardFrontrunnersPublished
from qgov_standards.facts import Facts
from qgov_standards.handlers import Context
from qgov_standards.indicators import name_key
from qgov_standards.models import Ranking, RankingEntry, RankingPlan
from qgov_standards.queries import rankings as stored

SCORE = Decimal("0.0001")


async def rank_due(uow: UnitOfWork, ctx: Context) -> int:
    """Rank every category whose latest ranking is stale; how many were ranked."""
    ranked = 0
    for plan_row in await stored.latest_plans(uow.session):
        if await _stale(plan_row, uow):
            ranked += await rank_category(plan_row, uow, ctx)
    return ranked


async def _stale(plan_row: RankingPlan, uow: UnitOfWork) -> bool:
    latest = await stored.latest_ranking(uow.session, plan_row.category)
    if latest is None or latest.plan_version != plan_row.version:
        return True
    return await stored.members(uow.session, plan_row.category) != (
        latest.watermark,
        latest.members,
    )


async def rank_category(plan_row: RankingPlan, uow: UnitOfWork, ctx: Context) -> int:
    """Rank the category and publish the ranking; 0 when another ranker holds it."""
    category = plan_row.category
    session = uow.session
    locked = select(func.pg_try_advisory_xact_lock(func.hashtext(f"rank:{category}")))
    if not await session.scalar(locked):
        return 0
    watermark, members = await stored.members(session, category)
    rows = {row.id: row for row in await stored.candidates(session, category)}
    plan = plan_of(plan_row.plan, plan_row.version)
    placed = ranking.rank(plan, [_candidate(row) for row in rows.values()], ctx.policy.units)
    before = await stored.entry_states(session, category)
    latest = await stored.latest_ranking(session, category)
    number = latest.number + 1 if latest else 1
    frontrunners = [p for p in placed if p.frontrunner]
    cut = plan.cut(sum(p.rank is not None for p in placed))
    await session.execute(delete(RankingEntry).where(RankingEntry.category == category))
    if placed:
        await session.execute(insert(RankingEntry), [_entry(category, p, cut) for p in placed])
    session.add(
        Ranking(
            category=category,
            number=number,
            plan_version=plan.version,
            watermark=watermark,
            members=members,
            ranked=sum(p.rank is not None for p in placed),
            excluded=sum(p.rank is None for p in placed),
            frontrunners=[_frontrunner(p, rows[p.declaration_id]) for p in frontrunners],
            published_at=ctx.now,
        )
    )
    replanned = latest is not None and latest.plan_version != plan.version
    for place in placed:
        was_rank, was_frontrunner = before.get(place.declaration_id, (None, False))
        moved = place.frontrunner and (not was_frontrunner or was_rank != place.rank or replanned)
        if moved or (was_frontrunner and not place.frontrunner):
            fact = _announced(
                place,
                rows[place.declaration_id],
                plan,
                number,
                len(frontrunners),
                was_frontrunner,
                ctx,
            )
            uow.publish(fact.event(subject=rows[place.declaration_id].credit_code, time=ctx.now))
    return 1


def _candidate(row: Any) -> ranking.Candidate:
    indicators = {name_key(item["name"]): bounds_of(item) for item in row.indicators}
    return ranking.Candidate(row.id, row.published_at, indicators)


def _score(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(SCORE)


def _entry(category: str, place: ranking.Placed, cut: int) -> dict[str, Any]:
    return {
        "category": category,
        "declaration_id": place.declaration_id,
        "position": place.position,
        "rank": place.rank,
        "score": _score(place.score),
        "frontrunner": place.frontrunner,
        "explanation": {
            "parts": [
                {
                    "indicator": part.indicator,
                    "value": None if part.value is None else str(_score(part.value)),
                    "normalised": str(_score(part.normalised)),
                    "weight": str(_score(part.weight)),
                }
                for part in place.parts
            ],
            "excluded_for": list(place.excluded_for),
            "frontrunner_ranks": cut,
        },
    }


def _frontrunner(place: ranking.Placed, row: Any) -> dict[str, Any]:
    return {
        "declaration_id": place.declaration_id,
        "credit_code": row.credit_code,
        "enterprise_name": row.enterprise_name,
        "product_name": row.product_name,
        "rank": place.rank,
        "score": str(_score(place.score)),
    }


def _announced(
    place: ranking.Placed,
    row: Any,
    plan: ranking.Plan,
    number: int,
    count: int,
    was_frontrunner: bool,
    ctx: Context,
) -> StandardFrontrunnersPublished:
    score = _score(place.score)
    return StandardFrontrunnersPublished(
        **Facts.of(row).event_fields(),
        plan_version=plan.version,
        ranking=number,
        rank=place.rank,
        score=None if score is None else str(score),
        frontrunner=place.frontrunner,
        newly_named=place.frontrunner and not was_frontrunner,
        frontrunner_count=count,
        published_on=ctx.today,
    )
