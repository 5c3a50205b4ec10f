"""The idempotent consumer: each event applied exactly once in effect, poison parked aside.

Records arrive in per-partition batches. Each is decoded as a CloudEvent (undecodable ones go
straight to `<topic>.dlq`); then up to `batch_size` events are applied in one transaction, each
recorded as processed next to its effect, so a duplicate finds its record and changes nothing.
If anything in that transaction fails, it rolls back and its events are applied one by one,
each retried with backoff and, after `max_attempts`, parked in the dead-letter topic with error
headers while the consumer moves on. Offsets are committed after the effects, so a crash means
redelivery, which the processed-event records absorb.

A subscription's handler takes one event at a time, or — the fast path for any consumer that
sees many events — a batch handler takes all of a chunk's new events at once, so it can write
them with one statement per table and do per-enterprise work once per chunk.

Handlers must keep their effects inside the unit of work (rows and published events): a
rolled-back batch runs them again. An unreachable database is not the event's fault: it stops
the run without committing offsets (the app restarts it with backoff) instead of parking
healthy events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiokafka import (
    AIOKafkaConsumer,
    AIOKafkaProducer,
    ConsumerRebalanceListener,
    ConsumerRecord,
    TopicPartition,
)
from pydantic import ValidationError

from qgov_shared.db import is_infrastructure_failure
from qgov_shared.envelope import CloudEvent
from qgov_shared.kafka import dead_letter_topic
from qgov_shared.loops import unless_stopped
from qgov_shared.telemetry import consumer_span
from qgov_shared.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[CloudEvent, UnitOfWork], Awaitable[None]]
BatchHandler = Callable[[list[CloudEvent], UnitOfWork], Awaitable[None]]
"""Applies events in their order; they are new to the group and distinct."""


@dataclass(frozen=True)
class Subscription:
    """What a consumer group reads and how it applies events: `handler` one at a time, or
    `batch_handler` a chunk at a time (exactly one of the two)."""

    group_id: str
    handler: Handler | None = None
    topics: tuple[str, ...] = ()
    pattern: str | None = None
    batch_handler: BatchHandler | None = None

    def __post_init__(self) -> None:
        if (self.handler is None) == (self.batch_handler is None):
            raise ValueError(f"{self.group_id}: give either a handler or a batch handler")

    async def apply(self, events: list[CloudEvent], uow: UnitOfWork) -> None:
        if self.batch_handler is not None:
            await self.batch_handler(events, uow)
            return
        for event in events:
            await self.handler(event, uow)


@dataclass
class ConsumerStats:
    processed: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    lag: dict[TopicPartition, int] = field(default_factory=dict)

    @property
    def total_lag(self) -> int:
        return sum(self.lag.values())


class EventConsumer:
    def __init__(
        self,
        subscription: Subscription,
        consumer_factory: Callable[[str], AIOKafkaConsumer],
        producer_factory: Callable[[], AIOKafkaProducer],
        unit_of_work: Callable[[], UnitOfWork],
        *,
        max_attempts: int = 5,
        retry_backoff_s: float = 0.2,
        batch_size: int = 100,
    ) -> None:
        self.subscription = subscription
        self.stats = ConsumerStats()
        self.assigned = asyncio.Event()
        # The partitions the group gives this replica now; empty between rebalances.
        self.partitions: frozenset[TopicPartition] = frozenset()
        self._consumer_factory = consumer_factory
        self._producer_factory = producer_factory
        self._unit_of_work = unit_of_work
        self._max_attempts = max_attempts
        self._retry_backoff_s = retry_backoff_s
        self._batch_size = batch_size

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set. Each run uses fresh clients, so a failed run can be
        followed by another."""
        self._consumer = self._consumer_factory(self.subscription.group_id)
        self._producer = self._producer_factory()
        listener = _Assignment(self)
        if self.subscription.pattern:
            self._consumer.subscribe(pattern=self.subscription.pattern, listener=listener)
        else:
            self._consumer.subscribe(topics=list(self.subscription.topics), listener=listener)
        try:
            # Starting waits on the broker (the group's first assignment); a broker gone by then
            # would hold a stopping service forever.
            if not await unless_stopped(self._starting_clients(), stop):
                return
            while not stop.is_set():
                batches = await self._consumer.getmany(timeout_ms=200, max_records=500)
                if not batches:
                    continue
                # One chunk across partitions: each partition's records stay in their order.
                await self.process([record for records in batches.values() for record in records])
                for partition, records in batches.items():
                    self._record_lag(partition, next_offset=records[-1].offset + 1)
                await self._consumer.commit()
        finally:
            self.assigned.clear()
            self.partitions = frozenset()
            await self._consumer.stop()
            await self._producer.stop()

    async def _starting_clients(self) -> None:
        await self._producer.start()
        await self._consumer.start()

    async def process(self, records: list[ConsumerRecord]) -> None:
        """Apply records in their order (per partition, the only order Kafka keeps)."""
        decoded = await self._decoded(records)
        for start in range(0, len(decoded), self._batch_size):
            chunk = decoded[start : start + self._batch_size]
            if len(chunk) == 1 or not await self._apply_together(chunk):
                for record, event in chunk:
                    await self._apply_with_retries(record, event)

    async def _decoded(
        self, records: list[ConsumerRecord]
    ) -> list[tuple[ConsumerRecord, CloudEvent]]:
        """Each record with its CloudEvent; one that is none is dead-lettered (no coroutine per
        record: decoding is the whole of a well-formed record's work here)."""
        decoded = []
        for record in records:
            try:
                decoded.append((record, CloudEvent.from_json(record.value)))
            except (ValidationError, ValueError, TypeError) as error:
                await self._dead_letter(record, error, attempts=1)
        return decoded

    async def _apply_together(self, chunk: list[tuple[ConsumerRecord, CloudEvent]]) -> bool:
        """One transaction for the whole chunk; False (nothing applied) if any part failed."""
        try:
            async with self._unit_of_work() as uow:
                applied = await self._apply_in(uow, chunk)
                await uow.commit()
        except Exception:
            log.info(
                "a batch of %d failed; applying its events one by one", len(chunk), exc_info=True
            )
            return False
        self.stats.processed += applied
        self.stats.duplicates += len(chunk) - applied
        return True

    async def _apply_in(
        self, uow: UnitOfWork, chunk: list[tuple[ConsumerRecord, CloudEvent]]
    ) -> int:
        """Record and apply the chunk's new events in `uow`, in order; how many were new."""
        new = await uow.mark_processed(self.subscription.group_id, [e for _, e in chunk])
        fresh = []
        for record, event in chunk:
            if event.id in new:
                new.discard(event.id)  # the same event twice in one chunk applies once
                fresh.append((record, event))
        if fresh:
            with self._span(fresh):
                await self.subscription.apply([event for _, event in fresh], uow)
        return len(fresh)

    def _span(self, fresh: list[tuple[ConsumerRecord, CloudEvent]]):
        """One span for the work, continuing the first event's trace and linking the others'."""
        record, event = fresh[0]
        others = (_traceparent(other, e) for other, e in fresh[1:])  # read if it is recorded
        return consumer_span(
            record.topic, event.type, _traceparent(record, event), others, len(fresh)
        )

    async def _apply_with_retries(self, record: ConsumerRecord, event: CloudEvent) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await self._apply_once(record, event)
                return
            except Exception as error:
                if is_infrastructure_failure(error):
                    raise
                if attempt == self._max_attempts:
                    await self._dead_letter(record, error, attempts=attempt)
                    return
                log.warning(
                    "handler failed (attempt %d of %d)",
                    attempt,
                    self._max_attempts,
                    extra={"event_id": event.id, "event_type": event.type},
                    exc_info=True,
                )
                await asyncio.sleep(self._retry_backoff_s * 2 ** (attempt - 1))

    async def _apply_once(self, record: ConsumerRecord, event: CloudEvent) -> None:
        async with self._unit_of_work() as uow:
            applied = await self._apply_in(uow, [(record, event)])
            await uow.commit()
        self.stats.processed += applied
        self.stats.duplicates += 1 - applied

    async def _dead_letter(
        self, record: ConsumerRecord, error: BaseException, attempts: int
    ) -> None:
        headers = [
            *(record.headers or ()),
            ("qgov-error-type", type(error).__name__.encode()),
            ("qgov-error-message", str(error)[:1000].encode()),
            ("qgov-attempts", str(attempts).encode()),
            ("qgov-consumer", self.subscription.group_id.encode()),
            ("qgov-original-topic", record.topic.encode()),
            ("qgov-original-partition", str(record.partition).encode()),
            ("qgov-original-offset", str(record.offset).encode()),
        ]
        await self._producer.send_and_wait(
            dead_letter_topic(record.topic), value=record.value, key=record.key, headers=headers
        )
        self.stats.dead_lettered += 1
        log.error(
            "parked message %s:%d@%d in the dead-letter topic after %d attempt(s): %s",
            record.topic,
            record.partition,
            record.offset,
            attempts,
            type(error).__name__,
        )

    def _record_lag(self, partition: TopicPartition, next_offset: int) -> None:
        highwater = self._consumer.highwater(partition)
        if highwater is not None:
            self.stats.lag[partition] = max(highwater - next_offset, 0)


def _traceparent(record: ConsumerRecord, event: CloudEvent) -> str | None:
    return _header(record, "traceparent") or event.traceparent


def _header(record: ConsumerRecord, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return value.decode()
    return None


class _Assignment(ConsumerRebalanceListener):
    """Tells waiters when the group has handed this consumer its partitions."""

    def __init__(self, owner: EventConsumer) -> None:
        self._owner = owner

    async def on_partitions_revoked(self, revoked) -> None:
        for partition in revoked:
            self._owner.stats.lag.pop(partition, None)
        self._owner.partitions = self._owner.partitions - set(revoked)

    async def on_partitions_assigned(self, assigned) -> None:
        self._owner.partitions = self._owner.partitions | set(assigned)
        if assigned:
            self._owner.assigned.set()
