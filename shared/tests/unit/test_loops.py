"""Work on a loop of its own runs in another thread, stops when told, and hands back its error;
work raced against a stop is cancelled by it."""

from __future__ import annotations

import asyncio
import threading

import pytest
import uvloop

from qgov_shared.loops import run_in_own_loop, unless_stopped


async def test_work_runs_on_another_thread_until_stop_is_set() -> None:
    seen: dict[str, object] = {}
    started = threading.Event()

    async def work(its_stop: asyncio.Event) -> None:
        seen["thread"] = threading.current_thread().name
        seen["loop"] = asyncio.get_running_loop()
        started.set()
        await its_stop.wait()
        seen["stopped"] = True

    stop = asyncio.Event()
    running = asyncio.create_task(run_in_own_loop("qgov-test-work", work, stop))
    assert await asyncio.to_thread(started.wait, 5)
    stop.set()
    await asyncio.wait_for(running, 5)

    assert seen["thread"] == "qgov-test-work"
    assert seen["loop"] is not asyncio.get_running_loop()
    assert seen["stopped"] is True


async def test_an_error_in_the_work_reaches_the_caller() -> None:
    async def work(its_stop: asyncio.Event) -> None:
        raise LookupError("no such partition")

    with pytest.raises(LookupError, match="no such partition"):
        await asyncio.wait_for(run_in_own_loop("qgov-test-failing", work, asyncio.Event()), 5)


async def test_work_that_returns_ends_the_call_without_stop() -> None:
    async def work(its_stop: asyncio.Event) -> None:
        return None

    await asyncio.wait_for(run_in_own_loop("qgov-test-brief", work, asyncio.Event()), 5)


def test_the_work_loop_is_of_the_callers_kind() -> None:
    """Under uvicorn the request loop is uvloop's; the background loop is too."""
    kinds: list[type] = []

    async def work(its_stop: asyncio.Event) -> None:
        kinds.append(type(asyncio.get_running_loop()))

    async def caller() -> None:
        await asyncio.wait_for(run_in_own_loop("qgov-test-kind", work, asyncio.Event()), 5)

    uvloop.run(caller())
    assert kinds == [uvloop.Loop]


async def test_work_done_before_the_stop_is_reported_finished() -> None:
    assert await unless_stopped(asyncio.sleep(0), asyncio.Event()) is True


async def test_a_stop_cancels_work_that_would_wait_forever() -> None:
    stop = asyncio.Event()
    forever = asyncio.get_running_loop().create_future()
    racing = asyncio.create_task(unless_stopped(forever, stop))
    await asyncio.sleep(0)
    stop.set()
    assert await asyncio.wait_for(racing, 5) is False
    assert forever.cancelled()


async def test_work_that_fails_before_the_stop_raises_its_error() -> None:
    async def fails() -> None:
        raise ConnectionError("broker gone")

    with pytest.raises(ConnectionError, match="broker gone"):
        await unless_stopped(fails(), asyncio.Event())
