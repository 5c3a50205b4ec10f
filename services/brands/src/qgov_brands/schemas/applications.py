"""Award applications, the steps that move them, the reviewers' scores and the objections to
a public notice."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qgov_brands.schemas.text import Code, Name, Reasons, RoundCode, StageName, Text
from qgov_shared.ids import RowId

Criterion = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,60}$")]


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: Code
    round: RoundCode
    enterprise_name: Name
    enterprise_group: Name | None = Field(None, description="the enterprise group it belongs to")
    brand_id: RowId | None = Field(
        None, description="your brand; required where brands are honoured"
    )
    renewal_of: RowId | None = Field(None, description="your award this re-review is for")
    statement: Annotated[Text, Field(max_length=5000, description="the application's case")]


class ApplicationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    programme: str
    round: str
    credit_code: str
    enterprise_name: str
    brand_id: int | None
    stage: str
    status: Literal["in_progress", "granted", "rejected"]
    tier: str | None
    score: Decimal | None
    notice_ends_on: date | None
    applied_at: datetime
    decided_on: date | None


class StepView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    stage: str
    passed: bool | None
    to_stage: str
    to_status: str
    reasons: str


class AssignmentView(BaseModel):
    reviewer_id: int
    name: str
    organisation: str
    assigned_at: datetime
    total: int | None = Field(description="the reviewer's points, once scored")


class ObjectionView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int
    stage: str
    text: str
    filed_at: datetime
    status: Literal["open", "upheld", "dismissed"]
    resolution: str | None
    resolved_at: datetime | None


class ApplicationDetail(ApplicationSummary):
    region_code: str
    enterprise_group: str | None
    renewal_of: int | None
    statement: str
    policy_version: str
    decision_reasons: str | None
    steps: list[StepView]
    reviewers: list[AssignmentView] = Field(
        description="the assigned reviewers: shown to regulators; a reviewer sees only itself"
    )
    objections: list[ObjectionView]


class ApplicationFilters(BaseModel):
    programme: Code | None = None
    round: RoundCode | None = None
    stage: StageName | None = None
    status: Literal["in_progress", "granted", "rejected"] | None = None


class StepCreate(BaseModel):
    """Close the application's current stage, passed or failed, with the reasons."""

    model_config = ConfigDict(extra="forbid")

    stage: StageName = Field(description="the stage being closed: the application's current one")
    passed: bool
    reasons: Reasons


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer_id: RowId


class ScoreCreate(BaseModel):
    """Points per criterion of the programme, each from 0 to its weight."""

    model_config = ConfigDict(extra="forbid")

    scores: Annotated[dict[Criterion, Annotated[int, Field(ge=0, le=1000)]], Field(max_length=20)]


class ScoreView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    application_id: int
    reviewer_id: int
    points: dict[str, int]
    total: int
    scored_at: datetime


class ObjectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[Text, Field(max_length=2000, description="what is objected, and why")]


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    upheld: bool
    reasons: Reasons


class ProposalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reasons: Reasons = Field(description="the committee's minutes")
