"""The facts the traceability service publishes on `qgov.traceability`, keyed by the
producer's credit code: one model per event type, from which both the CloudEvent and its
schema are made. None carries personal data: parties are named by their GS1 identifiers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from qgov_shared.events import CreditCode, EventData, RegionCode

Uri = Annotated[str, Field(min_length=1, max_length=512)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
TraceCode = Annotated[str, Field(pattern=r"^[2-9A-HJKMNP-Z]{13}$")]
Count = Annotated[int, Field(ge=0)]


class CertificateIssued(EventData):
    """A producer issued a compliance certificate (承诺达标合格证) for a lot of its products;
    its trace code opens the lot's public trace page."""

    TYPE: ClassVar[str] = "qgov.traceability.trace.certificate_issued.v1"
    certificate_id: int = Field(ge=1)
    trace_code: TraceCode
    credit_code: CreditCode = Field(description="the producer; also the event's subject")
    enterprise_name: Name
    product_name: Name
    lot: Uri = Field(description="the lot's GS1 Digital Link (…/01/{gtin}/10/{lot})")
    gtin: str = Field(pattern=r"^[0-9]{14}$")
    lot_number: str = Field(min_length=1, max_length=20)
    quantity: str = Field(pattern=r"^[0-9]+(\.[0-9]{1,3})?$")
    unit: str = Field(min_length=1, max_length=20)
    commitment_basis: str = Field(min_length=1, max_length=32)
    issued_on: date


class RecallEvent(EventData):
    """The recall and its producer, as every recall event names them."""

    recall_id: int = Field(ge=1)
    credit_code: CreditCode = Field(description="the producer; also the event's subject")
    enterprise_name: Name
    region_code: RegionCode = Field(description="where the producer is registered")
    voluntary: bool = Field(description="started by the producer, not ordered by a regulator")


class RecallInitiated(RecallEvent):
    """A recall of defective products (缺陷产品召回) began: the producer's own, or ordered."""

    TYPE: ClassVar[str] = "qgov.traceability.recall.initiated.v1"
    initiated_on: date
    deadline: date = Field(description="when the recall plan is to be carried out")
    defect: str = Field(min_length=1, max_length=2000)
    hazard: str = Field(min_length=1, max_length=2000)
    products: list[Uri] = Field(description="the lots named, or the product (GTIN) recalled")
    affected_items: Count = Field(description="products, lots and containers downstream")
    affected_parties: Count = Field(description="parties and locations holding stock")


class RecallProgressed(RecallEvent):
    """A party holding recalled stock recovered units."""

    TYPE: ClassVar[str] = "qgov.traceability.recall.progressed.v1"
    party: Uri
    units_recovered: int = Field(ge=1, description="in this report")
    units_recovered_total: Count
    progressed_on: date


class RecallClosed(RecallEvent):
    """A recall was carried out and closed with its summary."""

    TYPE: ClassVar[str] = "qgov.traceability.recall.closed.v1"
    closed_on: date
    units_recovered_total: Count
    summary: str = Field(min_length=1, max_length=5000)


EVENTS: tuple[type[EventData], ...] = (
    CertificateIssued,
    RecallInitiated,
    RecallProgressed,
    RecallClosed,
)
