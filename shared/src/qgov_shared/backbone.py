"""The tables every service database carries for the event backbone and HTTP idempotency.

They belong to the shared Alembic branch `backbone` (qgov_shared/migrations/versions), so each
service gets them by running its migrations; a service never defines them itself.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from qgov_shared.outbox import OUTBOX_TABLE

metadata = MetaData()

outbox_events = Table(
    OUTBOX_TABLE,
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("partition_key", String(200), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Index("ix_outbox_events_unpublished", "id", postgresql_where=text("published_at IS NULL")),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("consumer", String(200), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(300), nullable=False),
    Column("key", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer),
    Column("response_body", Text),
    Column("response_headers", JSONB),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("scope", "key"),
)
