"""An event committed through the outbox reaches its consumer exactly once in effect,
duplicates change nothing, order per key holds, one relay publishes at a time, and a rolled-back
transaction publishes nothing."""

from __future__ import annotations

import asyncio

import pytest

from qgov_demo import SERVICE, handlers
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.consumer import Subscription
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for

from .conftest import (
    ENTERPRISES,
    outbox_count,
    produce_raw,
    read_one,
    receipts,
    record_ping,
    unpublished_count,
)


async def test_committed_event_is_applied_exactly_once(demo: RunningService) -> None:
    ping_id = await record_ping(demo, ENTERPRISES[0])

    await wait_for(lambda: _applied(demo, [ping_id]), what="the ping's receipt")
    consumer = demo.runtime.consumers[0]
    await wait_for(lambda: _lag_is_zero(consumer), what="the consumer to catch up")

    assert await receipts(demo) == [ping_id]
    assert consumer.stats.processed == 1

    # The relay marks the row published once the broker acknowledges it, which may come after
    # the consumer, reading the broker, has applied the event.
    async def nothing_unpublished() -> bool:
        return await unpublished_count(demo) == 0

    await wait_for(nothing_unpublished, what="the relay to mark the event published")
    metrics = (await demo.client.get("/metrics")).text
    group = f'group="{consumer.subscription.group_id}"'
    assert f'qgov_consumer_processed_total{{service="demo",{group}}} 1' in metrics
    assert f'qgov_consumer_lag{{service="demo",{group}}} 0' in metrics
    assert 'qgov_outbox_unpublished{service="demo"} 0' in metrics


async def test_redelivered_duplicate_changes_nothing(demo: RunningService) -> None:
    ping_id = await record_ping(demo, ENTERPRISES[0])
    await wait_for(lambda: _applied(demo, [ping_id]), what="the first delivery")

    published = await read_one(demo, "qgov.demo")
    await produce_raw(demo, "qgov.demo", value=published.value, key=published.key)
    later_id = await record_ping(demo, ENTERPRISES[0])
    await wait_for(lambda: _applied(demo, [ping_id, later_id]), what="the later ping")

    assert await receipts(demo) == [ping_id, later_id]
    assert demo.runtime.consumers[0].stats.duplicates == 1


async def test_order_per_enterprise_holds_with_concurrent_writers_and_two_relays(
    demo: RunningService,
) -> None:
    second_relay = demo.runtime.outbox_relay()
    relay_task = asyncio.create_task(second_relay.run(demo.runtime.stop))
    per_enterprise = 25

    async def write_in_sequence(credit_code: str) -> list[int]:
        return [await record_ping(demo, credit_code) for _ in range(per_enterprise)]

    written = await asyncio.gather(*(write_in_sequence(code) for code in ENTERPRISES))
    everything = sorted(i for ids in written for i in ids)
    await wait_for(lambda: _applied(demo, everything), within=30, what="every ping applied")

    for credit_code, ids in zip(ENTERPRISES, written, strict=True):
        assert await receipts(demo, credit_code) == ids
    assert await outbox_count(demo) == len(everything)
    relay_task.cancel()


async def test_one_relay_publishes_and_another_takes_over_when_its_connection_goes(
    stack: TestStack,
) -> None:
    async with run_service(
        stack, SERVICE, create_app, DemoSettings, run_outbox_relay=False, run_consumers=False
    ) as demo:
        leader, follower = demo.runtime.outbox_relay(), demo.runtime.outbox_relay()
        stopped = asyncio.Event()
        try:
            await record_ping(demo, ENTERPRISES[0], "first")
            assert await leader.publish_batch() == 1
            await record_ping(demo, ENTERPRISES[0], "second")
            assert await follower.publish_batch() == 0, "the lock is the leader's"
            assert await leader.publish_batch() == 1

            stopped.set()
            await leader.run(stopped)  # ends at once, closing its connection and the lock
            await record_ping(demo, ENTERPRISES[0], "third")
            assert await follower.publish_batch() == 1
        finally:
            stopped.set()
            await follower.run(stopped)
        assert await outbox_count(demo) == 3
        assert await unpublished_count(demo) == 0


async def test_rolled_back_transaction_publishes_nothing(demo: RunningService) -> None:
    class Abandoned(Exception):
        pass

    try:
        async with demo.runtime.unit_of_work() as uow:
            await handlers.record_ping(ENTERPRISES[1], "never committed", uow)
            raise Abandoned
    except Abandoned:
        pass
    committed_id = await record_ping(demo, ENTERPRISES[1])

    await wait_for(lambda: _applied(demo, [committed_id]), what="the committed ping")
    assert await outbox_count(demo) == 1
    assert await receipts(demo) == [committed_id]


async def test_consumer_killed_mid_batch_neither_loses_nor_doubles(
    demo_without_consumers: RunningService,
) -> None:
    service = demo_without_consumers
    ids = [await record_ping(service, ENTERPRISES[2], f"ping {n}") for n in range(30)]
    await wait_for(lambda: _all_published(service), what="the relay to publish every ping")

    applied_before_kill = 10
    stuck = asyncio.Event()

    async def applies_ten_then_hangs(event, uow) -> None:
        if len(await receipts(service)) >= applied_before_kill:
            stuck.set()
            await asyncio.Event().wait()  # hangs mid-batch, its transaction open
        await handlers.apply_pings([event], uow)

    first = service.runtime.event_consumer(
        Subscription("demo.receipts", applies_ten_then_hangs, topics=("qgov.demo",))
    )
    first_run = asyncio.create_task(first.run(asyncio.Event()))
    await asyncio.wait_for(stuck.wait(), timeout=30)
    first_run.cancel()
    await asyncio.gather(first_run, return_exceptions=True)
    assert await receipts(service) == ids[:applied_before_kill]

    restarted = service.runtime.start_consumer(
        Subscription("demo.receipts", topics=("qgov.demo",), batch_handler=handlers.apply_pings)
    )
    await wait_for(lambda: _applied(service, ids), within=30, what="the rest after restart")

    assert await receipts(service) == ids
    assert restarted.stats.duplicates == applied_before_kill


async def _applied(service: RunningService, ids: list[int]) -> bool:
    return sorted(await receipts(service)) == sorted(ids)


async def _lag_is_zero(consumer) -> bool:
    return consumer.stats.total_lag == 0 and bool(consumer.stats.lag)


async def _all_published(service: RunningService) -> bool:
    return await unpublished_count(service) == 0


async def test_a_batch_handler_gets_a_chunks_new_events_in_one_call(
    demo_without_consumers: RunningService,
) -> None:
    service = demo_without_consumers
    ids = [await record_ping(service, ENTERPRISES[0], f"ping {n}") for n in range(30)]
    await wait_for(lambda: _all_published(service), what="every ping published")
    calls: list[int] = []

    async def counts_calls(events, uow) -> None:
        calls.append(len(events))
        await handlers.apply_pings(events, uow)

    service.runtime.start_consumer(
        Subscription("demo.receipts", topics=("qgov.demo",), batch_handler=counts_calls)
    )
    await wait_for(lambda: _applied(service, ids), what="every ping applied")

    assert await receipts(service) == ids
    assert sum(calls) == len(ids)
    assert len(calls) < len(ids), "the events of a partition's chunk come in one call"


def test_a_subscription_takes_exactly_one_kind_of_handler() -> None:
    for both_or_neither in ({}, {"handler": handlers.apply_pings, "batch_handler": max}):
        with pytest.raises(ValueError, match="either a handler or a batch handler"):
            Subscription("demo.receipts", topics=("qgov.demo",), **both_or_neither)
