"""The complaints service's reads, each narrowed to what the caller may see: the filer by
tracking number and token, regulators their regions (admins all), the respondent the
complaints about itself, and the public only public columns and counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_complaints import domain, views
from qgov_complaints.calendar import WorkingCalendar
from qgov_complaints.domain import FINAL, Kind, SubmissionNotFound
from qgov_complaints.models import EnterpriseResponse, Submission, SubmissionHistory, SubmissionNote
from qgov_complaints.policy import Policy
from qgov_complaints.privacy import sees_personal_data
from qgov_complaints.schemas import SubmissionDetail, SubmissionFilters, SubmissionSummary
from qgov_complaints.tracking import token_digest, token_matches
from qgov_shared.auth import Principal, Role
from qgov_shared.http.pagination import Page, PageRequest, keyset_page
from qgov_shared.region_scope import in_regions

# --- one submission ------------------------------------------------------------------------


async def tracked(session: AsyncSession, tracking_number: str, token: str) -> Submission:
    """The filer's view: the tracking number and the token together, or nothing."""
    query = select(Submission).where(Submission.tracking_number == tracking_number)
    row = (await session.scalars(query)).first()
    if row is None or not token_matches(row.token_hash, token):
        raise SubmissionNotFound(tracking_number)
    return row


async def handled_submission(
    session: AsyncSession, submission_id: int, principal: Principal, *, for_update: bool = False
) -> Submission:
    """The submission, if the caller's regions cover where it is handled now."""
    row = await session.get(Submission, submission_id, with_for_update=for_update)
    if row is None or not principal.covers_region(row.handling_region_code):
        raise SubmissionNotFound(str(submission_id))
    return row


async def complaint_about(
    session: AsyncSession, submission_id: int, credit_code: str | None, *, for_update: bool = False
) -> Submission:
    """A complaint naming the enterprise `credit_code` as its respondent."""
    row = await session.get(Submission, submission_id, with_for_update=for_update)
    if row is None or row.kind != Kind.COMPLAINT or row.respondent_credit_code != credit_code:
        raise SubmissionNotFound(str(submission_id))
    return row


async def history_of(session: AsyncSession, submission_id: int) -> list[SubmissionHistory]:
    query = select(SubmissionHistory).where(SubmissionHistory.submission_id == submission_id)
    return list(await session.scalars(query.order_by(SubmissionHistory.id)))


async def submission_detail(
    session: AsyncSession,
    row: Submission,
    principal: Principal,
    today: date,
    calendar: WorkingCalendar,
    *,
    notes: bool = True,
) -> SubmissionDetail:
    """The whole file: personal data unmasked for the handling regulator only, and the
    regulators' internal notes only when `notes`."""
    note_rows = await _of(session, SubmissionNote, row.id) if notes else []
    return views.detail(
        row,
        today,
        calendar,
        unmasked=sees_personal_data(principal, row.handling_region_code),
        history=await history_of(session, row.id),
        notes=note_rows,
        responses=await _of(session, EnterpriseResponse, row.id),
    )


async def _of(session: AsyncSession, table: Any, submission_id: int) -> list[Any]:
    query = select(table).where(table.submission_id == submission_id).order_by(table.id)
    return list(await session.scalars(query))


# --- lists ---------------------------------------------------------------------------------


async def submissions(
    session: AsyncSession,
    principal: Principal,
    filters: SubmissionFilters,
    today: date,
    calendar: WorkingCalendar,
    page: PageRequest,
) -> Page[SubmissionSummary]:
    """Submissions handled in the caller's regions (or in `filters.region_code` within them),
    oldest first."""
    query = select(Submission).where(_in_scope(principal, filters.region_code))
    if filters.kind:
        query = query.where(Submission.kind == filters.kind)
    if filters.status:
        query = query.where(Submission.status == filters.status)
    if filters.overdue is not None:
        late = Submission.running_due_on < domain.overdue_before(today)
        query = query.where(
            late if filters.overdue else or_(~late, Submission.running_due_on.is_(None))
        )
    return await _summaries(session, query, [Submission.id], today, calendar, page)


async def due(
    session: AsyncSession, principal: Principal, today: date, policy: Policy, page: PageRequest
) -> Page[SubmissionSummary]:
    """The caller's submissions that are overdue or nearly due, most urgent first."""
    soon = Submission.running_due_on < domain.nearly_due_before(today, policy)
    query = select(Submission).where(_in_scope(principal, None), soon)
    key = [Submission.running_due_on, Submission.id]
    return await _summaries(session, query, key, today, policy.calendar, page)


async def complaints_about(
    session: AsyncSession,
    credit_code: str | None,
    today: date,
    calendar: WorkingCalendar,
    page: PageRequest,
) -> Page[SubmissionSummary]:
    query = select(Submission).where(
        Submission.kind == Kind.COMPLAINT.value, Submission.respondent_credit_code == credit_code
    )
    return await _summaries(session, query, [Submission.id], today, calendar, page)


def _in_scope(principal: Principal, region_code: str | None) -> ColumnElement[bool]:
    """Handled in `region_code` when given (the route checks it is the caller's), else in the
    caller's regions; an admin's are all."""
    column = Submission.handling_region_code
    if region_code is not None:
        return in_regions(column, [region_code])
    return true() if principal.role is Role.ADMIN else in_regions(column, principal.regions)


async def _summaries(
    session: AsyncSession,
    query: Select,
    key: list[Any],
    today: date,
    calendar: WorkingCalendar,
    page: PageRequest,
) -> Page[SubmissionSummary]:
    rows, cursor = await keyset_page(session, query, key, page)
    return Page(
        items=[views.summary(row.Submission, today, calendar) for row in rows],
        next_cursor=cursor,
    )


# --- public --------------------------------------------------------------------------------

# The status changes (and transfers, which change the agency) are what the public sees change.
_LAST_PUBLIC_CHANGE = (
    select(func.max(SubmissionHistory.at))
    .where(
        SubmissionHistory.submission_id == Submission.id,
        or_(
            SubmissionHistory.from_status.is_distinct_from(SubmissionHistory.to_status),
            SubmissionHistory.action == "transferred",
        ),
    )
    .scalar_subquery()
    .label("last_change")
)

# Public listings read these columns only, so no personal data can leak out.
_PUBLIC_COLUMNS = (
    Submission.tracking_number,
    Submission.status,
    Submission.category,
    Submission.handling_region_code,
    Submission.received_at,
    Submission.running_due_on,
    Submission.location,
    Submission.latitude,
    Submission.longitude,
    Submission.ground,
    Submission.termination_reason,
    Submission.outcome,
    _LAST_PUBLIC_CHANGE,
)
_PUBLIC_COMPLAINTS = select(*_PUBLIC_COLUMNS).where(Submission.kind == Kind.COMPLAINT.value)


async def public_complaints_numbered(
    session: AsyncSession, tracking_numbers: list[str], limit: int
) -> list[Any]:
    """The complaints (never reports) these tracking numbers name, most recent first."""
    query = _PUBLIC_COMPLAINTS.where(Submission.tracking_number.in_(tracking_numbers))
    return await _newest_first(session, query, limit)


async def public_complaints_received(
    session: AsyncSession,
    received: tuple[datetime, datetime],
    categories: list[str],
    closed: bool | None,
    limit: int,
) -> list[Any]:
    """Complaints (never reports) received in the period, most recent first: of `categories`
    (all when empty), closed or open (both when None)."""
    query = _PUBLIC_COMPLAINTS.where(Submission.received_at.between(*received))
    if categories:
        query = query.where(Submission.category.in_(categories))
    if closed is not None:
        final = Submission.status.in_([status.value for status in FINAL])
        query = query.where(final if closed else ~final)
    return await _newest_first(session, query, limit)


async def _newest_first(session: AsyncSession, query: Select, limit: int) -> list[Any]:
    query = query.order_by(Submission.received_at.desc(), Submission.id.desc()).limit(limit)
    return list((await session.execute(query)).all())


async def public_complaint(session: AsyncSession, tracking_number: str) -> Any | None:
    query = _PUBLIC_COMPLAINTS.where(Submission.tracking_number == tracking_number)
    return (await session.execute(query)).first()


async def tracking_number_for_token(session: AsyncSession, token: str) -> str | None:
    """The complaint a token was issued for; tokens are stored only as their digest."""
    query = select(Submission.tracking_number).where(
        Submission.kind == Kind.COMPLAINT.value, Submission.token_hash == token_digest(token)
    )
    return (await session.scalars(query)).first()


async def complaint_counts(
    session: AsyncSession, credit_code: str, first: date, last: date
) -> list[Any]:
    """Complaints against the enterprise received from `first` to `last`, counted by status,
    category and outcome: every disclosed figure is a sum of these."""
    query = (
        select(Submission.status, Submission.category, Submission.outcome, func.count())
        .where(
            Submission.kind == Kind.COMPLAINT.value,
            Submission.respondent_credit_code == credit_code,
            Submission.received_on.between(first, last),
        )
        .group_by(Submission.status, Submission.category, Submission.outcome)
    )
    return list((await session.execute(query)).all())
