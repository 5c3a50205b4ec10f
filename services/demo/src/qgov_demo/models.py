"""The demo's tables."""

from datetime import datetime

from sqlalchemy import DateTime, func
from sqlmodel import Field, SQLModel


class Ping(SQLModel, table=True):
    __tablename__ = "pings"

    id: int | None = Field(default=None, primary_key=True)
    credit_code: str = Field(max_length=18, index=True)
    message: str = Field(max_length=500)
    created_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
    )


class PingReceipt(SQLModel, table=True):
    __tablename__ = "ping_receipts"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=64)
    credit_code: str = Field(max_length=18, index=True)
    ping_id: int
