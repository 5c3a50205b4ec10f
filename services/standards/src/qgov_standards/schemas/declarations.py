"""Declarations, their versions, and the checks and flags on them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from qgov_standards.floor import FlagReason
from qgov_standards.numbers import FIRST_YEAR, LAST_YEAR, Kind
from qgov_standards.schemas import (
    BoundsIn,
    BoundsShown,
    CategoryCode,
    Input,
    Name,
    NumberText,
    Text,
)
from qgov_standards.supervision import Outcome, Source

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


class StandardCited(Input):
    """A standard the product executes. The year may be in the number or given apart."""

    number: NumberText
    title: Annotated[Text, Field(max_length=300)]
    year: Year | None = None
    kind: Kind | None = Field(None, description="checked against the number when given")


class IndicatorDeclared(BoundsIn):
    """A functional or performance indicator (功能指标, 性能指标) of an enterprise standard."""

    name: Name
    test_method: Annotated[Text, Field(max_length=200)] | None = None
    safety: bool = Field(False, description="a safety, health or environment indicator")


class DeclarationContent(Input):
    product_name: Name
    category: CategoryCode
    standards: list[StandardCited] = Field(min_length=1, max_length=20)
    indicators: list[IndicatorDeclared] = Field(
        default_factory=list,
        max_length=50,
        description="required when an enterprise standard (Q/…) is executed",
    )


class DeclarationCreate(DeclarationContent):
    enterprise_name: Name


class DeclarationRevision(DeclarationContent):
    note: Annotated[Text, Field(max_length=500, description="what changed, and why")] | None = None


class Withdrawal(Input):
    reason: Annotated[Text, Field(max_length=500)]


class CheckCreate(Input):
    outcome: Outcome
    findings: list[Annotated[Text, Field(max_length=500)]] = Field(
        default_factory=list, max_length=20
    )
    failing_indicators: list[Name] = Field(default_factory=list, max_length=50)
    checked_on: date


class StandardShown(BaseModel):
    number: str
    title: str
    year: int
    kind: Kind
    mandatory: bool


class IndicatorShown(BoundsShown):
    name: str
    test_method: str | None = None
    safety: bool


class FlagPublic(BaseModel):
    id: int
    declaration_id: int
    declaration_version: int
    reason: FlagReason
    standard_number: str
    replaced_by: str | None
    indicator: str | None
    required: str | None
    declared: str | None
    effective_on: date
    flagged_at: datetime
    cleared_at: datetime | None
    message: str


class DeclarationPublic(BaseModel):
    id: int
    credit_code: str
    enterprise_name: str
    region_code: str
    product_name: str
    category: str
    category_name: str
    status: str = Field(description="published, or withdrawn (kept on record)")
    version: int
    standards: list[StandardShown]
    indicators: list[IndicatorShown]
    published_at: datetime
    revised_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    open_flags: list[FlagPublic]


class DeclarationSummary(BaseModel):
    id: int
    credit_code: str
    enterprise_name: str
    product_name: str
    category: str
    status: str
    version: int
    standards: list[str]
    open_flags: int
    revised_at: datetime


class VersionPublic(BaseModel):
    declaration_id: int
    version: int
    product_name: str
    category: str
    standards: list[StandardShown]
    indicators: list[IndicatorShown]
    note: str | None
    published_at: datetime


class Change(BaseModel):
    field: str = Field(description="product_name, category, standards or indicators")
    key: str | None = Field(description="the standard's number or the indicator's name")
    before: Any = Field(description="null when added")
    after: Any = Field(description="null when removed")


class VersionDiff(BaseModel):
    declaration_id: int
    from_version: int
    to_version: int
    changes: list[Change]


class CheckPublic(BaseModel):
    id: int
    declaration_id: int
    declaration_version: int
    outcome: Outcome
    findings: list[str]
    failing_indicators: list[str]
    checked_on: date
    source: Source
    inspection_id: str | None
    recorded_at: datetime
