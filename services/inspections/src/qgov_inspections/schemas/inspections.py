"""Sampling, the laboratories' results, objections and retests, and follow-ups."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from qgov_inspections.domain import Outcome
from qgov_inspections.schemas import Input, InspectorNamed, Name, Note, StandardNumber, Text
from qgov_shared.ids import RowId

Short = Annotated[Text, Field(max_length=100)]


class SampleRecord(Input):
    """What the inspectors record on the spot (抽样单)."""

    product_name: Name
    lot: Short = Field(description="batch number or production date")
    quantity: Short = Field(description="e.g. 12 件 (6 for testing, 6 kept for a retest)")
    place: Name = Field(description="where it was taken: warehouse, shop")
    sampled_at: AwareDatetime
    inspectors: list[RowId] = Field(min_length=1, max_length=10, description="present, by id")
    standard_numbers: list[StandardNumber] = Field(min_length=1, max_length=10)
    declaration_id: RowId | None = Field(
        None, description="the standards declaration the product cites, when it has one"
    )


class FailingIndicatorIn(Input):
    name: Name
    measured: Annotated[Text, Field(max_length=64)] | None = None
    unit: Annotated[Text, Field(max_length=32)] | None = None
    required: Name | None = Field(None, description="the limit it fails")


class LabResult(Input):
    outcome: Outcome
    failing_indicators: list[FailingIndicatorIn] = Field(default_factory=list, max_length=50)
    findings: list[Note] = Field(default_factory=list, max_length=20)
    tested_on: date


class ObjectionCreate(Input):
    reason: Annotated[Text, Field(max_length=1000)]


class ReinspectionCreate(Input):
    outcome: Literal["passed", "failed"]
    reinspected_on: date
    note: Note | None = None


class LabSample(BaseModel):
    """All a laboratory sees of a sample: no enterprise, no inspection."""

    blind_code: str
    purpose: str = Field(description="test, or retest after an objection")
    product_name: str
    quantity: str
    standard_numbers: list[str]
    received_on: date
    tested_on: date | None
    result: dict[str, Any] | None


class SampleShown(BaseModel):
    blind_code: str
    purpose: str
    laboratory_id: int
    tested_on: date | None
    result: dict[str, Any] | None


class FollowUpShown(BaseModel):
    rectification_due_on: date
    reinspection: dict[str, Any] | None
    outcome: str | None
    closed_on: date | None


class InspectionPublic(BaseModel):
    """An inspection as the regulator and the enterprise see it."""

    id: int
    campaign_id: int
    credit_code: str
    enterprise_name: str
    region_code: str
    grade: str
    inspectors: list[InspectorNamed]
    team: list[int] = Field(description="the drawn inspectors' ids, as `inspectors`")
    status: str
    sampling: dict[str, Any] | None
    samples: list[SampleShown] = Field(description="the regulator's only")
    result: dict[str, Any] | None = Field(description="the laboratory's latest result")
    notified_on: date | None
    objection_due_on: date | None
    objection: str | None
    final_outcome: str | None
    final_on: date | None
    retested: bool
    follow_up: FollowUpShown | None
