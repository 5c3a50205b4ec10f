"""How soon a holder's award is suspended once credit lists the holder, against a raw Kafka
round trip taken in the same run.

    python -m bench.brands [--samples 100] [--runs 3] [--quick]

Starts PostgreSQL and the broker once (or uses QGOV_DATABASE_URL / QGOV_KAFKA_BOOTSTRAP_SERVERS).
Each run puts credit and brands in this process on one topic namespace (every consumer's
kafka_fetch_max_wait_ms = 10), gives S enterprises a standing award in brands (inserted:
setup, untimed), then, one enterprise at a time: a regulator enters a serious penalty
(POST /api/v1/credit/records), which lists the enterprise; its listing commits with the
answer; credit's relay publishes enterprise.listed; brands' `brands.credit` group suspends the
award and writes award.suspended to its outbox; brands' relay publishes it; a consumer group of
the benchmark's own sees it on `qgov.brands`. Timed from the POST's answer (the listing's
commit) to that arrival   vs  an aiokafka send_and_wait → a consumer group's getmany of one
~0.9 KB message with the same settings (`bench.gateway.raw_round_trips`). The chain is two
such hops (credit → brands → the topic), each with an outbox relay and a transaction.

The gateway runs too, on the same namespace: its `gateway.read-model` group projects
award.suspended into the enterprise's profile. The second figure is timed from the same commit
to the first anonymous GET /api/v1/enterprises/{code}/profile (polled every 5 ms) that shows
the award suspended: three hops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.common import (
    PartitionsAssigned,
    Row,
    bench_parser,
    console,
    parse_sizes,
    percentile,
    ratio_table,
    repeat_runs,
    stack_session,
)
from bench.gateway import raw_round_trips
from qgov_brands import SERVICE as BRANDS
from qgov_brands.main import BrandsSettings
from qgov_brands.main import create_app as create_brands
from qgov_brands.models import Application, Award
from qgov_credit import SERVICE as CREDIT
from qgov_credit.main import CreditSettings
from qgov_credit.main import create_app as create_credit
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_shared.kafka import ensure_topics, new_consumer
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer

FETCH_WAIT_MS = 10
ARRIVAL_TIMEOUT_S = 30.0
WARM_UP_TIMEOUT_S = 60.0
SUSPENDED = "qgov.brands.award.suspended.v1"
PROFILE_POLL_S = 0.005
# Every topic the gateway's read model reads, made before it subscribes (no metadata waits).
GATEWAY_SOURCES = ("complaints", "credit", "brands", "standards", "traceability", "inspections")
REGION = "440200"
now = time.perf_counter


@dataclass
class Platform:
    credit: RunningService
    brands: RunningService
    gateway: RunningService
    regulator: dict[str, str]


@contextlib.asynccontextmanager
async def platform(stack: TestStack) -> AsyncIterator[Platform]:
    """credit, brands and the gateway in this process on one namespace, every consumer
    assigned."""
    common = {
        "kafka_topic_prefix": f"b{uuid.uuid4().hex[:10]}.",
        "kafka_fetch_max_wait_ms": FETCH_WAIT_MS,
        "log_level": "WARNING",
    }
    prefix = common["kafka_topic_prefix"]
    await ensure_topics(
        stack.settings(BrandsSettings, "unused", **common),
        [f"{prefix}qgov.{source}" for source in GATEWAY_SOURCES],
    )
    keys = TestKeys()
    async with (
        run_service(stack, BRANDS, create_brands, BrandsSettings, **common) as brands,
        run_service(stack, CREDIT, create_credit, CreditSettings, **common) as credit,
        run_service(
            stack, GATEWAY, create_gateway, GatewaySettings, run_webhook_dispatcher=False, **common
        ) as gateway,
    ):
        credit.app.state.token_verifier = keys.verifier()
        for service in (credit, brands, gateway):
            await service.consumers_assigned()
        regulator = bearer(keys.mint("regulator", sub="bench-regulator", regions=[REGION]))
        yield Platform(credit, brands, gateway, regulator)


async def seed_holders(brands: RunningService, codes: list[str]) -> None:
    """A standing quality-frontrunner award for each enterprise (setup, untimed)."""
    at = datetime.now(UTC)
    async with brands.runtime.session_factory() as session:
        for code in codes:
            application_id = await session.scalar(
                insert(Application)
                .values(
                    programme="quality_frontrunner",
                    policy_version="bench",
                    round="2026",
                    credit_code=code,
                    enterprise_name=f"基准企业{code[-6:]}",
                    region_code=code[2:8],
                    statement="bench",
                    stage="certification",
                    status="granted",
                    applied_at=at,
                )
                .returning(Application.id)
            )
            await session.execute(
                insert(Award).values(
                    application_id=application_id,
                    programme="quality_frontrunner",
                    round="2026",
                    credit_code=code,
                    enterprise_name=f"基准企业{code[-6:]}",
                    tier="award",
                    status="granted",
                    granted_on=at.date(),
                    reasons="bench",
                )
            )
        await session.commit()


class Arrivals:
    """A consumer group of the benchmark's own on `qgov.brands`: when each enterprise's
    award.suspended arrives."""

    def __init__(self, settings: BrandsSettings) -> None:
        self.topic = f"{settings.kafka_topic_prefix}qgov.brands"
        self.consumer = new_consumer(settings, f"{settings.kafka_topic_prefix}bench.arrivals")
        self.assigned = PartitionsAssigned()
        self.waiting: dict[str, asyncio.Future[float]] = {}

    async def run(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=1000)
            at = now()
            for records in batches.values():
                for record in records:
                    if dict(record.headers).get("ce_type") != SUSPENDED.encode():
                        continue
                    subject = json.loads(record.value)["subject"]
                    waiting = self.waiting.get(subject)
                    if waiting is not None and not waiting.done():
                        waiting.set_result(at)


async def shown_suspended(gateway: RunningService, code: str, within: float) -> float:
    """When the enterprise's public profile first shows an award suspended."""
    deadline = now() + within
    while now() < deadline:
        response = await gateway.client.get(f"/api/v1/enterprises/{code}/profile")
        awards = response.json()["awards"] if response.status_code == 200 else []
        if any(award["status"] == "suspended" for award in awards):
            return now()
        await asyncio.sleep(PROFILE_POLL_S)
    raise TimeoutError(f"the profile of {code} never showed its award suspended")


async def listing_to_suspension(
    platform: Platform, arrivals: Arrivals, code: str, within: float
) -> tuple[float, float, float]:
    """Seconds from the POST's answer (the listing committed) to award.suspended on the
    topic and to the profile showing it, and the POST's own seconds."""
    arrivals.waiting[code] = asyncio.get_running_loop().create_future()
    penalty = {
        "credit_code": code,
        "kind": "serious_penalty",
        "occurred_on": datetime.now(UTC).date().isoformat(),
        "note": "生产销售不合格产品，情节严重",
    }
    started = now()
    response = await platform.credit.client.post(
        "/api/v1/credit/records", json=penalty, headers=platform.regulator
    )
    committed = now()
    if response.status_code != 201:
        raise RuntimeError(f"record refused: {response.status_code} {response.text[:300]}")
    shown = await shown_suspended(platform.gateway, code, within)
    arrived = await asyncio.wait_for(arrivals.waiting[code], within)
    return arrived - committed, shown - committed, committed - started


async def measure_one(stack: TestStack, samples: int, run: int) -> dict[str, Any]:
    async with platform(stack) as running:
        raw = await raw_round_trips(running.brands.settings, samples)
        codes = [credit_code(run * 100_000 + serial, REGION) for serial in range(samples + 1)]
        await seed_holders(running.brands, codes)
        arrivals = Arrivals(running.brands.settings)
        arrivals.consumer.subscribe(topics=[arrivals.topic], listener=arrivals.assigned)
        await arrivals.consumer.start()
        reader = asyncio.create_task(arrivals.run())
        try:
            await asyncio.wait_for(arrivals.assigned.event.wait(), 30)
            timed = [
                await listing_to_suspension(
                    running, arrivals, code, WARM_UP_TIMEOUT_S if i == 0 else ARRIVAL_TIMEOUT_S
                )
                for i, code in enumerate(codes)
            ][1:]  # the first warms the chain
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            await arrivals.consumer.stop()
    ms = 1000.0
    latencies = [seconds for seconds, _, _ in timed]
    shown = [seconds for _, seconds, _ in timed]
    return {
        "suspend_p50": percentile(latencies, 50) * ms,
        "suspend_p99": percentile(latencies, 99) * ms,
        "profile_p50": percentile(shown, 50) * ms,
        "profile_p99": percentile(shown, 99) * ms,
        "post_p50": percentile([post for _, _, post in timed], 50) * ms,
        "raw_p50": percentile(raw, 50) * ms,
        "raw_p99": percentile(raw, 99) * ms,
        "arrived": len(timed),
    }


ROWS = (
    Row(
        "listing commit → award.suspended p50",
        "ms",
        "suspend_p50",
        "raw_p50",
        "raw produce → consume",
    ),
    Row(
        "listing commit → award.suspended p99",
        "ms",
        "suspend_p99",
        "raw_p99",
        "raw produce → consume",
    ),
    Row(
        "listing commit → suspended on the profile p50",
        "ms",
        "profile_p50",
        "raw_p50",
        "raw produce → consume",
    ),
    Row(
        "listing commit → suspended on the profile p99",
        "ms",
        "profile_p99",
        "raw_p99",
        "raw produce → consume",
    ),
)
QUICK = {"samples": 20, "runs": 1}
FULL = {"samples": 100, "runs": 3}


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.brands", __doc__)
    parser.add_argument("--samples", type=int, help="listings timed per run (100; quick 20)")
    parser.add_argument("--runs", type=int, help="runs, each on fresh databases (3; quick 1)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parse_sizes(parser, argv, QUICK, FULL)
    with stack_session(args.verbose) as (stack, _):
        runs = asyncio.run(
            repeat_runs(stack, args.runs, lambda run: measure_one(stack, args.samples, run))
        )
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    table, ratios = ratio_table(
        f"brands: suspension on listing, {args.samples} samples, median of {len(runs)} run(s)",
        ROWS,
        runs,
        medians,
        lambda value, unit: f"{value:,.1f}",
    )
    console.print(table)
    console.print(
        "ratio = QGov ÷ baseline (lower is better); QGov's chain to the topic is two hops "
        "(credit's relay → brands' consumer and relay → the topic), to the profile three (→ "
        "the gateway's read model), the baseline one; the listing's POST itself "
        f"took {medians['post_p50']:.1f} ms (p50), not counted",
        highlight=False,
    )
    ok = all(run["arrived"] == args.samples for run in runs)
    if args.json:
        figures = {"runs": runs, "medians": medians, "ratios": ratios, "ok": ok}
        args.json.write_text(json.dumps(figures, indent=2))
    console.print(
        f"check: every award.suspended arrived and showed on its profile ({args.samples} a run) "
        "— " + ("ok" if ok else "MISSING"),
        style="green" if ok else "red",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
