"""What a subscription has yet to deliver: its named query's events recorded since it
started, after its cursor, in the order their transactions committed. An event is delivered
only once every transaction older than it has ended (the snapshot's xmin), so one committing
late with a smaller position is not skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import literal_column, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_traceability.epcis.query import parse_query
from qgov_traceability.models import EpcisEvent, NamedQuery, Subscription
from qgov_traceability.queries.events import filtered
from qgov_traceability.queries.scope import Scope

_SETTLED = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


@dataclass(frozen=True)
class Pending:
    events: list[dict[str, Any]]
    contexts: list[Any]
    cursor: tuple[int, int] | None
    """(transaction, event) of the last event, where the next delivery starts."""


async def due_subscriptions(session: AsyncSession, now: datetime):
    rows = await session.execute(
        select(Subscription, NamedQuery)
        .join(NamedQuery, NamedQuery.id == Subscription.query_id)
        .where(or_(Subscription.next_attempt_at.is_(None), Subscription.next_attempt_at <= now))
        .order_by(Subscription.id)
    )
    return rows.all()


async def pending(
    session: AsyncSession, subscription: Subscription, query: NamedQuery, batch: int
) -> Pending:
    scope = Scope(query.role, query.credit_code, tuple(query.regions))
    statement = (
        filtered(parse_query(query.parameters, max_per_page=batch), scope)
        .add_columns(EpcisEvent.capture_txid)
        .where(
            EpcisEvent.record_time >= subscription.initial_record_time,
            tuple_(EpcisEvent.capture_txid, EpcisEvent.id)
            > tuple_(subscription.cursor_txid, subscription.cursor_event),
            EpcisEvent.capture_txid < _SETTLED,
        )
        .order_by(EpcisEvent.capture_txid, EpcisEvent.id)
        .limit(batch)
    )
    rows = (await session.execute(statement)).all()
    events = []
    for row in rows:
        document = dict(row.document)
        document["recordTime"] = row.record_time.isoformat().replace("+00:00", "Z")
        events.append(document)
    cursor = (rows[-1].capture_txid, rows[-1].id) if rows else None
    return Pending(events, [row.context for row in rows], cursor)
