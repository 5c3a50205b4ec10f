"""The facts the inspections service publishes on `qgov.inspections`: one model per event type,
from which both the CloudEvent and its schema are made. Events about one enterprise are keyed
by its credit code; a campaign's publication, about no enterprise, by its own id. Inspectors
appear by name and badge number only; laboratories and blind codes never (抽检分离)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from qgov_inspections.domain import FollowUpOutcome, Outcome
from qgov_shared.events import CreditCode, EventData, RegionCode

Name = Annotated[str, Field(min_length=1, max_length=200)]
Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256, hex")]
Ratio = Annotated[str, Field(pattern=r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$")]


class InspectorNamed(BaseModel):
    """An inspector as the public sees one: name and badge number, nothing else."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Name
    badge_number: Annotated[str, Field(min_length=1, max_length=32)]


class FailingIndicator(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Name
    measured: str | None = Field(None, max_length=64, description="the value found")
    unit: str | None = Field(None, max_length=32)
    required: str | None = Field(None, max_length=200, description="the limit it fails")


class CampaignPublished(EventData):
    """A regulator published a sampling campaign with the commitment to its secret seed."""

    TYPE: ClassVar[str] = "qgov.inspections.inspection.campaign_published.v1"
    campaign_id: int = Field(ge=1)
    title: Name
    region_codes: list[RegionCode] = Field(min_length=1)
    categories: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1)
    period_start: date
    period_end: date
    ratios: dict[str, Ratio] = Field(description="share of each credit grade drawn")
    inspectors_per_check: int = Field(ge=2)
    seed_hash: Hash
    published_on: date


class InspectionEvent(EventData):
    """The inspection and its enterprise, as every event about one names them."""

    inspection_id: str = Field(min_length=1, max_length=64)
    campaign_id: int = Field(ge=1)
    credit_code: CreditCode
    enterprise_name: Name
    region_code: RegionCode

    @staticmethod
    def fields_of(row: Any) -> dict[str, Any]:
        """The naming fields, from an inspection row."""
        return {
            "inspection_id": str(row.id),
            "campaign_id": row.campaign_id,
            "credit_code": row.credit_code,
            "enterprise_name": row.enterprise_name,
            "region_code": row.region_code,
        }


class InspectionDrawn(InspectionEvent):
    """An enterprise was drawn for a campaign, with its inspectors; the seed is revealed, so
    anyone can re-run the draw from the published candidate list."""

    TYPE: ClassVar[str] = "qgov.inspections.inspection.drawn.v1"
    grade: Annotated[str, Field(pattern=r"^[ABCD]$", description="as frozen in the list")]
    inspectors: list[InspectorNamed] = Field(min_length=2)
    seed: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    seed_hash: Hash
    candidates_hash: Hash
    drawn_on: date


class SampleTaken(InspectionEvent):
    """The inspectors took the sample; it goes to a laboratory under a blind code."""

    TYPE: ClassVar[str] = "qgov.inspections.inspection.sample_taken.v1"
    product_name: Name
    lot: Annotated[str, Field(max_length=100)]
    quantity: Annotated[str, Field(max_length=100)]
    standard_numbers: list[Annotated[str, Field(max_length=64)]]
    inspectors: list[InspectorNamed] = Field(min_length=2)
    sampled_at: datetime


class ResultFinal(InspectionEvent):
    """An inspection's result stands: the objection period passed, or the retest decided.
    `declaration_id` (when the inspectors noted it) or `standard_number` and `product_name`
    name the standards declaration the product cites."""

    TYPE: ClassVar[str] = "qgov.inspections.inspection.result_final.v1"
    declaration_id: int | None = Field(ge=1, lt=2**63)
    product_name: Name
    standard_number: Annotated[str, Field(max_length=64)] | None
    outcome: Outcome
    failing_indicators: list[FailingIndicator] = Field(max_length=50)
    findings: list[Annotated[str, Field(max_length=500)]] = Field(max_length=20)
    retested: bool = Field(description="the result is a retest's, after an objection")
    decided_on: date = Field(description="the day the result became final")


class FollowUpClosed(InspectionEvent):
    """The follow-up of a failure closed on its re-inspection."""

    TYPE: ClassVar[str] = "qgov.inspections.inspection.followup_closed.v1"
    outcome: FollowUpOutcome
    rectification_due_on: date
    reinspected_on: date
    closed_on: date


EVENTS: tuple[type[EventData], ...] = (
    CampaignPublished,
    InspectionDrawn,
    SampleTaken,
    ResultFinal,
    FollowUpClosed,
)
