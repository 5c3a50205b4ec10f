"""What the credit API takes and gives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qgov_shared.ids import RowId
from qgov_shared.regions import RegionCodeStr
from qgov_shared.uscc import CreditCodeStr

EntryKind = Literal[
    "inspection_failed",
    "inspection_passed",
    "penalty",
    "serious_penalty",
    "quality_accident",
    "safety_accident",
    "environmental_accident",
]


class RecordCreate(BaseModel):
    """A regulator's record (the public contract's fields)."""

    model_config = ConfigDict(extra="forbid")

    credit_code: CreditCodeStr
    kind: EntryKind
    severity: Annotated[str, StringConstraints(max_length=20)] | None = None
    occurred_on: date
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class EnterpriseUpsert(BaseModel):
    """A regulator opens an enterprise's file, or corrects its name, region or industry."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    region_code: RegionCodeStr | None = Field(
        None, description="where it is supervised; default positions 3-8 of its credit code"
    )
    industry: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")] | None = Field(
        None, description="e.g. food, drugs, special_equipment (longer repair periods)"
    )


class RecordView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    kind: str
    severity: str
    effective_on: date
    public: bool
    note: str | None
    source_event_type: str | None
    entered_by: str | None
    created_at: datetime


class ReasonView(BaseModel):
    record_id: int
    kind: str
    severity: str
    points: int
    effective_on: date
    counts_until: date
    public: bool


class CreditSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    credit_code: str
    name: str
    region_code: str
    industry: str | None
    score: int
    grade: str
    listed: bool
    rule_version: str
    assessed_on: date


class ListingView(BaseModel):
    """A period on the serious-violation list, and what it means elsewhere."""

    model_config = ConfigDict(from_attributes=True)

    listed_on: date
    reason: str
    earliest_delisting_on: date
    delisted_on: date | None
    joint_punishment: list[str] = Field(
        default_factory=list, description="flags other services act on while it lasts"
    )


class CreditFile(CreditSummary):
    listings: list[ListingView] = Field(description="every listing, current and past")
    reasons: list[ReasonView] = Field(description="the live records that make the score")
    records: list[RecordView] = Field(description="every record, live or expired")


class GradeChangeView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    changed_at: datetime
    assessed_on: date
    previous_score: int | None
    score: int
    previous_grade: str | None
    grade: str
    rule_version: str
    cause: str
    reasons: list[ReasonView]


class PublicRecord(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    severity: str
    effective_on: date


class PublicCreditFile(BaseModel):
    """What a public credit-information system shows: public records and a current listing,
    no risk grade."""

    credit_code: str
    name: str
    listed: bool
    listing: ListingView | None
    records: list[PublicRecord]


class RepairCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: Literal["listing", "penalty_publicity"]
    record_id: RowId | None = Field(None, description="the penalty, for penalty_publicity")
    pledge: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="信用承诺书: the enterprise's good-faith pledge")
    correction: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)
    ] = Field(description="proof that the violation was corrected (整改材料)")


class RepairView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    target: str
    record_id: int | None
    pledge: str
    correction: str
    applied_at: datetime
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


class RepairDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class RebuildReport(BaseModel):
    enterprises: int
    differing: int
