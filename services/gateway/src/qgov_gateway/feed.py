"""The regulators' credit feed: every credit change in one total order, read by cursor, in
pages (`queries.feed_page`) or as Server-Sent Events (`event_stream`).

A cursor is an entry's position in `credit_changes`; entries commit in cursor order (see
`handlers.grade_changed`), so reading "after the last cursor I saw" skips and repeats nothing,
and a page costs the same at any depth.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from qgov_gateway.schemas import FeedItem
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


@dataclass(frozen=True)
class StreamTiming:
    poll_interval_s: float
    heartbeat_s: float
    max_duration_s: float


async def event_stream(
    read_after: Callable[[int], Awaitable[list[FeedItem]]],
    after: int,
    timing: StreamTiming,
    stop: asyncio.Event,
) -> AsyncIterator[str]:
    """The feed as Server-Sent Events from `after` on, read by `read_after` (the changes after
    a cursor, as `queries.feed_reader` makes it). The stream ends after
    `max_duration_s`, when access tokens have expired anyway; the client reconnects with
    `Last-Event-ID` and a fresh token and loses nothing."""
    ends_at = time.monotonic() + timing.max_duration_s
    quiet_since = time.monotonic()
    yield "retry: 2000\n\n"
    while not stop.is_set() and time.monotonic() < ends_at:
        items = await read_after(after)
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
