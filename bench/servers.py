"""Servers under test for the HTTP benchmarks: an app under uvicorn in its own process, a
minimal keep-alive HTTP/1.1 client to load it, and the CPU figures that go with them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from qgov_shared.devstack.embedded import free_port
from qgov_shared.testing.stack import TestStack

now = time.perf_counter
REPO = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0
UVICORN = [
    "--factory",
    "--host",
    "127.0.0.1",
    "--workers",
    "1",
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--no-access-log",
    "--log-level",
    "warning",
]


SETTLED_SAMPLE_S = 0.25
SETTLED_CORES = 0.05  # idle: under 5% of a core over a sample

PROCESSES: list[subprocess.Popen] = []
"""Every server started, so that `main` can stop whatever an interrupted run left behind."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextlib.asynccontextmanager
async def serve(app: str, env: dict[str, str], log_path: Path) -> AsyncIterator[Server]:
    """`app` under uvicorn in its own process on a free port, once it answers /readyz and its
    start-up work is over."""
    port = free_port()
    process = start_uvicorn(app, port, env, log_path)
    PROCESSES.append(process)
    server = Server("127.0.0.1", port, process, log_path)
    try:
        await wait_ready(server)
        await wait_settled(server)
        yield server
    finally:
        stop_process(process)


def start_uvicorn(app: str, port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with log_path.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, *UVICORN, "--port", str(port)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only: we stop it, after the measures
        )


async def wait_ready(server: Server) -> None:
    deadline = now() + READY_TIMEOUT_S
    async with httpx.AsyncClient(base_url=server.url, timeout=2.0) as client:
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(f"the server exited at startup:\n{tail(server.log_path)}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            if now() > deadline:
                raise TimeoutError(f"not ready after {READY_TIMEOUT_S}s:\n{tail(server.log_path)}")
            await asyncio.sleep(0.1)


async def wait_settled(server: Server) -> None:
    """Until the server, its children included, is idle. A service answers /readyz while its
    relay process is still importing (~0.7-2 s of CPU): counted in a timed load, that start-up
    was ~0.3 ms of CPU a request over 3,000 requests."""
    deadline = now() + READY_TIMEOUT_S
    before = cpu_seconds(server.process.pid) or 0.0
    while now() < deadline:
        await asyncio.sleep(SETTLED_SAMPLE_S)
        after = cpu_seconds(server.process.pid) or 0.0
        if after - before < SETTLED_CORES * SETTLED_SAMPLE_S:
            return
        before = after
    raise TimeoutError(f"still busy {READY_TIMEOUT_S}s after start:\n{tail(server.log_path)}")


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM (uvicorn shuts down gracefully, the relay included), then SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ValueError):
        PROCESSES.remove(process)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def server_env(stack: TestStack, database: str) -> dict[str, str]:
    """This environment without any QGOV_ setting of its own, plus the ones for this measure."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QGOV_")}
    env.update(
        QGOV_DATABASE_URL=stack.database_url,
        QGOV_DATABASE_NAME=database,
        QGOV_KAFKA_BOOTSTRAP_SERVERS=stack.bootstrap_servers,
        QGOV_KAFKA_TOPIC_PREFIX=f"b{uuid.uuid4().hex[:10]}.",
        QGOV_RUN_CONSUMERS="false",
        QGOV_LOG_LEVEL="WARNING",
        # One load generator is one client: lift the per-client limit on public filing, so it
        # is still consulted on every request (its cost counts) but never refuses one.
        QGOV_PUBLIC_RATE_PER_MINUTE="1e12",
        QGOV_PUBLIC_RATE_BURST=str(10**12),
    )
    return env


Send = Callable[[int], Awaitable[tuple[int, bytes]]]
"""Sends request number i on one connection; its status and body."""


class RawConnection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection with one request in flight, for a load generator:
    requests are prebuilt bytes, responses need a Content-Length (uvicorn's always have one)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._answer: asyncio.Future[tuple[int, bytes]] | None = None

    @classmethod
    async def open(cls, host: str, port: int) -> RawConnection:
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(cls, host, port)
        return connection

    def sender(self, requests: list[bytes]) -> Send:
        def send(index: int) -> Awaitable[tuple[int, bytes]]:
            return self.request(requests[index % len(requests)])

        return send

    def request(self, data: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self.transport is not None
        self._answer = asyncio.get_running_loop().create_future()
        if self.transport.is_closing():
            self._answer.set_exception(ConnectionError("the server closed the connection"))
        else:
            self.transport.write(data)
        return self._answer

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        answer = self._answer
        end = self._buffer.find(b"\r\n\r\n")
        if answer is None or answer.done() or end < 0:
            return
        status_line, *headers = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
        length = next(
            (
                int(value)
                for name, _, value in (h.partition(":") for h in headers)
                if name.strip().lower() == "content-length"
            ),
            None,
        )
        if length is None:
            answer.set_exception(RuntimeError(f"no Content-Length in {status_line!r}"))
            return
        if len(self._buffer) < end + 4 + length:
            return
        body = bytes(self._buffer[end + 4 : end + 4 + length])
        del self._buffer[: end + 4 + length]
        answer.set_result((int(status_line.split(" ", 2)[1]), body))

    def connection_lost(self, exc: Exception | None) -> None:
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(ConnectionError(f"connection lost: {exc!r}"))

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time so far (Linux) of a process, the children it runs (a service's
    relay process) and those it has reaped; or None."""
    own = _cpu_of(pid, with_reaped=True)
    if own is None:
        return None
    return own + sum(_cpu_of(child) or 0.0 for child in children_of(pid))


def _cpu_of(pid: int, *, with_reaped: bool = False) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_reaped:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> list[int]:
    """The processes `pid` started that are running (Linux)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            children += [int(child) for child in task.read_text().split()]
    return children


async def cpu_in_use(seconds: float = 1.0) -> float | None:
    """The share of all cores busy over `seconds` while we do nothing: other people's work."""

    def sample() -> tuple[int, int] | None:
        try:
            fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        except (OSError, ValueError):
            return None
        return sum(fields[:8]), fields[3] + fields[4]  # total, idle + iowait

    first = sample()
    await asyncio.sleep(seconds)
    second = sample()
    if first is None or second is None or second[0] == first[0]:
        return None
    return 1 - (second[1] - first[1]) / (second[0] - first[0])


def stop_all() -> None:
    """Stop every server still running (an interrupted run's)."""
    for process in list(PROCESSES):
        stop_process(process)
