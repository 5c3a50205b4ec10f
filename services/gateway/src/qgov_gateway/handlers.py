"""The read model's intake: every service's events, applied to the gateway's own tables in the
consumer's transaction, so each event counts once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway import contracts, domain
from qgov_gateway.contracts import (
    ComplaintClosed,
    EnterpriseDelisted,
    EnterpriseListed,
    EventView,
    GradeChanged,
    SubmissionOverdue,
    SubmissionStatus,
    SubmissionStep,
)
from qgov_gateway.models import CreditChange, EnterpriseProfile, SourceWatermark, SubmissionView
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code

# Every producing service's topic, `qgov.<service>`; not their dead-letter topics.
ALL_SERVICE_TOPICS = r"^qgov\.[a-z]+$"

# Held from a feed entry's insert to its commit, so entries commit in cursor order and a reader
# paging by cursor never passes over one that commits later with a smaller cursor.
_FEED_LOCK_ID = 0x6665_6564  # "feed"
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)

View = TypeVar("View", bound=EventView)


@dataclass(frozen=True)
class Projection(Generic[View]):
    """How one event type reaches the read model: `reads`, the gateway's own model of the
    event's data (held to the producer's contract by tests/test_contracts.py), and `apply`,
    what it changes in the consumer's unit of work."""

    reads: type[View]
    apply: Callable[[View, CloudEvent, UnitOfWork], Awaitable[None]]


async def take_in(event: CloudEvent, uow: UnitOfWork) -> None:
    await note_source(event, uow.session)
    projection = PROJECTIONS.get(event.type)
    if projection is not None:
        await projection.apply(projection.reads.model_validate(event.data), event, uow)


async def note_source(event: CloudEvent, session: AsyncSession) -> None:
    """Advance the source's watermark; an older event arriving late never moves it back."""
    table = SourceWatermark.__table__
    values = {
        "source": event.source,
        "last_event_id": event.id,
        "last_event_type": event.type,
        "last_event_time": event.time,
        "events_seen": 1,
    }
    statement = insert(table).values(**values)
    newer = statement.excluded.last_event_time >= table.c.last_event_time
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.source],
            set_={
                "events_seen": table.c.events_seen + 1,
                **{
                    column: case((newer, statement.excluded[column]), else_=table.c[column])
                    for column in ("last_event_id", "last_event_type", "last_event_time")
                },
            },
        )
    )


# --- enterprises ---------------------------------------------------------------------------


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


async def _profile_seen(
    session: AsyncSession,
    credit_code: str,
    at: datetime,
    *,
    name: str | None = None,
    region_code: str | None = None,
) -> None:
    """Open the profile the first time an event names the enterprise; keep it current after."""
    table = EnterpriseProfile.__table__
    statement = insert(table).values(
        credit_code=credit_code,
        name=name or credit_code,
        named_by="event" if name else "nobody",
        region_code=region_code or parse_credit_code(credit_code).region_code,
        first_seen_at=at,
        updated_at=at,
    )
    changes = {"updated_at": func.greatest(table.c.updated_at, at)}
    if name:
        changes["name"] = case((table.c.named_by == "onboarding", table.c.name), else_=name)
        changes["named_by"] = case(
            (table.c.named_by == "onboarding", table.c.named_by), else_="event"
        )
    if region_code:
        changes["region_code"] = region_code
    await session.execute(
        statement.on_conflict_do_update(index_elements=["credit_code"], set_=changes)
    )


# --- credit --------------------------------------------------------------------------------


async def grade_changed(data: GradeChanged, event: CloudEvent, uow: UnitOfWork) -> None:
    code = data.credit_code
    reasons = [reason.model_dump(mode="json") for reason in data.reasons]
    await _profile_seen(uow.session, code, event.time, region_code=data.region_code)
    await uow.session.execute(
        update(EnterpriseProfile)
        .where(EnterpriseProfile.credit_code == code)
        .values(
            grade=data.grade,
            score=data.score,
            rule_version=data.rule_version,
            reasons=reasons,
            graded_at=event.time,
        )
    )
    await uow.session.execute(select(func.pg_advisory_xact_lock(_FEED_LOCK_ID)))
    uow.session.add(
        CreditChange(
            credit_code=code,
            region_code=data.region_code,
            previous_grade=data.previous_grade,
            grade=data.grade,
            previous_score=data.previous_score,
            score=data.score,
            changed_at=event.time,
            reasons=reasons,
        )
    )


async def enterprise_listed(data: EnterpriseListed, event: CloudEvent, uow: UnitOfWork) -> None:
    listing = data.model_dump(mode="json", exclude={"credit_code", "region_code"})
    await _set_listing(uow.session, data, event, listing)


async def enterprise_delisted(data: EnterpriseDelisted, event: CloudEvent, uow: UnitOfWork) -> None:
    await _set_listing(uow.session, data, event, None)


async def _set_listing(
    session: AsyncSession, data: EnterpriseDelisted, event: CloudEvent, listing: dict | None
) -> None:
    code = data.credit_code
    await _profile_seen(session, code, event.time, region_code=data.region_code)
    await session.execute(
        update(EnterpriseProfile)
        .where(EnterpriseProfile.credit_code == code)
        .values(listing=listing)
    )


# --- complaints ----------------------------------------------------------------------------


async def submission_moved(data: SubmissionStep, event: CloudEvent, uow: UnitOfWork) -> None:
    await _place_submission(uow.session, data, event, domain.STATUS_AFTER[event.type])


async def complaint_closed(data: ComplaintClosed, event: CloudEvent, uow: UnitOfWork) -> None:
    await _place_submission(uow.session, data, event, data.outcome)


async def submission_overdue(data: SubmissionOverdue, event: CloudEvent, uow: UnitOfWork) -> None:
    # A deadline notice moves no step: arriving first, it knows the status, not when it began.
    await _place_submission(
        uow.session, data, event, data.status, status_at=_LONG_AGO, overdue_at=event.time
    )


async def _place_submission(
    session: AsyncSession,
    data: SubmissionStep,
    event: CloudEvent,
    status: SubmissionStatus,
    *,
    status_at: datetime | None = None,
    overdue_at: datetime | None = None,
) -> None:
    """Where the submission stands. Its events may arrive out of order (a submission with no
    known respondent has no key to keep them in order), so each column keeps the latest."""
    code = data.respondent_credit_code
    if code:
        await _profile_seen(session, code, event.time, name=data.respondent_name)
    table = SubmissionView.__table__
    statement = insert(table).values(
        tracking_number=data.tracking_number,
        credit_code=code,
        kind=data.kind,
        handling_region_code=data.handling_region_code,
        category=data.category,
        status=status,
        status_at=status_at or event.time,
        overdue_at=overdue_at,
        filed_at=event.time,
    )
    new = statement.excluded
    later_step = new.status_at > table.c.status_at
    changes = {
        "handling_region_code": case(
            (later_step, new.handling_region_code), else_=table.c.handling_region_code
        ),
        "status": case((later_step, new.status), else_=table.c.status),
        "status_at": func.greatest(table.c.status_at, new.status_at),
        "overdue_at": func.greatest(table.c.overdue_at, new.overdue_at),
        "filed_at": func.least(table.c.filed_at, new.filed_at),
    }
    await session.execute(
        statement.on_conflict_do_update(index_elements=["tracking_number"], set_=changes)
    )


# Where each event type a service publishes reaches the read model; a type not here only
# advances its source's watermark.
PROJECTIONS: dict[str, Projection] = {
    contracts.GRADE_CHANGED: Projection(GradeChanged, grade_changed),
    contracts.ENTERPRISE_LISTED: Projection(EnterpriseListed, enterprise_listed),
    contracts.ENTERPRISE_DELISTED: Projection(EnterpriseDelisted, enterprise_delisted),
    **{step: Projection(SubmissionStep, submission_moved) for step in domain.STATUS_AFTER},
    contracts.COMPLAINT_CLOSED: Projection(ComplaintClosed, complaint_closed),
    contracts.SUBMISSION_OVERDUE: Projection(SubmissionOverdue, submission_overdue),
}
