"""Award programmes as their data files define them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class RoundPublic(BaseModel):
    code: str
    opens_on: date
    closes_on: date


class StagePublic(BaseModel):
    name: str
    kind: str
    period_days: int | None
    period_months: int | None


class EligibilityPublic(BaseModel):
    exclusion: str | None
    exclusion_years: int
    refuse_listed: bool
    refuse_grades: list[str]
    min_brand_age_years: int | None
    requires: list[str]


class ReviewPublic(BaseModel):
    criteria_set: str
    weights: dict[str, int]
    total: int
    pass_mark: int
    min_reviewers: int
    trim_from: int
    forbid_same_group: bool
    forbid_same_region: str | None


class QuotasPublic(BaseModel):
    awards: int
    nominations: int


class ProgrammePublic(BaseModel):
    code: str
    name: str
    level: str
    region_code: str | None
    subject: str
    rounds: list[RoundPublic]
    stages: list[StagePublic]
    eligibility: EligibilityPublic
    review: ReviewPublic
    quotas: QuotasPublic | None
    period_years: int | None
    validity_years: int | None
    renewal: bool
    basis: dict[str, str]
