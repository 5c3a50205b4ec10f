"""The gateway's reads, all from its own tables, so they answer fast and keep answering while
the services that feed them are down: the unified view (an enterprise's profile, the
regulators' overview), the pages of the credit feed, how fresh each source is, and the
regulators' webhook subscriptions with their deliveries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway import domain
from qgov_gateway.feed import FeedFilter, widest_scopes
from qgov_gateway.models import (
    CreditChange,
    EnterpriseProfile,
    SourceWatermark,
    SubmissionView,
    WebhookDelivery,
    WebhookSubscription,
)
from qgov_gateway.schemas import FeedItem
from qgov_shared.auth import Principal
from qgov_shared.db import SessionFactory
from qgov_shared.errors import NotFound
from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_shared.region_scope import in_regions, in_regions_or_everywhere

HISTORY_SHOWN = 20
FALLS_SHOWN = 10
FALL_WINDOW = timedelta(days=30)
FEED_STREAM_BATCH = 500


class EnterpriseNotFound(NotFound):
    what = "enterprise"


async def source_statuses(session: AsyncSession) -> list[SourceWatermark]:
    result = await session.execute(select(SourceWatermark).order_by(SourceWatermark.source))
    return list(result.scalars())


# --- the unified view ----------------------------------------------------------------------


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
    enterprise_scope = in_regions_or_everywhere(EnterpriseProfile.region_code, scopes)
    submission_scope = in_regions_or_everywhere(SubmissionView.handling_region_code, scopes)
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
    scope = in_regions_or_everywhere(CreditChange.region_code, scopes)
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


# --- the credit feed -----------------------------------------------------------------------


async def feed_page(
    session: AsyncSession, feed_filter: FeedFilter, after: int, limit: int
) -> list[FeedItem]:
    """Up to `limit` changes after `after`, oldest first. Each region is its own index range,
    read in cursor order and merged, so a page never sorts the whole region."""
    parts = []
    for scope in widest_scopes(feed_filter.regions) or (None,):
        part = select(CreditChange.cursor).where(CreditChange.cursor > after)
        if scope is not None:
            part = part.where(in_regions(CreditChange.region_code, [scope]))
        if feed_filter.grades:
            part = part.where(CreditChange.grade.in_(feed_filter.grades))
        parts.append(part.order_by(CreditChange.cursor).limit(limit))
    cursors = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    # `cursor > after` again outside: without it a generic (cached) plan may walk the primary
    # key from the start to join the page's cursors, and grow slower with depth.
    query = (
        select(CreditChange)
        .where(CreditChange.cursor > after, CreditChange.cursor.in_(select(cursors.c.cursor)))
        .order_by(CreditChange.cursor)
        .limit(limit)
    )
    return [_feed_item(change) for change in await session.scalars(query)]


def feed_reader(
    session_factory: SessionFactory, feed_filter: FeedFilter
) -> Callable[[int], Awaitable[list[FeedItem]]]:
    """What a feed stream reads: the next changes after a cursor, each time in a new session,
    so a long-lived stream holds no connection while it waits."""

    async def read_after(after: int) -> list[FeedItem]:
        async with session_factory() as session:
            return await feed_page(session, feed_filter, after, FEED_STREAM_BATCH)

    return read_after


def _feed_item(change: CreditChange) -> FeedItem:
    return FeedItem(
        cursor=str(change.cursor),
        credit_code=change.credit_code,
        region_code=change.region_code,
        grade=change.grade,
        previous_grade=change.previous_grade,
        score=change.score,
        previous_score=change.previous_score,
        changed_at=change.changed_at,
        reasons=change.reasons,
    )


# --- webhook subscriptions -----------------------------------------------------------------


async def webhook_subscriptions(
    session: AsyncSession, owner: str, page: PageRequest
) -> tuple[list[WebhookSubscription], str | None]:
    """A page of the subscriptions `owner` registered, oldest first."""
    query = select(WebhookSubscription).where(WebhookSubscription.owner == owner)
    rows, next_cursor = await keyset_page(session, query, [WebhookSubscription.id], page)
    return [row[0] for row in rows], next_cursor


async def webhook_deliveries(
    session: AsyncSession, subscription_id: int, page: PageRequest
) -> tuple[list[WebhookDelivery], str | None]:
    """A page of a subscription's delivery attempts, oldest first."""
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    rows, next_cursor = await keyset_page(session, query, [WebhookDelivery.id], page)
    return [row[0] for row in rows], next_cursor
