"""The faults, one at a time, each as production meets it, and how long each lasts.

`make test` runs the short plan; `make soak` (QGOV_SOAK=1) the long one, minutes per fault.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from .platform import Platform


@dataclass(frozen=True)
class Plan:
    warm_up_s: float  # load before the fault
    fault_s: float  # how long the part stays out of reach
    cool_down_s: float  # load after it is back
    patience_s: float  # how long a client retries one request, and the ledger waits


SHORT = Plan(warm_up_s=2, fault_s=5, cool_down_s=2, patience_s=60)
SOAK = Plan(warm_up_s=60, fault_s=60, cool_down_s=60, patience_s=240)
PLAN = SOAK if os.environ.get("QGOV_SOAK") else SHORT

Fault = Callable[[Platform, Plan], Awaitable[str]]
"""Injects itself, waits out its plan, heals; says what it did."""


async def broker_unreachable(platform: Platform, plan: Plan) -> str:
    await platform.proxy.cut()
    await asyncio.sleep(plan.fault_s)
    await platform.proxy.restore()
    return f"every connection to the broker dropped and refused for {plan.fault_s:.0f}s"


async def postgres_restarted(platform: Platform, plan: Plan) -> str:
    await asyncio.to_thread(platform.postgres.restart, plan.fault_s)
    return f"PostgreSQL stopped (fast: every connection cut), down {plan.fault_s:.0f}s, started"


async def consumer_killed(platform: Platform, plan: Plan) -> str:
    """Credit consumes the complaints' and standards' events the load causes, and is killed
    while they flow to it: whatever it held uncommitted must be applied once after its restart."""
    platform.processes["credit"].kill()
    await asyncio.sleep(plan.fault_s)
    await platform.restart("credit")
    return f"credit SIGKILLed while consuming, restarted after {plan.fault_s:.0f}s"


async def service_killed(platform: Platform, plan: Plan) -> str:
    """The gateway meanwhile answers 503 for complaints' routes, and serves the rest."""
    platform.processes["complaints"].kill()
    await asyncio.sleep(plan.fault_s)
    await platform.restart("complaints")
    return f"complaints SIGKILLed behind the gateway, restarted after {plan.fault_s:.0f}s"


async def duplicates_redelivered(platform: Platform, plan: Plan) -> str:
    """Every event published so far on complaints' and standards' topics, sent again as a
    producer retry or a consumer rewind would deliver it: same key, value and headers."""
    await asyncio.sleep(plan.fault_s)
    topics = [platform.topic("complaints"), platform.topic("standards")]
    replayed = await replay(platform, topics)
    return f"{replayed} events of {', '.join(topics)} delivered a second time"


async def replay(platform: Platform, topics: list[str]) -> int:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=platform.direct_bootstrap, enable_auto_commit=False
    )
    producer = AIOKafkaProducer(bootstrap_servers=platform.direct_bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in consumer.partitions_for_topic(topic) or ()
        ]
        ends = await consumer.end_offsets(partitions)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        replayed, behind = 0, [tp for tp, end in ends.items() if end > 0]
        while behind:
            batches = await consumer.getmany(timeout_ms=1000)
            for tp, records in batches.items():
                for record in records:
                    if record.offset < ends[tp]:
                        await producer.send(
                            tp.topic,
                            record.value,
                            key=record.key,
                            partition=tp.partition,
                            headers=list(record.headers),
                        )
                        replayed += 1
            behind = [tp for tp in behind if await consumer.position(tp) < ends[tp]]
        await producer.flush()
        return replayed
    finally:
        await producer.stop()
        await consumer.stop()


FAULTS: dict[str, Fault] = {
    "broker unreachable": broker_unreachable,
    "PostgreSQL restarted": postgres_restarted,
    "consumer SIGKILLed": consumer_killed,
    "service killed behind the gateway": service_killed,
    "duplicates redelivered": duplicates_redelivered,
}
