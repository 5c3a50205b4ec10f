"""Brands and transfers, reviewers, award applications with their steps, assignments, scores
and objections, awards and their history, and the credit view.

Revision ID: brands_0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "brands_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("brands",)
depends_on: str | Sequence[str] | None = None

AT = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True)


def _ref(name: str, table: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.BigInteger, sa.ForeignKey(f"{table}.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "brands",
        _id(),
        sa.Column("credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("trademark_number", sa.String(20), nullable=False),
        sa.Column("nice_class", sa.SmallInteger, nullable=False),
        sa.Column("product_categories", JSONB, nullable=False),
        sa.Column("founded_year", sa.SmallInteger, nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("geographical_indication", sa.Boolean, nullable=False),
        sa.Column("time_honoured_candidate", sa.Boolean, nullable=False),
        sa.Column("registered_at", AT, nullable=False),
        sa.UniqueConstraint("trademark_number", "nice_class", name="uq_brands_trademark"),
    )
    op.create_table(
        "brand_transfers",
        _id(),
        _ref("brand_id", "brands"),
        sa.Column("from_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("from_name", sa.String(200), nullable=False),
        sa.Column("to_credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("to_name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("note", sa.String(500)),
        sa.Column("requested_at", AT, nullable=False),
        sa.Column("decided_at", AT),
    )
    op.create_index("ix_brand_transfers_brand_id", "brand_transfers", ["brand_id"])
    # One pending transfer per brand at a time.
    op.create_index(
        "uq_brand_transfers_pending",
        "brand_transfers",
        ["brand_id"],
        unique=True,
        postgresql_where=sa.text("status = 'requested'"),
    )
    op.create_table(
        "reviewers",
        _id(),
        sa.Column("subject", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("enterprise_group", sa.String(200)),
        sa.Column("employer_credit_code", sa.String(18)),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("conflicts", JSONB, nullable=False),
        sa.Column("created_at", AT, nullable=False),
    )
    _applications()
    _awards()
    _credit_view()


def _applications() -> None:
    op.create_table(
        "applications",
        _id(),
        sa.Column("programme", sa.String(60), nullable=False),
        sa.Column("policy_version", sa.String(20), nullable=False),
        sa.Column("round", sa.String(20), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False, index=True),
        sa.Column("enterprise_group", sa.String(200)),
        _ref("brand_id", "brands", nullable=True),
        sa.Column("renewal_of", sa.BigInteger),
        sa.Column("statement", sa.String(5000), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("tier", sa.String(16)),
        sa.Column("score", sa.Numeric(8, 2)),
        sa.Column("notice_ends_on", sa.Date, index=True),
        sa.Column("applied_at", AT, nullable=False),
        sa.Column("decided_on", sa.Date),
        sa.Column("decision_reasons", sa.String(2000)),
    )
    # One application per applicant, brand and round.
    op.execute(
        "CREATE UNIQUE INDEX uq_applications_once ON applications "
        "(programme, round, credit_code, coalesce(brand_id, 0))"
    )
    op.create_index("ix_applications_round", "applications", ["programme", "round", "stage"])
    op.create_table(
        "application_steps",
        _id(),
        _ref("application_id", "applications"),
        sa.Column("at", AT, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("passed", sa.Boolean),
        sa.Column("to_stage", sa.String(40), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reasons", sa.String(2000), nullable=False),
    )
    op.create_table(
        "assignments",
        _id(),
        _ref("application_id", "applications"),
        _ref("reviewer_id", "reviewers"),
        sa.Column("assigned_at", AT, nullable=False),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("application_id", "reviewer_id", name="uq_assignments"),
    )
    op.create_index("ix_assignments_reviewer", "assignments", ["reviewer_id", "application_id"])
    op.create_table(
        "scores",
        _id(),
        _ref("application_id", "applications"),
        _ref("reviewer_id", "reviewers"),
        sa.Column("points", JSONB, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("scored_at", AT, nullable=False),
        sa.UniqueConstraint("application_id", "reviewer_id", name="uq_scores"),
    )
    op.create_table(
        "objections",
        _id(),
        _ref("application_id", "applications"),
        sa.Column("stage", sa.String(40), nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("filed_at", AT, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("resolution", sa.String(2000)),
        sa.Column("resolved_at", AT),
        sa.Column("resolved_by", sa.String(200)),
    )
    for table in ("application_steps", "objections"):
        op.create_index(f"ix_{table}_application_id", table, ["application_id"])


def _awards() -> None:
    op.create_table(
        "awards",
        _id(),
        _ref("application_id", "applications"),
        sa.Column("programme", sa.String(60), nullable=False),
        sa.Column("round", sa.String(20), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        _ref("brand_id", "brands", nullable=True),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("granted_on", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date),
        sa.Column("suspended_on", sa.Date),
        sa.Column("revoked_on", sa.Date),
        sa.Column("revocation_ground", sa.String(40)),
        sa.Column("reasons", sa.String(2000), nullable=False),
        sa.UniqueConstraint("application_id", name="uq_awards_application"),
    )
    op.create_index("ix_awards_brand_id", "awards", ["brand_id", "id"])
    op.create_index("ix_awards_holders", "awards", ["programme", "round", "status", "id"])
    op.create_table(
        "award_history",
        _id(),
        _ref("award_id", "awards"),
        sa.Column("at", AT, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("from_status", sa.String(16)),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("reasons", sa.String(2000), nullable=False),
    )
    op.create_index("ix_award_history_award_id", "award_history", ["award_id"])


def _credit_view() -> None:
    op.create_table(
        "credit_standings",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("grade", sa.String(1)),
        sa.Column("listed", sa.Boolean, nullable=False),
        sa.Column("listed_on", sa.Date),
        sa.Column("listing_reason", sa.String(100)),
        sa.Column("updated_at", AT, nullable=False),
    )
    op.create_table(
        "credit_facts",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("record_id", sa.BigInteger, primary_key=True),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "credit_facts",
        "credit_standings",
        "award_history",
        "awards",
        "objections",
        "scores",
        "assignments",
        "application_steps",
        "applications",
        "reviewers",
        "brand_transfers",
        "brands",
    ):
        op.drop_table(table)
