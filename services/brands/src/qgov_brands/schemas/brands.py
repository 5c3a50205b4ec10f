"""Brands and their transfers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qgov_brands.schemas.text import Name, Text
from qgov_shared.regions import RegionCodeStr
from qgov_shared.uscc import CreditCodeStr

TrademarkNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9A-Z]{1,20}$"),
    Field(description="the trademark's registration number (商标注册号)"),
]
NiceClass = Annotated[int, Field(ge=1, le=45, description="Nice classification class (1-45)")]


class BrandCreate(BaseModel):
    """A brand the calling enterprise owns."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Text, Field(max_length=100)]
    owner_name: Name = Field(description="the owning enterprise's registered name")
    trademark_number: TrademarkNumber
    nice_class: NiceClass
    product_categories: Annotated[list[Annotated[Text, Field(max_length=40)]], Field(max_length=20)]
    founded_year: Annotated[int, Field(ge=1000, le=9999)]
    region_code: RegionCodeStr | None = Field(
        None, description="where the brand is based; the owner's registered region if left out"
    )
    geographical_indication: bool = Field(False, description="a geographical-indication product")
    time_honoured_candidate: bool = Field(
        False, description="a time-honoured brand (老字号) candidate"
    )


class BrandPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    owner_name: str
    name: str
    trademark_number: str
    nice_class: int
    product_categories: list[str]
    founded_year: int
    region_code: str
    geographical_indication: bool
    time_honoured_candidate: bool
    registered_at: datetime


class Ownership(BaseModel):
    credit_code: str
    name: str
    since: datetime


class BrandDetail(BrandPublic):
    owners: list[Ownership] = Field(description="every owner, the first to the present one")


class BrandFilters(BaseModel):
    credit_code: CreditCodeStr | None = Field(None, description="brands this enterprise owns")


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_credit_code: CreditCodeStr
    to_name: Name = Field(description="the receiving enterprise's registered name")
    note: Annotated[Text, Field(max_length=500)] | None = None


class TransferPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    brand_id: int
    from_credit_code: str
    from_name: str
    to_credit_code: str
    to_name: str
    status: str
    note: str | None
    requested_at: datetime
    decided_at: datetime | None
