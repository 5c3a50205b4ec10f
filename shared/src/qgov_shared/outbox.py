"""The outbox relay: publishes committed outbox rows to Kafka, in order, at least once.

The relay that holds a session-level advisory lock on its connection is the one that publishes,
so with two replicas only one does and per-key order survives; the lock goes with the
connection, and another relay takes over at its next wake. Rows are read in id order, sent, and
marked published only after the broker acknowledged all of them (acks=all); if the broker is
down nothing is marked, the rows wait in the table, and the relay retries with capped
exponential backoff. A batch needs no transaction of its own: two statements, each its own.

The relay works on one connection of its own, outside the service's pool: it takes no
request's turn, and it can run on an event loop of its own (`qgov_shared.loops`), where a busy
request loop does not delay publishing.

The relay wakes when a writing transaction commits: inserts into the outbox NOTIFY on
`OUTBOX_CHANNEL` (a trigger, so the notice is part of the writer's transaction), and the relay
LISTENs on its connection. Polling every `poll_interval_s` stays as the fallback for
a notice missed while that connection was being re-opened, or where LISTEN is unavailable.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable

import asyncpg
from aiokafka import AIOKafkaProducer

from qgov_shared.settings import ServiceSettings, libpq_dsn
from qgov_shared.telemetry import producer_span

log = logging.getLogger(__name__)

OUTBOX_TABLE = "outbox_events"
"""The table the relay reads (`backbone.outbox_events`, named here so the relay's process need
not load SQLAlchemy)."""
OUTBOX_CHANNEL = "qgov_outbox"
"""The channel an insert into the outbox notifies on commit (migration backbone_0002)."""

# Any constant works: every service has a database of its own.
RELAY_LOCK_ID = 0x7167_6F76  # "qgov"
RELAY_APPLICATION_NAME = "qgov-outbox-relay"
"""How the relay's connection shows in `pg_stat_activity`."""
_FIRST_BACKOFF_S = 0.05
_MAX_BACKOFF_S = 5.0
# A producer whose broker vanished can wait on its deliveries indefinitely; past this the batch
# is abandoned (never marked, so its rows stay unpublished) and a fresh producer tries again.
_DELIVERY_TIMEOUT_S = 15.0
# Plain asyncpg statements: SQLAlchemy's per-row Row objects and expanding IN (...) were a
# good share of a batch's CPU. Under load each round trip also waits for the interpreter behind
# the service's requests, so a batch has two: a transaction around them (BEGIN, COMMIT) only
# held a lock that the connection now holds for as long as it lives.
LEAD = "SELECT pg_try_advisory_lock($1)"
UNPUBLISHED = f"""
    SELECT id, topic, partition_key, payload, headers FROM {OUTBOX_TABLE}
    WHERE published_at IS NULL ORDER BY id LIMIT $1"""
MARK_PUBLISHED = f"""
    UPDATE {OUTBOX_TABLE} SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])"""


class OutboxRelay:
    def __init__(
        self,
        database_url: str,
        producer_factory: Callable[[], AIOKafkaProducer],
        *,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        linger_s: float = 0.0,
    ) -> None:
        self._connection = _RelayConnection(database_url)
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._linger_s = linger_s

    @classmethod
    def from_settings(
        cls, settings: ServiceSettings, producer_factory: Callable[[], AIOKafkaProducer]
    ) -> OutboxRelay:
        return cls(
            settings.service_database_url,
            producer_factory,
            batch_size=settings.outbox_batch_size,
            poll_interval_s=settings.outbox_poll_interval_s,
            linger_s=settings.outbox_linger_s,
        )

    async def run(self, stop: asyncio.Event) -> None:
        try:
            await self._relay(stop)
        finally:
            await self._drop_producer()
            await self._connection.close()

    async def _relay(self, stop: asyncio.Event) -> None:
        backoff = _FIRST_BACKOFF_S
        while not stop.is_set():
            await self._connection.listen()
            self._connection.clear()
            try:
                published = await self.publish_batch()
            except Exception:
                log.warning("outbox relay failed; retrying in %.2fs", backoff, exc_info=True)
                await self._drop_producer()
                await self._connection.close()  # a connection cut mid-batch is of no more use
                await _wait(stop, backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_S)
                continue
            backoff = _FIRST_BACKOFF_S
            if published < self._batch_size:
                await self._next_commit(stop)

    async def _next_commit(self, stop: asyncio.Event) -> None:
        """Wait for a commit's notice (or the poll interval). On a loop of its own the relay
        wakes at every commit: when commits come closer together than the linger, a moment's
        wait lets the burst go out as one batch instead of a batch each (bench/README). A
        commit after a quiet spell goes out at once."""
        loop = asyncio.get_running_loop()
        waited_from = loop.time()
        await self._connection.wait(stop, self._poll_interval_s)
        if loop.time() - waited_from < self._linger_s:
            await _wait(stop, self._linger_s)

    async def publish_batch(self) -> int:
        """Publish up to one batch; the number of rows published (0 if another relay holds it)."""
        connection = await self._connection.opened()
        if not await self._connection.leads():
            return 0
        rows = await connection.fetch(UNPUBLISHED, self._batch_size)
        if not rows:
            return 0
        await self._send_all(rows)
        await connection.execute(MARK_PUBLISHED, [row["id"] for row in rows])
        return len(rows)

    async def _send_all(self, rows) -> None:
        producer = await self._started_producer()
        with producer_span(rows[0]["topic"], len(rows)):
            deliveries = [
                await producer.send(
                    row["topic"],
                    value=row["payload"].encode(),
                    key=row["partition_key"].encode(),
                    headers=_kafka_headers(row["headers"]),
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


def _kafka_headers(stored: str) -> list[tuple[str, bytes]]:
    """The row's headers column (jsonb, which plain asyncpg hands over as text)."""
    return [(name, value.encode()) for name, value in json.loads(stored).items()]


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class _RelayConnection:
    """The relay's connection: its batches run on it, it holds the relay's lock, and it LISTENs
    for the outbox's commit notices. Re-opened when it drops; while it cannot listen, `wait`
    just sleeps (the relay then polls)."""

    def __init__(self, database_url: str) -> None:
        self._dsn = libpq_dsn(database_url)
        self._connection: asyncpg.Connection | None = None
        self._listening = False
        self._leading = False
        self._notified = asyncio.Event()

    async def opened(self) -> asyncpg.Connection:
        if self._connection is None or self._connection.is_closed():
            await self.close()
            self._connection = await asyncpg.connect(
                self._dsn, server_settings={"application_name": RELAY_APPLICATION_NAME}
            )
        return self._connection

    async def leads(self) -> bool:
        """Whether this connection holds the relay's lock, trying for it once if not (a
        session-level lock is taken again at every try, so a holder does not ask twice)."""
        if not self._leading:
            connection = await self.opened()
            self._leading = await connection.fetchval(LEAD, RELAY_LOCK_ID)
        return self._leading

    async def listen(self) -> None:
        """Make sure the connection is listening; a failure only means polling for now."""
        if self._listening and not self._connection.is_closed():
            return
        try:
            connection = await self.opened()
            await connection.add_listener(OUTBOX_CHANNEL, self._on_notice)
            # A dropped connection wakes the relay too, to listen again at once.
            connection.add_termination_listener(self._on_notice)
            self._listening = True
        except Exception:
            log.warning("cannot listen for outbox commits; polling", exc_info=True)
            await self.close()
        # Rows committed before the listener existed were never announced to it.
        self._notified.set()

    def clear(self) -> None:
        self._notified.clear()

    async def wait(self, stop: asyncio.Event, seconds: float) -> None:
        """Until a commit is announced, `stop` is set, or `seconds` pass."""
        waiters = [asyncio.ensure_future(self._notified.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    def _on_notice(self, *_: object) -> None:
        self._notified.set()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        self._listening = self._leading = False
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close(timeout=5)
