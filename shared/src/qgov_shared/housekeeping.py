"""Retention for the backbone tables: rows that have done their job are deleted on a schedule.

- published outbox rows: the events live on in Kafka; the rows are kept a while for inspection;
- processed-event records: kept longer than the broker keeps messages, so any redelivery still
  finds its record and is recognised as a duplicate;
- idempotency keys: a client retries within minutes, not days.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncEngine

from qgov_shared.backbone import idempotency_keys, outbox_events, processed_events
from qgov_shared.settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    published_outbox: timedelta
    processed_events: timedelta
    idempotency_keys: timedelta

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> Retention:
        return cls(
            published_outbox=timedelta(days=settings.outbox_retention_days),
            processed_events=timedelta(days=settings.processed_event_retention_days),
            idempotency_keys=timedelta(hours=settings.idempotency_key_ttl_hours),
        )


async def purge_expired(
    engine: AsyncEngine, retention: Retention, now: datetime | None = None
) -> dict[str, int]:
    """Delete what has outlived its retention; how many rows of each table went. The rows are
    stamped by the database's clock, so ages count on that clock unless `now` is given."""
    now = now if now is not None else func.now()
    statements = {
        "outbox_events": delete(outbox_events).where(
            outbox_events.c.published_at < now - retention.published_outbox
        ),
        "processed_events": delete(processed_events).where(
            processed_events.c.processed_at < now - retention.processed_events
        ),
        "idempotency_keys": delete(idempotency_keys).where(
            idempotency_keys.c.created_at < now - retention.idempotency_keys
        ),
    }
    async with engine.begin() as connection:
        return {
            table: (await connection.execute(statement)).rowcount
            for table, statement in statements.items()
        }


async def tidy(engine: AsyncEngine, retention: Retention) -> None:
    """One round of housekeeping, for `Runtime.every`."""
    purged = await purge_expired(engine, retention)
    if any(purged.values()):
        log.info("purged expired backbone rows: %s", purged)
