"""The traceability API's public models, apart from the tables: what callers send
(`...Create`) and what they get back (`...Public`). EPCIS documents and events are taken and
given as the standard's JSON, checked against its schema, not modelled here."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qgov_shared.ids import BIGINT_LIMIT
from qgov_shared.uscc import CreditCodeStr

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=512,
        description="an EPC URN (urn:epc:class:lgtin:…) or a GS1 Digital Link URI",
    ),
]
Units = Annotated[int, Field(ge=1, lt=BIGINT_LIMIT)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CompanyPrefixCreate(Strict):
    credit_code: CreditCodeStr
    enterprise_name: str = Field(min_length=1, max_length=200)
    company_prefix: str = Field(
        pattern=r"^[0-9]{4,12}$", description="the GS1 company prefix (厂商识别代码) assigned"
    )


class CompanyPrefixPublic(BaseModel):
    prefix: str
    credit_code: str
    enterprise_name: str
    region_code: str
    registered_at: datetime


class CertificateCreate(Strict):
    """A compliance certificate (承诺达标合格证) for one lot of your products."""

    lot: Identifier
    product_name: str = Field(min_length=1, max_length=200)
    quantity: Decimal = Field(gt=0, lt=Decimal("1e15"), max_digits=18, decimal_places=3)
    unit: str = Field(min_length=1, max_length=20, description="e.g. kg, 箱")
    production_place: str = Field(min_length=1, max_length=200, description="产地")
    commitment_basis: str = Field(
        min_length=1, max_length=32, description="a code of the policy's commitment bases"
    )
    contact: str | None = Field(None, max_length=100)


class CertificatePublic(BaseModel):
    id: int
    trace_code: str
    trace_url: str
    credit_code: str
    enterprise_name: str
    lot: str
    gtin: str
    lot_number: str
    product_name: str
    quantity: Decimal
    unit: str
    production_place: str
    commitment_basis: str
    commitments: list[str]
    issued_on: date


class ProductRange(Strict):
    """Every lot and item of a product (GTIN) seen in events within the days given."""

    gtin: str = Field(pattern=r"^[0-9]{8}$|^[0-9]{12,14}$")
    from_date: date
    to_date: date

    @model_validator(mode="after")
    def _ordered(self) -> ProductRange:
        if self.to_date < self.from_date:
            raise ValueError("to_date is not before from_date")
        return self


class RecallScope(Strict):
    lots: list[Identifier] = Field(default_factory=list, max_length=200)
    product: ProductRange | None = None

    @model_validator(mode="after")
    def _named(self) -> RecallScope:
        if not self.lots and self.product is None:
            raise ValueError("name the lots, or a product and its date range")
        return self


class RecallCreate(Strict):
    """A recall plan. An enterprise starts a voluntary recall of its own products; a
    regulator orders one, naming the producer (`credit_code`)."""

    credit_code: CreditCodeStr | None = Field(None, description="the producer (regulators)")
    scope: RecallScope
    defect: Text
    hazard: Text
    measures: Text
    deadline: date = Field(description="when the plan is to be carried out")
    contact: str = Field(min_length=1, max_length=200)
    units_affected: Units | None = None


class RecallPartyPublic(BaseModel):
    party: str
    credit_code: str | None
    units_recovered: int


class RecallPublic(BaseModel):
    id: int
    credit_code: str
    enterprise_name: str
    voluntary: bool
    status: str
    defect: str
    hazard: str
    measures: str
    contact: str
    deadline: date
    overdue: bool
    initiated_on: date
    next_progress_report_on: date | None
    summary_due_on: date | None
    scope: dict[str, Any]
    affected_items: int
    units_affected: int | None
    units_recovered: int
    parties: list[RecallPartyPublic]
    closed_on: date | None
    summary: str | None


class RecallSummary(BaseModel):
    id: int
    credit_code: str
    enterprise_name: str
    voluntary: bool
    status: str
    deadline: date
    initiated_on: date
    units_recovered: int


class ProgressCreate(Strict):
    party: Identifier = Field(description="the party (PGLN or location) that recovered units")
    units_recovered: Units
    note: str | None = Field(None, max_length=1000)


class RecallClose(Strict):
    summary: str = Field(min_length=1, max_length=5000)


class GraphNode(BaseModel):
    id: str
    kind: str
    depth: int


class GraphEdge(BaseModel):
    source: str
    target: str
    kind: str
    at: datetime
    events: list[str]


class TraceGraph(BaseModel):
    start: str
    direction: Literal["forward", "backward"]
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class RouteStep(BaseModel):
    at: datetime
    step: str | None
    place: str
    kind: str


class PublicRecall(BaseModel):
    initiated_on: date
    defect: str
    hazard: str
    measures: str
    contact: str


class TracePage(BaseModel):
    """What anyone may see of a lot by its trace code."""

    trace_code: str
    product_name: str
    lot: str
    producer: dict[str, str]
    certificate: dict[str, Any]
    route: list[RouteStep]
    under_recall: bool
    recalls: list[PublicRecall]


class NamedQueryCreate(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9._~-]{1,128}$")
    query: dict[str, Annotated[str, Field(max_length=10_000)]] = Field(
        default_factory=dict,
        max_length=50,
        description="standard query parameters, as in GET /epcis/events",
    )


class NamedQueryPublic(BaseModel):
    name: str
    query: dict[str, str]
    created_at: datetime


class SubscriptionCreate(Strict):
    """A webhook subscription: `stream` delivers matching events as they are captured."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    dest: str = Field(min_length=1, max_length=2048, description="http(s) URL to POST to")
    signature_token: str = Field(
        alias="signatureToken",
        min_length=16,
        max_length=256,
        description="the key of the HMAC-SHA256 signature sent in GS1-Signature (base64)",
    )
    stream: bool = True
    report_if_empty: bool = Field(False, alias="reportIfEmpty")
    initial_record_time: datetime | None = Field(None, alias="initialRecordTime")
    schedule: dict[str, Annotated[str, Field(max_length=100)]] | None = Field(None, max_length=10)


class SubscriptionPublic(BaseModel):
    subscriptionID: str
    dest: str
    stream: bool
    initialRecordTime: datetime
    delivered: int
    lastStatus: str | None


class CaptureJobPublic(BaseModel):
    captureID: str
    createdAt: datetime
    finishedAt: datetime | None
    running: bool
    success: bool
    captureErrorBehaviour: str
    eventCount: int
    capturedCount: int
    errors: list[dict[str, Any]]
