"""Background work on an event loop of its own, in a thread of the service's process.

A service's request loop can be kept busy by many requests at once; every await of a task on
that loop then waits its turn behind all of them. The outbox relay is a handful of round trips
per batch, so on a busy request loop a committed event waited a whole queue for each of them
before it was published (commit → ack p99 ×6.7 the bare relay's in `bench.backbone`). On a loop
of its own it waits only for the interpreter's thread switch.

Work run this way must own its connections: asyncpg and aiokafka clients belong to the loop
that made them.

The new loop is of the caller's kind: under uvicorn that is uvloop, whose socket and timer work
costs the relay and the consumers less CPU than the standard loop's.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

Work = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


async def run_in_own_loop(name: str, work: Work, stop: asyncio.Event) -> None:
    """Run `work(its_stop)` on a new event loop in a thread named `name`; setting `stop` (or
    cancelling this) sets `its_stop`. Returns, or raises, when `work` does."""
    caller = asyncio.get_running_loop()
    loop = type(caller)()
    its_stop = asyncio.Event()  # bound to `loop` on its first use there
    finished: asyncio.Future[None] = caller.create_future()

    def report(error: BaseException | None) -> None:
        if error is None:
            finished.set_result(None)
        else:
            finished.set_exception(error)

    def thread_main() -> None:
        error: BaseException | None = None
        try:
            loop.run_until_complete(work(its_stop))
        except BaseException as failure:  # handed to the awaiting task, which decides
            error = failure
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            caller.call_soon_threadsafe(report, error)

    threading.Thread(target=thread_main, name=name, daemon=True).start()
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({finished, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        # The loop may close between the check and the call: then `work` has ended anyway.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(its_stop.set)
    await finished


async def unless_stopped(work: Awaitable[None], stop: asyncio.Event) -> bool:
    """Await `work` unless `stop` is set first, which cancels it; whether `work` finished.
    Its failure, if it fails, is raised."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if task.cancelled():
        return False
    task.result()
    return True
