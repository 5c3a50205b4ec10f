"""Async database access: one engine per service, sessions for use cases, database creation."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from qgov_shared.settings import ServiceSettings, database_url_for, libpq_dsn

SessionFactory = async_sessionmaker[AsyncSession]

_INFRASTRUCTURE_FAILURES = (
    OSError,  # includes ConnectionError and the socket errors of an unreachable server
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
)


def is_infrastructure_failure(error: BaseException | None) -> bool:
    """The database, or the way to it, failed — not the event or the request: a later retry
    will do."""
    for _ in range(10):  # follow wrapped causes, never a cycle
        if error is None:
            return False
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, _INFRASTRUCTURE_FAILURES):
            return True
        error = getattr(error, "orig", None) or error.__cause__
    return False


def create_engine(settings: ServiceSettings, *, pool_size: int | None = None) -> AsyncEngine:
    return create_async_engine(
        settings.service_database_url,
        pool_size=pool_size or settings.database_pool_size,
        # No pre-ping: a round trip on every checkout costs more than the one request that
        # fails after a database restart (consumers restart on such failures anyway).
    )


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    # expire_on_commit=False: use cases hand committed objects to the HTTP layer to render.
    return async_sessionmaker(engine, expire_on_commit=False)


async def ensure_database(database_url: str, *, template: str | None = None) -> bool:
    """Create the database named in `database_url` if missing; True when it was created."""
    url = make_url(database_url)
    connection = await asyncpg.connect(libpq_dsn(database_url_for(database_url, "postgres")))
    try:
        exists = await connection.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", url.database
        )
        if exists:
            return False
        clone = f' TEMPLATE "{template}"' if template else ""
        try:
            await connection.execute(f'CREATE DATABASE "{url.database}"{clone}')
        except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
            return False  # another replica's migration created it a moment ago
        return True
    finally:
        await connection.close()


async def drop_database(database_url: str) -> None:
    url = make_url(database_url)
    connection = await asyncpg.connect(libpq_dsn(database_url_for(database_url, "postgres")))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        await connection.close()
