"""The unified quality-governance view: read from the gateway's own tables, so it answers fast
and keeps answering while the services that feed it are down."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway import domain
from qgov_gateway.models import CreditChange, EnterpriseProfile, SourceWatermark, SubmissionView
from qgov_shared.auth import Principal
from qgov_shared.errors import NotFound
from qgov_shared.uscc import region_prefix

HISTORY_SHOWN = 20
FALLS_SHOWN = 10
FALL_WINDOW = timedelta(days=30)


class EnterpriseNotFound(NotFound):
    what = "enterprise"


def in_regions(column: ColumnElement, scopes: Sequence[str]) -> ColumnElement[bool]:
    """Codes in any of `scopes`, spelled `left(code, n) = prefix` so the per-level indexes
    serve it. `n` is written into the SQL, not bound: a cached generic plan sees
    `left(region_code, $2)` and could use no index."""
    conditions = []
    for scope in scopes:
        prefix = region_prefix(scope)
        width = literal_column(str(len(prefix)))
        conditions.append(
            column == prefix if len(prefix) == 6 else func.left(column, width) == prefix
        )
    return or_(*conditions)


def _is_overdue() -> ColumnElement[bool]:
    return and_(
        SubmissionView.overdue_at.is_not(None),
        SubmissionView.overdue_at >= SubmissionView.status_at,
        SubmissionView.status.not_in(domain.FINISHED),
    )


async def profile(session: AsyncSession, credit_code: str, principal: Principal) -> dict[str, Any]:
    # Core rows, not ORM objects: this is the platform's hottest read, and nothing is changed.
    query = select(EnterpriseProfile.__table__).where(EnterpriseProfile.credit_code == credit_code)
    enterprise = (await session.execute(query)).first()
    if enterprise is None:
        raise EnterpriseNotFound()
    full = domain.sees_full_profile(principal, credit_code, enterprise.region_code)
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "region_code": enterprise.region_code,
        "credit": {
            "grade": enterprise.grade,
            "score": enterprise.score,
            "listed": enterprise.listing is not None,
            "listing": enterprise.listing,
            "reasons": domain.shown_reasons(enterprise.reasons, full=full),
            "rule_version": enterprise.rule_version,
            "graded_at": enterprise.graded_at,
            "history": await _grade_history(session, credit_code),
        },
        "complaints": domain.complaint_statistics(
            await _submission_counts(session, SubmissionView.credit_code == credit_code),
            full=full,
        ),
        # Filled from the brands, standards and traceability services' events once they publish.
        "awards": [],
        "standards": [],
        "recalls": [],
        "certificates": [],
        "as_of": enterprise.updated_at,
        "sources": await _sources(session),
    }


async def _grade_history(session: AsyncSession, credit_code: str) -> list[dict[str, Any]]:
    query = (
        select(
            CreditChange.previous_grade,
            CreditChange.grade,
            CreditChange.previous_score,
            CreditChange.score,
            CreditChange.changed_at,
        )
        .where(CreditChange.credit_code == credit_code)
        .order_by(CreditChange.cursor.desc())
        .limit(HISTORY_SHOWN)
    )
    return [dict(row._mapping) for row in await session.execute(query)]


async def _submission_counts(
    session: AsyncSession, *conditions: ColumnElement[bool]
) -> list[domain.SubmissionCount]:
    overdue = _is_overdue().label("overdue")
    query = (
        select(SubmissionView.kind, SubmissionView.status, overdue, func.count())
        .where(*conditions)
        .group_by(SubmissionView.kind, SubmissionView.status, overdue)
    )
    return [domain.SubmissionCount(*row) for row in await session.execute(query)]


async def _sources(session: AsyncSession) -> list[dict[str, Any]]:
    query = select(SourceWatermark.source, SourceWatermark.last_event_time)
    return [dict(row._mapping) for row in await session.execute(query.order_by("source"))]


async def overview(session: AsyncSession, scopes: Sequence[str], now: datetime) -> dict[str, Any]:
    """Counts for the regions in `scopes` (every region when empty, for an admin)."""
    enterprise_scope = in_regions(EnterpriseProfile.region_code, scopes) if scopes else true()
    submission_scope = in_regions(SubmissionView.handling_region_code, scopes) if scopes else true()
    return {
        "enterprises": {
            "by_region": await _count_by(session, EnterpriseProfile.region_code, enterprise_scope),
            "by_grade": await _count_by(session, EnterpriseProfile.grade, enterprise_scope),
            "listed": await session.scalar(
                select(func.count()).where(enterprise_scope, EnterpriseProfile.listing.is_not(None))
            ),
        },
        "complaints": {
            "by_category": await _count_by(session, SubmissionView.category, submission_scope),
            "by_status": await _count_by(session, SubmissionView.status, submission_scope),
            "overdue": await session.scalar(
                select(func.count()).where(submission_scope, _is_overdue())
            ),
        },
        # Open recalls come from the traceability service's events once it publishes.
        "recalls": {"open": 0},
        "largest_falls": await _largest_falls(session, scopes, now - FALL_WINDOW),
        "as_of": now,
        "sources": await _sources(session),
    }


async def _count_by(
    session: AsyncSession, column: ColumnElement, scope: ColumnElement[bool]
) -> dict[str, int]:
    query = select(column, func.count()).where(scope).group_by(column).order_by(column)
    return {("none" if key is None else key): count for key, count in await session.execute(query)}


async def _largest_falls(
    session: AsyncSession, scopes: Sequence[str], since: datetime
) -> list[dict[str, Any]]:
    """The enterprises whose score fell most since `since`: from the score before their first
    change in the window to the score they have now."""
    scope = in_regions(CreditChange.region_code, scopes) if scopes else true()
    first = (
        select(func.min(CreditChange.cursor).label("cursor"))
        .where(CreditChange.changed_at >= since, scope)
        .group_by(CreditChange.credit_code)
        .subquery()
    )
    fall = (CreditChange.previous_score - EnterpriseProfile.score).label("fall")
    query = (
        select(
            EnterpriseProfile.credit_code,
            EnterpriseProfile.name,
            CreditChange.previous_grade.label("from_grade"),
            EnterpriseProfile.grade.label("to_grade"),
            CreditChange.previous_score.label("from_score"),
            EnterpriseProfile.score.label("to_score"),
            fall,
        )
        .join(first, CreditChange.cursor == first.c.cursor)
        .join(EnterpriseProfile, EnterpriseProfile.credit_code == CreditChange.credit_code)
        .where(fall > 0)
        .order_by(fall.desc(), EnterpriseProfile.credit_code)
        .limit(FALLS_SHOWN)
    )
    return [dict(row._mapping) for row in await session.execute(query)]
