"""Evaluation plans (评价方案), kept by regulators per product category and versioned: a new
version replaces the plan the ranker applies, and the category is ranked anew by it."""

from __future__ import annotations

from sqlalchemy import func, select

from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_standards.documents import plan_document
from qgov_standards.handlers import Context
from qgov_standards.handlers.checking import check_category
from qgov_standards.indicators import name_key
from qgov_standards.models import RankingPlan
from qgov_standards.ranking import valid_tie_break
from qgov_standards.schemas.rankings import PlanIn


async def set_plan(category: str, body: PlanIn, uow: UnitOfWork, ctx: Context) -> RankingPlan:
    """The category's next plan version."""
    check_category(category, ctx.policy, "category")
    if (body.top_n is None) == (body.top_percent is None):
        raise RuleViolation("the cut is one of top_n and top_percent", "top_n")
    names = [core.name for core in body.indicators]
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name_key(name) in seen:
            raise RuleViolation(f"listed twice: {name}", f"indicators.{index}.name")
        seen.add(name_key(name))
    for index, tie in enumerate(body.tie_breaks):
        if not valid_tie_break(tie, names):
            raise RuleViolation(
                "a tie-break is indicator:<a core indicator's name>, more_declared or "
                "earliest_published",
                f"tie_breaks.{index}",
            )
    session = uow.session
    # Two regulators saving a plan at once: one waits, then takes the next version.
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"plan:{category}"))))
    latest = await session.scalar(
        select(func.max(RankingPlan.version)).where(RankingPlan.category == category)
    )
    row = RankingPlan(
        category=category,
        version=(latest or 0) + 1,
        plan=plan_document(body),
        created_at=ctx.now,
        created_by=ctx.actor,
    )
    session.add(row)
    await session.flush()
    return row
