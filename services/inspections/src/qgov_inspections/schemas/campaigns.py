"""Campaigns, their draws, and the public campaign page."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from qgov_inspections.schemas import (
    CategoryCode,
    GradeCode,
    Hex64,
    Input,
    InspectorNamed,
    Name,
    RegionCodeStr,
)
from qgov_shared.ids import RowId

RatioText = Annotated[
    str,
    Field(
        pattern=r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$",
        description="a decimal fraction, at most 4 places: 0.03 is 3%",
        examples=["0.05"],
    ),
]


class CampaignCreate(Input):
    title: Name
    region_codes: list[RegionCodeStr] = Field(min_length=1, max_length=20)
    categories: list[CategoryCode] = Field(min_length=1, max_length=20)
    period_start: date
    period_end: date
    ratios: dict[GradeCode, RatioText] | None = Field(
        None, description="the share of each credit grade drawn; the policy's when absent"
    )
    inspectors_per_check: int | None = Field(
        None, ge=2, le=10, description="the policy's minimum when absent"
    )
    laboratory_ids: list[RowId] = Field(min_length=1, max_length=20)
    seed_hash: Hex64 = Field(
        description="SHA-256 (hex) of the secret seed's text; the seed is revealed at the draw"
    )


class DrawRequest(Input):
    seed: Hex64 = Field(description="the secret seed: 64 lower-case hex digits")


class CampaignPublic(BaseModel):
    id: int
    title: str
    region_codes: list[str]
    categories: list[str]
    period_start: date
    period_end: date
    ratios: dict[str, str]
    inspectors_per_check: int
    laboratories: int = Field(description="how many laboratories test its samples")
    seed_hash: str
    status: str = Field(description="published, drawn or completed")
    published_on: date
    drawn_on: date | None
    completed_on: date | None
    results_public_by: date | None = Field(
        description="the last day its results may become public (they are as they stand)"
    )
    inspections: int
    final: int


class Exclusion(BaseModel):
    badge_number: str
    credit_code: str


class DrawnEnterprise(BaseModel):
    credit_code: str
    grade: str
    inspectors: list[str] = Field(description="badge numbers, in the order drawn")


class DrawRecord(BaseModel):
    """Everything needed to re-run the draw (README, "Verifying a draw")."""

    campaign_id: int
    seed: str
    seed_hash: str
    candidates_hash: str = Field(description="SHA-256 of the text at .../draw/candidates")
    candidate_count: int
    ratios: dict[str, str]
    inspectors_per_check: int
    inspector_pool: list[str] = Field(description="badge numbers, frozen at the draw")
    exclusions: list[Exclusion] = Field(
        description="pairs that may not meet: a declared conflict, or the enterprise's "
        "previous inspection's team"
    )
    drawn: list[DrawnEnterprise]
    drawn_on: date


class PublicResult(BaseModel):
    outcome: str
    product_name: str
    failing_indicators: list[dict]
    decided_on: date
    retested: bool
    follow_up: str | None = Field(description="open, rectified or referred")


class PublicInspection(BaseModel):
    inspection_id: int
    credit_code: str
    enterprise_name: str
    grade: str
    inspectors: list[InspectorNamed]
    status: str
    result: PublicResult | None = Field(description="once final")
