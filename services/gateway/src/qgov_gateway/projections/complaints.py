"""The complaints service's events in the read model: where each 12315 submission stands
(`submission_views`, no personal data), counted in its respondent's profile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, column, func, table
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway.projections import profiles
from qgov_gateway.projections.base import Chunk, EventView, Projection, Write
from qgov_gateway.projections.overview import OverviewPart, count_by
from qgov_shared.envelope import CloudEvent
from qgov_shared.region_scope import in_regions_or_everywhere

COMPLAINT_FILED = "qgov.complaints.complaint.filed.v1"
REPORT_FILED = "qgov.complaints.report.filed.v1"
COMPLAINT_ACCEPTED = "qgov.complaints.complaint.accepted.v1"
COMPLAINT_REJECTED = "qgov.complaints.complaint.rejected.v1"
COMPLAINT_CLOSED = "qgov.complaints.complaint.closed.v1"
REPORT_CASE_OPENED = "qgov.complaints.report.case_opened.v1"
REPORT_NOT_OPENED = "qgov.complaints.report.not_opened.v1"
SUBMISSION_OVERDUE = "qgov.complaints.submission.overdue.v1"


class SubmissionKind(StrEnum):
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报


class SubmissionStatus(StrEnum):
    """Where a 12315 submission stands, in the complaints service's words."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MEDIATING = "mediating"
    MEDIATED = "mediated"
    MEDIATION_FAILED = "mediation_failed"
    TERMINATED = "terminated"
    CLOSED = "closed"
    VERIFYING = "verifying"
    CASE_OPENED = "case_opened"
    NOT_OPENED = "not_opened"


# Where a 12315 submission stands after each complaints event that moves it a step (a closed
# complaint stands at its outcome; an overdue notice moves nothing: it only flags it).
STATUS_AFTER: Mapping[str, SubmissionStatus] = {
    COMPLAINT_FILED: SubmissionStatus.SUBMITTED,
    REPORT_FILED: SubmissionStatus.SUBMITTED,
    COMPLAINT_ACCEPTED: SubmissionStatus.ACCEPTED,
    COMPLAINT_REJECTED: SubmissionStatus.REJECTED,
    REPORT_CASE_OPENED: SubmissionStatus.CASE_OPENED,
    REPORT_NOT_OPENED: SubmissionStatus.NOT_OPENED,
}


class SubmissionStep(EventView):
    """What every complaints event says of its submission: never personal data."""

    tracking_number: str
    kind: SubmissionKind
    handling_region_code: str
    category: str | None
    respondent_name: str
    respondent_credit_code: str | None


class ComplaintClosed(SubmissionStep):
    outcome: Literal[
        SubmissionStatus.MEDIATED, SubmissionStatus.MEDIATION_FAILED, SubmissionStatus.TERMINATED
    ]


class SubmissionOverdue(SubmissionStep):
    status: SubmissionStatus


_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)

# Where the submission stands. Its events may arrive out of order (a submission with no known
# respondent has no key to keep them in order), so each column keeps the latest: the latest
# step gives the status, and a deadline notice newer than it makes it overdue.
_PLACE = Write("""
INSERT INTO submission_views AS s (tracking_number, credit_code, kind, handling_region_code,
    category, status, status_at, overdue_at, filed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (tracking_number) DO UPDATE SET
    handling_region_code = CASE WHEN excluded.status_at > s.status_at
        THEN excluded.handling_region_code ELSE s.handling_region_code END,
    status = CASE WHEN excluded.status_at > s.status_at THEN excluded.status ELSE s.status END,
    status_at = greatest(s.status_at, excluded.status_at),
    overdue_at = greatest(s.overdue_at, excluded.overdue_at),
    filed_at = least(s.filed_at, excluded.filed_at)
""")


def submission_moved(data: SubmissionStep, event: CloudEvent, chunk: Chunk) -> None:
    _place(chunk, data, event, STATUS_AFTER[event.type])


def complaint_closed(data: ComplaintClosed, event: CloudEvent, chunk: Chunk) -> None:
    _place(chunk, data, event, data.outcome)


def submission_overdue(data: SubmissionOverdue, event: CloudEvent, chunk: Chunk) -> None:
    # A deadline notice moves no step: arriving first, it knows the status, not when it began.
    _place(chunk, data, event, data.status, status_at=_LONG_AGO, overdue_at=event.time)


def _place(
    chunk: Chunk,
    data: SubmissionStep,
    event: CloudEvent,
    status: SubmissionStatus,
    *,
    status_at: datetime | None = None,
    overdue_at: datetime | None = None,
) -> None:
    code = data.respondent_credit_code
    if code:
        profiles.seen(chunk, code, event.time, name=data.respondent_name)
    chunk.write(
        _PLACE,
        data.tracking_number,
        code,
        data.kind.value,
        data.handling_region_code,
        data.category,
        status.value,
        status_at or event.time,
        overdue_at,
        event.time,
    )


PROJECTIONS: dict[str, Projection] = {
    **{step: Projection(SubmissionStep, submission_moved) for step in STATUS_AFTER},
    COMPLAINT_CLOSED: Projection(ComplaintClosed, complaint_closed),
    SUBMISSION_OVERDUE: Projection(SubmissionOverdue, submission_overdue),
}


# --- the overview's months -----------------------------------------------------------------

MONTHS_SHOWN = 12
# 12315 counts by the calendar month in China, whatever the server's zone.
CHINA = ZoneInfo("Asia/Shanghai")
_SUBMISSIONS = table(
    "submission_views",
    column("handling_region_code"),
    column("category"),
    column("filed_at"),
    column("overdue_at"),
)


def months_up_to(now: datetime, count: int = MONTHS_SHOWN) -> list[str]:
    """The `count` calendar months (YYYY-MM, China time) that end with now's, oldest first."""
    local = now.astimezone(CHINA)
    index = local.year * 12 + local.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _month_start(month: str) -> datetime:
    year, number = month.split("-")
    return datetime(int(year), int(number), 1, tzinfo=CHINA)


def _month_of(moment: ColumnElement) -> ColumnElement[str]:
    return func.to_char(func.timezone("Asia/Shanghai", moment), "YYYY-MM")


async def by_month(session: AsyncSession, scopes: Sequence[str], now: datetime) -> dict[str, Any]:
    """The last `MONTHS_SHOWN` months: submissions filed by month and category, and those
    found overdue by month (the overdue trend)."""
    months = months_up_to(now)
    since = _month_start(months[0])
    rows = _SUBMISSIONS.c
    scope = in_regions_or_everywhere(rows.handling_region_code, scopes)
    filed = await count_by(
        session,
        _month_of(rows.filed_at),
        func.coalesce(rows.category, "none"),
        where=[scope, rows.filed_at >= since],
    )
    overdue = await count_by(
        session, _month_of(rows.overdue_at), where=[scope, rows.overdue_at >= since]
    )
    return {"months": months, "filed_by_category": filed, "overdue": overdue}


OVERVIEW = (OverviewPart("complaints_by_month", by_month),)
