"""The event backbone measured against raw aiokafka and asyncpg on the same stack, in one run.

    python -m bench.backbone [--events 20000] [--runs 3] [--rate 500] [--seconds 5]

Starts PostgreSQL and the broker once (or uses QGOV_DATABASE_URL / QGOV_KAFKA_BOOTSTRAP_SERVERS),
then, in every run, measures each QGov path right after the raw baseline it is judged against:

    outbox relay draining N committed rows      vs  raw aiokafka batched produce of N messages
    EventConsumer (demo apply_pings) draining   vs  raw aiokafka group consumer with getmany
    single-row UnitOfWork inserts, relay on     vs  raw asyncpg doing the same two INSERTs
    commit → broker ack lag of those inserts    vs  the same for the asyncpg inserts
    commit → consumer effect at a steady rate   vs  raw produce → consume at the same rate

and prints medians over the runs with QGov ÷ baseline ratios (the median of per-run ratios).
Every client is built by `qgov_shared.kafka` / `qgov_shared.db`, so both sides share settings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import floors
from bench.common import (
    PartitionsAssigned,
    Row,
    as_the_service_runs,
    bench_parser,
    console,
    parse_sizes,
    percentile,
    ratio_table,
    repeat_runs,
    stack_session,
)
from bench.effect_consumer import ASSIGNED, SETTINGS_VARIABLE, event_consumer
from qgov_demo import SERVICE
from qgov_demo.events import PingRecorded
from qgov_demo.handlers import apply_pings, record_ping
from qgov_demo.main import DemoSettings
from qgov_shared.db import create_engine, create_session_factory
from qgov_shared.envelope import CONTENT_TYPE, CloudEvent
from qgov_shared.kafka import ensure_topics, new_consumer, new_producer
from qgov_shared.loops import run_in_own_loop
from qgov_shared.outbox import OutboxRelay
from qgov_shared.relay_process import run_relay_process
from qgov_shared.settings import ServiceSettings
from qgov_shared.testing.stack import TestStack
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import compute_check_character

log = logging.getLogger("bench.backbone")
now = time.perf_counter

MESSAGE = "质量" * 10 + "x" * 480  # 500 characters (the column's limit): a ~1 KB event
CODES = [body + compute_check_character(body) for body in (f"91110000{i:09d}" for i in range(256))]
EVENTS_PER_COMMIT = 1_000  # bulk outbox writes, so (c) measures the relay, not the inserts
ASSIGNMENT_TIMEOUT_S = 30.0
DRAIN_TIMEOUT_S = 120.0


# --- what a run measures and how the table shows it -------------------------------------------


ROWS = (
    Row("(c) outbox relay drain", "events/s", "relay_drain", "raw_produce", "(a) raw produce"),
    Row("(f) EventConsumer drain", "events/s", "consumer_drain", "raw_consume", "(b) raw consume"),
    Row("(g) relay floor", "events/s", "relay_floor", "raw_produce", "(a) raw produce"),
    Row("(c) relay ÷ its floor", "events/s", "relay_drain", "relay_floor", "(g) relay floor"),
    Row("(h) consumer floor", "events/s", "consumer_floor", "raw_consume", "(b) raw consume"),
    Row("(f) consumer ÷ its floor", "events/s", "consumer_drain", "consumer_floor", "(h) floor"),
    Row("(d) UoW insert, relay on", "inserts/s", "uow_insert", "pg_insert", "raw asyncpg"),
    Row("(d) commit → ack p50", "ms", "uow_ack_p50", "pg_ack_p50", "asyncpg rows"),
    Row("(d) commit → ack p99", "ms", "uow_ack_p99", "pg_ack_p99", "asyncpg rows"),
    Row("(d) published_at − created_at p50", "ms", "uow_col_p50", "pg_col_p50", "asyncpg rows"),
    Row("(d) published_at − created_at p99", "ms", "uow_col_p99", "pg_col_p99", "asyncpg rows"),
    Row("(e) commit → consumer effect p50", "ms", "e2e_p50", "raw_e2e_p50", "raw send→getmany"),
    Row("(e) commit → consumer effect p99", "ms", "e2e_p99", "raw_e2e_p99", "raw send→getmany"),
)
LEGEND = """\
(a) N messages, aiokafka batched send() then gather, acks=all, QGov's producer settings
(b) those N messages read by a consumer group with getmany, timed from its assignment
(c) OutboxRelay.publish_batch() over N committed outbox rows, to the broker's acks
(f) EventConsumer + demo apply_pings draining the relayed events, timed from its assignment
(g) the relay's statements alone over N rows, combined with (a): 1 ÷ (1/(a) + 1/statements)
(h) bare aiokafka + asyncpg applying the events exactly once with QGov's statements, no layers
(d) record_ping + commit from concurrent tasks while a relay runs on a loop of its own, for
    both sides alike (its producer notes each ack in this process); lag = commit → broker ack;
    raw asyncpg: the same two INSERTs per transaction; published_at/created_at are now() values
(e) record_ping commits at a steady rate, the relay in a process of its own started by the
    writers', as a service runs it; the EventConsumer in a process of its own, as the consuming
    service (bench/effect_consumer.py); raw: send() → getmany"""


@dataclass(frozen=True)
class Options:
    events: int
    runs: int
    rate: float
    seconds: float
    concurrency: int
    inserts: int
    drain: int


async def measure(stack: TestStack, options: Options, run: int) -> dict[str, float]:
    """One run: every figure and its baseline, each baseline measured just before its figure."""
    figures: dict[str, float] = {}
    # As a service sets it for its relay's and consumers' thread (qgov_shared.app).
    sys.setswitchinterval(stack.settings(DemoSettings, "unused").thread_switch_interval_s)
    steps: list[tuple[str, Callable[[], Awaitable[dict[str, float]]]]] = [
        ("raw produce/consume", lambda: raw_throughput(stack, options)),
        ("relay + consumer drain", lambda: outbox_drain(stack, options)),
        ("asyncpg inserts", lambda: asyncpg_inserts(stack, options)),
        ("UnitOfWork inserts", lambda: uow_inserts(stack, options)),
        ("raw latency", lambda: raw_latency(stack, options)),
        ("end-to-end latency", lambda: end_to_end(stack, options)),
    ]
    with as_the_service_runs():  # its collector settings, for every figure and baseline alike
        for name, step in steps:
            started = now()
            figures |= await step()
            log.info("run %d: %s done in %.1fs", run, name, now() - started)
    figures["relay_floor"] = floors.relay_floor(figures["raw_produce"], figures["relay_statements"])
    return figures


# --- (a) and (b): raw aiokafka throughput ------------------------------------------------------


async def raw_throughput(stack: TestStack, options: Options) -> dict[str, float]:
    settings = stack.settings(DemoSettings, "unused")
    topic = await made_topic(settings, "bench.raw")
    messages = [_message(ping_event(i)) for i in range(1, options.events + 1)]
    producer = new_producer(settings)
    await producer.start()
    try:
        await producer.send_and_wait(topic, **_message(ping_event(WARM_UP_ID)))  # metadata
        started = now()
        deliveries = [await producer.send(topic, **message) for message in messages]
        await asyncio.gather(*deliveries)
        produce = options.events / (now() - started)
    finally:
        await producer.stop()

    consumer, assigned = _group_consumer(settings, topic)
    await consumer.start()
    try:
        await asyncio.wait_for(assigned.wait(), ASSIGNMENT_TIMEOUT_S)
        started, received, expected = now(), 0, options.events + 1
        async with asyncio.timeout(DRAIN_TIMEOUT_S):
            while received < expected:
                received += _count(await consumer.getmany(timeout_ms=500))
        consume = received / (now() - started)
    finally:
        await consumer.stop()
    return {"raw_produce": produce, "raw_consume": consume}


# --- (c) and (f): the relay and the EventConsumer draining a backlog ---------------------------


async def outbox_drain(stack: TestStack, options: Options) -> dict[str, float]:
    async with service_database(stack) as (settings, engine):
        topic = await made_topic(settings, "qgov.demo")
        units = unit_of_work_factory(settings, engine)
        relay = OutboxRelay.from_settings(settings, lambda: new_producer(settings))
        try:
            await write_outbox(units, [ping_event(WARM_UP_ID)])
            await relay.publish_batch()  # starts the relay's producer and loads topic metadata
            await write_outbox(units, [ping_event(i) for i in range(1, options.events + 1)])
            started, published = now(), 0
            while published < options.events:
                batch = await relay.publish_batch()
                if batch == 0:
                    raise RuntimeError("the relay published nothing with rows still waiting")
                published += batch
            relay_rate = published / (now() - started)
        finally:
            await release(relay)

        consumer = event_consumer(settings, topic, apply_pings, units)
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        try:
            await wait_until(consumer.assigned.is_set, task, what="consumer assignment")
            started = now()
            await wait_until(
                lambda: consumer.stats.processed >= options.drain,
                task,
                what=f"{options.drain} events consumed",
                poll_s=0.002,
            )
            consumer_rate = consumer.stats.processed / (now() - started)
        finally:
            stop.set()
            await task
        floor_rates = await drain_floors(stack, options, topic)
    return {"relay_drain": relay_rate, "consumer_drain": consumer_rate} | floor_rates


async def drain_floors(stack: TestStack, options: Options, topic: str) -> dict[str, float]:
    """`bench.floors` on a database of their own: the relay's statements over N fresh rows,
    and the bare exactly-once consumer over the topic the relay just filled."""
    async with service_database(stack) as (settings, engine):
        await write_outbox(
            unit_of_work_factory(settings, engine),
            [ping_event(i) for i in range(1, options.events + 1)],
        )
        statements = await floors.relay_statements(settings, options.events)
        consumer = await floors.consumer_floor(settings, topic, options.drain)
    return {"relay_statements": statements, "consumer_floor": consumer}


async def write_outbox(units: Callable[[], UnitOfWork], events: list[CloudEvent]) -> None:
    for first in range(0, len(events), EVENTS_PER_COMMIT):
        async with units() as uow:
            for event in events[first : first + EVENTS_PER_COMMIT]:
                uow.publish(event)
            await uow.commit()


# --- (d): single-row inserts with the relay running --------------------------------------------


async def uow_inserts(stack: TestStack, options: Options) -> dict[str, float]:
    pool_size = {"database_pool_size": options.concurrency}
    async with service_database(stack, **pool_size) as (settings, engine):
        await made_topic(settings, "qgov.demo")
        units = unit_of_work_factory(settings, engine)

        async def insert(index: int, committed: dict[int, float]) -> None:
            async with units() as uow:
                ping = await record_ping(CODES[index % len(CODES)], MESSAGE, uow)
                await uow.commit()
                committed[ping.id] = now()

        figures = await _inserts_with_relay(settings, engine, insert, options)
    return {f"uow_{name}": value for name, value in figures.items()}


async def asyncpg_inserts(stack: TestStack, options: Options) -> dict[str, float]:
    async with service_database(stack) as (settings, engine):
        topic = await made_topic(settings, "qgov.demo")
        dsn = make_url(settings.service_database_url).set(drivername="postgresql")
        pool = await asyncpg.create_pool(
            dsn.render_as_string(hide_password=False),
            min_size=options.concurrency,
            max_size=options.concurrency,
        )

        async def insert(index: int, committed: dict[int, float]) -> None:
            code = CODES[index % len(CODES)]
            async with pool.acquire() as connection:
                async with connection.transaction():
                    ping_id = await connection.fetchval(
                        "INSERT INTO pings (credit_code, message) VALUES ($1, $2) RETURNING id",
                        code,
                        MESSAGE,
                    )
                    event = ping_event(ping_id, code)
                    await connection.execute(
                        "INSERT INTO outbox_events (event_id, topic, partition_key, event_type,"
                        " payload, headers) VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
                        event.id,
                        topic,
                        event.partition_key,
                        event.type,
                        event.to_json(),
                        json.dumps(_headers(event)),
                    )
                committed[ping_id] = now()

        try:
            figures = await _inserts_with_relay(settings, engine, insert, options)
        finally:
            await pool.close()
    return {f"pg_{name}": value for name, value in figures.items()}


async def _inserts_with_relay(
    settings: ServiceSettings,
    engine: AsyncEngine,
    insert: Callable[[int, dict[int, float]], Awaitable[None]],
    options: Options,
) -> dict[str, float]:
    """`insert` rows from `concurrency` tasks while a relay publishes them; the insert rate and
    the lag from commit (in this process's clock) to the broker's ack of the row."""
    acked: list[tuple[bytes, float]] = []
    relay = OutboxRelay.from_settings(settings, _ack_clock(settings, acked))
    stop = asyncio.Event()
    task = asyncio.create_task(run_in_own_loop("outbox-relay", relay.run, stop))
    try:
        warm_up: dict[int, float] = {}
        await insert(-1, warm_up)  # the relay starts its producer on this one
        await wait_until(lambda: len(acked) >= 1, task, what="the warm-up row published")
        acked.clear()

        committed: dict[int, float] = {}
        indexes = iter(range(options.inserts))

        async def worker() -> None:
            for index in indexes:
                await insert(index, committed)

        started = now()
        await asyncio.gather(*(worker() for _ in range(options.concurrency)))
        rate = options.inserts / (now() - started)
        await wait_until(
            lambda: len(acked) >= options.inserts, task, what=f"{options.inserts} rows published"
        )
    finally:
        stop.set()
        await task

    lags = [(acked_at - committed[_ping_id(value)]) * 1000 for value, acked_at in acked]
    async with engine.connect() as connection:
        column_lags = list(
            await connection.scalars(
                text(
                    "SELECT (extract(epoch FROM published_at - created_at) * 1000)::float8"
                    " FROM outbox_events"
                    " WHERE published_at IS NOT NULL AND id > (SELECT min(id) FROM outbox_events)"
                )
            )
        )
    return {
        "insert": rate,
        "ack_p50": percentile(lags, 50),
        "ack_p99": percentile(lags, 99),
        "col_p50": percentile(column_lags, 50),
        "col_p99": percentile(column_lags, 99),
    }


def _ack_clock(
    settings: ServiceSettings, acked: list[tuple[bytes, float]]
) -> Callable[[], AIOKafkaProducer]:
    """The relay's usual producer, noting when the broker acknowledged each message."""

    def factory() -> AIOKafkaProducer:
        producer = new_producer(settings)
        send = producer.send

        async def timed_send(*args: Any, **kwargs: Any) -> asyncio.Future:
            delivery = await send(*args, **kwargs)
            value = kwargs["value"]
            delivery.add_done_callback(lambda _: acked.append((value, now())))
            return delivery

        producer.send = timed_send
        return producer

    return factory


# --- (e): commit → consumer effect at a steady rate --------------------------------------------


async def end_to_end(stack: TestStack, options: Options) -> dict[str, float]:
    async with service_database(stack) as (settings, engine):
        topic = await made_topic(settings, "qgov.demo")
        sessions = create_session_factory(engine)
        prefix = settings.kafka_topic_prefix
        # As in a service: the relay in a process of its own, started by the writers'
        # (qgov_shared.relay_process). The consumer is the other service, in a process of
        # its own too (bench/effect_consumer.py).
        stop = asyncio.Event()
        tasks = [asyncio.create_task(run_relay_process(settings, stop))]
        committed: dict[int, float] = {}

        async def commit_ping(index: int) -> None:
            async with UnitOfWork(sessions, topic_prefix=prefix) as uow:
                ping = await record_ping(CODES[index % len(CODES)], MESSAGE, uow)
                await uow.commit()
                committed[ping.id] = time.time()  # wall clock, as the consumer's process notes

        try:
            async with effect_consumer(settings, topic, stack.work_dir) as consumer:
                await commit_ping(-1)  # warm-up: the relay's producer, the consumer's first fetch
                await consumer.applied(engine, 1)
                committed.clear()
                await _at_rate(commit_ping, options.rate, options.seconds)
                await consumer.applied(engine, len(committed) + 1)
            effects = consumer.effects
        finally:
            stop.set()
            await asyncio.gather(*tasks)
    latencies = [(effects[ping_id] - at) * 1000 for ping_id, at in committed.items()]
    return {"e2e_p50": percentile(latencies, 50), "e2e_p99": percentile(latencies, 99)}


class _ConsumerProcess:
    """bench/effect_consumer.py, running; its effects once it has stopped."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.effects: dict[int, float] = {}

    async def applied(self, engine: AsyncEngine, count: int) -> None:
        """Until `count` pings have their receipts; fails if the consumer exits first."""
        deadline = now() + DRAIN_TIMEOUT_S
        while True:
            async with engine.connect() as connection:
                if await connection.scalar(text("SELECT count(*) FROM ping_receipts")) >= count:
                    return
            if self.process.returncode is not None:
                raise RuntimeError(f"the effect consumer exited ({self.process.returncode})")
            if now() > deadline:
                raise TimeoutError(f"{count} receipts not written in {DRAIN_TIMEOUT_S:.0f}s")
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def effect_consumer(
    settings: ServiceSettings, topic: str, work_dir: Path
) -> AsyncIterator[_ConsumerProcess]:
    """The consumer's process, assigned; on leaving, stopped and its effects read."""
    out = work_dir / f"effects-{uuid.uuid4().hex[:8]}.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.effect_consumer",
        topic,
        str(out),
        env=os.environ | {SETTINGS_VARIABLE: settings.model_dump_json()},
        stdout=asyncio.subprocess.PIPE,
    )
    running = _ConsumerProcess(process)
    try:
        line = await asyncio.wait_for(process.stdout.readline(), ASSIGNMENT_TIMEOUT_S)
        if line.decode().strip() != ASSIGNED:
            raise RuntimeError("the effect consumer stopped before it was assigned")
        yield running
    except BaseException:
        if process.returncode is None:
            process.kill()
        await process.wait()
        raise
    process.terminate()
    if (code := await process.wait()) != 0:
        raise RuntimeError(f"the effect consumer failed on stopping ({code})")
    running.effects = {int(k): v for k, v in json.loads(out.read_text()).items()}


async def raw_latency(stack: TestStack, options: Options) -> dict[str, float]:
    settings = stack.settings(DemoSettings, "unused")
    topic = await made_topic(settings, "bench.latency")
    value = _message(ping_event(1))["value"]
    sent: dict[int, float] = {}
    received: dict[int, float] = {}
    consumer, assigned = _group_consumer(settings, topic)
    producer = new_producer(settings)
    deliveries: list[asyncio.Future] = []

    async def consume() -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            arrived = now()
            for records in batches.values():
                for record in records:
                    received[int(dict(record.headers)["seq"])] = arrived

    async def send(index: int) -> None:
        sent[index] = now()
        deliveries.append(
            await producer.send(
                topic,
                value=value,
                key=CODES[index % len(CODES)].encode(),
                headers=[("seq", str(index).encode())],
            )
        )

    await producer.start()
    await consumer.start()
    reader = asyncio.create_task(consume())
    try:
        await wait_until(assigned.is_set, reader, what="consumer assignment")
        await send(-1)
        await wait_until(lambda: -1 in received, reader, what="the warm-up message")
        sent.clear()
        received.clear()
        await _at_rate(send, options.rate, options.seconds)
        await asyncio.gather(*deliveries)
        await wait_until(
            lambda: sent.keys() <= received.keys(), reader, what="every message consumed"
        )
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        await consumer.stop()
        await producer.stop()
    latencies = [(received[index] - at) * 1000 for index, at in sent.items()]
    return {"raw_e2e_p50": percentile(latencies, 50), "raw_e2e_p99": percentile(latencies, 99)}


async def _at_rate(
    action: Callable[[int], Awaitable[None]], rate: float, seconds: float, in_flight: int = 15
) -> None:
    """Start `action(i)` at a steady `rate` per second for `seconds`, then wait for all. At
    most `in_flight` run at once (the pool's size): a machine that falls behind queues them
    here, where no pool checkout times out, and the latencies, timed from each commit, show it."""
    started, tasks, slots = now(), [], asyncio.Semaphore(in_flight)

    async def run(index: int) -> None:
        async with slots:
            await action(index)

    for index in range(round(rate * seconds)):
        delay = started + index / rate - now()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(run(index)))
    await asyncio.gather(*tasks)


# --- the pieces the measurements share ---------------------------------------------------------


WARM_UP_ID = 2**31 - 1  # a ping id no measured event has, within the receipts' integer column


def ping_event(ping_id: int, code: str | None = None) -> CloudEvent:
    code = code or CODES[ping_id % len(CODES)]
    recorded = PingRecorded(ping_id=ping_id, credit_code=code, message=MESSAGE)
    return recorded.event(subject=code, time=datetime.now(UTC))


def _headers(event: CloudEvent) -> dict[str, str]:
    """The headers the unit of work stores with an outbox row (and the relay sends)."""
    return {"content-type": CONTENT_TYPE, "ce_type": event.type, "ce_id": event.id}


def _message(event: CloudEvent) -> dict[str, Any]:
    """What the relay sends for `event`: the same value, key and headers."""
    return {
        "value": event.to_json().encode(),
        "key": event.partition_key.encode(),
        "headers": [(name, value.encode()) for name, value in _headers(event).items()],
    }


def _ping_id(value: bytes) -> int:
    return json.loads(value)["data"]["ping_id"]


@contextlib.asynccontextmanager
async def service_database(
    stack: TestStack, **overrides: Any
) -> AsyncIterator[tuple[ServiceSettings, AsyncEngine]]:
    """A fresh migrated demo database, settings with their own topic namespace, an engine."""
    name = await stack.create_database(SERVICE)
    settings = stack.settings(DemoSettings, name, **overrides)
    engine = create_engine(settings)
    try:
        yield settings, engine
    finally:
        await engine.dispose()
        await stack.drop_database(name)


async def made_topic(settings: ServiceSettings, name: str) -> str:
    topic = settings.kafka_topic_prefix + name
    await ensure_topics(settings, [topic])
    return topic


def unit_of_work_factory(settings: ServiceSettings, engine: AsyncEngine):
    sessions = create_session_factory(engine)
    return lambda: UnitOfWork(sessions, topic_prefix=settings.kafka_topic_prefix)


async def release(relay: OutboxRelay) -> None:
    """Stop the relay's producer: `run()` with its stop already set only cleans up."""
    stopped = asyncio.Event()
    stopped.set()
    await relay.run(stopped)


def _group_consumer(
    settings: ServiceSettings, topic: str
) -> tuple[AIOKafkaConsumer, asyncio.Event]:
    consumer = new_consumer(settings, f"bench-{uuid.uuid4().hex[:8]}")
    listener = PartitionsAssigned()
    consumer.subscribe(topics=[topic], listener=listener)
    return consumer, listener.event


async def wait_until(
    condition: Callable[[], bool],
    *watched: asyncio.Task,
    what: str,
    within: float = DRAIN_TIMEOUT_S,
    poll_s: float = 0.005,
) -> None:
    """Poll `condition`; fail fast if a background task died, or after `within` seconds."""
    deadline = now() + within
    while not condition():
        for task in watched:
            if task.done():
                task.result()  # re-raises its error
                raise RuntimeError(f"a background task ended while waiting for {what}")
        if now() > deadline:
            raise TimeoutError(f"timed out after {within}s waiting for {what}")
        await asyncio.sleep(poll_s)


def _count(batches: dict[Any, list]) -> int:
    return sum(len(records) for records in batches.values())


# --- the report --------------------------------------------------------------------------------


def report(runs: list[dict[str, float]], about: dict[str, Any]) -> dict:
    """Print the table; return every figure (per run, medians, ratios) for --json."""
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    table, ratios = ratio_table(
        f"QGov event backbone vs raw clients, median of {len(runs)} run(s)",
        ROWS,
        runs,
        medians,
        _figure,
    )
    console.print(table)
    console.print(
        "ratio = QGov ÷ baseline, the median of per-run ratios (events/s, inserts/s: higher is "
        "better; ms: lower is better)",
        style="bold",
    )
    console.print(LEGEND, style="dim", highlight=False)
    facts = [f"{key} {value}" for key, value in about.items()]
    console.print("; ".join(facts[:5]) + "\n" + "; ".join(facts[5:]), highlight=False)
    return {"about": about, "runs": runs, "medians": medians, "ratios": ratios}


def _figure(value: float, unit: str) -> str:
    return f"{value:,.1f}" if unit == "ms" else f"{value:,.0f}"


# --- the command -------------------------------------------------------------------------------


QUICK = {"events": 2_000, "runs": 1, "seconds": 1.0}
"""What --quick shrinks, for smoke runs; explicit arguments still win."""


def parse_options(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = bench_parser("python -m bench.backbone", __doc__)
    add = parser.add_argument
    add("--events", type=int, help="N for the raw produce/consume and the relay (20000)")
    add("--runs", type=int, help="runs to take the median of (3)")
    add("--rate", type=float, default=500.0, help="commits/s for the latency measures (500)")
    add("--seconds", type=float, help="how long to commit at --rate (5)")
    add("--concurrency", type=int, default=64, help="inserting tasks, and their pool size (64)")
    add("--inserts", type=int, help="single-row inserts per run (N/8)")
    add("--drain", type=int, help="events the EventConsumer drains per run (N/2)")
    add("--quick", action="store_true", help=f"smaller sizes for a smoke run: {QUICK}")
    add("--loop", choices=("uvloop", "asyncio"), default="uvloop", help="event loop (uvloop)")
    add("--json", type=Path, help="also write every figure to this JSON file")
    add("-v", "--verbose", action="store_true", help="log each step")
    args = parse_sizes(parser, argv, QUICK, {"events": 20_000, "runs": 3, "seconds": 5.0})
    if min(args.events, args.runs, args.rate, args.seconds, args.concurrency) <= 0:
        parser.error("sizes, rates and durations must be positive")
    options = Options(
        events=args.events,
        runs=args.runs,
        rate=args.rate,
        seconds=args.seconds,
        concurrency=args.concurrency,
        inserts=args.inserts or max(args.events // 8, args.concurrency),
        drain=args.drain or max(args.events // 2, 100),
    )
    return options, args


async def _measure_all(stack: TestStack, options: Options) -> list[dict[str, float]]:
    return await repeat_runs(stack, options.runs, lambda run: measure(stack, options, run))


def main(argv: list[str] | None = None) -> int:
    options, args = parse_options(argv)
    try:
        with stack_session(args.verbose) as (stack, _):
            console.print(
                f"[dim]stack up: broker {stack.bootstrap_servers}; "
                f"{options.runs} run(s) of N={options.events:,}[/dim]"
            )
            if args.loop == "uvloop":
                import uvloop

                runs = uvloop.run(_measure_all(stack, options))
            else:
                runs = asyncio.run(_measure_all(stack, options))
    except KeyboardInterrupt:
        console.print("[yellow]interrupted; the stack is stopped[/yellow]")
        return 130

    about = {
        "cores": os.cpu_count(),
        "N": options.events,
        "runs": options.runs,
        "payload": f"{len(_message(ping_event(1))['value'])} B",
        "broker": "embedded tansu" if stack.embedded_broker else "external",
        "inserts": f"{options.inserts} by {options.concurrency} tasks",
        "drained": options.drain,
        "latency load": f"{options.rate:g}/s × {options.seconds:g}s",
        "loop": args.loop,
    }
    figures = report(runs, about)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
