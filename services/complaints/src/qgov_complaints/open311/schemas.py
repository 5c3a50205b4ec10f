"""The GeoReport v2 documents this server answers with, in JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

GROUP = "12315"


class Service(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool = True
    type: Literal["realtime", "batch", "blackbox"] = "realtime"
    keywords: str
    group: str = GROUP


class Attribute(BaseModel):
    variable: bool = True
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str


class ServiceDefinition(BaseModel):
    service_code: str
    attributes: list[Attribute]


class PostedRequest(BaseModel):
    service_request_id: str = Field(description="the complaint's tracking number")
    token: str = Field(
        description="secret, shown once: with service_request_id it authorises following the "
        "complaint (GET /api/v1/tracking/{service_request_id}, header X-Tracking-Token)"
    )
    service_notice: str
    account_id: str | None


class ServiceRequest(BaseModel):
    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str | None
    service_code: str
    description: str | None
    agency_responsible: str | None
    service_notice: str | None = None
    requested_datetime: datetime
    updated_datetime: datetime | None
    expected_datetime: datetime | None = Field(
        description="the running legal deadline: the end of its last working day"
    )
    address: str | None = Field(description="where it happened, as the complainant gave it")
    address_id: str | None = None
    zipcode: str | None = None
    lat: float | None
    long: float | None
    media_url: str | None = None


class TokenLookup(BaseModel):
    service_request_id: str
    token: str
