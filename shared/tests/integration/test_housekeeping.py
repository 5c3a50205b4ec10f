"""Backbone rows are purged once past their retention, and not a moment before; two replicas
purging at once purge each row once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.backbone import idempotency_keys, outbox_events, processed_events
from qgov_shared.housekeeping import Retention, purge_expired
from qgov_shared.testing.stack import TestStack, run_replica, run_service

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
RETENTION = Retention(
    published_outbox=timedelta(days=7),
    processed_events=timedelta(days=30),
    idempotency_keys=timedelta(hours=24),
)


def _outbox_row(event_id: str, published_at: datetime | None) -> dict:
    return {
        "event_id": event_id,
        "topic": "qgov.demo",
        "partition_key": "k",
        "event_type": "qgov.demo.ping.recorded.v1",
        "payload": "{}",
        "published_at": published_at,
    }


async def test_only_rows_past_their_retention_are_purged(stack: TestStack) -> None:
    settings = {"run_outbox_relay": False, "run_consumers": False}
    async with run_service(stack, SERVICE, create_app, DemoSettings, **settings) as demo:
        engine = demo.runtime.engine
        async with engine.begin() as connection:
            await connection.execute(
                insert(outbox_events),
                [
                    _outbox_row("old-published", NOW - timedelta(days=8)),
                    _outbox_row("recent-published", NOW - timedelta(days=6)),
                    _outbox_row("never-published", None),
                ],
            )
            await connection.execute(
                insert(processed_events),
                [
                    {
                        "consumer": "g",
                        "event_id": "old",
                        "event_type": "t",
                        "processed_at": NOW - timedelta(days=31),
                    },
                    {
                        "consumer": "g",
                        "event_id": "recent",
                        "event_type": "t",
                        "processed_at": NOW - timedelta(days=29),
                    },
                ],
            )
            await connection.execute(
                insert(idempotency_keys),
                [
                    {
                        "scope": "s",
                        "key": "old",
                        "request_hash": "h",
                        "created_at": NOW - timedelta(hours=25),
                    },
                    {
                        "scope": "s",
                        "key": "recent",
                        "request_hash": "h",
                        "created_at": NOW - timedelta(hours=23),
                    },
                ],
            )

        purged = await purge_expired(engine, RETENTION, now=NOW)

        async with engine.connect() as connection:
            outbox = set(await connection.scalars(select(outbox_events.c.event_id)))
            processed = set(await connection.scalars(select(processed_events.c.event_id)))
            keys = set(await connection.scalars(select(idempotency_keys.c.key)))
            assert await connection.scalar(select(func.count()).select_from(outbox_events)) == 2

    assert purged == {"outbox_events": 1, "processed_events": 1, "idempotency_keys": 1}
    assert outbox == {"recent-published", "never-published"}
    assert processed == {"recent"}
    assert keys == {"recent"}


async def test_without_a_given_instant_ages_count_on_the_databases_clock(
    stack: TestStack,
) -> None:
    """The rows are stamped by PostgreSQL's now(), so that is the clock their age is read on,
    whatever the service's own (injected) clock says."""
    settings = {"run_outbox_relay": False, "run_consumers": False}
    async with run_service(stack, SERVICE, create_app, DemoSettings, **settings) as demo:
        engine = demo.runtime.engine
        async with engine.begin() as connection:
            for key, age in (("old", timedelta(hours=25)), ("recent", timedelta(hours=23))):
                await connection.execute(
                    insert(idempotency_keys).values(
                        scope="s", key=key, request_hash="h", created_at=func.now() - age
                    )
                )

        purged = await purge_expired(engine, RETENTION)

        async with engine.connect() as connection:
            keys = set(await connection.scalars(select(idempotency_keys.c.key)))

    assert purged["idempotency_keys"] == 1
    assert keys == {"recent"}


async def test_two_replicas_purging_at_once_purge_each_row_once(stack: TestStack) -> None:
    settings = {"run_outbox_relay": False, "run_consumers": False}
    async with run_service(stack, SERVICE, create_app, DemoSettings, **settings) as demo:
        old = NOW - timedelta(days=8)
        async with demo.runtime.engine.begin() as connection:
            await connection.execute(
                insert(outbox_events), [_outbox_row(f"old-{n}", old) for n in range(300)]
            )
        async with run_replica(demo, create_app) as pod:
            purged = await asyncio.gather(
                *(purge_expired(s.runtime.engine, RETENTION, now=NOW) for s in (demo, pod) * 2)
            )
        async with demo.runtime.engine.connect() as connection:
            left = await connection.scalar(select(func.count()).select_from(outbox_events))

    assert sum(p["outbox_events"] for p in purged) == 300
    assert left == 0
