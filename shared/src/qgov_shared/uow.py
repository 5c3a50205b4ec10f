"""The unit of work: one transaction in which a state change and the events it caused commit.

Use cases add rows through `uow.session` and announce facts with `uow.publish(event)`; the edge
that started the work (an HTTP route or a consumer) calls `commit()`, which writes the outbox
rows into the same transaction. Leaving the block without committing rolls everything back, so
a failed use case publishes nothing.

The ORM session is opened only when a use case asks for it. Hot paths that send their
statements straight to asyncpg (`uow.connection()`) run on a Core connection instead: an ORM
session around one costs ~100 µs of CPU a unit of work, a quarter of a whole one-row insert with
its outbox row. A session asked for after that joins the same connection and transaction.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from qgov_shared.backbone import outbox_events, processed_events
from qgov_shared.db import SessionFactory
from qgov_shared.envelope import CONTENT_TYPE, CloudEvent
from qgov_shared.sql import FastInsert, driver_connection
from qgov_shared.telemetry import current_traceparent

_OUTBOX_INSERT = FastInsert(outbox_events)
# One statement for a whole chunk, whatever its size (arrays, not a VALUES row per event).
MARK_PROCESSED = f"""
    INSERT INTO {processed_events.name} (consumer, event_id, event_type)
    SELECT $1, event_id, event_type FROM unnest($2::text[], $3::text[]) AS e(event_id, event_type)
    ON CONFLICT DO NOTHING
    RETURNING event_id"""


class UnitOfWork:
    def __init__(self, session_factory: SessionFactory, *, topic_prefix: str = "") -> None:
        self._session_factory = session_factory
        self._engine: AsyncEngine = session_factory.kw["bind"]
        self._topic_prefix = topic_prefix
        self._active = False
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self._pending: list[CloudEvent] = []

    @property
    def session(self) -> AsyncSession:
        if not self._active:
            raise RuntimeError("use the unit of work inside `async with uow:`")
        if self._session is None:
            if self._connection is None:
                self._session = self._session_factory()
            else:
                # "control_fully": the session's commit is the connection's, so both commit.
                self._session = self._session_factory(
                    bind=self._connection, join_transaction_mode="control_fully"
                )
        return self._session

    async def __aenter__(self) -> Self:
        self._active = True
        self._pending = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Closing rolls back whatever was not committed, and returns the connection.
        try:
            if self._session is not None:
                await self._session.close()
        finally:
            if self._connection is not None:
                await self._connection.close()
            self._active = False
            self._session = None
            self._connection = None
            self._pending = []

    async def connection(self) -> asyncpg.Connection:
        """The asyncpg connection under the unit of work, in its transaction, for the hot
        paths' `qgov_shared.sql` statements: what runs on it commits or rolls back with the
        session's own writes."""
        return await driver_connection(await self._core_connection())

    async def _core_connection(self) -> AsyncConnection:
        if not self._active:
            raise RuntimeError("use the unit of work inside `async with uow:`")
        if self._session is not None:
            return await self._session.connection()
        if self._connection is None:
            self._connection = await self._engine.connect()
        if not self._connection.in_transaction():
            # Begun in SQLAlchemy too, or its commit would not reach the driver's transaction.
            await self._connection.begin()
        return self._connection

    def publish(self, event: CloudEvent) -> None:
        """Queue an event; it is written to the outbox when (and only if) the work commits."""
        traceparent = current_traceparent()
        if traceparent and event.traceparent is None:
            event = event.model_copy(update={"traceparent": traceparent})
        self._pending.append(event)

    async def mark_processed(self, consumer: str, events: list[CloudEvent]) -> set[str]:
        """Record that `consumer` handled `events`; the ids it had not handled before.

        A concurrent duplicate waits on the primary key until the first transaction commits or
        rolls back, so exactly one transaction applies each event.
        """
        connection = await self.connection()
        rows = await connection.fetch(
            MARK_PROCESSED, consumer, [e.id for e in events], [e.type for e in events]
        )
        return {row[0] for row in rows}

    async def commit(self) -> None:
        if self._pending:
            rows = [self._outbox_row(event) for event in self._pending]
            await _OUTBOX_INSERT.many(await self.connection(), rows)
        if self._session is not None:
            await self._session.commit()
        elif self._connection is not None:
            await self._connection.commit()
        self._pending = []

    def _outbox_row(self, event: CloudEvent) -> dict:
        headers = {"content-type": CONTENT_TYPE, "ce_type": event.type, "ce_id": event.id}
        if event.traceparent:
            headers["traceparent"] = event.traceparent
        return {
            "event_id": event.id,
            "topic": self._topic_prefix + event.topic,
            "partition_key": event.partition_key,
            "event_type": event.type,
            "payload": event.to_json(),
            "headers": headers,
        }
