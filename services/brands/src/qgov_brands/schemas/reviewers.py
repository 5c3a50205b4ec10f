"""Reviewers (experts), as an admin registers them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qgov_brands.schemas.text import Name, Text
from qgov_shared.regions import RegionCodeStr
from qgov_shared.uscc import CreditCodeStr


class ReviewerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:@-]{1,100}$")] = Field(
        description="the subject (`sub`) of the reviewer's access tokens: the gateway client id"
    )
    name: Annotated[Text, Field(max_length=100)]
    organisation: Name
    enterprise_group: Name | None = Field(None, description="the enterprise group worked in")
    employer_credit_code: CreditCodeStr | None = None
    region_code: RegionCodeStr = Field(description="where the reviewer works")
    conflicts: Annotated[list[CreditCodeStr], Field(max_length=200)] = Field(
        [], description="enterprises the reviewer declared a conflict of interest with"
    )


class ReviewerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject: str
    name: str
    organisation: str
    enterprise_group: str | None
    employer_credit_code: str | None
    region_code: str
    conflicts: list[str]
    created_at: datetime
