"""Every service's memory: its resident set size idle and after a load, against the 200 MB limit.

    python -m bench.memory [--complaints 3000] [--quick] [--json FILE]

Starts PostgreSQL and the broker, then every installed service under uvicorn in its own process,
as `make run` does: relays and consumers on, one topic prefix for all, the gateway routing to the
others and the others trusting its keys. Once all answer /readyz, each process's RSS is read
(idle). The load then files N complaints (投诉) through the gateway, each against one of the
bench's enterprises, which the complaints service publishes, credit's intake and the gateway's
read model consume; and reads every enterprise's profile through the gateway, twice. When every
filed complaint has reached both consumers, RSS is read again (after the load).

RSS is VmRSS from /proc (Linux): the process's pages in memory, shared libraries included. A
service's figure is its process's and its relay process's together (qgov_shared.relay_process).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg
import httpx
from rich.table import Table
from sqlalchemy.engine import make_url

from bench.common import bench_parser, console, parse_sizes, stack_session
from bench.complaints import CREDIT_CODES, complaint_bodies
from bench.servers import (
    Server,
    children_of,
    server_env,
    start_uvicorn,
    stop_process,
    wait_ready,
)
from qgov_shared.devstack.embedded import free_port
from qgov_shared.service import ServiceSpec, installed_services
from qgov_shared.testing.stack import TestStack

LIMIT_MB = 200
APPLIED_TIMEOUT_S = 180.0
QUICK = {"complaints": 300}


def rss_mb(pid: int) -> float:
    """A service's resident memory: its process's and its relay process's."""
    return sum(_own_rss_mb(process) for process in [pid, *children_of(pid)])


def _own_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def environments(
    stack: TestStack, databases: dict[str, str], ports: dict[str, int]
) -> dict[str, dict[str, str]]:
    """Each service's environment: its own database, the shared topics, the gateway's keys."""
    prefix = f"m{uuid.uuid4().hex[:10]}."
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    upstreams = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    envs = {}
    for name, database in databases.items():
        env = server_env(stack, database)
        env.update(
            QGOV_KAFKA_TOPIC_PREFIX=prefix,
            QGOV_RUN_CONSUMERS="true",
            QGOV_JWKS_URL=f"{gateway}/.well-known/jwks.json",
            QGOV_UPSTREAM_URLS=json.dumps(upstreams),
        )
        envs[name] = env
    return envs


@contextlib.asynccontextmanager
async def platform(stack: TestStack, work_dir: Path):
    """Every installed service running; {name: Server}."""
    specs: dict[str, ServiceSpec] = {spec.name: spec for spec in installed_services()}
    databases = {name: await stack.create_database(spec) for name, spec in specs.items()}
    ports = {name: free_port() for name in specs}
    servers: dict[str, Server] = {}
    try:
        for name, env in environments(stack, databases, ports).items():
            app = specs[name].app_factory
            log = work_dir / f"{name}.log"
            process = start_uvicorn(app, ports[name], env, log)
            servers[name] = Server("127.0.0.1", ports[name], process, log)
        for server in servers.values():
            await wait_ready(server)
        yield servers, databases
    finally:
        for server in servers.values():
            stop_process(server.process)
        for database in databases.values():
            await stack.drop_database(database)


async def load(gateway: Server, count: int) -> int:
    """File `count` complaints through the gateway, then read each enterprise's profile twice."""
    bodies = complaint_bodies(date.today())
    headers = {"content-type": "application/json"}
    filed = 0
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30.0) as client:
        for start in range(0, count, 50):
            answers = await asyncio.gather(
                *(
                    client.post(
                        "/api/v1/complaints", content=bodies[i % len(bodies)], headers=headers
                    )
                    for i in range(start, min(count, start + 50))
                )
            )
            filed += sum(answer.status_code == 201 for answer in answers)
        for _ in range(2):
            for code in CREDIT_CODES:
                await client.get(f"/api/v1/enterprises/{code}/profile")
    return filed


async def wait_applied(stack: TestStack, databases: dict[str, str], filed: int) -> float:
    """Seconds until credit and the gateway have each processed every filed complaint's event."""
    started = time.perf_counter()
    consumers = {name: databases[name] for name in ("credit", "gateway") if name in databases}
    while True:
        counts = [await _processed(stack, database) for database in consumers.values()]
        if all(count >= filed for count in counts):
            return time.perf_counter() - started
        if time.perf_counter() - started > APPLIED_TIMEOUT_S:
            raise TimeoutError(f"applied {counts} of {filed} after {APPLIED_TIMEOUT_S}s")
        await asyncio.sleep(0.5)


async def _processed(stack: TestStack, database: str) -> int:
    url = make_url(stack.database_url).set(drivername="postgresql", database=database)
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM processed_events WHERE event_type LIKE 'qgov.complaints.%'"
        )
    finally:
        await connection.close()


async def measure(stack: TestStack, work_dir: Path, complaints: int) -> dict:
    async with platform(stack, work_dir) as (servers, databases):
        await asyncio.sleep(2.0)  # past start-up's imports and first connections
        idle = {name: rss_mb(server.process.pid) for name, server in servers.items()}
        filed = await load(servers["gateway"], complaints)
        applied_s = await wait_applied(stack, databases, filed)
        after = {name: rss_mb(server.process.pid) for name, server in servers.items()}
    return {"idle": idle, "after": after, "filed": filed, "applied_s": applied_s}


def report(figures: dict, complaints: int) -> dict:
    table = Table(title=f"RSS per service, idle and after {complaints:,} complaints and reads")
    for name in ("service", "idle MB", "after MB", "limit MB", "within"):
        table.add_column(name, justify="left" if name == "service" else "right")
    for name, idle in figures["idle"].items():
        after = figures["after"][name]
        within = "yes" if max(idle, after) < LIMIT_MB else "NO"
        table.add_row(name, f"{idle:.0f}", f"{after:.0f}", str(LIMIT_MB), within)
    console.print(table)
    console.print(
        f"filed {figures['filed']:,} through the gateway; credit and the gateway applied them "
        f"{figures['applied_s']:.1f}s after the last answer. RSS = VmRSS, shared libraries "
        "included.",
        style="dim",
    )
    largest = max(figures["after"].values())
    return {
        **figures,
        "medians": {"largest_after_mb": largest, "largest_idle_mb": max(figures["idle"].values())},
        "ratios": {},
        "ok": largest < LIMIT_MB,
    }


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.memory", __doc__)
    parser.add_argument("--complaints", type=int, help="complaints to file (default 3000)")
    parser.add_argument("--quick", action="store_true", help="a smaller load, for a smoke run")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--verbose", action="store_true", help="log the stack's progress")
    args = parse_sizes(parser, argv, QUICK, {"complaints": 3_000})
    if args.complaints <= 0:
        parser.error("--complaints must be positive")
    import uvloop

    with stack_session(args.verbose, keep_logs_on_error=True) as (stack, work_dir):
        measured = uvloop.run(measure(stack, work_dir, args.complaints))
    figures = report(measured, args.complaints)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
