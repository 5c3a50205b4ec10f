"""The idempotent consumer: each event applied exactly once in effect, poison parked aside.

For every message: decode the CloudEvent, then in one transaction record it as processed and run
the handler; a duplicate finds its record and changes nothing. A failing handler is retried with
backoff; after `max_attempts` the message goes to `<topic>.dlq` with error headers and the
consumer moves on. Offsets are committed after the effects, so a crash means redelivery, which
the processed-event record absorbs.
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

from qgov_shared.envelope import CloudEvent
from qgov_shared.kafka import dead_letter_topic
from qgov_shared.telemetry import consumer_span
from qgov_shared.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[CloudEvent, UnitOfWork], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """What a consumer group reads and how it applies each event."""

    group_id: str
    handler: Handler
    topics: tuple[str, ...] = ()
    pattern: str | None = None


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
    ) -> None:
        self.subscription = subscription
        self.stats = ConsumerStats()
        self.assigned = asyncio.Event()
        self._consumer_factory = consumer_factory
        self._producer_factory = producer_factory
        self._unit_of_work = unit_of_work
        self._max_attempts = max_attempts
        self._retry_backoff_s = retry_backoff_s

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
            await self._producer.start()
            await self._consumer.start()
            while not stop.is_set():
                batches = await self._consumer.getmany(timeout_ms=200, max_records=500)
                for partition, records in batches.items():
                    for record in records:
                        await self.process(record)
                    self._record_lag(partition, next_offset=records[-1].offset + 1)
                if batches:
                    await self._consumer.commit()
        finally:
            self.assigned.clear()
            await self._consumer.stop()
            await self._producer.stop()

    async def process(self, record: ConsumerRecord) -> None:
        try:
            event = CloudEvent.from_json(record.value)
        except (ValidationError, ValueError, TypeError) as error:
            await self._dead_letter(record, error, attempts=1)
            return
        traceparent = _header(record, "traceparent") or event.traceparent
        with consumer_span(record.topic, event.type, traceparent):
            await self._apply_with_retries(record, event)

    async def _apply_with_retries(self, record: ConsumerRecord, event: CloudEvent) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await self._apply_once(event)
                return
            except Exception as error:
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

    async def _apply_once(self, event: CloudEvent) -> None:
        async with self._unit_of_work() as uow:
            if not await uow.mark_processed(self.subscription.group_id, event):
                self.stats.duplicates += 1
                return
            await self.subscription.handler(event, uow)
            await uow.commit()
        self.stats.processed += 1

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

    async def on_partitions_assigned(self, assigned) -> None:
        if assigned:
            self._owner.assigned.set()
