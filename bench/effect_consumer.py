"""(e)'s consumer in a process of its own, as the consuming service is in production.

`bench.backbone` (e) writes pings in its process, whose relay publishes them; this process is
the service on the other side: an `EventConsumer` applying the demo's `apply_pings`, noting when
each ping's effect committed. In one process with the writers it waited for the interpreter
behind them at every await, a cost no deployment has, since a consumer is another service.

    python -m bench.effect_consumer TOPIC OUT_JSON   (settings as JSON in BENCH_SETTINGS)

Prints `assigned` once the group gave it its partitions. On SIGTERM it stops, writes
{ping id: wall-clock time its effect committed} to OUT_JSON and exits.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import uvloop

from qgov_demo.handlers import apply_pings
from qgov_demo.main import RECEIPTS_GROUP, DemoSettings
from qgov_shared.consumer import EventConsumer, Subscription
from qgov_shared.db import create_engine, create_session_factory
from qgov_shared.envelope import CloudEvent
from qgov_shared.heap import freeze_startup_heap
from qgov_shared.kafka import new_consumer, new_producer
from qgov_shared.uow import UnitOfWork

SETTINGS_VARIABLE = "BENCH_SETTINGS"
ASSIGNED = "assigned"
_POOL_SIZE = 2  # as a service's background engine


def event_consumer(settings, topic, batch_handler, units) -> EventConsumer:
    """The demo's receipts consumer on `topic`, built as the demo service builds it."""
    group = settings.kafka_topic_prefix + RECEIPTS_GROUP
    return EventConsumer(
        Subscription(group, topics=(topic,), batch_handler=batch_handler),
        lambda group_id: new_consumer(settings, group_id),
        lambda: new_producer(settings),
        units,
        max_attempts=settings.consumer_max_attempts,
        retry_backoff_s=settings.consumer_retry_backoff_s,
    )


class EffectClock(UnitOfWork):
    """A unit of work that notes when the pings its handler applied became durable."""

    def __init__(self, *args: Any, effects: dict[int, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.applied: list[int] = []
        self._effects = effects

    async def commit(self) -> None:
        await super().commit()
        committed_at = time.time()  # wall clock: the writers' times come from another process
        for ping_id in self.applied:
            self._effects[ping_id] = committed_at


async def apply_pings_timed(events: list[CloudEvent], uow: UnitOfWork) -> None:
    await apply_pings(events, uow)
    if isinstance(uow, EffectClock):
        uow.applied.extend(event.data["ping_id"] for event in events)


async def consume(settings: DemoSettings, topic: str) -> dict[int, float]:
    effects: dict[int, float] = {}
    engine = create_engine(settings, pool_size=_POOL_SIZE)
    sessions = create_session_factory(engine)
    prefix = settings.kafka_topic_prefix
    consumer = event_consumer(
        settings,
        topic,
        apply_pings_timed,
        lambda: EffectClock(sessions, topic_prefix=prefix, effects=effects),
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    freeze_startup_heap()  # as a service's lifespan does once it is built
    running = asyncio.create_task(consumer.run(stop))
    try:
        await asyncio.wait(
            {running, asyncio.create_task(consumer.assigned.wait())},
            return_when=asyncio.FIRST_COMPLETED,
        )
        if running.done():
            running.result()  # it failed before it was assigned: say why
        print(ASSIGNED, flush=True)
        await running
    finally:
        await engine.dispose()
    return effects


def main() -> None:
    topic, out = sys.argv[1], Path(sys.argv[2])
    settings = DemoSettings.model_validate(json.loads(os.environ[SETTINGS_VARIABLE]))
    out.write_text(json.dumps(uvloop.run(consume(settings, topic))))


if __name__ == "__main__":
    main()
