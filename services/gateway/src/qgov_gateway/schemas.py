"""The gateway's public models."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from qgov_gateway.projections.credit import Grade, Reason
from qgov_gateway.source_views import (
    Award,
    AwardCounts,
    Certificate,
    CertificateCounts,
    InspectionCounts,
    InspectionResult,
    Recall,
    RecallCounts,
    StandardCounts,
    StandardDeclaration,
)


class SourceStatus(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    source: str
    last_event_id: str
    last_event_type: str
    last_event_time: datetime
    events_seen: int


class SourceFreshness(BaseModel):
    source: str = Field(description="the CloudEvents source, e.g. /qgov/credit")
    last_event_time: datetime = Field(description="the newest event taken in from it")


class Listing(BaseModel):
    listed_on: date
    reason: str
    earliest_delisting_on: date
    joint_punishment: list[str]


class GradeStep(BaseModel):
    previous_grade: Grade
    grade: Grade
    previous_score: int
    score: int
    changed_at: datetime


class CreditView(BaseModel):
    grade: Grade | None = Field(description="null until the credit service has graded it")
    score: int | None
    listed: bool = Field(description="on the serious-violation list (严重违法失信名单)")
    listing: Listing | None
    reasons: list[Reason] = Field(
        description="the records behind the score; the public sees the public ones"
    )
    rule_version: str | None
    graded_at: datetime | None
    history: list[GradeStep] = Field(description="the newest grade changes first")


class ComplaintStatistics(BaseModel):
    complaints_received: int
    complaints_mediated: int
    complaints_closed: int
    report_cases_opened: int
    complaints_open: int | None = Field(None, description="regulators and the enterprise only")
    complaints_rejected: int | None = None
    reports_received: int | None = None
    reports_not_opened: int | None = None
    overdue: int | None = Field(None, description="past a legal deadline and still open")


class ProfileDocument(BaseModel):
    """An enterprise's profile as the read model stores it, one for the public and one in full
    (`profile_documents`): the profile but for `sources`, which every read adds as it stands."""

    credit_code: str
    name: str
    region_code: str
    credit: CreditView
    complaints: ComplaintStatistics
    awards: list[Award] = Field(description="the newest first")
    standards: list[StandardDeclaration] = Field(description="standing first, newest first")
    recalls: list[Recall] = Field(description="open first, newest first")
    certificates: list[Certificate] = Field(description="the newest issued")
    inspections: list[InspectionResult] = Field(description="the newest final results")
    as_of: datetime = Field(description="the time of the newest event about this enterprise")


class Profile(ProfileDocument):
    sources: list[SourceFreshness] = Field(
        description="how fresh each source's part of the view is"
    )


class GradeFall(BaseModel):
    credit_code: str
    name: str
    from_grade: Grade
    to_grade: Grade | None
    from_score: int
    to_score: int | None
    fall: int


class EnterpriseCounts(BaseModel):
    by_region: dict[str, int]
    by_grade: dict[str, int] = Field(description='"none" counts those not graded yet')
    listed: int


class ComplaintCounts(BaseModel):
    by_category: dict[str, int]
    by_status: dict[str, int]
    overdue: int


class ComplaintMonths(BaseModel):
    months: list[str] = Field(
        description="the months counted (YYYY-MM, China time), oldest first, this one last"
    )
    filed_by_category: dict[str, dict[str, int]] = Field(
        description="submissions filed in each month, by category; a month with none is left out"
    )
    overdue: dict[str, int] = Field(
        description="submissions found past a legal deadline in each month (by the newest "
        "deadline notice); a month with none is left out"
    )


class Overview(BaseModel):
    regions: list[str] = Field(description="the regions counted; empty for the whole country")
    enterprises: EnterpriseCounts
    complaints: ComplaintCounts
    complaints_by_month: ComplaintMonths
    awards: AwardCounts
    standards: StandardCounts
    recalls: RecallCounts
    certificates: CertificateCounts
    inspections: InspectionCounts
    largest_falls: list[GradeFall] = Field(description="largest score falls in the last 30 days")
    as_of: datetime
    sources: list[SourceFreshness]


class EnterpriseHit(BaseModel):
    credit_code: str
    name: str
    region_code: str
    grade: Grade | None = Field(description="null until the credit service has graded it")


class EnterpriseHits(BaseModel):
    items: list[EnterpriseHit]
    next_cursor: str | None = Field(description="the next page's `cursor`; null on the last")


class FeedItem(BaseModel):
    cursor: str = Field(description="the change's place in the feed; pass it as `after`")
    credit_code: str
    region_code: str
    grade: Grade
    previous_grade: Grade
    score: int
    previous_score: int
    changed_at: datetime
    reasons: list[Reason]


class FeedPage(BaseModel):
    items: list[FeedItem]
    next_cursor: str | None = Field(
        description="the cursor to read on from; the one given when nothing new has arrived"
    )
