"""What the complaints API takes and gives. Inputs validate everything they can by themselves;
rules that need the policy or the clock are the handlers'."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from qgov_complaints.privacy import is_valid_resident_id
from qgov_shared.regions import RegionCodeStr
from qgov_shared.uscc import CreditCodeStr

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"),
]


def _resident_id(number: str) -> str:
    if not is_valid_resident_id(number):
        raise ValueError("not a valid 18-character resident identity number")
    return number.upper()


ResidentId = Annotated[str, AfterValidator(_resident_id)]


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, Field(max_length=50)]
    phone: Phone
    address: Annotated[Text, Field(max_length=300)]
    id_number: ResidentId | None = None


class Agent(Person):
    relationship: Annotated[Text, Field(max_length=50, description="e.g. 近亲属, 律师")]


class Respondent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, Field(max_length=200)]
    address: Annotated[Text, Field(max_length=300)] | None = None
    credit_code: CreditCodeStr | None = None


class Evidence(BaseModel):
    """Metadata of one piece of evidence; the file itself is kept by the citizen until asked."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, Field(max_length=200)]
    media_type: Annotated[str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]+$", max_length=100)]
    size_bytes: Annotated[int, Field(ge=0, le=50_000_000)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None


class ComplaintCreate(BaseModel):
    """投诉: a consumer's dispute with a business, for mediation."""

    model_config = ConfigDict(extra="forbid")

    complainant: Person
    agent: Agent | None = None
    respondent: Respondent
    request: Annotated[Text, Field(max_length=2000, description="投诉请求: what the consumer asks")]
    facts: Annotated[Text, Field(max_length=5000, description="事实和理由")]
    category: Annotated[str, Field(max_length=40, description="one of the policy's categories")]
    region_code: RegionCodeStr
    amount: Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), decimal_places=2)] | None = (
        None
    )
    incident_on: date | None = Field(None, description="date of purchase or of the incident")
    known_harm_on: date | None = Field(None, description="when the consumer knew of the harm")
    evidence: Annotated[list[Evidence], Field(max_length=20)] = []


class ReportCreate(BaseModel):
    """举报: a tip about a suspected violation; the reporter may stay anonymous."""

    model_config = ConfigDict(extra="forbid")

    reporter: Person | None = Field(None, description="leave out to report anonymously")
    respondent: Respondent
    facts: Annotated[Text, Field(max_length=5000)]
    category: Annotated[str, Field(max_length=40)] | None = None
    region_code: RegionCodeStr
    incident_on: date | None = None
    evidence: Annotated[list[Evidence], Field(max_length=20)] = []


class FilingReceipt(BaseModel):
    tracking_number: str
    token: str = Field(description="shown once: with the tracking number it follows the case")
    kind: str
    status: str
    received_at: datetime
    due_on: date = Field(description="the legal deadline for the first decision")
    due_is_provisional: bool = Field(
        description="the deadline falls in a year whose holiday schedule is not yet published"
    )


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    action: str
    to_status: str


class TrackingView(BaseModel):
    """What a citizen sees with the tracking number and token: progress, no one's details."""

    tracking_number: str
    kind: str
    status: str
    received_at: datetime
    region_code: str
    running_deadline: str | None
    due_on: date | None
    due_is_provisional: bool
    outcome: str | None
    ground: str | None
    satisfaction: int | None
    history: list[HistoryEntry]


class PersonView(BaseModel):
    name: str
    phone: str
    address: str
    id_number: str | None = None


class SubmissionSummary(BaseModel):
    id: int
    tracking_number: str
    kind: str
    status: str
    category: str | None
    handling_region_code: str
    respondent_name: str
    respondent_credit_code: str | None
    received_at: datetime
    running_deadline: str | None
    due_on: date | None
    due_is_provisional: bool
    overdue: bool


class RegulatorHistoryEntry(HistoryEntry):
    actor: str
    from_status: str | None
    detail: dict


class NoteView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    author: str
    text: str


class ResponseView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    kind: str
    text: str


class SubmissionDetail(SubmissionSummary):
    region_code: str
    channel: str
    person: PersonView | None
    personal_data_masked: bool
    agent: dict | None
    respondent_address: str | None
    request: str | None
    facts: str
    amount: Decimal | None
    incident_on: date | None
    known_harm_on: date | None
    evidence: list[dict]
    outcome: str | None
    ground: str | None
    termination_reason: str | None
    decision_reason: str | None
    extended: bool
    satisfaction: int | None
    history: list[RegulatorHistoryEntry]
    notes: list[NoteView]
    responses: list[ResponseView]


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject"]
    ground: str | None = Field(
        None,
        max_length=40,
        description="required to reject: a code of the policy's rejection_grounds",
    )


class MediationOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["mediated", "mediation_failed", "terminated"]
    reason: str | None = Field(
        None,
        max_length=40,
        description="required to terminate: a code of the policy's termination_reasons",
    )
    agreement: Annotated[Text, Field(max_length=2000)] | None = None


class ReportDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_opened: bool
    reason: Annotated[Text, Field(max_length=2000)]


class Extension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[Text, Field(max_length=2000)]


class Transfer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region_code: RegionCodeStr
    reason: Annotated[Text, Field(max_length=2000)]


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[Text, Field(max_length=2000)]


class Rating(BaseModel):
    model_config = ConfigDict(extra="forbid")

    satisfaction: Annotated[int, Field(ge=1, le=5)]


class SubmissionFilters(BaseModel):
    """The regulators' list filters (query parameters)."""

    kind: Literal["complaint", "report"] | None = None
    status: str | None = Field(None, max_length=24)
    region_code: str | None = Field(None, pattern=r"^\d{6}$", description="within your regions")
    overdue: bool | None = None


class ResponseCreate(BaseModel):
    """The respondent's answer to a complaint, or its settlement proposal."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["answer", "settlement_proposal"]
    text: str = Field(min_length=1, max_length=2000)
