"""Typed domain events: one model per event type, from which both the CloudEvent a service
publishes and the JSON Schema committed in `contracts/schemas/` are made.

    class ComplaintFiled(EventData):
        \"\"\"A citizen filed a complaint (投诉).\"\"\"
        TYPE: ClassVar[str] = "qgov.complaints.complaint.filed.v1"
        tracking_number: str
        ...

    uow.publish(ComplaintFiled(...).event(subject=credit_code, time=ctx.now))

A service lists its event models in its `ServiceSpec.events`; `make contracts` writes their
schemas and a contract test fails when a committed schema no longer matches its model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from qgov_shared.envelope import CloudEvent, schema_uri, topic_for

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Events carry codes already validated at the edge; the patterns tell consumers their shape.
CreditCode = Annotated[
    str, Field(pattern=r"^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$")
]
"""A unified social credit code (GB 32100-2015), normalised."""
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{6}$")]
"""A GB/T 2260 administrative region code."""


class EventData(BaseModel):
    """The `data` of one event type; a subclass per type sets `TYPE` and declares the fields.

    Never put personal data in one: events leave the service that holds it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    TYPE: ClassVar[str]

    def event(self, *, subject: str | None, time: datetime) -> CloudEvent:
        """The CloudEvent announcing this fact about `subject` (a credit code), at `time`."""
        return CloudEvent(
            type=self.TYPE,
            source=f"/{topic_for(self.TYPE).replace('.', '/')}",
            subject=subject,
            time=time,
            data=self.model_dump(mode="json"),
            dataschema=schema_uri(self.TYPE),
        )

    @classmethod
    def contract(cls) -> dict[str, Any]:
        """The JSON Schema of this type's `data`, as committed in `contracts/schemas/`."""
        schema = cls.model_json_schema(mode="serialization")
        schema.pop("title", None)
        return {
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": schema_uri(cls.TYPE),
            "title": cls.TYPE,
            **schema,
        }

    @classmethod
    def contract_path(cls) -> str:
        """The schema's path under `contracts/schemas/`: `<service>/<entity>.<action>.vN.json`."""
        service = topic_for(cls.TYPE).removeprefix("qgov.")
        return f"{service}/{cls.TYPE.removeprefix(f'qgov.{service}.')}.json"
