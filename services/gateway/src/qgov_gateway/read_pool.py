"""The connections the profile reads use: an asyncpg pool of the gateway's own, beside the
engine's.

A profile is one primary-key read of a stored document, so taking a connection through
SQLAlchemy (a pool checkout wrapped in its greenlet bridge, and its reset on return) cost more
than the read; and under load the engine opens and closes connections beyond its `pool_size`,
each one costing a connect and asyncpg's type introspection again. This pool keeps what it
opens (for `max_inactive_connection_lifetime`, 300 s) and opens nothing before the first read,
so a gateway starts while its database is down.
"""

from __future__ import annotations

import json
from contextlib import AbstractAsyncContextManager

import asyncpg
from sqlalchemy.engine import make_url

from qgov_shared.settings import ServiceSettings


class ReadPool:
    def __init__(self, settings: ServiceSettings, size: int) -> None:
        url = make_url(settings.service_database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._size = size
        self._pool: asyncpg.Pool | None = None

    async def open(self) -> None:
        self._pool = await asyncpg.create_pool(
            self._dsn,
            min_size=0,
            max_size=self._size,
            init=_decode_json,
            reset=_nothing_to_reset,
        )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def connection(self) -> AbstractAsyncContextManager[asyncpg.Connection]:
        """A connection for reads (`async with`): each statement on it is a transaction of its
        own."""
        if self._pool is None:
            raise RuntimeError("the read pool opens with the app's lifespan")
        return self._pool.acquire()


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """The reads set nothing in the session (no settings, listeners, advisory locks or open
    cursors, and each statement is its own transaction), so a connection goes back to the pool
    without asyncpg's default reset, a round trip of RESET ALL, UNLISTEN * and the like."""


async def _decode_json(connection: asyncpg.Connection) -> None:
    # JSON columns read as the engine's connections read them (what profile_documents.build
    # expects); the stored documents themselves are read as text.
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )
