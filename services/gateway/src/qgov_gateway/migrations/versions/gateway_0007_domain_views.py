"""The read model takes in the brands, standards, traceability and inspections services:
awards and their proposals, standards declarations with their checks, flags and frontrunner
titles, recalls and certificates, and final inspection results with their follow-ups.

Revision ID: gateway_0007
Revises: gateway_0006
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision: str = "gateway_0007"
down_revision: str | Sequence[str] | None = "gateway_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = sa.DateTime(timezone=True)
_CODE = sa.String(18)
_REGION = sa.String(6)

_TABLES = (
    "inspection_followups",
    "inspection_results",
    "certificate_views",
    "recall_views",
    "frontrunner_titles",
    "standard_flags",
    "standard_checks",
    "declaration_views",
    "award_proposals",
    "award_views",
)


def upgrade() -> None:
    _brands()
    _standards()
    _traceability()
    _inspections()


def _brands() -> None:
    op.create_table(
        "award_views",
        sa.Column("award_id", sa.BigInteger, primary_key=True),
        sa.Column("credit_code", _CODE, nullable=False),
        sa.Column("programme", sa.String(60), nullable=False),
        sa.Column("programme_name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("round", sa.String(20), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("brand_id", sa.BigInteger),
        sa.Column("granted_on", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_on", sa.Date, nullable=False),
        sa.Column("revocation_ground", sa.String(40)),
        # The time of the event that set the status: an older one redelivered changes nothing.
        sa.Column("status_at", _TIME, nullable=False),
    )
    op.create_index("ix_award_views_credit_code", "award_views", ["credit_code"])
    # A proposal's notice details come with `award.proposed`; its decision may be seen first.
    op.create_table(
        "award_proposals",
        sa.Column("application_id", sa.BigInteger, primary_key=True),
        sa.Column("credit_code", _CODE, nullable=False),
        sa.Column("region_code", _REGION, nullable=False),
        sa.Column("tier", sa.String(20)),
        sa.Column("proposed_on", sa.Date),
        sa.Column("notice_ends_on", sa.Date),
        sa.Column("decided", sa.Boolean, nullable=False),
    )
    op.create_index("ix_award_proposals_region", "award_proposals", ["region_code"])


def _standards() -> None:
    op.create_table(
        "declaration_views",
        sa.Column("declaration_id", sa.BigInteger, primary_key=True),
        sa.Column("credit_code", _CODE, nullable=False),
        sa.Column("region_code", _REGION, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("standards", ARRAY(sa.String(64))),
        sa.Column("declared_on", sa.Date),
        sa.Column("revised_on", sa.Date),
        sa.Column("withdrawn_on", sa.Date),
        sa.Column("withdrawal_reason", sa.String(500)),
    )
    op.create_index("ix_declaration_views_credit_code", "declaration_views", ["credit_code"])
    op.create_index("ix_declaration_views_region", "declaration_views", ["region_code"])
    op.create_table(
        "standard_checks",
        sa.Column("check_id", sa.BigInteger, primary_key=True),
        sa.Column("declaration_id", sa.BigInteger, nullable=False),
        sa.Column("credit_code", _CODE, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("findings", JSONB, nullable=False),
        sa.Column("failing_indicators", JSONB, nullable=False),
        sa.Column("checked_on", sa.Date, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
    )
    op.create_index("ix_standard_checks_declaration", "standard_checks", ["declaration_id"])
    op.create_table(
        "standard_flags",
        sa.Column("flag_id", sa.BigInteger, primary_key=True),
        sa.Column("declaration_id", sa.BigInteger, nullable=False),
        sa.Column("region_code", _REGION, nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("flagged_on", sa.Date, nullable=False),
    )
    op.create_index("ix_standard_flags_region", "standard_flags", ["region_code"])
    # Each declaration's place in its category's newest ranking (the highest `ranking`).
    op.create_table(
        "frontrunner_titles",
        sa.Column("declaration_id", sa.BigInteger, primary_key=True),
        sa.Column("ranking", sa.BigInteger, nullable=False),
        sa.Column("plan_version", sa.BigInteger, nullable=False),
        sa.Column("rank", sa.Integer),
        sa.Column("score", sa.String(20)),
        sa.Column("frontrunner", sa.Boolean, nullable=False),
        sa.Column("newly_named", sa.Boolean, nullable=False),
        sa.Column("published_on", sa.Date, nullable=False),
    )


def _traceability() -> None:
    # `recall.initiated` fills what the later steps leave null, whichever is seen first.
    op.create_table(
        "recall_views",
        sa.Column("recall_id", sa.BigInteger, primary_key=True),
        sa.Column("credit_code", _CODE, nullable=False),
        sa.Column("region_code", _REGION, nullable=False),
        sa.Column("voluntary", sa.Boolean, nullable=False),
        sa.Column("initiated_on", sa.Date),
        sa.Column("deadline", sa.Date),
        sa.Column("defect", sa.String(2000)),
        sa.Column("hazard", sa.String(2000)),
        sa.Column("products", JSONB),
        sa.Column("affected_items", sa.BigInteger),
        sa.Column("affected_parties", sa.BigInteger),
        sa.Column("units_recovered_total", sa.BigInteger, nullable=False),
        sa.Column("progressed_on", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.Column("summary", sa.String(5000)),
    )
    op.create_index("ix_recall_views_credit_code", "recall_views", ["credit_code"])
    op.create_index("ix_recall_views_region", "recall_views", ["region_code"])
    op.create_table(
        "certificate_views",
        sa.Column("certificate_id", sa.BigInteger, primary_key=True),
        sa.Column("credit_code", _CODE, nullable=False),
        sa.Column("region_code", _REGION, nullable=False),
        sa.Column("trace_code", sa.String(13), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("lot", sa.String(512), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
    )
    op.create_index(
        "ix_certificate_views_credit_code", "certificate_views", ["credit_code", "certificate_id"]
    )
    op.create_index("ix_certificate_views_region", "certificate_views", ["region_code"])


def _inspections() -> None:
    op.create_table(
        "inspection_results",
        sa.Column("inspection_id", sa.String(64), primary_key=True),
        sa.Column("campaign_id", sa.BigInteger, nullable=False),
        sa.Column("credit_code", _CODE, nullable=False),
        sa.Column("region_code", _REGION, nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("failing_indicators", JSONB, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("retested", sa.Boolean, nullable=False),
        # A retest's result replaces the first; the newer event stands.
        sa.Column("decided_at", _TIME, nullable=False),
    )
    op.create_index("ix_inspection_results_credit_code", "inspection_results", ["credit_code"])
    op.create_index("ix_inspection_results_region", "inspection_results", ["region_code"])
    op.create_table(
        "inspection_followups",
        sa.Column("inspection_id", sa.String(64), primary_key=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("closed_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    for table in _TABLES:
        op.drop_table(table)
