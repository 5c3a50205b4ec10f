"""A TCP proxy a test can cut, to make a server unreachable without stopping it.

Stopping the embedded broker would lose its log (it keeps it in memory), which a real Kafka
cluster would not: the faithful fault is the network's. While cut, every connection through the
proxy is dropped and new ones are refused, as a partition between the services and the broker.
"""

from __future__ import annotations

import asyncio
import contextlib


class TcpProxy:
    """Listens on 127.0.0.1:`port` and pipes each connection to `target_port`."""

    def __init__(self, port: int, target_port: int, host: str = "127.0.0.1") -> None:
        self.port, self.target_port, self.host = port, target_port, host
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._pipe, self.host, self.port, reuse_address=True
        )

    async def cut(self) -> None:
        """Refuse new connections and drop every open one, at once."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._pipes):
            writer.transport.abort()
        self._pipes.clear()

    async def restore(self) -> None:
        if self._server is None:
            await self.start()

    async def close(self) -> None:
        await self.cut()

    async def _pipe(self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter):
        try:
            target_reader, target = await asyncio.open_connection(self.host, self.target_port)
        except OSError:
            client.transport.abort()
            return
        self._pipes |= {client, target}
        try:
            await asyncio.gather(_copy(client_reader, target), _copy(target_reader, client))
        except asyncio.CancelledError:
            pass  # the loop is ending; Python 3.11 would log a cancelled handler as an error
        finally:
            for writer in (client, target):
                self._pipes.discard(writer)
                writer.transport.abort()


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Bytes from `reader` to `writer` until either side ends; then both are closed."""
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.transport.abort()
