"""Complaint filing over real HTTP: the complaints service against a bare FastAPI app doing one
asyncpg INSERT, both under uvicorn on the same stack, in one run.

    python -m bench.complaints [--requests 3000] [--concurrency 32] [--runs 3] [--quick]

Starts PostgreSQL and the broker once (or uses QGOV_DATABASE_URL / QGOV_KAFKA_BOOTSTRAP_SERVERS),
then, in every run, for each app in turn, on a fresh database:

    baseline   python -m uvicorn bench.baseline_insert_app:create_app --factory ...
    floor      python -m uvicorn bench.floor_insert_app:create_app --factory ...
    service    python -m uvicorn qgov_complaints.main:create_app --factory ...

one process each, one worker, uvloop + httptools, on a free port. The service runs as in
production (its outbox relay publishing to the broker; consumers off). A load generator then
posts a realistic complaint (投诉) to `POST /api/v1/complaints` from C keep-alive connections,
each sending its next request when the last is answered: a warm-up, then N timed requests.

The load generator (`--generator`, default auto) is `wrk` with a Lua script when `wrk` is on
PATH, else a minimal keep-alive HTTP/1.1 client over uvloop in this process ("raw", ~40 µs of
CPU a request). httpx is there too (`--generator httpx`, one AsyncClient per connection) but
it is no load generator on two cores: ~1 ms of CPU a request, so against the baseline it
measures itself (0.75k req/s where the raw client gets 2.1k; one AsyncClient with 32
connections: 0.3k). Any of them shares the cores with the server, PostgreSQL and the broker;
the report gives its own CPU use.

Prints medians over the runs of req/s, p50, p99 and the server process's CPU time per request
for each, with service ÷ baseline ratios (the median of per-run ratios), and checks that every
filed complaint wrote exactly one outbox row, which the relay published. The floor is the
baseline plus only what the performance issue keeps (the outbox row in the complaint's
transaction and its relay, a CloudEvent, telemetry on), with the bare clients: it shows what
that behaviour costs on this stack, and the service ÷ floor ratio what QGov's layers add.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from rich.table import Table
from sqlalchemy.engine import make_url

from bench.common import (
    bench_parser,
    console,
    parse_sizes,
    percentile,
    ratio,
    ratio_text,
    repeat_runs,
    stack_session,
)
from bench.servers import (
    RawConnection,
    Send,
    Server,
    cpu_in_use,
    cpu_seconds,
    serve,
    server_env,
    stop_all,
)
from qgov_complaints import SERVICE
from qgov_shared.db import ensure_database
from qgov_shared.settings import database_url_for
from qgov_shared.testing.stack import TestStack

log = logging.getLogger("bench.complaints")
now = time.perf_counter

REPO = Path(__file__).resolve().parents[1]
PATH = "/api/v1/complaints"
HEADERS = {"Content-Type": "application/json"}
SERVICE_APP = "qgov_complaints.main:create_app"
BASELINE_APP = "bench.baseline_insert_app:create_app"
FLOOR_APP = "bench.floor_insert_app:create_app"
SIDES = ("baseline", "floor", "service")
CREDIT_CODES = ("91350100M000100Y43", "91110000802100433B", "9144030071526726XG")
REGION_CODE = "440203"
CATEGORY = "electronics"
PUBLISHED_TIMEOUT_S = 30.0
WRK_MAX_S = 300  # wrk's own -d: the Lua script stops it after N responses, long before this


# --- what is posted ---------------------------------------------------------------------------


def complaint_bodies(today: date) -> list[bytes]:
    """One JSON complaint per respondent credit code, ~1.6 KB each in UTF-8."""
    bought = today - timedelta(days=40)
    bodies = []
    for index, code in enumerate(CREDIT_CODES):
        complaint = {
            "complainant": {
                "name": "张伟",
                "phone": f"1380013{8000 + index:04d}",
                "address": "广东省韶关市武江区沿江路18号翠湖花园3栋1单元502室",
            },
            "respondent": {
                "name": "韶关市武江区恒达家用电器销售有限公司",
                "address": "广东省韶关市武江区新华南路66号恒达电器城一楼",
                "credit_code": code,
            },
            "request": "要求商家为本人办理退货并全额退还货款2999元，赔偿往返维修产生的交通费"
            "和误工损失共计300元，并就销售翻新机的行为作出书面道歉。",
            "facts": (
                f"本人于{bought:%Y年%m月%d日}在被投诉人门店购买某品牌65英寸液晶电视一台，"
                "价款2999元，当场支付并取得销售发票。电视安装后第五天开机出现屏幕闪烁、"
                "画面出现竖条纹，联系商家后售后人员上门检测称系主板故障，更换主板后问题依旧，"
                "且本人发现机身背部标签的生产日期早于商家宣称的新品上市日期，怀疑所购电视为"
                "翻新机。此后本人多次前往门店及拨打客服电话要求退货，商家以已超过七日无理由"
                "退货期限为由拒绝，仅同意再次维修。依据《消费者权益保护法》第二十四条及"
                "《部分商品修理更换退货责任规定》，商品自售出之日起十五日内发生性能故障的，"
                "消费者可以选择退货。现商家拒不履行三包义务，特向贵局投诉，请求依法调解。"
            ),
            "category": CATEGORY,
            "region_code": REGION_CODE,
            "amount": "2999.00",
            "incident_on": bought.isoformat(),
            "known_harm_on": (bought + timedelta(days=5)).isoformat(),
            "evidence": [
                {"name": "销售发票.jpg", "media_type": "image/jpeg", "size_bytes": 482_113},
                {"name": "故障视频.mp4", "media_type": "video/mp4", "size_bytes": 9_830_400},
            ],
        }
        bodies.append(json.dumps(complaint, ensure_ascii=False).encode())
    return bodies


# --- the servers under test -------------------------------------------------------------------


# --- the load generators ----------------------------------------------------------------------


@dataclass
class Load:
    """What one timed load did: N answered requests, their latencies, what went wrong."""

    answered: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failed: int = 0
    sent: int = 0  # requests written; wrk may have a few more in flight when it stops
    first_error: str = ""
    server_cpu_ms: float = float("nan")  # the server process's CPU time per answered request
    generator_cpu: float = float("nan")  # the load generator's CPU, in cores, while timed

    @property
    def rate(self) -> float:
        return self.answered / self.seconds


@dataclass
class Options:
    requests: int
    concurrency: int
    runs: int
    warmup: int
    generator: str  # "wrk", "raw" or "httpx"
    wrk: str | None = None
    bodies: list[bytes] = field(default_factory=list)


async def closed_loop(senders: list[Send], total: int) -> Load:
    """`total` requests from one task per sender, each sending its next request when the last
    is answered (what wrk does with -c connections)."""
    latencies: list[float] = []
    failures: list[str] = []
    indexes = iter(range(total))

    async def worker(send: Send) -> None:
        for index in indexes:
            started = now()
            status, body = await send(index)
            latencies.append(now() - started)
            if status != 201:
                failures.append(f"{status} {body[:300].decode(errors='replace')}")

    started = now()
    await asyncio.gather(*(worker(send) for send in senders))
    seconds = now() - started
    ms = [latency * 1000 for latency in latencies]
    return Load(
        answered=total,
        seconds=seconds,
        p50_ms=percentile(ms, 50),
        p99_ms=percentile(ms, 99),
        failed=len(failures),
        sent=total,
        first_error=failures[0] if failures else "",
    )


def raw_requests(host: str, port: int, bodies: list[bytes]) -> list[bytes]:
    return [
        f"POST {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        for body in bodies
    ]


def httpx_sender(client: httpx.AsyncClient, bodies: list[bytes]) -> Send:
    async def send(index: int) -> tuple[int, bytes]:
        response = await client.post(PATH, content=bodies[index % len(bodies)], headers=HEADERS)
        return response.status_code, response.content

    return send


WRK_SCRIPT = """\
-- Written by bench.complaints: POST the complaints in turn; stop after {total} responses.
local bodies = {{
{bodies}
}}
local headers = {{ ["Content-Type"] = "application/json" }}
-- wrk 4.1 has no clock for scripts: CLOCK_MONOTONIC through LuaJIT's FFI.
local ffi = require("ffi")
ffi.cdef[[
typedef struct {{ long tv_sec; long tv_nsec; }} qgov_timespec;
int clock_gettime(int clock_id, qgov_timespec *tp);
]]
local timespec = ffi.new("qgov_timespec")
local function now_us()
  ffi.C.clock_gettime(1, timespec)
  return math.floor(tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000)
end
local total = {total}
local threads = {{}}
sent, received, failed, started_us, finished_us, first_error = 0, 0, 0, 0, 0, ""

function setup(thread)
  table.insert(threads, thread)
end

function request()
  if sent == 0 then started_us = now_us() end
  sent = sent + 1
  return wrk.format("POST", nil, headers, bodies[(sent % #bodies) + 1])
end

function response(status, _, body)
  received = received + 1
  if status ~= 201 then
    failed = failed + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body, 1, 300) end
  end
  if received == total then
    finished_us = now_us()
    io.write("QGOV-DONE\\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local t = threads[1]
  io.write(string.format(
    'QGOV-RESULT {{"sent": %d, "received": %d, "failed": %d, "elapsed_us": %d,'
    .. ' "p50_us": %d, "p99_us": %d, "socket_errors": %d}}\\n',
    t:get("sent"), t:get("received"), t:get("failed"),
    t:get("finished_us") - t:get("started_us"),
    latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write("QGOV-ERROR " .. t:get("first_error") .. "\\n")
end
"""


def wrk_script(bodies: list[bytes], total: int) -> str:
    def long_string(body: bytes) -> str:
        text = body.decode()
        if "]==]" in text:
            raise ValueError("a body would end its Lua long string early")
        return f"  [==[{text}]==],"

    return WRK_SCRIPT.format(bodies="\n".join(map(long_string, bodies)), total=total)


async def wrk_load(url: str, options: Options, total: int, script_path: Path) -> Load:
    """`total` POSTs by wrk: one thread, `concurrency` connections; Lua counts the responses
    and stops the thread at `total`; then we interrupt wrk so it reports at once."""
    await asyncio.to_thread(script_path.write_text, wrk_script(options.bodies, total))
    process = await asyncio.create_subprocess_exec(
        options.wrk or "wrk",
        "-t1",
        f"-c{options.concurrency}",
        f"-d{WRK_MAX_S}s",
        "--timeout",
        "60s",
        "-s",
        str(script_path),
        url + PATH,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    result: dict[str, Any] = {}
    first_error, output = "", []
    try:
        assert process.stdout is not None
        async for raw in process.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            if line == "QGOV-DONE":
                process.send_signal(signal.SIGINT)  # wrk reports when interrupted
            elif line.startswith("QGOV-RESULT "):
                result = json.loads(line.removeprefix("QGOV-RESULT "))
            elif line.startswith("QGOV-ERROR "):
                first_error = line.removeprefix("QGOV-ERROR ")
            else:
                output.append(line)
        await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if not result or result["received"] < total:
        raise RuntimeError(
            f"wrk did not complete {total} requests ({result}):\n" + "\n".join(output[-20:])
        )
    return Load(
        answered=result["received"],
        seconds=result["elapsed_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        failed=result["failed"] + result["socket_errors"],
        sent=result["sent"],
        first_error=first_error,
    )


async def load(server: Server, options: Options, work_dir: Path) -> Load:
    """The warm-up, then the timed load, from `concurrency` connections opened beforehand
    (wrk opens its own for the timed load; the warm-up then comes from the raw client)."""
    host, port = server.host, server.port
    closers: list[Callable[[], Any]] = []
    try:
        if options.generator == "httpx":
            # One client per connection: a single AsyncClient's pool is slower still.
            senders = []
            for _ in range(options.concurrency):
                client = httpx.AsyncClient(base_url=server.url, timeout=60.0)
                closers.append(client.aclose)
                senders.append(httpx_sender(client, options.bodies))
        else:
            requests = raw_requests(host, port, options.bodies)
            senders = []
            for _ in range(options.concurrency):
                connection = await RawConnection.open(host, port)
                closers.append(connection.close)
                senders.append(connection.sender(requests))
        warm_up = await closed_loop(senders, options.warmup)
        if warm_up.failed:
            raise RuntimeError(f"{warm_up.failed} warm-up requests failed: {warm_up.first_error}")
        server_cpu, own_cpu, children_cpu = cpu_seconds(server.process.pid), *_own_cpu()
        started = now()
        if options.generator == "wrk":
            timed = await wrk_load(server.url, options, options.requests, work_dir / "post.lua")
        else:
            timed = await closed_loop(senders, options.requests)
        seconds = now() - started
        server_used, (own_used, children_used) = cpu_seconds(server.process.pid), _own_cpu()
        # wrk is our only child that ends while timed; this process only drives the load
        timed.generator_cpu = (own_used - own_cpu + children_used - children_cpu) / seconds
        if server_cpu is not None and server_used is not None:
            timed.server_cpu_ms = (server_used - server_cpu) * 1000 / timed.answered
    finally:
        for close in closers:
            if asyncio.iscoroutine(closed := close()):
                await closed
    if timed.failed:
        raise RuntimeError(f"{timed.failed} requests failed; the first: {timed.first_error}")
    return timed


def _own_cpu() -> tuple[float, float]:
    """This process's CPU time, and that of its children that have ended."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime


# --- one run: the baseline, then the service ------------------------------------------------


@dataclass
class Check:
    """Whether every filed complaint left exactly one row (and, for the service, one outbox
    row that the relay published)."""

    answered: int
    sent: int
    rows: int
    outbox: int | None = None
    published: int | None = None

    @property
    def ok(self) -> bool:
        rows_fit = self.answered <= self.rows <= self.sent  # sent == answered for httpx
        if self.outbox is None:
            return rows_fit
        return rows_fit and self.outbox == self.rows and self.published == self.outbox


async def measure_baseline(stack: TestStack, options: Options, work_dir: Path, run: int):
    name = f"bench_baseline_{uuid.uuid4().hex[:12]}"
    await ensure_database(database_url_for(stack.database_url, name))
    try:
        log_path = work_dir / f"baseline-{run}.log"
        async with serve(BASELINE_APP, server_env(stack, name), log_path) as server:
            timed = await load(server, options, work_dir)
        connection = await _connect(stack, name)
        try:
            rows = await connection.fetchval("SELECT count(*) FROM complaints")
        finally:
            await connection.close()
    finally:
        await stack.drop_database(name)
    return timed, Check(options.warmup + timed.answered, options.warmup + timed.sent, rows)


async def measure_service(stack: TestStack, options: Options, work_dir: Path, run: int):
    filed = "SELECT count(*) FROM submissions WHERE kind = 'complaint'"
    return await _measure_with_outbox(SERVICE_APP, filed, stack, options, work_dir, run)


async def measure_floor(stack: TestStack, options: Options, work_dir: Path, run: int):
    filed = "SELECT count(*) FROM complaints"
    return await _measure_with_outbox(FLOOR_APP, filed, stack, options, work_dir, run)


async def _measure_with_outbox(
    app: str, filed: str, stack: TestStack, options: Options, work_dir: Path, run: int
):
    """`app` on a database migrated as the complaints service's: its outbox and trigger."""
    name = await stack.create_database(SERVICE)
    try:
        log_path = work_dir / f"{app.split(':')[0]}-{run}.log"
        async with serve(app, server_env(stack, name), log_path) as server:
            timed = await load(server, options, work_dir)
            connection = await _connect(stack, name)
            try:
                check = await _outbox_check(connection, filed, options, timed)
            finally:
                await connection.close()
    finally:
        await stack.drop_database(name)
    return timed, check


async def _outbox_check(
    connection: asyncpg.Connection, filed: str, options: Options, timed: Load
) -> Check:
    """Counts the rows once they settle (wrk may leave requests in flight) and the running
    relay has published the outbox; untimed."""
    deadline = now() + PUBLISHED_TIMEOUT_S
    last = None
    while True:
        counts = tuple(
            await connection.fetchrow(
                f"SELECT ({filed}), count(*), count(published_at) FROM outbox_events"
            )
        )
        rows, outbox, published = counts
        if (published == outbox and counts == last) or now() > deadline:
            break
        last = counts
        await asyncio.sleep(0.2)
    return Check(
        options.warmup + timed.answered, options.warmup + timed.sent, rows, outbox, published
    )


async def _connect(stack: TestStack, database: str) -> asyncpg.Connection:
    url = make_url(database_url_for(stack.database_url, database)).set(drivername="postgresql")
    return await asyncpg.connect(url.render_as_string(hide_password=False))


async def measure(stack: TestStack, options: Options, work_dir: Path, run: int) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    sides = (("baseline", measure_baseline), ("floor", measure_floor), ("service", measure_service))
    for side, measure_side in sides:
        started = now()
        timed, check = await measure_side(stack, options, work_dir, run)
        figures |= {
            f"{side}_rate": timed.rate,
            f"{side}_p50": timed.p50_ms,
            f"{side}_p99": timed.p99_ms,
            f"{side}_cpu": timed.server_cpu_ms,
            f"{side}_generator_cpu": timed.generator_cpu,
            f"{side}_check": check,
        }
        log.info("run %d: %s done in %.1fs", run, side, now() - started)
    return figures


# --- the report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    unit: str
    key: str


ROWS = (
    Row("complaint filing throughput", "req/s", "rate"),
    Row("latency p50", "ms", "p50"),
    Row("latency p99", "ms", "p99"),
    Row("server CPU per request", "ms CPU", "cpu"),
)


def report(runs: list[dict[str, Any]], options: Options, about: dict[str, Any]) -> dict:
    """Print the table; return every figure (per run, medians, ratios) for --json."""
    numbers = [
        {k: v for k, v in run.items() if k.startswith(tuple(f"{side}_" for side in SIDES))}
        for run in runs
    ]
    numbers = [{k: v for k, v in run.items() if not k.endswith("_check")} for run in numbers]
    medians = {key: statistics.median(run[key] for run in numbers) for key in numbers[0]}
    table = Table(
        title=f"Complaint filing over HTTP vs a bare FastAPI INSERT, median of {len(runs)} run(s)"
    )
    for name in ("measure", "unit", "service", "baseline", "ratio", "per run"):
        justify = "right" if name in ("service", "baseline", "ratio") else "left"
        table.add_column(name, justify=justify, no_wrap=name == "measure")
    ratios: dict[str, float] = {}
    for row in ROWS:
        per_run = [ratio(run[f"service_{row.key}"], run[f"baseline_{row.key}"]) for run in runs]
        ratios[row.key] = statistics.median(per_run)
        table.add_row(
            row.label,
            row.unit,
            _figure(medians[f"service_{row.key}"], row.unit),
            _figure(medians[f"baseline_{row.key}"], row.unit),
            ratio_text(ratios[row.key]),
            " ".join(ratio_text(ratio) for ratio in per_run),
        )
    console.print(table)
    console.print(_floor_table(runs, medians, ratios))
    console.print(
        "ratio = service ÷ baseline, the median of per-run ratios (req/s: higher is better; "
        "ms: lower is better)",
        style="bold",
    )
    console.print(
        f"service: qgov_complaints under uvicorn, outbox relay on, consumers off\n"
        f"baseline: bench.baseline_insert_app, one asyncpg INSERT … RETURNING, same uvicorn\n"
        f"both: 1 worker, uvloop + httptools, pool 10 (+10), fresh database per measure; "
        f"{options.warmup} warm-up + {options.requests:,} timed requests each",
        style="dim",
        highlight=False,
    )
    checks = _check_lines(runs)
    all_ok = all(run[f"{side}_check"].ok for run in runs for side in SIDES)
    console.print(checks, style="green" if all_ok else "red", highlight=False)
    facts = [f"{key}: {value}" for key, value in about.items()]
    console.print("\n".join(facts), style="dim", highlight=False)
    console.print(
        f"The load generator runs on the same {about['cores']} cores as uvicorn, PostgreSQL and "
        "the broker: it takes CPU from both sides, so compare ratios, not absolute req/s.",
        style="yellow",
        highlight=False,
    )
    if any((run["busy_before"] or 0) > BUSY for run in runs):
        console.print(
            f"Over {BUSY:.0%} of the CPU was in use before a run, with nothing of ours working: "
            "something else shares the cores (a test session?) and every figure carries it. "
            "Measure again when the machine is idle.",
            style="bold yellow",
            highlight=False,
        )
    return {
        "about": about,
        "runs": [{k: _plain(v) for k, v in run.items()} for run in runs],
        "medians": medians,
        "ratios": ratios,
        "checks_ok": all_ok,
    }


def _floor_table(
    runs: list[dict[str, Any]], medians: dict[str, float], ratios: dict[str, float]
) -> Table:
    """The floor beside both: what the kept behaviour costs, and what QGov adds to it. Its
    ratios go into `ratios` as floor_<row> (floor ÷ baseline) and over_floor_<row>."""
    table = Table(title="The floor: the baseline plus the outbox, its relay and telemetry")
    for name in ("measure", "unit", "floor", "floor ÷ baseline", "service ÷ floor"):
        table.add_column(name, justify="left" if name in ("measure", "unit") else "right")
    for row in ROWS:
        for name, (top, bottom) in (
            (f"floor_{row.key}", ("floor", "baseline")),
            (f"over_floor_{row.key}", ("service", "floor")),
        ):
            ratios[name] = statistics.median(
                ratio(run[f"{top}_{row.key}"], run[f"{bottom}_{row.key}"]) for run in runs
            )
        table.add_row(
            row.label,
            row.unit,
            _figure(medians[f"floor_{row.key}"], row.unit),
            ratio_text(ratios[f"floor_{row.key}"]),
            ratio_text(ratios[f"over_floor_{row.key}"]),
        )
    return table


def _check_lines(runs: list[dict[str, Any]]) -> str:
    def counted(check: Check) -> str:
        sent = f" of {check.sent:,} sent" if check.sent != check.answered else ""
        return f"{check.answered:,} answered{sent}"

    def verdict(check: Check) -> str:
        return "ok" if check.ok else "MISMATCH"

    lines = [
        f"check (warm-up included), {side}: outbox rows = complaints filed ≥ answered; "
        + "; ".join(
            f"{c.outbox:,} = {c.rows:,} ≥ {counted(c)}, {c.published:,} published {verdict(c)}"
            for c in (run[f"{side}_check"] for run in runs)
        )
        for side in ("service", "floor")
    ]
    lines.append("check, baseline: rows ≥ answered; ")
    lines[-1] += "; ".join(
        f"{c.rows:,} ≥ {counted(c)} {verdict(c)}" for c in (run["baseline_check"] for run in runs)
    )
    if any(
        run[f"{side}_check"].sent != run[f"{side}_check"].answered for run in runs for side in SIDES
    ):
        lines.append("(wrk stops with requests in flight; the server still files them)")
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    return vars(value) | {"ok": value.ok} if isinstance(value, Check) else value


def _figure(value: float, unit: str) -> str:
    if unit == "ms CPU":
        return f"{value:,.2f}"
    return f"{value:,.1f}" if unit == "ms" else f"{value:,.0f}"


# --- the command -------------------------------------------------------------------------------


QUICK = {"requests": 600, "runs": 1, "warmup": 100}
"""What --quick shrinks, for smoke runs; explicit arguments still win."""


def parse_options(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = bench_parser("python -m bench.complaints", __doc__)
    add = parser.add_argument
    add("--requests", type=int, help="N, timed requests per measure (3000)")
    add("--concurrency", type=int, default=32, help="C, concurrent connections (32)")
    add("--runs", type=int, help="runs to take the median of (3)")
    add("--warmup", type=int, help="untimed requests before each measure (300)")
    add(
        "--generator",
        choices=("auto", "wrk", "raw", "httpx"),
        default="auto",
        help="load generator: wrk if on PATH, else the raw uvloop client (auto)",
    )
    add("--quick", action="store_true", help=f"smaller sizes for a smoke run: {QUICK}")
    add("--json", type=Path, help="also write every figure to this JSON file")
    add("-v", "--verbose", action="store_true", help="log each step")
    args = parse_sizes(parser, argv, QUICK, {"requests": 3_000, "runs": 3, "warmup": 300})
    if min(args.requests, args.concurrency, args.runs) <= 0 or args.warmup < 0:
        parser.error("sizes must be positive")
    wrk = shutil.which("wrk")
    if args.generator == "wrk" and wrk is None:
        parser.error("--generator wrk: no wrk on PATH (Debian: apt-get install wrk)")
    generator = args.generator if args.generator != "auto" else ("wrk" if wrk else "raw")
    options = Options(
        requests=args.requests,
        concurrency=args.concurrency,
        runs=args.runs,
        warmup=args.warmup,
        generator=generator,
        wrk=wrk,
        bodies=complaint_bodies(date.today()),
    )
    return options, args


def generator_text(options: Options) -> str:
    c = options.concurrency
    if options.generator == "wrk":
        found = subprocess.run([options.wrk or "wrk", "-v"], capture_output=True, text=True)
        name = (found.stdout or found.stderr).split("[", 1)[0].strip() or "wrk"
        return f"{name} -t1 -c{c} with a Lua POST script (warm-up from the raw client)"
    if options.generator == "httpx":
        return f"httpx {version('httpx')} in this process, {c} AsyncClients of one connection"
    why = "" if options.wrk else " (wrk not on PATH)"
    return f"raw HTTP/1.1 client over uvloop in this process{why}, {c} connections"


BUSY = 0.15
"""More than this share of the cores in use while we are idle: someone else is measuring too."""


def _generator_cpu(runs: list[dict[str, Any]]) -> str:
    baseline, service = (
        statistics.median(run[f"{side}_generator_cpu"] for run in runs)
        for side in ("baseline", "service")
    )
    return f"{baseline:.2f} cores during the baseline, {service:.2f} during the service"


async def _measure_all(stack: TestStack, options: Options, work_dir: Path) -> list[dict]:
    async def measure_one(run: int) -> dict:
        busy = await cpu_in_use()  # other work on the machine skews every figure
        return await measure(stack, options, work_dir, run) | {"busy_before": busy}

    return await repeat_runs(stack, options.runs, measure_one)


def main(argv: list[str] | None = None) -> int:
    options, args = parse_options(argv)
    try:
        with stack_session(args.verbose, on_stop=stop_all, keep_logs_on_error=True) as (
            stack,
            work_dir,
        ):
            console.print(
                f"[dim]stack up: broker {stack.bootstrap_servers}; {options.runs} run(s) of "
                f"N={options.requests:,}, C={options.concurrency}; load from "
                f"{options.generator}[/dim]"
            )
            import uvloop

            runs = uvloop.run(_measure_all(stack, options, work_dir))
    except KeyboardInterrupt:
        console.print("[yellow]interrupted; the servers and the stack are stopped[/yellow]")
        return 130

    about = {
        "cores": os.cpu_count(),
        "load generator": generator_text(options),
        "body": f"{statistics.mean(map(len, options.bodies)):,.0f} B of JSON",
        "broker": "embedded tansu" if stack.embedded_broker else "external",
        "load generator's own CPU": _generator_cpu(runs),
        "CPU in use before each run, ours idle": ", ".join(
            "?" if run["busy_before"] is None else f"{run['busy_before']:.0%}" for run in runs
        ),
    }
    figures = report(runs, options, about)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if figures["checks_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
