"""A service, or any ASGI app, served over real HTTP on a free local port, for tests whose
clients must go through a real server: the gateway's upstreams, webhook receivers, fuzzers."""

from __future__ import annotations

import asyncio

import uvicorn

from qgov_shared.devstack.embedded import free_port
from qgov_shared.testing.stack import wait_for


class HttpServer:
    """Serves `app` on 127.0.0.1 in the running event loop. A service app is served with its
    lifespan already running (run_service runs it), so uvicorn leaves that alone; `stop` is how
    a test takes a service down."""

    def __init__(self, app) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._serving: asyncio.Task | None = None

    async def __aenter__(self) -> HttpServer:
        self._serving = asyncio.create_task(self._server.serve())

        async def started() -> bool:
            return self._server.started

        await wait_for(started, within=10, what="the HTTP server to listen")
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.stop()

    async def stop(self) -> None:
        if self._serving is not None:
            self._server.should_exit = True
            await self._serving
            self._serving = None
