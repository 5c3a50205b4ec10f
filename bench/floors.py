"""The floors under the backbone's drains: what the durable work alone costs on this stack.

A drain's baseline (raw produce, raw consume) does no database work at all, so its ratio mixes
two costs: the work any exactly-once relay or consumer must do, and what QGov's layers add on
top. The floors measure the first, with the clients and statements alone:

    relay floor     the relay's two statements over N committed rows in batches of its size
                    (the SELECT, the UPDATE marking them published), without sending;
                    combined with the raw produce rate of the same run, as a relay that waits
                    for a batch's acks before it marks the batch must do them one after the other
    consumer floor  a raw aiokafka group consumer (QGov's settings, getmany) that, per chunk
                    of the consumer's batch size, parses each event's JSON and, in one asyncpg
                    transaction, records the chunk's ids as processed (QGov's statement) and
                    inserts their receipts, then commits the offsets
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.common import PartitionsAssigned
from qgov_shared.kafka import new_consumer
from qgov_shared.outbox import LEAD, MARK_PUBLISHED, RELAY_LOCK_ID, UNPUBLISHED
from qgov_shared.settings import ServiceSettings
from qgov_shared.uow import MARK_PROCESSED

now = time.perf_counter

_RECEIPTS = "INSERT INTO ping_receipts (event_id, credit_code, ping_id) VALUES ($1, $2, $3)"
_FLOOR_GROUP = "bench.floor"


def _dsn(settings: ServiceSettings) -> str:
    url = make_url(settings.service_database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def relay_statements(settings: ServiceSettings, rows: int) -> float:
    """Rows per second through the relay's statements alone, on a connection holding its lock."""
    connection = await asyncpg.connect(_dsn(settings))
    try:
        if not await connection.fetchval(LEAD, RELAY_LOCK_ID):
            raise RuntimeError("the relay floor's connection could not take the relay's lock")
        started, marked = now(), 0
        while marked < rows:
            batch = await connection.fetch(UNPUBLISHED, settings.outbox_batch_size)
            for row in batch:  # what the relay reads of each row before it sends it
                row["payload"].encode(), json.loads(row["headers"])
            await connection.execute(MARK_PUBLISHED, [row["id"] for row in batch])
            if not batch:
                raise RuntimeError("the relay floor found no rows with rows still waiting")
            marked += len(batch)
        return marked / (now() - started)
    finally:
        await connection.close()


def relay_floor(produce_rate: float, statements_rate: float) -> float:
    """Sending a batch, then marking it: each event costs its send plus its statements."""
    return 1 / (1 / produce_rate + 1 / statements_rate)


async def consumer_floor(settings: ServiceSettings, topic: str, events: int) -> float:
    """Events per second applied exactly once by the bare clients, from assignment on."""
    connection = await asyncpg.connect(_dsn(settings))
    consumer = new_consumer(settings, settings.kafka_topic_prefix + _FLOOR_GROUP)
    listener = PartitionsAssigned()
    consumer.subscribe(topics=[topic], listener=listener)
    await consumer.start()
    try:
        await asyncio.wait_for(listener.event.wait(), 30)
        started, applied = now(), 0
        while applied < events:
            batches = await consumer.getmany(timeout_ms=200, max_records=500)
            parsed = [json.loads(r.value) for records in batches.values() for r in records]
            size = settings.consumer_batch_size
            for first in range(0, len(parsed), size):
                applied += await _apply(connection, parsed[first : first + size])
            if batches:
                await consumer.commit()
        return applied / (now() - started)
    finally:
        await consumer.stop()
        await connection.close()


async def _apply(connection: asyncpg.Connection, events: list[dict[str, Any]]) -> int:
    async with connection.transaction():
        new = {
            row[0]
            for row in await connection.fetch(
                MARK_PROCESSED, _FLOOR_GROUP, [e["id"] for e in events], [e["type"] for e in events]
            )
        }
        await connection.executemany(
            _RECEIPTS,
            [
                (e["id"], e["data"]["credit_code"], e["data"]["ping_id"])
                for e in events
                if e["id"] in new
            ],
        )
    return len(new)
