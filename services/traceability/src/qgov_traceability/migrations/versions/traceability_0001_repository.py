"""The EPCIS event repository with its indexes and trace graph; capture jobs, named queries
and subscriptions; GS1 company prefixes; certificates and recalls.

Revision ID: traceability_0001
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "traceability_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("traceability",)
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "epcis_events": [
        ["event_time", "id"],
        ["record_time", "id"],
        ["capture_txid", "id"],
        ["biz_step"],
        ["disposition"],
        ["read_point"],
        ["biz_location"],
        ["event_type"],
        ["capture_job_id"],
    ],
    "event_identifiers": [["event_pk"]],
    "event_parties": [["credit_code", "event_pk"], ["region_code", "event_pk"]],
    "trace_edges": [["source", "at"], ["target", "at"], ["event_pk"]],
    "company_prefixes": [["credit_code"]],
    "subscriptions": [["query_id"]],
    "certificates": [["credit_code", "id"], ["lot"], ["region_code", "id"]],
    "recalls": [["credit_code", "id"], ["region_code", "id"]],
    "recall_progress": [["recall_id", "id"]],
}


def upgrade() -> None:
    op.create_table(
        "capture_jobs",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("behaviour", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("captured", sa.Integer, nullable=False),
        sa.Column("errors", JSONB, nullable=False),
        sa.Column("captured_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("trace_code", sa.String(13), nullable=False, unique=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("lot", sa.String(512), nullable=False),
        sa.Column("gtin", sa.String(14), nullable=False),
        sa.Column("lot_number", sa.String(20), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 3), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("production_place", sa.String(200), nullable=False),
        sa.Column("commitment_basis", sa.String(32), nullable=False),
        sa.Column("contact", sa.String(100)),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
    )
    op.create_table(
        "company_prefixes",
        sa.Column("prefix", sa.String(12), primary_key=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "epcis_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.String(512), nullable=False, unique=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone_offset", sa.String(16), nullable=False),
        sa.Column("action", sa.String(8)),
        sa.Column("biz_step", sa.String(512)),
        sa.Column("disposition", sa.String(512)),
        sa.Column("read_point", sa.String(512)),
        sa.Column("biz_location", sa.String(512)),
        sa.Column("error_declared_at", sa.DateTime(timezone=True)),
        sa.Column("error_reason", sa.String(512)),
        sa.Column("corrective_event_ids", JSONB),
        sa.Column("document", JSONB, nullable=False),
        sa.Column("context", JSONB, nullable=False),
        sa.Column("capture_job_id", sa.BigInteger),
        sa.Column("captured_by", sa.String(200), nullable=False),
        sa.Column(
            "capture_txid",
            sa.BigInteger,
            nullable=False,
            server_default=sa.text("pg_current_xact_id()::text::bigint"),
        ),
    )
    op.create_table(
        "event_identifiers",
        sa.Column("node_id", sa.BigInteger, primary_key=True),
        sa.Column("role", sa.SmallInteger, primary_key=True),
        sa.Column("event_pk", sa.BigInteger, primary_key=True),
    )
    op.create_table(
        "event_parties",
        sa.Column("event_pk", sa.BigInteger, primary_key=True),
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("region_code", sa.String(6), nullable=False),
    )
    op.create_table(
        "named_queries",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("owner", sa.String(220), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("parameters", JSONB, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("regions", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "recall_items",
        sa.Column("node_id", sa.BigInteger, primary_key=True),
        sa.Column("recall_id", sa.BigInteger, primary_key=True),
    )
    op.create_table(
        "recall_parties",
        sa.Column("recall_id", sa.BigInteger, primary_key=True),
        sa.Column("party", sa.String(512), primary_key=True),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("units_recovered", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "recall_progress",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("recall_id", sa.BigInteger, nullable=False),
        sa.Column("party", sa.String(512), nullable=False),
        sa.Column("units", sa.BigInteger, nullable=False),
        sa.Column("note", sa.String(1000)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
    )
    op.create_table(
        "recalls",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("voluntary", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("defect", sa.String(2000), nullable=False),
        sa.Column("hazard", sa.String(2000), nullable=False),
        sa.Column("measures", sa.String(2000), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("units_affected", sa.BigInteger),
        sa.Column("scope", JSONB, nullable=False),
        sa.Column("initiated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("initiated_on", sa.Date, nullable=False),
        sa.Column("initiated_by", sa.String(200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closed_on", sa.Date),
        sa.Column("summary", sa.String(5000)),
        sa.Column("units_recovered", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "trace_edges",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("source", sa.BigInteger, nullable=False),
        sa.Column("target", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        sa.Column("event_pk", sa.BigInteger, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "trace_nodes",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("uri", sa.String(512), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "query_id",
            sa.BigInteger,
            sa.ForeignKey("named_queries.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("dest", sa.String(2048), nullable=False),
        sa.Column("signature_token", sa.String(256)),
        sa.Column("report_if_empty", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("initial_record_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cursor_txid", sa.BigInteger, nullable=False),
        sa.Column("cursor_event", sa.BigInteger, nullable=False),
        sa.Column("delivered", sa.BigInteger, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_status", sa.String(200)),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
    )
    op.create_unique_constraint("uq_named_queries_owner_name", "named_queries", ["owner", "name"])
    for table, indexes in _INDEXES.items():
        for columns in indexes:
            op.create_index(f"ix_{table}_{'_'.join(columns)}", table, columns)
    # MATCH_ parameters with EPC patterns select identifiers by prefix.
    op.execute("CREATE INDEX ix_trace_nodes_uri_prefix ON trace_nodes (uri varchar_pattern_ops)")
    # Regulators see events by region, at each level of GB/T 2260 (qgov_shared.region_scope).
    for length in (2, 4):
        op.execute(
            f"CREATE INDEX ix_event_parties_region_{length} "
            f"ON event_parties (left(region_code, {length}), event_pk)"
        )


def downgrade() -> None:
    for table in (
        "recall_progress",
        "recall_parties",
        "recall_items",
        "recalls",
        "certificates",
        "subscriptions",
        "named_queries",
        "company_prefixes",
        "capture_jobs",
        "trace_edges",
        "trace_nodes",
        "event_parties",
        "event_identifiers",
        "epcis_events",
    ):
        op.drop_table(table)
