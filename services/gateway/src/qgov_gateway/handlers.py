"""The read model's intake: every service's events, applied a chunk at a time in the consumer's
transaction (so each event counts once), and onboarding's write to it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import asyncpg
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway import profile_documents
from qgov_gateway.models import EnterpriseProfile
from qgov_gateway.projections import PROJECTIONS
from qgov_gateway.projections.base import Chunk
from qgov_shared.envelope import CloudEvent
from qgov_shared.sql import driver_connection
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code

# Every producing service's topic, `qgov.<service>`; not their dead-letter topics.
ALL_SERVICE_TOPICS = r"^qgov\.[a-z]+$"

# The newest event seen from each source; an older event arriving late never moves it back.
_NOTE_SOURCE = """
INSERT INTO source_watermarks AS mark
    (source, last_event_id, last_event_type, last_event_time, events_seen)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (source) DO UPDATE SET
    events_seen = mark.events_seen + excluded.events_seen,
    last_event_id = CASE WHEN excluded.last_event_time >= mark.last_event_time
        THEN excluded.last_event_id ELSE mark.last_event_id END,
    last_event_type = CASE WHEN excluded.last_event_time >= mark.last_event_time
        THEN excluded.last_event_type ELSE mark.last_event_type END,
    last_event_time = greatest(mark.last_event_time, excluded.last_event_time)
"""


async def take_in(events: list[CloudEvent], uow: UnitOfWork) -> None:
    """The read model's batch handler: a chunk's events, in order, each statement they need
    run once for all of them, their sources' watermarks advanced, and the profile documents of
    the enterprises they touched rebuilt once."""
    chunk = Chunk()
    for event in events:
        projection = PROJECTIONS.get(event.type)
        if projection is not None:
            projection.apply(projection.reads.model_validate(event.data), event, chunk)
    connection = await uow.connection()
    await chunk.run(connection)
    await _note_sources(connection, events)
    await profile_documents.store(connection, chunk.touched)


async def _note_sources(connection: asyncpg.Connection, events: list[CloudEvent]) -> None:
    newest: dict[str, CloudEvent] = {}
    seen: Counter[str] = Counter()
    for event in events:
        seen[event.source] += 1
        if event.source not in newest or event.time >= newest[event.source].time:
            newest[event.source] = event
    await connection.executemany(
        _NOTE_SOURCE,
        [
            (source, event.id, event.type, event.time, seen[source])
            for source, event in sorted(newest.items())
        ],
    )


async def name_enterprise(
    session: AsyncSession, credit_code: str, name: str, region_code: str | None, now: datetime
) -> None:
    """Onboarding names the enterprise for good (what events call it never overrides that)."""
    region = region_code or parse_credit_code(credit_code).region_code
    statement = insert(EnterpriseProfile.__table__).values(
        credit_code=credit_code,
        name=name,
        named_by="onboarding",
        region_code=region,
        first_seen_at=now,
        updated_at=now,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["credit_code"],
            set_={"name": name, "named_by": "onboarding", "region_code": region},
        )
    )
    connection = await driver_connection(await session.connection())
    await profile_documents.store(connection, [credit_code])
