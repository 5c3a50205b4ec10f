"""The catalogue of national standards, and the mandatory limits of its mandatory ones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from qgov_standards.floor import Status
from qgov_standards.numbers import Kind
from qgov_standards.schemas import (
    BoundsIn,
    BoundsShown,
    CategoryCode,
    Input,
    Name,
    NumberText,
    Text,
)


class LimitIn(BoundsIn):
    """A mandatory limit on one indicator, for the product categories it applies to."""

    name: Name
    categories: list[CategoryCode] = Field(min_length=1, max_length=20)


class CatalogueStandardCreate(Input):
    number: NumberText
    title: Annotated[Text, Field(max_length=300)]
    effective_on: date = Field(description="实施日期: upcoming (即将实施) until then")
    withdrawn_on: date | None = Field(None, description="废止日期, when already known")
    replaced_by: NumberText | None = None
    limits: list[LimitIn] = Field(
        default_factory=list, max_length=100, description="mandatory standards only"
    )


class LimitsChange(Input):
    """The standard's limits from now on (a tightened limit, a new indicator): all of them."""

    limits: list[LimitIn] = Field(max_length=100)


class StandardWithdrawal(Input):
    withdrawn_on: date
    replaced_by: NumberText | None = None


class LimitShown(BoundsShown):
    name: str
    categories: list[str]


class CatalogueStandardPublic(BaseModel):
    id: int
    number: str
    base: str = Field(description="the number without its year: every edition")
    kind: Kind
    mandatory: bool
    title: str
    status: Status = Field(description="on the service's today")
    effective_on: date
    withdrawn_on: date | None
    replaced_by: str | None
    limits_version: int
    limits: list[LimitShown]
    updated_at: datetime


class CatalogueChange(BaseModel):
    """A catalogue change, and the published declarations it flagged at once."""

    standard: CatalogueStandardPublic
    flagged: int = Field(description="declarations flagged by this change")
