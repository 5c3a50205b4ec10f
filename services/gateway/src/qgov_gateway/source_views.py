"""The public models of what the brands, standards, traceability and inspections services'
events show in the unified view: the profile's lists and the overview's counts."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from qgov_gateway.projections.brands import AwardStatus, Level, RevocationGround, Tier
from qgov_gateway.projections.inspections import (
    FailingIndicator,
    FollowUpOutcome,
    InspectionOutcome,
)
from qgov_gateway.projections.standards import CheckOutcome, CheckSource


class Award(BaseModel):
    award_id: int
    programme: str
    programme_name: str
    level: Level
    round: str
    tier: Tier
    brand_id: int | None
    granted_on: date | None
    valid_until: date | None = Field(description="when it must be re-reviewed; null: for good")
    status: AwardStatus
    status_on: date = Field(description="the day it came to stand as it does")
    revocation_ground: RevocationGround | None


class StandardCheck(BaseModel):
    check_id: int
    version: int = Field(description="the declaration's version checked")
    outcome: CheckOutcome
    findings: list[str]
    failing_indicators: list[str]
    checked_on: date
    source: CheckSource


class FrontrunnerTitle(BaseModel):
    """The declaration is a frontrunner (领跑者) in its category's newest ranking."""

    plan_version: int
    ranking: int
    rank: int | None
    score: str | None = Field(description="out of 100")
    newly_named: bool
    published_on: date


class StandardDeclaration(BaseModel):
    declaration_id: int
    version: int
    product_name: str
    category: str
    standards: list[str] = Field(description="the standard numbers declared")
    status: Literal["declared", "withdrawn"]
    declared_on: date | None
    revised_on: date | None
    withdrawn_on: date | None
    withdrawal_reason: str | None
    frontrunner: FrontrunnerTitle | None
    checks: list[StandardCheck] = Field(description="the newest first")


class Recall(BaseModel):
    recall_id: int
    voluntary: bool = Field(description="started by the producer, not ordered by a regulator")
    status: Literal["open", "closed"]
    initiated_on: date | None
    deadline: date | None
    defect: str | None
    hazard: str | None
    products: list[str]
    affected_items: int | None
    affected_parties: int | None
    units_recovered_total: int
    progressed_on: date | None
    closed_on: date | None
    summary: str | None


class Certificate(BaseModel):
    certificate_id: int
    trace_code: str
    product_name: str
    lot: str = Field(description="the lot's GS1 Digital Link")
    issued_on: date


class FollowUp(BaseModel):
    outcome: FollowUpOutcome
    closed_on: date


class InspectionResult(BaseModel):
    inspection_id: str
    campaign_id: int
    product_name: str
    outcome: InspectionOutcome
    failing_indicators: list[FailingIndicator]
    decided_on: date
    retested: bool
    followup: FollowUp | None = Field(description="how the follow-up of a failure closed")


class AwardCounts(BaseModel):
    proposed_by_region: dict[str, int] = Field(description="proposals awaiting a decision")
    proposed_by_tier: dict[str, int]
    in_public_notice: int = Field(description="awaiting a decision, their public notice running")


class StandardCounts(BaseModel):
    declarations_by_region: dict[str, int] = Field(description="declared and not withdrawn")
    flags_by_region: dict[str, int]
    flags_by_reason: dict[str, int]


class RecallCounts(BaseModel):
    open: int
    voluntary: int = Field(description="open recalls the producers started")
    ordered: int = Field(description="open recalls a regulator ordered")
    open_by_region: dict[str, int]


class CertificateCounts(BaseModel):
    issued: int
    issued_by_region: dict[str, int]


class InspectionCounts(BaseModel):
    by_outcome: dict[str, int] = Field(description="final results")
    by_region: dict[str, dict[str, int]] = Field(description="final results by outcome")
