"""One consumer replica against two, in the same group, on a topic of 6 partitions: throughput
and correctness.

    python -m bench.replicas [--events 20000] [--runs 3] [--quick]

Starts PostgreSQL and the broker once (or uses QGOV_DATABASE_URL / QGOV_KAFKA_BOOTSTRAP_SERVERS).
Each run measures, on a fresh demo database and topic each: the group's replicas
(`EventConsumer` with the demo's `apply_pings`, as `demo.receipts` runs) joined and given
their partitions first; then N pings written to the outbox (untimed) and the relay publishing
them; timed from the relay's first batch until the replicas have applied all N, events/s.
Then it checks that every ping has exactly one receipt and each enterprise's receipts are in
the order its pings were written.

Both replicas run in this process, as two pods would on one node: on two cores shared with
PostgreSQL and the broker the gain is bounded; what matters is that two do not go slower or
lose, double or reorder anything.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.backbone import (
    event_consumer,
    made_topic,
    ping_event,
    release,
    service_database,
    unit_of_work_factory,
    wait_until,
    write_outbox,
)
from bench.common import (
    Row,
    bench_parser,
    console,
    parse_sizes,
    ratio_table,
    repeat_runs,
    stack_session,
)
from qgov_demo.handlers import apply_pings
from qgov_shared.consumer import EventConsumer
from qgov_shared.kafka import new_producer
from qgov_shared.outbox import OutboxRelay
from qgov_shared.testing.stack import TestStack

PARTITIONS = 6
now = time.perf_counter


async def drain(stack: TestStack, events: int, replicas: int) -> dict[str, Any]:
    """N pings through the relay to `replicas` consumers of one group: events/s and checks."""
    async with service_database(stack, kafka_topic_partitions=PARTITIONS) as (settings, engine):
        topic = await made_topic(settings, "qgov.demo")
        units = unit_of_work_factory(settings, engine)
        consumers = [event_consumer(settings, topic, apply_pings, units) for _ in range(replicas)]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(consumer.run(stop)) for consumer in consumers]
        relay = OutboxRelay.from_settings(settings, lambda: new_producer(settings))
        try:
            await wait_until(lambda: _split(consumers), *tasks, what="the partitions split")
            await write_outbox(units, [ping_event(i) for i in range(1, events + 1)])
            started = now()
            while await relay.publish_batch():
                pass
            await wait_until(
                lambda: sum(c.stats.processed for c in consumers) >= events,
                *tasks,
                what=f"{events} events applied",
                poll_s=0.002,
            )
            rate = events / (now() - started)
        finally:
            stop.set()
            await asyncio.gather(*tasks)
            await release(relay)
        problems = await _check(engine, events)
    return {"rate": rate, "problems": problems}


def _split(consumers: list[EventConsumer]) -> bool:
    owned = [consumer.partitions for consumer in consumers]
    together = frozenset().union(*owned)
    disjoint = sum(map(len, owned)) == len(together)
    return len(together) == PARTITIONS and disjoint and all(owned)


async def _check(engine, events: int) -> list[str]:
    """What is wrong with the receipts: missing, doubled, or out of order for an enterprise."""
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                text("SELECT credit_code, ping_id FROM ping_receipts ORDER BY id")
            )
        ).all()
    problems = []
    ids = [ping_id for _, ping_id in rows]
    if sorted(ids) != list(range(1, events + 1)):
        problems.append(f"{len(ids)} receipts, {len(set(ids))} distinct, for {events} pings")
    by_code: dict[str, list[int]] = defaultdict(list)
    for code, ping_id in rows:
        by_code[code].append(ping_id)
    disordered = [code for code, seen in by_code.items() if seen != sorted(seen)]
    if disordered:
        problems.append(f"out of order for {len(disordered)} enterprises")
    return problems


async def measure(stack: TestStack, events: int) -> dict[str, Any]:
    one = await drain(stack, events, replicas=1)
    two = await drain(stack, events, replicas=2)
    return {
        "one_rate": one["rate"],
        "two_rate": two["rate"],
        "problems": one["problems"] + two["problems"],
    }


ROWS = (Row("two consumer replicas drain", "events/s", "two_rate", "one_rate", "one replica"),)
QUICK = {"events": 2_000, "runs": 1}
FULL = {"events": 20_000, "runs": 3}


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.replicas", __doc__)
    parser.add_argument("--events", type=int, help="N, pings per drain (20000; quick 2000)")
    parser.add_argument("--runs", type=int, help="runs to take the median of (3; quick 1)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parse_sizes(parser, argv, QUICK, FULL)
    with stack_session(args.verbose) as (stack, _):
        runs = asyncio.run(repeat_runs(stack, args.runs, lambda run: measure(stack, args.events)))
    figures = [{k: v for k, v in run.items() if k != "problems"} for run in runs]
    medians = {key: statistics.median(run[key] for run in figures) for key in figures[0]}
    table, ratios = ratio_table(
        f"consumer replicas on {PARTITIONS} partitions, N={args.events:,}, median of "
        f"{len(runs)} run(s)",
        ROWS,
        figures,
        medians,
        lambda value, unit: f"{value:,.0f}",
    )
    console.print(table)
    problems = [problem for run in runs for problem in run["problems"]]
    if args.json:
        payload = {"runs": figures, "medians": medians, "ratios": ratios, "problems": problems}
        args.json.write_text(json.dumps(payload, indent=2))
    console.print(
        "check: every ping applied once, in order per enterprise — "
        + ("ok" if not problems else "; ".join(problems)),
        style="green" if not problems else "red",
    )
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
