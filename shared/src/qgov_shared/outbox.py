"""The outbox relay: publishes committed outbox rows to Kafka, in order, at least once.

Each batch runs in one transaction holding a transaction-level advisory lock, so with two
replicas only one publishes at a time and per-key order survives. Rows are read in id order,
sent, and marked published only after the broker acknowledged all of them (acks=all); if the
broker is down the transaction rolls back, the rows wait in the table, and the relay retries
with capped exponential backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from qgov_shared.backbone import outbox_events
from qgov_shared.telemetry import producer_span

log = logging.getLogger(__name__)

# Any constant works: every service has a database of its own.
_RELAY_LOCK_ID = 0x7167_6F76  # "qgov"
_MAX_BACKOFF_S = 5.0
# A producer whose broker vanished can wait on its deliveries indefinitely; past this the batch
# is abandoned (rolled back, so its rows stay unpublished) and a fresh producer tries again.
_DELIVERY_TIMEOUT_S = 15.0


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        producer_factory: Callable[[], AIOKafkaProducer],
        *,
        batch_size: int = 500,
        poll_interval_s: float = 0.05,
    ) -> None:
        self._engine = engine
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s

    async def run(self, stop: asyncio.Event) -> None:
        backoff = self._poll_interval_s
        try:
            while not stop.is_set():
                try:
                    published = await self.publish_batch()
                    backoff = self._poll_interval_s
                except Exception:
                    log.warning("outbox relay failed; retrying in %.2fs", backoff, exc_info=True)
                    await self._drop_producer()
                    await _wait(stop, backoff)
                    backoff = min(backoff * 2, _MAX_BACKOFF_S)
                    continue
                if published < self._batch_size:
                    await _wait(stop, self._poll_interval_s)
        finally:
            await self._drop_producer()

    async def publish_batch(self) -> int:
        """Publish up to one batch; the number of rows published (0 if another relay holds it)."""
        async with self._engine.begin() as connection:
            if not await connection.scalar(select(func.pg_try_advisory_xact_lock(_RELAY_LOCK_ID))):
                return 0
            rows = await _unpublished(connection, self._batch_size)
            if not rows:
                return 0
            await self._send_all(rows)
            await connection.execute(
                update(outbox_events)
                .where(outbox_events.c.id.in_([row.id for row in rows]))
                .values(published_at=func.clock_timestamp())
            )
        return len(rows)

    async def _send_all(self, rows) -> None:
        producer = await self._started_producer()
        with producer_span(rows[0].topic, len(rows)):
            deliveries = [
                await producer.send(
                    row.topic,
                    value=row.payload.encode(),
                    key=row.partition_key.encode(),
                    headers=[(name, value.encode()) for name, value in row.headers.items()],
                )
                for row in rows
            ]
            await asyncio.wait_for(asyncio.gather(*deliveries), _DELIVERY_TIMEOUT_S)

    async def _started_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory()
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()


async def _unpublished(connection: AsyncConnection, limit: int):
    query = (
        select(outbox_events)
        .where(outbox_events.c.published_at.is_(None))
        .order_by(outbox_events.c.id)
        .limit(limit)
    )
    return (await connection.execute(query)).all()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
