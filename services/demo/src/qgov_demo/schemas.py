"""The demo's public models, separate from its tables."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from qgov_shared.uscc import CreditCodeStr


class PingCreate(BaseModel):
    credit_code: CreditCodeStr
    message: str = Field(min_length=1, max_length=500)


class PingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    message: str
    created_at: datetime


class ReceiptsPublic(BaseModel):
    credit_code: str
    count: int
    ping_ids: list[int]
