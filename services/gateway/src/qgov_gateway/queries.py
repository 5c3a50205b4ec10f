"""The gateway's reads, all from its own tables, so they answer fast and keep answering while
the services that feed them are down: the unified view (an enterprise's profile, the
regulators' overview), the pages of the credit feed, how fresh each source is, and the
regulators' webhook subscriptions with their deliveries."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from pydantic import TypeAdapter
from sqlalchemy import BigInteger, ColumnElement, Integer, and_, bindparam, func, select, union_all
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway import domain, profile_documents
from qgov_gateway.feed import FeedFilter, widest_scopes
from qgov_gateway.models import (
    CreditChange,
    EnterpriseProfile,
    SourceWatermark,
    SubmissionView,
    WebhookDelivery,
    WebhookSubscription,
)
from qgov_gateway.projections import OVERVIEWS
from qgov_gateway.read_pool import ReadPool
from qgov_gateway.schemas import FeedItem, SourceFreshness
from qgov_shared.auth import Principal
from qgov_shared.errors import NotFound
from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_shared.region_scope import in_regions, in_regions_or_everywhere

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


# Both documents only when the caller may see the full one; the sources' freshness as it is now.
# Through the profile, so an enterprise nobody has mentioned is one statement too.
_FRESHNESS_NOW = """ARRAY(SELECT source FROM source_watermarks ORDER BY source) AS sources,
    ARRAY(SELECT last_event_time FROM source_watermarks ORDER BY source) AS source_times"""
_PUBLIC_PROFILE = f"""
SELECT document.credit_code IS NOT NULL AS stored, profile.region_code,
    document.public_view::text AS public_view, NULL AS full_view, {_FRESHNESS_NOW}
FROM enterprise_profiles AS profile LEFT JOIN profile_documents AS document USING (credit_code)
WHERE profile.credit_code = $1"""
_EITHER_PROFILE = f"""
SELECT document.credit_code IS NOT NULL AS stored, profile.region_code,
    document.public_view::text AS public_view, document.full_view::text AS full_view,
    {_FRESHNESS_NOW}
FROM enterprise_profiles AS profile LEFT JOIN profile_documents AS document USING (credit_code)
WHERE profile.credit_code = $1"""
_FRESHNESS_JSON = TypeAdapter(list[SourceFreshness])


async def profile(connection: asyncpg.Connection, credit_code: str, principal: Principal) -> bytes:
    """The profile `principal` may see, as the body of the answer: its stored document, with
    the sources' freshness added as it stands."""
    may_see_full = domain.may_see_full_profile(principal, credit_code)
    row = await connection.fetchrow(
        _EITHER_PROFILE if may_see_full else _PUBLIC_PROFILE, credit_code
    )
    if row is None:
        raise EnterpriseNotFound()
    full = may_see_full and domain.sees_full_profile(principal, credit_code, row["region_code"])
    view = "full_view" if full else "public_view"
    document = row[view] if row["stored"] else await _unstored(connection, credit_code, view)
    freshness = [
        SourceFreshness(source=source, last_event_time=time)
        for source, time in zip(row["sources"], row["source_times"], strict=True)
    ]
    return b"".join(
        (document[:-1].encode(), b', "sources": ', _FRESHNESS_JSON.dump_json(freshness), b"}")
    )


async def _unstored(connection: asyncpg.Connection, credit_code: str, view: str) -> str:
    """A document not stored yet (from before documents were, until
    `profile_documents.rebuild_stale` has run), built as it would be."""
    built = await profile_documents.build(connection, [credit_code])
    return getattr(built[credit_code], view)


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
        **{part.name: await part.read(session, scopes, now) for part in OVERVIEWS},
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
    connection: asyncpg.Connection, feed_filter: FeedFilter, after: int, limit: int
) -> list[FeedItem]:
    """Up to `limit` changes after `after`, oldest first. Each region is its own index range,
    read in cursor order and merged, so a page never sorts the whole region."""
    sql, order, fixed = _feed_statement(widest_scopes(feed_filter.regions), feed_filter.grades)
    values = {**fixed, "after": after, "limit": limit}
    rows = await connection.fetch(sql, *(values[name] for name in order))
    return [FeedItem.model_validate({**row, "cursor": str(row["cursor"])}) for row in rows]


@functools.lru_cache(maxsize=1024)
def _feed_statement(
    scopes: tuple[str, ...], grades: tuple[str, ...]
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The page's statement for one filter, compiled once for asyncpg: its SQL, the order of
    its parameters, and the values of those the filter fixes."""
    changes = CreditChange.__table__
    # Values given for the compiler only: each page binds its own.
    after = bindparam("after", 0, type_=BigInteger)
    limit = bindparam("limit", 0, type_=Integer)
    parts = []
    for scope in scopes or (None,):
        part = select(changes.c.cursor).where(changes.c.cursor > after)
        if scope is not None:
            part = part.where(in_regions(changes.c.region_code, [scope]))
        if grades:
            part = part.where(changes.c.grade.in_(grades))
        parts.append(part.order_by(changes.c.cursor).limit(limit))
    cursors = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    # `cursor > after` again outside: without it a generic (cached) plan may walk the primary
    # key from the start to join the page's cursors, and grow slower with depth.
    query = (
        select(changes)
        .where(changes.c.cursor > after, changes.c.cursor.in_(select(cursors.c.cursor)))
        .order_by(changes.c.cursor)
        .limit(limit)
    )
    compiled = query.compile(dialect=_ASYNCPG, compile_kwargs={"render_postcompile": True})
    return str(compiled), tuple(compiled.positiontup or ()), dict(compiled.params)


_ASYNCPG = asyncpg_dialect()


def feed_reader(
    read_pool: ReadPool, feed_filter: FeedFilter
) -> Callable[[int], Awaitable[list[FeedItem]]]:
    """What a feed stream reads: the next changes after a cursor, each time on a connection
    taken for it, so a long-lived stream holds none while it waits."""

    async def read_after(after: int) -> list[FeedItem]:
        async with read_pool.connection() as connection:
            return await feed_page(connection, feed_filter, after, FEED_STREAM_BATCH)

    return read_after


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
