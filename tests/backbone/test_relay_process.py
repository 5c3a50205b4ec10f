"""The relay in a process of its own (`qgov_shared.relay_process`), as a service runs it outside
the test kit: it delivers each commit, ends with its service, is started again when it dies,
and ends when its service dies without stopping it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for

from .conftest import ENTERPRISES, receipts, record_ping, running_demo

RELAY_MODULE = b"qgov_shared.relay_process"

# A service that dies without a word: it starts its relay's process, then is killed.
DYING_SERVICE = """
import asyncio, sys
from qgov_shared.relay_process import run_relay_process
from qgov_shared.settings import ServiceSettings
settings = ServiceSettings.model_validate_json(sys.stdin.readline())
asyncio.run(run_relay_process(settings, asyncio.Event()))
"""


@pytest.fixture
async def demo(stack: TestStack) -> AsyncIterator[RunningService]:
    async with running_demo(stack, outbox_relay_process=True) as service:
        yield service


async def test_the_relay_in_its_own_process_delivers_each_commit(demo: RunningService):
    [relay] = await relays_of(os.getpid())
    pings = [await record_ping(demo, code) for code in ENTERPRISES]

    await wait_for(lambda: _applied(demo, pings), what="the pings' receipts")
    assert await relays_of(os.getpid()) == [relay]


async def test_the_relay_process_ends_with_its_service(stack: TestStack):
    async with run_service(stack, SERVICE, create_app, DemoSettings, outbox_relay_process=True):
        assert len(await relays_of(os.getpid())) == 1
    assert _children_running(os.getpid()) == []


async def test_a_relay_process_that_dies_is_started_again(demo: RunningService):
    [first] = await relays_of(os.getpid())
    os.kill(first, signal.SIGKILL)

    ping = await record_ping(demo, ENTERPRISES[0])
    await wait_for(lambda: _applied(demo, [ping]), what="the ping's receipt")
    [second] = await relays_of(os.getpid())
    assert second != first


async def test_the_relay_process_ends_when_its_service_dies(stack: TestStack):
    async with run_service(stack, SERVICE, create_app, DemoSettings, run_outbox_relay=False) as svc:
        service = await asyncio.create_subprocess_exec(
            sys.executable, "-c", DYING_SERVICE, stdin=asyncio.subprocess.PIPE
        )
        service.stdin.write(svc.settings.model_dump_json().encode() + b"\n")
        [relay] = await relays_of(service.pid)
        service.kill()
        await service.wait()

        async def relay_gone() -> bool:
            return not _is_relay(relay)

        await wait_for(relay_gone, what="the orphaned relay to exit")


async def relays_of(parent: int) -> list[int]:
    """The relay processes `parent` started, once there is one."""

    async def started() -> bool:
        return bool(_children_running(parent))

    await wait_for(started, what="a relay process to be running")
    return _children_running(parent)


def _is_relay(pid: int) -> bool:
    """Whether `pid` is a running relay process (an exited one's command line reads empty)."""
    try:
        return RELAY_MODULE in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone altogether
        return False


def _children_running(parent: int) -> list[int]:
    """Relay processes whose parent is `parent` (an exited one's command line reads empty)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # not a process, or gone meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and RELAY_MODULE in command:
            found.append(int(entry.name))
    return found


async def _applied(service: RunningService, pings: list[int]) -> bool:
    return sorted(await receipts(service)) == sorted(pings)
