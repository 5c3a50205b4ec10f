"""The gateway's read model at the issue's size: profile reads, credit-feed pages at depth, and
how long a filing or a regulator's record takes to show in it, each against a baseline taken in
the same run.

    python -m bench.gateway [--enterprises 10000] [--feed 1000000] [--runs 3] [--quick]

Starts PostgreSQL and the broker once (or uses QGOV_DATABASE_URL / QGOV_KAFKA_BOOTSTRAP_SERVERS),
seeds one gateway database (setup, untimed in the tables): E enterprise profiles, ~5 complaints
and reports each in `submission_views`, a few grade changes each and a feed of F more credit
changes over ~20 regions (40% in 韶关, 4402xx), COPYed in, then VACUUM ANALYZE. Then, each run:

    (1) profile read: GET /api/v1/enterprises/{code}/profile for random codes, anonymous, from
        C keep-alive connections in a closed loop, against the gateway under uvicorn (one
        worker, consumers and webhook dispatcher off)   vs  bench.baseline_profile_app, one
        primary-key SELECT of the same row through asyncpg, same uvicorn: req/s, p50, p99, CPU
    (2) credit feed: GET /api/v1/feeds/credit?after=D&limit=100 one after another at depths
        D = 0, F/10, F, as a regulator of 440200 and as an admin: p50/p99 per depth, as a
        ratio to depth 0 — a cursor page should cost the same at any depth
    (3) end to end, complaints + credit + gateway in this process on one topic namespace:
        a regulator's record (POST /api/v1/credit/records through the gateway) until its
        grade change is in the feed, and an anonymous complaint filed through the gateway until
        it counts in the profile, polled every 10 ms   vs  a raw aiokafka produce → consume
        round trip with the same fetch wait

and prints medians over the runs with the ratios (the median of per-run ratios), and checks:
every profile answered 200, sampled profiles match the seeded rows, every feed page holds the
100 cursors the database says it should, every record and complaint arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvicorn
from rich.table import Table
from sqlalchemy.engine import make_url

from bench.common import (
    PartitionsAssigned,
    Row,
    bench_parser,
    console,
    parse_sizes,
    percentile,
    ratio_table,
    ratio_text,
    repeat_runs,
    stack_session,
)
from bench.journey_stages import STAGES, Journey, Sample, stage_medians
from bench.servers import (
    RawConnection,
    Server,
    cpu_in_use,
    cpu_seconds,
    serve,
    server_env,
    stop_all,
)
from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as create_complaints
from qgov_credit import SERVICE as CREDIT
from qgov_credit.main import CreditSettings
from qgov_credit.main import create_app as create_credit
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway import accounts, profile_documents
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_gateway.profile_documents import HISTORY_SHOWN
from qgov_shared.db import create_engine, create_session_factory
from qgov_shared.devstack.embedded import free_port
from qgov_shared.kafka import ensure_topics, new_consumer, new_producer
from qgov_shared.settings import database_url_for
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import compute_check_character

log = logging.getLogger("bench.gateway")
now = time.perf_counter

GATEWAY_APP = "qgov_gateway.main:create_app"
BASELINE_APP = "bench.baseline_profile_app:create_app"
PROFILE_PATH = "/api/v1/enterprises/{}/profile"
FEED_PATH = "/api/v1/feeds/credit"
PAGE = 100
SHAOGUAN = "440200"  # the regulator's prefecture: its feed is the 4402xx codes
SHAOGUAN_COUNTIES = (
    "440203",
    "440204",
    "440205",
    "440222",
    "440224",
    "440229",
    "440232",
    "440233",
    "440281",
    "440282",
)
OTHER_REGIONS = (
    "440103",
    "440106",
    "440303",
    "440304",
    "440604",
    "110105",
    "310115",
    "330106",
    "510107",
    "320102",
)
REGIONS = SHAOGUAN_COUNTIES + OTHER_REGIONS
REGION_WEIGHTS = [4.0] * len(SHAOGUAN_COUNTIES) + [6.0] * len(OTHER_REGIONS)  # 40% in 4402xx
FEED_TAIL = 5_000  # changes past the deepest cursor read, so its pages are full
FEED_SERIALS = 5_000_000  # feed-only enterprises are numbered from here (profiles from 0)
PROFILES_CHECKED = 20
PAGE_WARM_UP_ROUNDS = 10
GRADE_CHANGED = "qgov.credit.grade.changed.v1"
COMPLAINT_FILED = "qgov.complaints.complaint.filed.v1"
FETCH_WAIT_MS = 10  # kafka_fetch_max_wait_ms for every consumer in (3); the default is 100
POLL_S = 0.010
ARRIVAL_TIMEOUT_S = 30.0
WARM_UP_TIMEOUT_S = 60.0
SEED = 20261121


@dataclass(frozen=True)
class Options:
    enterprises: int
    feed: int
    requests: int
    warmup: int
    concurrency: int
    pages: int
    samples: int
    runs: int

    @property
    def depths(self) -> tuple[int, ...]:
        return (0, self.feed // 10, self.feed)


# --- seeding -----------------------------------------------------------------------------------


def credit_code(region_code: str, serial: int) -> str:
    body = f"91{region_code}MA{serial:07d}"
    return body + compute_check_character(body)


@dataclass(frozen=True)
class Expected:
    """What an enterprise's public profile should show, as seeded."""

    grade: str
    complaints_received: int
    history: int


@dataclass
class Seeded:
    codes: list[str]
    expected: dict[str, Expected]
    changes: int
    submissions: int
    seconds: float
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)  # reader → id, secret


def grade_of(score: int) -> str:
    return "A" if score >= 90 else "B" if score >= 75 else "C" if score >= 60 else "D"


def reason(rng: random.Random, record_id: int) -> dict[str, Any]:
    kind, points = rng.choice(
        [("penalty", -15), ("inspection_failed", -5), ("substantiated_complaint", -2)]
    )
    return {
        "record_id": record_id,
        "kind": kind,
        "severity": "general",
        "points": points,
        "effective_on": "2026-03-02",
        "counts_until": "2029-03-01",
        "public": rng.random() < 0.7,
    }


class Seeder:
    """The rows of one gateway database, drawn from a fixed seed."""

    def __init__(self, options: Options, at: datetime) -> None:
        self.rng = random.Random(SEED)
        self.at = at
        regions = self.rng.choices(REGIONS, REGION_WEIGHTS, k=options.enterprises)
        self.codes = [credit_code(region, n) for n, region in enumerate(regions)]
        self.expected: dict[str, Expected] = {}
        self.submissions = 0
        self.options = options

    def profiles(self) -> Iterator[tuple]:
        rng, at = self.rng, self.at
        for code in self.codes:
            score = rng.randint(40, 100)
            listing = (
                {
                    "listed_on": "2026-05-11",
                    "reason": "serious_penalty",
                    "earliest_delisting_on": "2027-05-11",
                    "joint_punishment": ["barred_from_quality_awards"],
                }
                if rng.random() < 0.03
                else None
            )
            reasons = [reason(rng, rng.randrange(10**6)) for _ in range(rng.randint(0, 3))]
            self.expected[code] = Expected(grade_of(score), 0, 0)
            yield (
                code,
                f"韶关某{code[-8:-1]}电器有限公司",
                "event",
                code[2:8],
                grade_of(score),
                score,
                "2026.1",
                json.dumps(reasons, ensure_ascii=False),
                at - timedelta(days=rng.randrange(300)),
                json.dumps(listing, ensure_ascii=False) if listing else None,
                at - timedelta(days=400),
                at - timedelta(hours=rng.randrange(2000)),
            )

    def submissions_rows(self) -> Iterator[tuple]:
        rng, at = self.rng, self.at
        complaint_statuses = ("submitted", "accepted", "mediated", "mediation_failed", "rejected")
        report_statuses = ("submitted", "case_opened", "not_opened")
        for code in self.codes:
            received = 0
            for _ in range(rng.randint(3, 7)):
                kind = "complaint" if rng.random() < 0.85 else "report"
                received += kind == "complaint"
                filed = at - timedelta(hours=rng.randrange(8000))
                statuses = complaint_statuses if kind == "complaint" else report_statuses
                self.submissions += 1
                yield (
                    f"T{self.submissions:014d}",
                    code,
                    kind,
                    code[2:8],
                    rng.choice(("electronics", "food", "clothing", "services")),
                    rng.choice(statuses),
                    filed + timedelta(days=3),
                    filed + timedelta(days=8) if rng.random() < 0.05 else None,
                    filed,
                )
            self.expected[code] = Expected(self.expected[code].grade, received, 0)

    def history_rows(self) -> Iterator[tuple]:
        """A few grade changes per profile: the first cursors of the feed."""
        rng = self.rng
        for code in self.codes:
            changes = rng.randint(1, 4)
            score = 100
            for step in range(changes):
                previous, score = score, max(0, score - rng.choice((2, 5, 15)))
                yield self._change(code, previous, score, self.at - timedelta(days=60 - step))
            expected = self.expected[code]
            self.expected[code] = Expected(
                expected.grade, expected.complaints_received, min(changes, HISTORY_SHOWN)
            )

    def feed_rows(self, count: int) -> Iterator[tuple]:
        """`count` more changes over a population of feed-only enterprises, oldest first."""
        rng = self.rng
        population = [
            credit_code(region, FEED_SERIALS + n)
            for n, region in enumerate(
                rng.choices(REGIONS, REGION_WEIGHTS, k=max(1_000, count // 20))
            )
        ]
        reasons = [
            json.dumps([reason(rng, n)], ensure_ascii=False) for n in range(200)
        ]  # a pool: drawing 1M JSON documents would cost more than the COPY
        started = self.at - timedelta(seconds=count)
        for n in range(count):
            previous = rng.randint(20, 100)
            score = max(0, previous - rng.choice((2, 5, 15)))
            code = rng.choice(population)
            yield self._change(
                code, previous, score, started + timedelta(seconds=n), rng.choice(reasons)
            )

    def _change(
        self, code: str, previous: int, score: int, at: datetime, reasons: str | None = None
    ) -> tuple:
        if reasons is None:
            reasons = json.dumps([reason(self.rng, 1)], ensure_ascii=False)
        return (code, code[2:8], grade_of(previous), grade_of(score), previous, score, at, reasons)


PROFILE_COLUMNS = [
    "credit_code",
    "name",
    "named_by",
    "region_code",
    "grade",
    "score",
    "rule_version",
    "reasons",
    "graded_at",
    "listing",
    "first_seen_at",
    "updated_at",
]
SUBMISSION_COLUMNS = [
    "tracking_number",
    "credit_code",
    "kind",
    "handling_region_code",
    "category",
    "status",
    "status_at",
    "overdue_at",
    "filed_at",
]
CHANGE_COLUMNS = [  # `cursor` is GENERATED ALWAYS: the COPY leaves it to the identity
    "credit_code",
    "region_code",
    "previous_grade",
    "grade",
    "previous_score",
    "score",
    "changed_at",
    "reasons",
]


async def seed(dsn: str, settings: GatewaySettings, options: Options) -> Seeded:
    """Profiles, submissions, each profile's few changes, then the feed's F + tail, and each
    profile's stored documents, built by the gateway as at its start; ANALYZEd."""
    started = now()
    seeder = Seeder(options, datetime.now(UTC))
    connection = await asyncpg.connect(dsn)
    try:
        copy = connection.copy_records_to_table
        await copy("enterprise_profiles", records=seeder.profiles(), columns=PROFILE_COLUMNS)
        await copy(
            "submission_views", records=seeder.submissions_rows(), columns=SUBMISSION_COLUMNS
        )
        await copy("credit_changes", records=seeder.history_rows(), columns=CHANGE_COLUMNS)
        await copy(
            "credit_changes",
            records=seeder.feed_rows(options.feed + FEED_TAIL),
            columns=CHANGE_COLUMNS,
        )
        await connection.executemany(
            "INSERT INTO source_watermarks VALUES ($1, $2, $3, $4, $5)",
            [
                (source, uuid.uuid4().hex, kind, seeder.at, 10**6)
                for source, kind in (
                    ("/qgov/complaints", "qgov.complaints.complaint.filed.v1"),
                    ("/qgov/credit", "qgov.credit.grade.changed.v1"),
                )
            ],
        )
        await store_documents(settings)
        await connection.execute(
            "VACUUM (ANALYZE) enterprise_profiles, submission_views, credit_changes,"
            " profile_documents"
        )
        changes = await connection.fetchval("SELECT count(*) FROM credit_changes")
    finally:
        await connection.close()
    return Seeded(
        seeder.codes, seeder.expected, changes, seeder.submissions, seconds=now() - started
    )


async def store_documents(settings: GatewaySettings) -> None:
    """The profile documents of the COPYed profiles, as a gateway stores them at start."""
    engine = create_engine(settings)
    try:
        session_factory = create_session_factory(engine)
        await profile_documents.rebuild_stale(lambda: UnitOfWork(session_factory))
    finally:
        await engine.dispose()


async def create_readers(settings: GatewaySettings) -> dict[str, tuple[str, str]]:
    """A regulator of 440200 and an admin, as OAuth2 clients in the gateway's database."""
    engine = create_engine(settings)
    try:
        async with create_session_factory(engine)() as session:
            at = datetime.now(UTC)
            regulator = await accounts.create_client(
                session, at, role="regulator", name="韶关监管（bench）", regions=[SHAOGUAN]
            )
            admin = await accounts.create_client(session, at, role="admin", name="bench admin")
            await session.commit()
    finally:
        await engine.dispose()
    return {"regulator": regulator, "admin": admin}


# --- HTTP load ---------------------------------------------------------------------------------


@dataclass
class Load:
    """A timed closed-loop load: N answered requests, their latencies, the server's CPU."""

    answered: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failed: int
    first_error: str
    server_cpu_ms: float

    @property
    def rate(self) -> float:
        return self.answered / self.seconds


def get_request(server: Server, path: str, token: str | None = None) -> bytes:
    authorization = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"GET {path} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n{authorization}\r\n".encode()
    )


async def closed_loop(
    connections: list[RawConnection], requests: list[bytes]
) -> tuple[list[float], list[str]]:
    """Every request once, from one task per connection, each sending its next request when
    the last is answered; the latencies (ms) and what did not answer 200."""
    latencies: list[float] = []
    failures: list[str] = []
    indexes = iter(range(len(requests)))

    async def worker(connection: RawConnection) -> None:
        for index in indexes:
            started = now()
            status, body = await connection.request(requests[index])
            latencies.append((now() - started) * 1000)
            if status != 200:
                failures.append(f"{status} {body[:300].decode(errors='replace')}")

    await asyncio.gather(*(worker(connection) for connection in connections))
    return latencies, failures


async def profile_load(server: Server, codes: list[str], options: Options, run: int) -> Load:
    """A warm-up, then `requests` profile reads of random codes from `concurrency`
    connections; the same codes in the same order for both apps of a run."""
    rng = random.Random(SEED + run)
    draw = rng.choices(codes, k=options.warmup + options.requests)
    requests = [get_request(server, PROFILE_PATH.format(code)) for code in draw]
    connections = [
        await RawConnection.open(server.host, server.port) for _ in range(options.concurrency)
    ]
    try:
        _, warm_up_failures = await closed_loop(connections, requests[: options.warmup])
        if warm_up_failures:
            raise RuntimeError(f"warm-up failed: {warm_up_failures[0]}")
        cpu, started = cpu_seconds(server.process.pid), now()
        latencies, failures = await closed_loop(connections, requests[options.warmup :])
        seconds, cpu_used = now() - started, cpu_seconds(server.process.pid)
    finally:
        for connection in connections:
            connection.close()
    known = cpu is not None and cpu_used is not None
    server_cpu = (cpu_used - cpu) * 1000 / options.requests if known else float("nan")
    return Load(
        answered=len(latencies),
        seconds=seconds,
        p50_ms=percentile(latencies, 50),
        p99_ms=percentile(latencies, 99),
        failed=len(failures),
        first_error=failures[0] if failures else "",
        server_cpu_ms=server_cpu,
    )


# --- (1) profile reads, (2) feed pages ------------------------------------------------------


def gateway_env(stack: TestStack, database: str) -> dict[str, str]:
    return server_env(stack, database) | {
        "QGOV_RUN_WEBHOOK_DISPATCHER": "false",
        "QGOV_ENVIRONMENT": "test",
    }


async def check_profiles(server: Server, seeded: Seeded, run: int) -> list[str]:
    """Sampled profiles, read anonymously, against what was seeded: what differs."""
    problems = []
    sample = random.Random(SEED - run).sample(
        seeded.codes, min(PROFILES_CHECKED, len(seeded.codes))
    )
    async with httpx.AsyncClient(base_url=server.url, timeout=10.0) as client:
        for code in sample:
            response = await client.get(PROFILE_PATH.format(code))
            if response.status_code != 200:
                problems.append(f"{code}: {response.status_code}")
                continue
            profile, expected = response.json(), seeded.expected[code]
            got = Expected(
                profile["credit"]["grade"],
                profile["complaints"]["complaints_received"],
                len(profile["credit"]["history"]),
            )
            if profile["credit_code"] != code or got != expected:
                problems.append(f"{code}: {got} where {expected} was seeded")
    return problems


async def check_baseline(server: Server, seeded: Seeded) -> list[str]:
    code = seeded.codes[0]
    async with httpx.AsyncClient(base_url=server.url, timeout=10.0) as client:
        response = await client.get(PROFILE_PATH.format(code))
    if response.status_code != 200 or response.json()["credit_code"] != code:
        return [f"baseline {code}: {response.status_code} {response.text[:200]}"]
    return []


async def tokens(server: Server, clients: dict[str, tuple[str, str]]) -> dict[str, str]:
    """An access token for each reader, from POST /oauth/token."""
    issued = {}
    async with httpx.AsyncClient(base_url=server.url, timeout=30.0) as client:
        for reader, (client_id, secret) in clients.items():
            form = {
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
            }
            response = await client.post("/oauth/token", data=form)
            if response.status_code != 200:
                raise RuntimeError(f"no token for {reader}: {response.text[:300]}")
            issued[reader] = response.json()["access_token"]
    return issued


async def expected_page(connection: asyncpg.Connection, reader: str, after: int) -> list[str]:
    """The cursors the page should hold, straight from the table."""
    scope = "AND left(region_code, 4) = '4402'" if reader == "regulator" else ""
    rows = await connection.fetch(
        f"SELECT cursor FROM credit_changes WHERE cursor > $1 {scope} ORDER BY cursor LIMIT $2",
        after,
        PAGE,
    )
    return [str(row["cursor"]) for row in rows]


def page_problem(body: bytes, reader: str, expected: list[str]) -> str | None:
    page = json.loads(body)
    cursors = [item["cursor"] for item in page["items"]]
    if len(cursors) != PAGE or cursors != expected or page["next_cursor"] != cursors[-1]:
        return f"{len(cursors)} items from {cursors[:1]}, expected {PAGE} from {expected[:1]}"
    if reader == "regulator" and any(
        not item["region_code"].startswith("4402") for item in page["items"]
    ):
        return "a change outside 4402xx in the regulator's page"
    return None


async def page_latencies(
    server: Server, requests: dict[Any, bytes], rounds: int
) -> tuple[dict[Any, list[float]], dict[Any, bytes]]:
    """`rounds` reads of each page, one after another on one connection, taking the pages in
    turn so that whatever else the machine does falls on all of them alike; each page's
    latencies (ms) and last body. The untimed rounds first take each statement past the
    custom plans PostgreSQL makes for its first executions on a connection (5), to the plan
    it settles on, as in service."""
    connection = await RawConnection.open(server.host, server.port)
    latencies: dict[Any, list[float]] = {key: [] for key in requests}
    bodies: dict[Any, bytes] = {}
    try:
        for round_ in range(PAGE_WARM_UP_ROUNDS + rounds):
            for key, request in requests.items():
                started = now()
                status, bodies[key] = await connection.request(request)
                if status != 200:
                    raise RuntimeError(f"feed page answered {status}: {bodies[key][:300]!r}")
                if round_ >= PAGE_WARM_UP_ROUNDS:
                    latencies[key].append((now() - started) * 1000)
    finally:
        connection.close()
    return latencies, bodies


async def measure_feed(
    server: Server, seeded: Seeded, dsn: str, options: Options
) -> tuple[dict[str, float], list[str]]:
    """Each reader's page at each depth, p50 and p99; and whether each held what it should."""
    issued = await tokens(server, seeded.clients)
    requests = {
        (reader, depth): get_request(server, f"{FEED_PATH}?after={depth}&limit={PAGE}", token)
        for reader, token in issued.items()
        for depth in options.depths
    }
    latencies, bodies = await page_latencies(server, requests, options.pages)
    figures: dict[str, float] = {}
    problems: list[str] = []
    connection = await asyncpg.connect(dsn)
    try:
        for (reader, depth), timed in latencies.items():
            figures[f"feed_{reader}_{depth}_p50"] = percentile(timed, 50)
            figures[f"feed_{reader}_{depth}_p99"] = percentile(timed, 99)
            expected = await expected_page(connection, reader, depth)
            if problem := page_problem(bodies[reader, depth], reader, expected):
                problems.append(f"{reader} after {depth:,}: {problem}")
    finally:
        await connection.close()
    return figures, problems


async def measure_reads(
    stack: TestStack, database: str, seeded: Seeded, options: Options, work_dir: Path, run: int
) -> dict[str, Any]:
    """(1) the baseline app, then the gateway, on the seeded database; (2) on the gateway."""
    env = gateway_env(stack, database)
    async with serve(BASELINE_APP, env, work_dir / f"baseline-{run}.log") as server:
        baseline = await profile_load(server, seeded.codes, options, run)
        problems = await check_baseline(server, seeded)
    async with serve(GATEWAY_APP, env, work_dir / f"gateway-{run}.log") as server:
        gateway = await profile_load(server, seeded.codes, options, run)
        problems += await check_profiles(server, seeded, run)
        feed, feed_problems = await measure_feed(server, seeded, _dsn(stack, database), options)
    for side, load in (("baseline", baseline), ("gateway", gateway)):
        if load.failed:
            problems.append(f"{side}: {load.failed} requests failed; first {load.first_error}")
    return feed | {
        "profile_rate": gateway.rate,
        "profile_p50": gateway.p50_ms,
        "profile_p99": gateway.p99_ms,
        "profile_cpu": gateway.server_cpu_ms,
        "baseline_rate": baseline.rate,
        "baseline_p50": baseline.p50_ms,
        "baseline_p99": baseline.p99_ms,
        "baseline_cpu": baseline.server_cpu_ms,
        "read_problems": problems + feed_problems,
    }


def _dsn(stack: TestStack, database: str) -> str:
    url = make_url(database_url_for(stack.database_url, database)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


# --- (3) end to end ------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def http_server(app) -> AsyncIterator[str]:
    """An app whose lifespan already runs (run_service runs it), over real HTTP in this process."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await _until(lambda: server.started, task, "an HTTP server to listen", 10.0)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class Platform:
    gateway: RunningService
    regulator: dict[str, str]  # headers
    complaints: RunningService
    credit: RunningService

    def journey(self, stack: TestStack, source: RunningService, event_type: str) -> Journey:
        [consumer] = self.gateway.runtime.consumers
        return Journey(
            event_type,
            source_dsn=_dsn(stack, source.settings.database_name),
            reader_dsn=_dsn(stack, self.gateway.settings.database_name),
            reader_group=consumer.subscription.group_id,
        )


@contextlib.asynccontextmanager
async def platform(stack: TestStack) -> AsyncIterator[Platform]:
    """complaints, credit and gateway in this process, as test_end_to_end wires them: one topic
    namespace, the gateway routing to the other two over HTTP, every consumer assigned."""
    common = {
        "kafka_topic_prefix": f"b{uuid.uuid4().hex[:10]}.",
        "kafka_fetch_max_wait_ms": FETCH_WAIT_MS,
        "log_level": "WARNING",
        "outbox_relay_process": True,  # as a service runs it (the test kit's is on a thread)
    }
    prefix = common["kafka_topic_prefix"]
    # The topics exist before the consumers subscribe, so none waits for a metadata refresh.
    await ensure_topics(
        stack.settings(GatewaySettings, "unused", **common),
        [f"{prefix}qgov.complaints", f"{prefix}qgov.credit"],
    )
    async with (
        run_service(stack, COMPLAINTS, create_complaints, ComplaintsSettings, **common) as one,
        run_service(stack, CREDIT, create_credit, CreditSettings, **common) as two,
        http_server(one.app) as complaints_url,
        http_server(two.app) as credit_url,
        run_service(
            stack,
            GATEWAY,
            create_gateway,
            GatewaySettings,
            upstream_urls={"complaints": complaints_url, "credit": credit_url},
            run_webhook_dispatcher=False,
            **common,
        ) as gateway,
    ):
        for service in (one, two):  # they trust the gateway's tokens (its JWKS in production)
            service.app.state.token_verifier = gateway.app.state.token_verifier
        for service in (one, two, gateway):
            await service.consumers_assigned()
        yield Platform(gateway, await _regulator(gateway), complaints=one, credit=two)


async def _regulator(gateway: RunningService) -> dict[str, str]:
    async with gateway.runtime.session_factory() as session:
        client_id, secret = await accounts.create_client(
            session, datetime.now(UTC), role="regulator", name="韶关监管", regions=[SHAOGUAN]
        )
        await session.commit()
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    response = await gateway.client.post("/oauth/token", data=form)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def penalty(code: str) -> dict[str, Any]:
    return {
        "credit_code": code,
        "kind": "penalty",
        "severity": "general",
        "occurred_on": datetime.now(UTC).date().isoformat(),
        "note": "抽查不合格后行政处罚",
    }


def complaint(code: str) -> dict[str, Any]:
    return {
        "complainant": {
            "name": "张三",
            "phone": "13812345678",
            "address": "广东省韶关市武江区某路1号",
        },
        "respondent": {"name": f"韶关某电器有限公司{code[-5:]}", "credit_code": code},
        "request": "退货退款",
        "facts": "电饭煲买来三天就无法加热，商家拒绝退货。",
        "category": "electronics",
        "region_code": "440203",
    }


@dataclass
class Arrival:
    """One timed sample: from the POST's start to the poll that first saw its effect."""

    seconds: float
    post_seconds: float
    credit_code: str
    started_at: float  # wall clock, to set beside the databases' timestamps

    def sample(self) -> Sample:
        at = self.started_at
        return Sample(self.credit_code, at, at + self.post_seconds, at + self.seconds)


async def record_to_feed(platform: Platform, code: str, after: str, within: float) -> Arrival:
    """A penalty for `code`, entered through the gateway, until its grade change is in the
    regulator's feed (read on from `after`, every POLL_S)."""
    client, headers = platform.gateway.client, platform.regulator
    started, started_at = now(), time.time()
    entered = await client.post("/api/v1/credit/records", json=penalty(code), headers=headers)
    posted = now()
    if entered.status_code != 201:
        raise RuntimeError(f"record refused: {entered.status_code} {entered.text[:300]}")
    deadline = started + within
    while True:
        params = {"after": after, "limit": 1000}
        page = (await client.get(FEED_PATH, params=params, headers=headers)).json()
        for item in page["items"]:
            if item["credit_code"] == code:
                if item["score"] >= item["previous_score"]:
                    raise RuntimeError(f"a penalty did not lower {code}'s score: {item}")
                return Arrival(now() - started, posted - started, code, started_at)
        after = page["next_cursor"] or after
        if now() > deadline:
            raise TimeoutError(f"{code}'s grade change not in the feed after {within:.0f}s")
        await asyncio.sleep(POLL_S)


async def complaint_to_profile(platform: Platform, code: str, within: float) -> Arrival:
    """An anonymous complaint about `code`, filed through the gateway, until the profile
    counts it (polled every POLL_S)."""
    client = platform.gateway.client
    started, started_at = now(), time.time()
    filed = await client.post("/api/v1/complaints", json=complaint(code))
    posted = now()
    if filed.status_code != 201:
        raise RuntimeError(f"complaint refused: {filed.status_code} {filed.text[:300]}")
    deadline = started + within
    while True:
        response = await client.get(PROFILE_PATH.format(code))
        if response.status_code == 200 and (
            response.json()["complaints"]["complaints_received"] == 1
        ):
            return Arrival(now() - started, posted - started, code, started_at)
        if now() > deadline:
            raise TimeoutError(f"the complaint about {code} not in its profile after {within:.0f}s")
        await asyncio.sleep(POLL_S)


async def raw_round_trips(settings: GatewaySettings, count: int) -> list[float]:
    """`count` messages of ~0.9 KB, one at a time: `send_and_wait`, then until a consumer
    group's `getmany` returns it (same producer and consumer settings as the services)."""
    topic = f"{settings.kafka_topic_prefix}bench.round-trip"
    await ensure_topics(settings, [topic])
    producer = new_producer(settings)
    consumer = new_consumer(settings, f"{settings.kafka_topic_prefix}bench.round-trip")
    assigned = PartitionsAssigned()
    consumer.subscribe(topics=[topic], listener=assigned)
    arrived: dict[int, asyncio.Future[float]] = {}
    value = json.dumps(complaint(credit_code("440203", 1)), ensure_ascii=False).encode() * 2

    async def consume() -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=1000)
            at = now()
            for records in batches.values():
                for record in records:
                    waiting = arrived.get(int(dict(record.headers)["seq"]))
                    if waiting is not None and not waiting.done():
                        waiting.set_result(at)

    async def round_trip(seq: int, within: float) -> float:
        arrived[seq] = asyncio.get_running_loop().create_future()
        started = now()
        await producer.send_and_wait(topic, value, key=b"k", headers=[("seq", str(seq).encode())])
        return await asyncio.wait_for(arrived[seq], within) - started

    await producer.start()
    await consumer.start()
    reader = asyncio.create_task(consume())
    try:
        await _until(assigned.event.is_set, reader, "the round-trip group's assignment", 30.0)
        await round_trip(-1, WARM_UP_TIMEOUT_S)
        return [await round_trip(seq, ARRIVAL_TIMEOUT_S) for seq in range(count)]
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
        await consumer.stop()
        await producer.stop()


async def measure_latency(stack: TestStack, options: Options) -> dict[str, Any]:
    """(3): the raw round trips, then N records and N complaints, one at a time, each about an
    enterprise of its own; one untimed of each first (its pipeline's first events)."""
    async with platform(stack) as running:
        raw = await raw_round_trips(running.gateway.settings, options.samples)
        after = "0"
        records = []
        for serial in range(options.samples + 1):
            code = credit_code("440203", 100_000 + serial)
            within = WARM_UP_TIMEOUT_S if serial == 0 else ARRIVAL_TIMEOUT_S
            records.append(await record_to_feed(running, code, after, within))
        complaints = []
        for serial in range(options.samples + 1):
            code = credit_code("440203", 200_000 + serial)
            within = WARM_UP_TIMEOUT_S if serial == 0 else ARRIVAL_TIMEOUT_S
            complaints.append(await complaint_to_profile(running, code, within))
        records, complaints = records[1:], complaints[1:]
        stages = {
            "record": await stage_medians(
                running.journey(stack, running.credit, GRADE_CHANGED),
                [arrival.sample() for arrival in records],
            ),
            "complaint": await stage_medians(
                running.journey(stack, running.complaints, COMPLAINT_FILED),
                [arrival.sample() for arrival in complaints],
            ),
        }
    ms = 1000.0
    return {
        **{
            f"{journey}_{stage}_p50": value
            for journey, medians in stages.items()
            for stage, value in medians.items()
        },
        "raw_p50": percentile(raw, 50) * ms,
        "raw_p99": percentile(raw, 99) * ms,
        "record_p50": percentile([a.seconds for a in records], 50) * ms,
        "record_p99": percentile([a.seconds for a in records], 99) * ms,
        "complaint_p50": percentile([a.seconds for a in complaints], 50) * ms,
        "complaint_p99": percentile([a.seconds for a in complaints], 99) * ms,
        "arrived": (len(records), len(complaints)),
    }


async def _until(condition: Callable[[], bool], task: asyncio.Task, what: str, within: float):
    """Poll `condition`; fail fast if `task` ended, or after `within` seconds."""
    deadline = now() + within
    while not condition():
        if task.done():
            task.result()
            raise RuntimeError(f"stopped while waiting for {what}")
        if now() > deadline:
            raise TimeoutError(f"timed out after {within:.0f}s waiting for {what}")
        await asyncio.sleep(0.01)


# --- one run -------------------------------------------------------------------------------------


async def measure(
    stack: TestStack, database: str, seeded: Seeded, options: Options, work_dir: Path, run: int
) -> dict[str, Any]:
    busy = await cpu_in_use()  # other work on the machine skews every figure
    started = now()
    figures = await measure_reads(stack, database, seeded, options, work_dir, run)
    log.info("run %d: reads done in %.1fs", run, now() - started)
    started = now()
    figures |= await measure_latency(stack, options)
    log.info("run %d: end to end done in %.1fs", run, now() - started)
    return figures | {"busy_before": busy}


# --- the report ----------------------------------------------------------------------------------


def feed_rows(options: Options) -> tuple[Row, ...]:
    rows = []
    for reader, who in (("regulator", "regulator 440200"), ("admin", "admin")):
        for depth in options.depths[1:]:
            for stat in ("p50", "p99"):
                rows.append(
                    Row(
                        f"(2) page {stat}, {who}, after {depth:,}",
                        "ms",
                        f"feed_{reader}_{depth}_{stat}",
                        f"feed_{reader}_0_{stat}",
                        "after 0",
                    )
                )
    return tuple(rows)


PROFILE_ROWS = (
    Row("(1) profile read throughput", "req/s", "profile_rate", "baseline_rate", "bare PK SELECT"),
    Row("(1) profile read p50", "ms", "profile_p50", "baseline_p50", "bare PK SELECT"),
    Row("(1) profile read p99", "ms", "profile_p99", "baseline_p99", "bare PK SELECT"),
    Row("(1) server CPU per read", "ms CPU", "profile_cpu", "baseline_cpu", "bare PK SELECT"),
)


@dataclass(frozen=True)
class Target:
    """Issue #10's target for one row: met when `met(median figure, median ratio)`."""

    label: str
    unit: str
    qgov: str
    baseline: str
    target: str
    met: Callable[[float, float], bool]


TARGETS = (
    Target(
        "(1) profile read throughput",
        "req/s",
        "profile_rate",
        "baseline_rate",
        "ratio ≥ 0.5",
        lambda _, ratio: ratio >= 0.5,
    ),
    Target(
        "(3) complaint → profile p99",
        "ms",
        "complaint_p99",
        "raw_p99",
        "≤ 40 ms",
        lambda figure, _: figure <= 40,
    ),
    Target(
        "(3) record → feed p99",
        "ms",
        "record_p99",
        "raw_p99",
        "≤ 50 ms",
        lambda figure, _: figure <= 50,
    ),
)


def target_table(medians: dict[str, float], ratios: dict[str, float]) -> tuple[Table, dict]:
    """The rows issue #10 sets targets for: figure, baseline, ratio, target, met."""
    table = Table(title="issue #10 targets for the gateway's rows, medians")
    for name in ("measure", "unit", "QGov", "baseline", "ratio", "target", "met"):
        table.add_column(name, justify="right" if name in ("QGov", "baseline", "ratio") else "left")
    met = {}
    for target in TARGETS:
        figure, ratio = medians[target.qgov], ratios[target.qgov]
        met[target.qgov] = target.met(figure, ratio)
        table.add_row(
            target.label,
            target.unit,
            _figure(figure, target.unit),
            _figure(medians[target.baseline], target.unit),
            ratio_text(ratio),
            target.target,
            "yes" if met[target.qgov] else "no",
        )
    return table, met


LATENCY_ROWS = (
    Row("(3) record → feed p50", "ms", "record_p50", "raw_p50", "raw produce → consume"),
    Row("(3) record → feed p99", "ms", "record_p99", "raw_p99", "raw produce → consume"),
    Row("(3) complaint → profile p50", "ms", "complaint_p50", "raw_p50", "raw produce → consume"),
    Row("(3) complaint → profile p99", "ms", "complaint_p99", "raw_p99", "raw produce → consume"),
)
LEGEND = """\
(1) GET /api/v1/enterprises/{{code}}/profile, anonymous, random codes, {concurrency} keep-alive
    connections in a closed loop ({warmup} warm-up + {requests:,} timed), uvicorn 1 worker,
    uvloop + httptools, pool 10 (+10); the gateway reads the enterprise's stored public
    document and the source watermarks in one asyncpg statement and sends the document as it
    is, the sources added; the baseline (bench/baseline_profile_app.py) one asyncpg SELECT of
    the profile row
(2) GET /api/v1/feeds/credit?after=D&limit=100 on the same server, {pages} reads of each
    (reader, depth) page one after another on one connection, the pages taken in turn, after
    {warm} untimed rounds; ratio = depth D ÷ depth 0 (1.0: the page costs the same at any depth)
(3) one process: complaints + credit served over HTTP by in-process uvicorn, the gateway over
    httpx's ASGI transport; outbox relays woken by each commit's NOTIFY (a 1 s poll as the
    fallback), every consumer's kafka_fetch_max_wait_ms = {fetch} (default 100); the gateway's
    read model applies each chunk of events in one transaction and stores the profile
    documents it touched; one sample at a time, {samples} each, each
    about a new enterprise, the effect polled every {poll:.0f} ms; record: POST
    /api/v1/credit/records (penalty, general) → credit's outbox → grade.changed → gateway →
    the regulator's feed; complaint: anonymous POST /api/v1/complaints → complaints' outbox →
    complaint.filed → gateway → complaints_received in the public profile; raw: aiokafka
    send_and_wait of ~0.9 KB → a consumer group's getmany, same settings"""


def report(
    runs: list[dict[str, Any]], seeded: Seeded, options: Options, about: dict[str, Any]
) -> dict:
    numeric = [
        {k: v for k, v in run.items() if isinstance(v, int | float) and not isinstance(v, bool)}
        for run in runs
    ]
    medians = {key: statistics.median(run[key] for run in numeric) for key in numeric[0]}
    ratios: dict[str, float] = {}
    tables = (
        (f"(1) profile read, {options.enterprises:,} enterprises", PROFILE_ROWS),
        (f"(2) credit feed page at depth, {seeded.changes:,} changes", feed_rows(options)),
        ("(3) end to end, through the gateway", LATENCY_ROWS),
    )
    for title, rows in tables:
        table, table_ratios = ratio_table(
            f"{title}, median of {len(runs)} run(s)", rows, numeric, medians, _figure
        )
        console.print(table)
        ratios |= table_ratios
    targets, met = target_table(medians, ratios)
    console.print(targets)
    console.print(
        "ratio = QGov ÷ baseline, the median of per-run ratios (req/s: higher is better; "
        "ms: lower is better)",
        style="bold",
    )
    console.print(
        LEGEND.format(
            concurrency=options.concurrency,
            warmup=options.warmup,
            requests=options.requests,
            pages=options.pages,
            warm=PAGE_WARM_UP_ROUNDS,
            fetch=FETCH_WAIT_MS,
            samples=options.samples,
            poll=POLL_S * 1000,
        ),
        style="dim",
        highlight=False,
    )
    deepest = options.depths[-1]
    console.print(
        f"(2) page p50 after {deepest:,} ÷ after 0: "
        + ", ".join(
            f"{reader} {ratios[f'feed_{reader}_{deepest}_p50']:.2f}"
            for reader in ("regulator", "admin")
        ),
        style="bold",
        highlight=False,
    )
    console.print(
        f"seeding, setup only: {seeded.seconds:.1f}s for {options.enterprises:,} profiles, "
        f"{seeded.submissions:,} submissions, {seeded.changes:,} credit changes",
        highlight=False,
    )
    for journey in ("record", "complaint"):
        console.print(
            f"(3) where a {journey}'s time goes, p50 ms (bench/journey_stages.py): "
            + " · ".join(f"{stage} {medians[f'{journey}_{stage}_p50']:.1f}" for stage in STAGES),
            highlight=False,
        )
    problems = [problem for run in runs for problem in run["read_problems"]]
    arrived = [run["arrived"] for run in runs]
    ok = not problems and all(pair == (options.samples,) * 2 for pair in arrived)
    console.print(
        f"check: every profile read answered 200, {PROFILES_CHECKED} sampled profiles match the "
        f"seed, every feed page holds the {PAGE} cursors the table says, "
        f"{options.samples} records and {options.samples} complaints arrived per run — "
        + ("ok" if ok else "PROBLEMS:\n  " + "\n  ".join(problems[:20] or map(str, arrived))),
        style="green" if ok else "red",
        highlight=False,
    )
    console.print("; ".join(f"{k} {v}" for k, v in about.items()), style="dim", highlight=False)
    return {
        "about": about,
        "runs": runs,
        "medians": medians,
        "ratios": ratios,
        "targets_met": met,
        "ok": ok,
    }


def _figure(value: float, unit: str) -> str:
    if value != value:
        return "—"
    if unit == "req/s":
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


# --- the command ---------------------------------------------------------------------------------


QUICK = {
    "enterprises": 1_000,
    "feed": 100_000,
    "requests": 600,
    "warmup": 100,
    "pages": 50,
    "samples": 20,
    "runs": 1,
}
"""What --quick shrinks, for smoke runs; explicit arguments still win."""
FULL = {
    "enterprises": 10_000,
    "feed": 1_000_000,
    "requests": 10_000,
    "warmup": 1_000,
    "pages": 200,
    "samples": 100,
    "runs": 3,
}


def parse_options(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = bench_parser("python -m bench.gateway", __doc__)
    add = parser.add_argument
    add("--enterprises", type=int, help="E, enterprise profiles seeded (10000)")
    add("--feed", type=int, help="F, credit changes in the feed; depths 0, F/10, F (1000000)")
    add("--requests", type=int, help="timed profile reads per app (10000)")
    add("--warmup", type=int, help="untimed profile reads first (1000)")
    add("--concurrency", type=int, default=32, help="connections reading profiles (32)")
    add("--pages", type=int, help="timed reads of each feed page (200)")
    add("--samples", type=int, help="N, records and complaints timed end to end (100)")
    add("--runs", type=int, help="runs to take the median of (3)")
    add("--quick", action="store_true", help=f"smaller sizes for a smoke run: {QUICK}")
    add("--json", type=Path, help="also write every figure to this JSON file")
    add("-v", "--verbose", action="store_true", help="log each step")
    args = parse_sizes(parser, argv, QUICK, FULL)
    sizes = (args.enterprises, args.feed, args.requests, args.concurrency, args.pages)
    if min(*sizes, args.samples, args.runs) <= 0 or args.warmup < 0 or args.feed < 10:
        parser.error("sizes must be positive (and --feed at least 10)")
    options = Options(
        enterprises=args.enterprises,
        feed=args.feed,
        requests=args.requests,
        warmup=args.warmup,
        concurrency=args.concurrency,
        pages=args.pages,
        samples=args.samples,
        runs=args.runs,
    )
    return options, args


async def _measure_all(
    stack: TestStack, options: Options, work_dir: Path
) -> tuple[Seeded, list[dict[str, Any]]]:
    database = await stack.create_database(GATEWAY)
    try:
        settings = stack.settings(GatewaySettings, database)
        seeded = await seed(_dsn(stack, database), settings, options)
        seeded.clients = await create_readers(settings)
        console.print(
            f"[dim]seeded {options.enterprises:,} profiles, {seeded.submissions:,} submissions "
            f"and {seeded.changes:,} credit changes in {seeded.seconds:.1f}s[/dim]"
        )
        runs = await repeat_runs(
            stack,
            options.runs,
            lambda run: measure(stack, database, seeded, options, work_dir, run),
        )
    finally:
        await stack.drop_database(database)
    return seeded, runs


def main(argv: list[str] | None = None) -> int:
    options, args = parse_options(argv)
    try:
        with stack_session(args.verbose, on_stop=stop_all, keep_logs_on_error=True) as (
            stack,
            work_dir,
        ):
            console.print(
                f"[dim]stack up: broker {stack.bootstrap_servers}; {options.runs} run(s) of "
                f"E={options.enterprises:,}, F={options.feed:,}, N={options.samples}[/dim]"
            )
            import uvloop

            seeded, runs = uvloop.run(_measure_all(stack, options, work_dir))
    except KeyboardInterrupt:
        console.print("[yellow]interrupted; the servers and the stack are stopped[/yellow]")
        return 130

    about = {
        "cores": os.cpu_count(),
        "runs": options.runs,
        "broker": "embedded tansu" if stack.embedded_broker else "external",
        "load generator": "raw keep-alive HTTP/1.1 client over uvloop, in this process",
        "CPU in use before each run, ours idle": ", ".join(
            "?" if run["busy_before"] is None else f"{run['busy_before']:.0%}" for run in runs
        ),
    }
    figures = report(runs, seeded, options, about)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
