"""Each enterprise's assessment kept current: regraded on its live records when a record comes
in, when records start or stop counting with the calendar, and on a rebuild; every change of
score or grade published and kept in the file's history."""

from __future__ import annotations

from sqlalchemy import select

from qgov_credit import domain
from qgov_credit.domain import Assessment, Record
from qgov_credit.events import GradeChanged, Reason
from qgov_credit.handlers import Context
from qgov_credit.models import Enterprise, GradeChange
from qgov_credit.queries import records_of
from qgov_shared.uow import UnitOfWork


async def regrade(code: str, uow: UnitOfWork, ctx: Context, cause: str) -> Assessment:
    """Assess the enterprise on its live records; record and announce any change."""
    # Flush first: a locking read re-reads the row and would drop unflushed changes (a listing).
    await uow.session.flush()
    enterprise = await uow.session.get(Enterprise, code, with_for_update=True)
    records = await records_of(uow.session, code)
    return await regrade_file(enterprise, records, uow, ctx, cause)


async def regrade_file(
    enterprise: Enterprise, records: list[Record], uow: UnitOfWork, ctx: Context, cause: str
) -> Assessment:
    """Regrade an enterprise whose row the caller has locked, on the records given."""
    assessment = domain.assess(records, ctx.today, ctx.policy, listed=enterprise.listed)
    if (assessment.score, assessment.grade) != (enterprise.score, enterprise.grade):
        _announce(enterprise, assessment, uow, ctx, cause)
    enterprise.score, enterprise.grade = assessment.score, assessment.grade
    enterprise.rule_version = assessment.rule_version
    enterprise.assessed_on, enterprise.next_change_on = ctx.today, assessment.next_change_on
    return assessment


async def regrade_due(uow: UnitOfWork, ctx: Context, limit: int = 500) -> int:
    """Re-assess enterprises a record started or stopped counting for; how many."""
    query = (
        select(Enterprise.credit_code)
        .where(Enterprise.next_change_on <= ctx.today)
        .order_by(Enterprise.next_change_on, Enterprise.credit_code)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    codes = list(await uow.session.scalars(query))
    for code in codes:
        await regrade(code, uow, ctx, cause="records_expired_or_took_effect")
    return len(codes)


async def rebuild(uow: UnitOfWork, ctx: Context) -> dict[str, int]:
    """Assess every enterprise from its records alone; how many files that moved."""
    query = select(Enterprise).order_by(Enterprise.credit_code).with_for_update()
    enterprises = list(await uow.session.scalars(query))
    differing = 0
    for enterprise in enterprises:
        before = (enterprise.score, enterprise.grade)
        records = await records_of(uow.session, enterprise.credit_code)
        assessment = await regrade_file(enterprise, records, uow, ctx, cause="rebuild")
        differing += (assessment.score, assessment.grade) != before
    return {"enterprises": len(enterprises), "differing": differing}


def _announce(
    enterprise: Enterprise, assessment: Assessment, uow: UnitOfWork, ctx: Context, cause: str
) -> None:
    """Publish the change, and keep it in the file's history as the event tells it."""
    changed = GradeChanged(
        credit_code=enterprise.credit_code,
        region_code=enterprise.region_code,
        previous_grade=enterprise.grade,
        grade=assessment.grade,
        previous_score=enterprise.score,
        score=assessment.score,
        rule_version=assessment.rule_version,
        cause=cause,
        assessed_on=ctx.today,
        reasons=Reason.all_of(assessment, ctx.policy),
    )
    uow.publish(changed.event(subject=enterprise.credit_code, time=ctx.now))
    uow.session.add(
        GradeChange(
            **changed.model_dump(exclude={"region_code", "reasons"}),
            reasons=changed.model_dump(mode="json")["reasons"],
            changed_at=ctx.now,
        )
    )
