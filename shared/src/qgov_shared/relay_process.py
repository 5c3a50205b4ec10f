"""The outbox relay in a process of its own, started, watched and stopped by its service.

On a thread of the service's process the relay shares one interpreter with the requests: under
load each step of a batch waits for it behind them. At 500 commits/s a commit took 205–312 ms
(p99) to reach a consumer that way, and 90–95 ms with the relay in a process of its own
(`bench.backbone` (e)). So a replica runs its relay as a child process
(`outbox_relay_process`); the relay's code and its single-leader lock are the same either way.

The service writes the child its settings on stdin and keeps the pipe open: the child stops
when it reads the end of it, so it ends with the service, on a clean stop or when the service
dies without a word. Signals meant for the service (a terminal's Ctrl-C) do not reach it. If
the child exits on its own, the service's supervisor starts another.

    python -m qgov_shared.relay_process   (one line of settings as JSON on stdin)
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys

import uvloop

from qgov_shared.heap import freeze_startup_heap
from qgov_shared.kafka import new_producer
from qgov_shared.outbox import OutboxRelay
from qgov_shared.settings import ServiceSettings
from qgov_shared.telemetry import configure_logging, configure_tracing

# A batch in flight ends within the relay's delivery timeout; past this the child is killed and
# its unmarked rows wait for the next relay.
_STOP_TIMEOUT_S = 20.0


async def run_relay_process(settings: ServiceSettings, stop: asyncio.Event) -> None:
    """Run the relay's process until `stop`; raises if it exits before."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        stdin=asyncio.subprocess.PIPE,
        # Out of the terminal's process group: a Ctrl-C is the service's to handle, and would
        # otherwise interrupt the child mid-import, before it can stop cleanly.
        start_new_session=True,
    )
    exited = asyncio.ensure_future(child.wait())
    stopped = asyncio.ensure_future(stop.wait())
    try:
        child.stdin.write(_settings_line(settings))
        await child.stdin.drain()
        await asyncio.wait({exited, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        await _end(child)
    if not stop.is_set():
        raise RuntimeError(f"the outbox relay's process exited with {child.returncode}")


async def _end(child: asyncio.subprocess.Process) -> None:
    if child.returncode is not None:
        return
    child.stdin.close()
    try:
        await asyncio.wait_for(child.wait(), _STOP_TIMEOUT_S)
    except TimeoutError:
        child.kill()
        await child.wait()


def _settings_line(settings: ServiceSettings) -> bytes:
    """The settings the relay needs (the common ones), secrets in clear: a pipe shows nobody."""
    common = settings.model_dump(mode="json", include=set(ServiceSettings.model_fields))
    common["demo_secret"] = settings.demo_secret.get_secret_value()
    return json.dumps(common).encode() + b"\n"


async def _relay_until_told_to_stop() -> None:
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    settings = ServiceSettings.model_validate_json(await stdin.readline())
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    configure_tracing(
        settings.service_name,
        sample_ratio=settings.trace_sample_ratio,
        sql_statements=settings.trace_sql_statements,
        http_clients=False,
    )
    stop = asyncio.Event()
    # Signalled by hand, it ends its batch as when its service goes.
    for stopping_signal in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stopping_signal, stop.set)
    until_the_service_goes = asyncio.ensure_future(stdin.read())
    until_the_service_goes.add_done_callback(lambda _: stop.set())
    relay = OutboxRelay.from_settings(settings, lambda: new_producer(settings))
    freeze_startup_heap()
    try:
        await relay.run(stop)
    finally:
        until_the_service_goes.cancel()


if __name__ == "__main__":
    uvloop.run(_relay_until_told_to_stop())
