"""Failures the backbone must absorb: a broker outage loses nothing, and a poison message is
parked in the dead-letter topic while the messages after it are still processed."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import signal

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from qgov_demo import SERVICE, handlers
from qgov_demo.events import PingRecorded
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.consumer import Subscription
from qgov_shared.db import create_session_factory, is_infrastructure_failure
from qgov_shared.devstack.embedded import EmbeddedBroker, free_port
from qgov_shared.devstack.processes import is_alive
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for

from .conftest import ENTERPRISES, produce_raw, read_one, receipts, record_ping, unpublished_count

_STOPS_WITHIN_S = 15  # well inside Kubernetes' default 30 s grace period


@pytest.fixture
def private_broker(stack: TestStack):
    """A broker of this test's own, so stopping it disturbs no other test."""
    broker = EmbeddedBroker(port=free_port(), log_path=stack.work_dir / "private-broker.log")
    broker.start()
    yield broker
    broker.stop()


async def test_events_written_while_the_broker_is_down_arrive_after_it_returns(
    stack: TestStack, private_broker: EmbeddedBroker
) -> None:
    # Nothing is consumed before the outage: the embedded broker keeps its log in memory, so a
    # restart starts every partition again at offset 0, below a consumer's old position (real
    # Kafka keeps its log). What is under test is that the outbox holds the events meanwhile.
    async with run_service(
        stack,
        SERVICE,
        create_app,
        DemoSettings,
        kafka_bootstrap_servers=private_broker.bootstrap_servers,
    ) as demo:
        await demo.consumers_assigned()
        private_broker.stop()
        during = [await record_ping(demo, ENTERPRISES[0], f"outage {n}") for n in range(5)]
        # Still ready (its writes go to the outbox), and saying which part is missing.
        readiness = await demo.client.get("/readyz")
        assert readiness.status_code == 200
        assert readiness.json()["degraded"] == ["broker"]
        assert readiness.json()["checks"]["database"] == "ok"
        assert await unpublished_count(demo) == len(during)
        metrics = (await demo.client.get("/metrics")).text
        assert f'qgov_outbox_unpublished{{service="demo"}} {len(during)}' in metrics

        private_broker.start()
        await wait_for(lambda: _applied(demo, during), within=60, what="the outage's pings")
        # The relay marks its rows after the broker's ack, so a consumer may apply an event
        # before its row is marked; the outbox must still drain.
        await wait_for(lambda: _all_published(demo), within=10, what="the outbox drained")
        assert await receipts(demo, ENTERPRISES[0]) == during
        # Each probe bootstraps a client of its own within a 1 s bound, so on a loaded machine the
        # first probe after the restart can still time out; the readiness must come back.
        await wait_for(lambda: _ready(demo), within=10, what="readiness after the outage")


async def test_a_service_whose_broker_dies_mid_join_still_stops_when_told(
    stack: TestStack, private_broker: EmbeddedBroker
) -> None:
    # As when `qgov up` is killed hard: the broker and the services get their SIGTERM together,
    # and a consumer may be waiting for its group's answer. No one is left to SIGKILL a service
    # that then hangs, as Kubernetes would.
    async with contextlib.AsyncExitStack() as running:
        running.enter_context(_killed_when_a_consumer_asks_to_join(private_broker))
        await running.enter_async_context(
            run_service(
                stack,
                SERVICE,
                create_app,
                DemoSettings,
                kafka_bootstrap_servers=private_broker.bootstrap_servers,
            )
        )
        await wait_for(lambda: _dead(private_broker), what="the broker killed mid-join")
        stopping = asyncio.create_task(running.aclose())
        await asyncio.wait({stopping}, timeout=_STOPS_WITHIN_S)
        assert stopping.done(), f"still stopping {_STOPS_WITHIN_S} s after it was told"
        stopping.result()


async def test_undecodable_message_is_parked_and_the_next_one_processed(
    demo: RunningService,
) -> None:
    await produce_raw(demo, "qgov.demo", value=b"{not a cloud event", key=ENTERPRISES[0].encode())
    after = await record_ping(demo, ENTERPRISES[0], "after the poison")

    await wait_for(lambda: _applied(demo, [after]), what="the message after the poison")
    parked = await read_one(demo, "qgov.demo.dlq")
    assert parked.value == b"{not a cloud event"
    headers = dict(parked.headers)
    assert headers["qgov-error-type"] == b"ValidationError"
    assert headers["qgov-attempts"] == b"1"
    assert headers["qgov-original-topic"] == demo.runtime.topic("qgov.demo").encode()


async def test_failing_handler_is_retried_then_parked_with_its_effects_rolled_back(
    demo_without_consumers: RunningService,
) -> None:
    service = demo_without_consumers
    attempts: list[str] = []

    async def fails_on_poison(event, uow) -> None:
        await handlers.apply_pings([event], uow)  # the effect must not survive the failure
        if event.data["message"] == "poison":
            attempts.append(event.id)
            raise RuntimeError("this ping cannot be applied")

    consumer = service.runtime.start_consumer(
        Subscription("demo.receipts", fails_on_poison, topics=("qgov.demo",))
    )
    await consumer.assigned.wait()
    poison = await record_ping(service, ENTERPRISES[1], "poison")
    after = await record_ping(service, ENTERPRISES[1], "fine")

    await wait_for(lambda: _applied(service, [after]), what="the ping after the poison")
    max_attempts = service.settings.consumer_max_attempts
    assert len(attempts) >= max_attempts  # one more when it first failed inside a batch
    assert consumer.stats.dead_lettered == 1
    assert poison not in await receipts(service)

    parked = await read_one(service, "qgov.demo.dlq")
    headers = dict(parked.headers)
    assert headers["qgov-error-type"] == b"RuntimeError"
    assert headers["qgov-error-message"] == b"this ping cannot be applied"
    assert headers["qgov-attempts"] == str(max_attempts).encode()
    assert headers["qgov-consumer"] == service.runtime.topic("demo.receipts").encode()
    assert headers["ce_type"] == PingRecorded.TYPE.encode()


async def test_poison_inside_a_batch_spares_the_rest_of_the_batch(
    demo_without_consumers: RunningService,
) -> None:
    service = demo_without_consumers
    messages = ["one", "two", "poison", "four", "five", "six", "seven"]
    ids = [await record_ping(service, ENTERPRISES[2], message) for message in messages]
    await wait_for(lambda: _all_published(service), what="every ping published")

    async def fails_on_poison(event, uow) -> None:
        if event.data["message"] == "poison":
            raise RuntimeError("this ping cannot be applied")
        await handlers.apply_pings([event], uow)

    consumer = service.runtime.start_consumer(
        Subscription("demo.receipts", fails_on_poison, topics=("qgov.demo",))
    )
    good = [ping for ping, message in zip(ids, messages, strict=True) if message != "poison"]
    await wait_for(lambda: _applied(service, good), what="every good ping applied")

    assert await receipts(service, ENTERPRISES[2]) == good
    assert consumer.stats.processed == len(good)
    assert consumer.stats.dead_lettered == 1


async def test_an_unreachable_database_stops_the_consumer_instead_of_parking_events(
    demo_without_consumers: RunningService,
) -> None:
    service = demo_without_consumers
    ping = await record_ping(service, ENTERPRISES[0], "waits for the database")
    await wait_for(lambda: _all_published(service), what="the ping published")
    subscription = Subscription(
        "demo.receipts", topics=("qgov.demo",), batch_handler=handlers.apply_pings
    )

    nowhere = create_async_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none")
    cut_off = dataclasses.replace(
        service.runtime,
        engine=nowhere,
        session_factory=create_session_factory(nowhere),
        consumers=[],
        tasks=[],
    )
    stranded = cut_off.event_consumer(subscription)
    run = asyncio.create_task(stranded.run(asyncio.Event()))
    await asyncio.wait({run}, timeout=30)
    await nowhere.dispose()
    assert run.done(), "the consumer kept going without its database"
    assert is_infrastructure_failure(run.exception())
    assert stranded.stats.dead_lettered == 0

    service.runtime.start_consumer(subscription)
    await wait_for(lambda: _applied(service, [ping]), what="the ping, once the database answers")


@contextlib.contextmanager
def _killed_when_a_consumer_asks_to_join(broker: EmbeddedBroker):
    """SIGKILL `broker` as aiokafka sends a JoinGroup: the broker holds the answer for a second,
    so the consumer is then waiting for it. Told by aiokafka's own log line."""
    pid = broker.pid

    class KillOnJoin(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("(Re-)joining group") and is_alive(pid):
                os.kill(pid, signal.SIGKILL)

    coordinator_log = logging.getLogger("aiokafka.consumer.group_coordinator")
    handler, level = KillOnJoin(), coordinator_log.level
    coordinator_log.addHandler(handler)
    coordinator_log.setLevel(logging.INFO)
    try:
        yield
    finally:
        coordinator_log.removeHandler(handler)
        coordinator_log.setLevel(level)


async def _dead(broker: EmbeddedBroker) -> bool:
    return not is_alive(broker.pid)


async def _all_published(service: RunningService) -> bool:
    return await unpublished_count(service) == 0


async def _ready(service: RunningService) -> bool:
    return (await service.client.get("/readyz")).json()["status"] == "ready"


async def _applied(service: RunningService, ids: list[int]) -> bool:
    return sorted(await receipts(service)) == sorted(ids)
