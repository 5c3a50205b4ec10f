"""The quality-governance read model: enterprise profiles, submissions and the credit feed.

Revision ID: gateway_0003
Revises: gateway_0002
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "gateway_0003"
down_revision: str | Sequence[str] | None = "gateway_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "enterprise_profiles",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("named_by", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("grade", sa.String(1)),
        sa.Column("score", sa.Integer),
        sa.Column("rule_version", sa.String(40)),
        sa.Column("reasons", JSONB, nullable=False, server_default="[]"),
        sa.Column("graded_at", _TIME),
        sa.Column("listing", JSONB),
        sa.Column("first_seen_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
    )
    op.create_index("ix_enterprise_profiles_region", "enterprise_profiles", ["region_code"])
    op.create_table(
        "submission_views",
        sa.Column("tracking_number", sa.String(20), primary_key=True),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("handling_region_code", sa.String(6), nullable=False),
        sa.Column("category", sa.String(40)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_at", _TIME, nullable=False),
        sa.Column("overdue_at", _TIME),
        sa.Column("filed_at", _TIME, nullable=False),
    )
    op.create_index("ix_submission_views_credit_code", "submission_views", ["credit_code"])
    op.create_index("ix_submission_views_region", "submission_views", ["handling_region_code"])
    op.create_table(
        "credit_changes",
        sa.Column("cursor", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("previous_grade", sa.String(1), nullable=False),
        sa.Column("grade", sa.String(1), nullable=False),
        sa.Column("previous_score", sa.Integer, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("changed_at", _TIME, nullable=False),
        sa.Column("reasons", JSONB, nullable=False),
    )
    op.create_index("ix_credit_changes_code", "credit_changes", ["credit_code", "cursor"])
    # A regulator's scope is a province, a prefecture or a county: one index per level keeps
    # a region's feed page a short index range at any depth.
    for level, width in (("province", 2), ("prefecture", 4)):
        op.create_index(
            f"ix_credit_changes_{level}",
            "credit_changes",
            [sa.text(f"left(region_code, {width})"), "cursor"],
        )
    op.create_index("ix_credit_changes_county", "credit_changes", ["region_code", "cursor"])
    op.create_index("ix_credit_changes_changed_at", "credit_changes", ["changed_at"])


def downgrade() -> None:
    op.drop_table("credit_changes")
    op.drop_table("submission_views")
    op.drop_table("enterprise_profiles")
