"""The traceability service's tables: the EPCIS event repository with its indexes (the
identifiers each event names, the parties it concerns) and the trace graph built at capture;
capture jobs, named queries and their subscriptions; GS1 company prefixes; certificates and
recalls."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Numeric, SmallInteger, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

ID = 512  # identifiers, CBV terms and event IDs


def _at(**kwargs: Any) -> Any:
    return Field(sa_type=DateTime(timezone=True), **kwargs)


def _json(**kwargs: Any) -> Any:
    return Field(sa_column=Column(JSONB, **kwargs))


def _big(**kwargs: Any) -> Any:
    return Field(sa_type=BigInteger, **kwargs)


class EpcisEvent(SQLModel, table=True):
    __tablename__ = "epcis_events"

    id: int | None = _big(default=None, primary_key=True)
    event_id: str = Field(max_length=ID, unique=True)
    event_type: str = Field(max_length=200)
    event_time: datetime = _at()
    record_time: datetime = _at()
    time_zone_offset: str = Field(max_length=16)
    action: str | None = Field(default=None, max_length=8)
    biz_step: str | None = Field(default=None, max_length=ID)
    disposition: str | None = Field(default=None, max_length=ID)
    read_point: str | None = Field(default=None, max_length=ID)
    biz_location: str | None = Field(default=None, max_length=ID)
    error_declared_at: datetime | None = _at(default=None)
    error_reason: str | None = Field(default=None, max_length=ID)
    corrective_event_ids: list[str] | None = _json(nullable=True)
    document: dict[str, Any] = _json(nullable=False)
    context: Any = _json(nullable=False)
    capture_job_id: int | None = _big(default=None)
    captured_by: str = Field(max_length=200)
    capture_txid: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger, server_default=text("pg_current_xact_id()::text::bigint"), nullable=False
        ),
    )
    """The capturing transaction: subscriptions deliver in commit-safe order by it."""


class EventIdentifier(SQLModel, table=True):
    """Which identifiers an event names, in which role (epcList, childEPCs, quantityList…)."""

    __tablename__ = "event_identifiers"

    node_id: int = _big(primary_key=True)
    role: int = Field(sa_type=SmallInteger, primary_key=True)
    event_pk: int = _big(primary_key=True)


class EventParty(SQLModel, table=True):
    """The enterprises an event concerns: its capturer, and the owners of the GS1 company
    prefixes of what and where it names. They, and regulators of their regions, may see it."""

    __tablename__ = "event_parties"

    event_pk: int = _big(primary_key=True)
    credit_code: str = Field(max_length=18, primary_key=True)
    region_code: str = Field(max_length=6)


class TraceNode(SQLModel, table=True):
    __tablename__ = "trace_nodes"

    id: int | None = _big(default=None, primary_key=True)
    uri: str = Field(max_length=ID, unique=True)
    kind: str = Field(max_length=16)


class TraceEdge(SQLModel, table=True):
    """source → target, downstream, from `at`; a containment edge until its DELETE event."""

    __tablename__ = "trace_edges"

    id: int | None = _big(default=None, primary_key=True)
    source: int = _big()
    target: int = _big()
    kind: int = Field(sa_type=SmallInteger)
    event_pk: int = _big()
    at: datetime = _at()
    until: datetime | None = _at(default=None)


class CaptureJob(SQLModel, table=True):
    __tablename__ = "capture_jobs"

    id: int | None = _big(default=None, primary_key=True)
    status: str = Field(max_length=16)
    behaviour: str = Field(max_length=16)
    created_at: datetime = _at()
    finished_at: datetime | None = _at(default=None)
    event_count: int = 0
    captured: int = 0
    errors: list[dict[str, Any]] = _json(nullable=False)
    captured_by: str = Field(max_length=200)


class CompanyPrefix(SQLModel, table=True):
    """A GS1 company prefix (厂商识别代码) and the enterprise it was assigned to."""

    __tablename__ = "company_prefixes"

    prefix: str = Field(max_length=12, primary_key=True)
    credit_code: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    region_code: str = Field(max_length=6)
    registered_at: datetime = _at()
    registered_by: str = Field(max_length=200)


class NamedQuery(SQLModel, table=True):
    __tablename__ = "named_queries"

    id: int | None = _big(default=None, primary_key=True)
    owner: str = Field(max_length=220)
    name: str = Field(max_length=128)
    parameters: dict[str, str] = _json(nullable=False)
    role: str = Field(max_length=16)
    credit_code: str | None = Field(default=None, max_length=18)
    regions: list[str] = _json(nullable=False)
    created_at: datetime = _at()


class Subscription(SQLModel, table=True):
    __tablename__ = "subscriptions"

    id: int | None = _big(default=None, primary_key=True)
    query_id: int = _big(foreign_key="named_queries.id", ondelete="CASCADE", index=True)
    dest: str = Field(max_length=2048)
    signature_token: str | None = Field(default=None, max_length=256)
    report_if_empty: bool = False
    created_at: datetime = _at()
    initial_record_time: datetime = _at()
    """Events recorded from then on are delivered (the subscription's start by default)."""
    cursor_txid: int = _big(default=0)
    cursor_event: int = _big(default=0)
    delivered: int = _big(default=0)
    failures: int = 0
    last_status: str | None = Field(default=None, max_length=200)
    next_attempt_at: datetime | None = _at(default=None)


class Certificate(SQLModel, table=True):
    """A compliance certificate (承诺达标合格证) for a lot, with its public trace code."""

    __tablename__ = "certificates"

    id: int | None = _big(default=None, primary_key=True)
    trace_code: str = Field(max_length=13, unique=True)
    credit_code: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    region_code: str = Field(max_length=6)
    lot: str = Field(max_length=ID, index=True)
    gtin: str = Field(max_length=14)
    lot_number: str = Field(max_length=20)
    product_name: str = Field(max_length=200)
    quantity: Decimal = Field(sa_column=Column(Numeric(18, 3), nullable=False))
    unit: str = Field(max_length=20)
    production_place: str = Field(max_length=200)
    commitment_basis: str = Field(max_length=32)
    contact: str | None = Field(default=None, max_length=100)
    issued_at: datetime = _at()
    issued_on: date


class Recall(SQLModel, table=True):
    """A recall of defective products (缺陷产品召回): voluntary, or ordered by a regulator."""

    __tablename__ = "recalls"

    id: int | None = _big(default=None, primary_key=True)
    credit_code: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    region_code: str = Field(max_length=6, index=True)
    voluntary: bool
    status: str = Field(max_length=16)
    defect: str = Field(max_length=2000)
    hazard: str = Field(max_length=2000)
    measures: str = Field(max_length=2000)
    contact: str = Field(max_length=200)
    deadline: date
    units_affected: int | None = _big(default=None)
    scope: dict[str, Any] = _json(nullable=False)
    initiated_at: datetime = _at()
    initiated_on: date
    initiated_by: str = Field(max_length=200)
    closed_at: datetime | None = _at(default=None)
    closed_on: date | None = None
    summary: str | None = Field(default=None, max_length=5000)
    units_recovered: int = _big(default=0)


class RecallItem(SQLModel, table=True):
    """A product, lot or container in a recall's affected downstream set."""

    __tablename__ = "recall_items"

    node_id: int = _big(primary_key=True)
    recall_id: int = _big(primary_key=True)


class RecallParty(SQLModel, table=True):
    """A party holding recalled stock, and the units it has recovered so far."""

    __tablename__ = "recall_parties"

    recall_id: int = _big(primary_key=True)
    party: str = Field(max_length=ID, primary_key=True)
    credit_code: str | None = Field(default=None, max_length=18)
    units_recovered: int = _big(default=0)


class RecallProgress(SQLModel, table=True):
    __tablename__ = "recall_progress"

    id: int | None = _big(default=None, primary_key=True)
    recall_id: int = _big(index=True)
    party: str = Field(max_length=ID)
    units: int = _big()
    note: str | None = Field(default=None, max_length=1000)
    at: datetime = _at()
    actor: str = Field(max_length=200)
