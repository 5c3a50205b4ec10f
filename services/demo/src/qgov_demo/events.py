"""The demo's one event type."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from qgov_shared.events import CreditCode, EventData


class PingRecorded(EventData):
    """A caller recorded a ping about an enterprise (the demo service's only event)."""

    TYPE: ClassVar[str] = "qgov.demo.ping.recorded.v1"
    ping_id: int = Field(ge=1)
    credit_code: CreditCode
    message: str = Field(min_length=1, max_length=500)


EVENTS = (PingRecorded,)
