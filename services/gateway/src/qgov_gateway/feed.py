"""The regulators' credit feed: every credit change in one total order, read by cursor.

A cursor is an entry's position in `credit_changes`; entries commit in cursor order (see
`handlers.grade_changed`), so reading "after the last cursor I saw" skips and repeats nothing,
and a page costs the same at any depth.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway.models import CreditChange
from qgov_gateway.schemas import FeedItem
from qgov_gateway.views import in_regions
from qgov_shared.db import SessionFactory
from qgov_shared.uscc import region_covers


@dataclass(frozen=True)
class FeedFilter:
    """Which changes a reader gets: those in `regions` (all when empty) with one of `grades`
    (any when empty)."""

    regions: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()


def widest_scopes(scopes: Sequence[str]) -> tuple[str, ...]:
    """The scopes no other one covers (440200 adds nothing to 440000), so one change is never
    read twice."""
    unique = sorted(set(scopes))
    return tuple(
        scope
        for scope in unique
        if not any(other != scope and region_covers(other, scope) for other in unique)
    )


async def read_page(
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
    return [feed_item(change) for change in await session.scalars(query)]


def feed_item(change: CreditChange) -> FeedItem:
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


@dataclass(frozen=True)
class StreamTiming:
    poll_interval_s: float
    heartbeat_s: float
    max_duration_s: float


async def event_stream(
    session_factory: SessionFactory,
    feed_filter: FeedFilter,
    after: int,
    timing: StreamTiming,
    stop: asyncio.Event,
) -> AsyncIterator[str]:
    """The feed as Server-Sent Events from `after` on. The stream ends after
    `max_duration_s`, when access tokens have expired anyway; the client reconnects with
    `Last-Event-ID` and a fresh token and loses nothing."""
    ends_at = time.monotonic() + timing.max_duration_s
    quiet_since = time.monotonic()
    yield "retry: 2000\n\n"
    while not stop.is_set() and time.monotonic() < ends_at:
        async with session_factory() as session:
            items = await read_page(session, feed_filter, after, limit=500)
        for item in items:
            yield server_sent_event(item)
            after = int(item.cursor)
        if items:
            quiet_since = time.monotonic()
            continue
        if time.monotonic() - quiet_since >= timing.heartbeat_s:
            yield ": keep-alive\n\n"  # a comment: keeps proxies from closing an idle stream
            quiet_since = time.monotonic()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timing.poll_interval_s)


def server_sent_event(item: FeedItem) -> str:
    return f"id: {item.cursor}\nevent: credit.changed\ndata: {item.model_dump_json()}\n\n"
