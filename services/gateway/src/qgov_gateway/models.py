"""The gateway's read-model tables."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class SourceWatermark(SQLModel, table=True):
    """The newest event seen from one source: how fresh the views built from it are."""

    __tablename__ = "source_watermarks"

    source: str = Field(primary_key=True, max_length=200)
    last_event_id: str = Field(max_length=64)
    last_event_type: str = Field(max_length=200)
    last_event_time: datetime = Field(sa_type=DateTime(timezone=True))
    events_seen: int = 0
