"""Awards granted, their history, the public notices and the holders lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qgov_brands.schemas.text import Code, Reasons, RoundCode


class AwardPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int
    programme: str
    round: str
    credit_code: str
    enterprise_name: str
    brand_id: int | None
    tier: Literal["award", "nomination"]
    status: Literal["granted", "suspended", "revoked", "renewed"]
    granted_on: date
    valid_until: date | None
    suspended_on: date | None
    revoked_on: date | None
    revocation_ground: str | None
    reasons: str


class AwardHistoryView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    action: str
    from_status: str | None
    to_status: str
    reasons: str


class AwardDetail(AwardPublic):
    history: list[AwardHistoryView]


class HolderFilters(BaseModel):
    programme: Code
    round: RoundCode | None = None


class NoticePublic(BaseModel):
    """An application in public notice: objections are taken until `notice_ends_on`."""

    application_id: int
    programme: str
    programme_name: str
    round: str
    stage: str
    credit_code: str
    enterprise_name: str
    brand_id: int | None
    tier: str | None
    notice_ends_on: date


class RevocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ground: Literal["listing_confirmed", "fraud"] = Field(
        description="listing_confirmed: the suspension's listing is confirmed; fraud: found later"
    )
    reasons: Reasons
