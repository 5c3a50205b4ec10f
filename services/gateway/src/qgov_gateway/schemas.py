"""The gateway's public models."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class SourceStatus(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    source: str
    last_event_id: str
    last_event_type: str
    last_event_time: datetime
    events_seen: int
