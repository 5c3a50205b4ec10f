"""The facts the complaints service publishes on `qgov.complaints`, keyed by the respondent's
credit code: one model per event type, from which both the CloudEvent and its schema are made.

Every event names its submission and respondent the same way (`SubmissionEvent`), and none
carries the personal data of the people who filed: complainants and reporters stay here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from qgov_complaints.domain import Deadline, Kind, Status
from qgov_shared.events import CreditCode, EventData, RegionCode

TrackingNumber = Annotated[
    str,
    Field(
        pattern=r"^[TJ][0-9]{8}[2-9A-HJKMNP-Z]{8}$",
        description="T (complaint) or J (report), the filing day, 8 unambiguous characters",
    ),
]
Yuan = Annotated[
    str, Field(pattern=r"^[0-9]+(\.[0-9]{1,2})?$", description="the amount in dispute, in yuan")
]
RejectionGround = Literal[
    "outside_duties",
    "already_handled",
    "not_consumption",
    "time_barred",
    "materials_missing",
    "other_legal_ground",
]
"""The policy's `rejection_grounds`, as codes (a unit test keeps the two the same)."""
MediationEnd = Literal[Status.MEDIATED, Status.MEDIATION_FAILED, Status.TERMINATED]


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default")


class SubmissionEvent(EventData):
    """The case and its respondent, as every complaints event names them; never the
    complainant's or reporter's personal data."""

    tracking_number: TrackingNumber
    kind: Kind
    region_code: RegionCode = Field(description="where the matter arose")
    handling_region_code: RegionCode = Field(description="the office handling it now")
    category: Annotated[str, Field(max_length=40)] | None
    respondent_name: str = Field(min_length=1, max_length=200)
    respondent_credit_code: CreditCode | None = Field(
        description="the respondent's unified social credit code, when the filer knew it; "
        "also the event's subject"
    )

    @classmethod
    def case_of(cls, values: Any) -> dict[str, Any]:
        """This base's fields as a submission (a row, or its column values) holds them."""
        get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
        return {name: get(name) for name in SubmissionEvent.model_fields}


class ComplaintFiled(SubmissionEvent):
    """A citizen filed a complaint (投诉)."""

    TYPE: ClassVar[str] = "qgov.complaints.complaint.filed.v1"
    received_on: date
    due_on: date = Field(description="the deadline for deciding whether to accept it")
    # Left out when not given, as if the field were absent: never null.
    amount: Yuan | SkipJsonSchema[None] = Field(
        None,
        exclude_if=lambda amount: amount is None,
        json_schema_extra=_without_default,
    )

    @staticmethod
    def yuan(amount: Decimal | None) -> str | None:
        """The amount as stored, to the fen: `1E+3` given is `1000.00` kept."""
        return None if amount is None else f"{amount:.2f}"


class ComplaintAccepted(SubmissionEvent):
    """A regulator accepted a complaint; mediation must end within the policy's limit."""

    TYPE: ClassVar[str] = "qgov.complaints.complaint.accepted.v1"
    accepted_on: date
    mediation_due_on: date


class ComplaintRejected(SubmissionEvent):
    """A regulator declined a complaint on one of the policy's rejection grounds."""

    TYPE: ClassVar[str] = "qgov.complaints.complaint.rejected.v1"
    ground: RejectionGround
    rejected_on: date


class ComplaintClosed(SubmissionEvent):
    """A complaint was closed after mediation ended; the outcome says how."""

    TYPE: ClassVar[str] = "qgov.complaints.complaint.closed.v1"
    outcome: MediationEnd
    closed_on: date


class ReportFiled(SubmissionEvent):
    """A report (举报) of a suspected violation was filed, by name or anonymously."""

    TYPE: ClassVar[str] = "qgov.complaints.report.filed.v1"
    received_on: date
    due_on: date = Field(description="the deadline for deciding whether to open a case")


class ReportCaseOpened(SubmissionEvent):
    """A regulator opened a case on a report."""

    TYPE: ClassVar[str] = "qgov.complaints.report.case_opened.v1"
    decided_on: date


class ReportNotOpened(SubmissionEvent):
    """A regulator decided not to open a case on a report."""

    TYPE: ClassVar[str] = "qgov.complaints.report.not_opened.v1"
    decided_on: date


class SubmissionOverdue(SubmissionEvent):
    """A legal deadline of a submission passed without the step it requires."""

    TYPE: ClassVar[str] = "qgov.complaints.submission.overdue.v1"
    deadline: Deadline
    due_on: date
    status: Status = Field(description="where the submission stands")


EVENTS = (
    ComplaintFiled,
    ComplaintAccepted,
    ComplaintRejected,
    ComplaintClosed,
    ReportFiled,
    ReportCaseOpened,
    ReportNotOpened,
    SubmissionOverdue,
)
_BY_STEP = {model.TYPE.split(".", 2)[2].rsplit(".", 1)[0]: model for model in EVENTS}


def for_step(name: str) -> type[SubmissionEvent]:
    """The model of the event a domain step announces by name (`complaint.accepted`)."""
    return _BY_STEP[name]
