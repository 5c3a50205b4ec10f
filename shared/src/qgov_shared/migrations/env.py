"""Alembic environment shared by every service: the backbone branch plus the service's own."""

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

# Replicas starting together (Kubernetes init containers) migrate one after another.
_MIGRATION_LOCK_ID = 0x7167_6D69  # "qgmi"


def _run(connection) -> None:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(context.config.attributes["database_url"])
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f"SELECT pg_advisory_lock({_MIGRATION_LOCK_ID})"))
            await connection.commit()
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


asyncio.run(_run_online())
