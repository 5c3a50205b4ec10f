"""The EPCIS event query: an `EventQuery` (the standard parameters, parsed) as one SELECT on
the repository and its identifier index, within what the caller may see, paged by keyset on
(the order field, id) with an opaque `nextPageToken`."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_traceability.epcis.query import EventQuery, Match, QueryParameterError
from qgov_traceability.models import EpcisEvent, EventIdentifier, TraceNode
from qgov_traceability.queries.scope import Scope, visible

DEFAULT_PER_PAGE = 30


class QueryTooLarge(Exception):
    """More events match than the query's maxEventCount allows."""


@dataclass(frozen=True)
class EventPage:
    events: list[dict[str, Any]]
    contexts: list[Any]
    next_page_token: str | None


def filtered(query: EventQuery, scope: Scope) -> Select:
    """The events matching `query` that `scope` may see (unordered)."""
    e = EpcisEvent
    conditions = [visible(scope)]
    for column, low, high in (
        (e.event_time, query.event_time_from, query.event_time_before),
        (e.record_time, query.record_time_from, query.record_time_before),
        (e.error_declared_at, query.declared_from, query.declared_before),
    ):
        if low is not None:
            conditions.append(column >= low)
        if high is not None:
            conditions.append(column < high)
    for column, values in (
        (e.action, query.actions),
        (e.biz_step, query.biz_steps),
        (e.disposition, query.dispositions),
        (e.error_reason, query.error_reasons),
        (e.read_point, query.read_points),
        (e.biz_location, query.biz_locations),
        (e.event_id, query.event_ids),
        (e.event_type, query.types),
    ):
        if values:
            conditions.append(column.in_(values))
    if query.corrective_event_ids:
        conditions.append(
            or_(*(e.corrective_event_ids.contains([i]) for i in query.corrective_event_ids))
        )
    if query.only_declared:
        conditions.append(e.error_declared_at.is_not(None))
    if not query.include_corrected:
        conditions.append(e.error_declared_at.is_(None))
    conditions += [e.id.in_(_matching(match)) for match in query.matches]
    return select(e.id, e.document, e.context, e.event_time, e.record_time).where(*conditions)


def _matching(match: Match) -> Select:
    named = [TraceNode.uri.in_(match.uris)] + [
        TraceNode.uri.startswith(prefix, autoescape=True) for prefix in match.prefixes
    ]
    return (
        select(EventIdentifier.event_pk)
        .join(TraceNode, TraceNode.id == EventIdentifier.node_id)
        .where(EventIdentifier.role.in_([int(r) for r in match.roles]), or_(*named))
    )


async def event_page(
    session: AsyncSession, query: EventQuery, scope: Scope, *, max_per_page: int
) -> EventPage:
    """One page of matching events in the order asked (eventTime, newest first, by default)."""
    order = getattr(EpcisEvent, query.order_by)
    key = (order, EpcisEvent.id)
    served, after = _token(query.next_page_token)
    remaining = (query.event_count_limit or 10**9) - served
    per_page = min(query.per_page or DEFAULT_PER_PAGE, max_per_page, max(remaining, 0))
    statement = filtered(query, scope)
    if query.max_event_count is not None and served == 0:
        await _within(session, statement, query.max_event_count)
    if after is not None:
        position = (
            tuple_(*key) < tuple_(*after) if query.descending else tuple_(*key) > tuple_(*after)
        )
        statement = statement.where(position)
    direction = [c.desc() for c in key] if query.descending else list(key)
    rows = (await session.execute(statement.order_by(*direction).limit(per_page + 1))).all()
    more = len(rows) > per_page and remaining > per_page
    rows = rows[:per_page]
    token = None
    if more and rows:
        last = rows[-1]
        token = _encode(served + len(rows), getattr(last, query.order_by), last.id)
    return EventPage(
        events=[_with_record_time(row) for row in rows],
        contexts=[row.context for row in rows],
        next_page_token=token,
    )


async def _within(session: AsyncSession, statement: Select, maximum: int) -> None:
    found = len((await session.execute(statement.limit(maximum + 1))).all())
    if found > maximum:
        raise QueryTooLarge(f"more than {maximum} events match")


def _with_record_time(row: Any) -> dict[str, Any]:
    document = dict(row.document)
    document["recordTime"] = row.record_time.isoformat().replace("+00:00", "Z")
    return document


def _encode(served: int, value: datetime, row_id: int) -> str:
    raw = json.dumps([served, value.isoformat(), row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _token(token: str | None) -> tuple[int, tuple[datetime, int] | None]:
    if token is None:
        return 0, None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        served, value, row_id = json.loads(raw)
        moment = datetime.fromisoformat(value)
        if not (isinstance(served, int) and isinstance(row_id, int) and moment.tzinfo):
            raise ValueError("malformed token")
        if not (0 <= served < 2**62 and 0 < row_id < 2**63):
            raise ValueError("token out of range")
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise QueryParameterError(
            "nextPageToken", "not a page token this service issued"
        ) from error
    return served, (moment, row_id)


async def event_by_id(session: AsyncSession, event_id: str, scope: Scope) -> dict[str, Any] | None:
    e = EpcisEvent
    statement = select(e.id, e.document, e.context, e.event_time, e.record_time).where(
        e.event_id == event_id, visible(scope)
    )
    row = (await session.execute(statement)).first()
    return None if row is None else {"event": _with_record_time(row), "context": row.context}
