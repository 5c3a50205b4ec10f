"""Services as operating-system processes, for tests that kill and restart them.

Each runs under uvicorn through `python -m qgov_shared.testing.processes MODULE:FACTORY PORT`,
its settings from the environment as in production. Its clock starts at the test kit's `START`
plus the time elapsed since an origin every process of the test shares (`QGOV_TEST_CLOCK_ORIGIN`,
wall-clock seconds): so their clocks agree with each other, keep running across a restart, and
the test depends on no date.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from qgov_shared.devstack.processes import start_child, stop_children
from qgov_shared.service import ServiceSpec
from qgov_shared.testing.clock import START

CLOCK_ORIGIN = "QGOV_TEST_CLOCK_ORIGIN"
_READY_POLL_S = 0.1
_STOP_TIMEOUT_S = 15.0


@dataclass
class ServiceProcess:
    """One service's process on `port`, its output appended to `log_path`."""

    spec: ServiceSpec
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", __name__, self.spec.app_factory, str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = start_child(command, log, self.env)

    async def ready(self, within: float = 60.0) -> None:
        """Wait until the service answers /readyz with 200 (its database and broker reached)."""
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0) as client:
            while True:
                if self.process is None or self.process.poll() is not None:
                    raise RuntimeError(f"{self.spec.name} exited:\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/readyz")).status_code == 200:
                        return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.spec.name} not ready:\n{self.log_tail()}")
                await asyncio.sleep(_READY_POLL_S)

    def kill(self) -> None:
        """SIGKILL: no shutdown of any kind, as when a node dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            stop_children([self.process], within=_STOP_TIMEOUT_S)

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


def shared_clock(origin: float):
    """`START`, plus the wall-clock seconds since `origin`: a stopwatch, not a date."""

    def now() -> datetime:
        return START + timedelta(seconds=time.time() - origin)

    return now


def main(factory_path: str, port: int) -> None:
    import uvicorn

    module, name = factory_path.split(":")
    factory = getattr(importlib.import_module(module), name)
    app = factory(clock=shared_clock(float(os.environ[CLOCK_ORIGIN])))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
