"""The event envelope: CloudEvents 1.0 in structured JSON mode.

Type names read `qgov.<service>.<entity>.<action>.v<major>`; the topic is `qgov.<service>`;
`subject` is the enterprise's unified social credit code wherever the event is about one, and
the Kafka key follows the subject so one enterprise's events stay in order.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CONTENT_TYPE = "application/cloudevents+json"
_TYPE_PATTERN = re.compile(r"^qgov\.(?P<service>[a-z]+)\.[a-z_]+(\.[a-z_]+)+\.v(?P<major>\d+)\Z")


class CloudEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=1)
    source: str = Field(min_length=1)
    type: str
    subject: str | None = None
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = None
    traceparent: str | None = None
    data: dict[str, Any]

    @field_validator("type")
    @classmethod
    def _qgov_type_name(cls, value: str) -> str:
        if not _TYPE_PATTERN.match(value):
            raise ValueError("event type must read qgov.<service>.<entity>.<action>.v<major>")
        return value

    @property
    def topic(self) -> str:
        return topic_for(self.type)

    @property
    def partition_key(self) -> str:
        """Events about one enterprise share its code as key; others spread by their own id."""
        return self.subject or self.id

    def to_json(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        return cls.model_validate_json(raw)


def topic_for(event_type: str) -> str:
    match = _TYPE_PATTERN.match(event_type)
    if match is None:
        raise ValueError(f"not a QGov event type: {event_type!r}")
    return f"qgov.{match['service']}"


def schema_uri(event_type: str) -> str:
    """The `dataschema` of an event type; the `$id` of its JSON Schema in contracts/."""
    return f"urn:qgov:schema:{event_type}"


def new_event(
    event_type: str, *, source: str, data: dict[str, Any], subject: str | None = None
) -> CloudEvent:
    return CloudEvent(
        type=event_type,
        source=source,
        subject=subject,
        data=data,
        dataschema=schema_uri(event_type),
    )
