"""What the gateway reads of other services' events: its own model of each event type it
projects, written from the producer's contract in `contracts/` and held to it by
`tests/test_contracts.py`: each type is declared in `asyncapi.yaml`, each field read here is in
the producer's schema (required there when required here, nullable here when nullable there),
and each vocabulary here is the producer's enum, value for value.

The gateway imports no other service's package, so a producer can only break what the gateway
reads by changing its contract, and that test fails when it does.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

Grade = Literal["A", "B", "C", "D"]
"""Credit grades, best first (credit's `grade.changed`)."""


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


class EventView(BaseModel):
    """The part of one event type's data the gateway reads; the rest is ignored, so a producer
    may add fields freely."""

    model_config = ConfigDict(frozen=True, extra="ignore")


# --- credit --------------------------------------------------------------------------------

GRADE_CHANGED = "qgov.credit.grade.changed.v1"
ENTERPRISE_LISTED = "qgov.credit.enterprise.listed.v1"
ENTERPRISE_DELISTED = "qgov.credit.enterprise.delisted.v1"


class Reason(BaseModel):
    """A record behind a credit score, as credit names it and the gateway shows it."""

    record_id: int
    kind: str
    severity: str
    points: int
    effective_on: date
    counts_until: date
    public: bool


class GradeChanged(EventView):
    credit_code: str
    region_code: str
    previous_grade: Grade
    grade: Grade
    previous_score: int
    score: int
    rule_version: str
    reasons: list[Reason]


class EnterpriseDelisted(EventView):
    credit_code: str
    region_code: str


class EnterpriseListed(EnterpriseDelisted):
    listed_on: date
    reason: str
    earliest_delisting_on: date
    joint_punishment: list[str]


# --- complaints ----------------------------------------------------------------------------

COMPLAINT_FILED = "qgov.complaints.complaint.filed.v1"
REPORT_FILED = "qgov.complaints.report.filed.v1"
COMPLAINT_ACCEPTED = "qgov.complaints.complaint.accepted.v1"
COMPLAINT_REJECTED = "qgov.complaints.complaint.rejected.v1"
COMPLAINT_CLOSED = "qgov.complaints.complaint.closed.v1"
REPORT_CASE_OPENED = "qgov.complaints.report.case_opened.v1"
REPORT_NOT_OPENED = "qgov.complaints.report.not_opened.v1"
SUBMISSION_OVERDUE = "qgov.complaints.submission.overdue.v1"


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
