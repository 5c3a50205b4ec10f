"""The serious-violation list and credit repair applications.

Revision ID: credit_0002
Revises: credit_0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "credit_0002"
down_revision: str | Sequence[str] | None = "credit_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "enterprises", sa.Column("listed", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.create_index("ix_enterprises_listed", "enterprises", ["listed"])
    op.create_table(
        "listings",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "credit_code",
            sa.String(18),
            sa.ForeignKey("enterprises.credit_code"),
            nullable=False,
            index=True,
        ),
        sa.Column("listed_on", sa.Date, nullable=False),
        sa.Column("reason", sa.String(60), nullable=False),
        sa.Column(
            "trigger_record_id", sa.BigInteger, sa.ForeignKey("credit_records.id"), nullable=False
        ),
        sa.Column("earliest_delisting_on", sa.Date, nullable=False),
        sa.Column("delisted_on", sa.Date),
    )
    op.create_table(
        "repair_applications",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "credit_code",
            sa.String(18),
            sa.ForeignKey("enterprises.credit_code"),
            nullable=False,
            index=True,
        ),
        sa.Column("target", sa.String(20), nullable=False),
        sa.Column("listing_id", sa.BigInteger, sa.ForeignKey("listings.id")),
        sa.Column("record_id", sa.BigInteger, sa.ForeignKey("credit_records.id")),
        sa.Column("pledge", sa.String(2000), nullable=False),
        sa.Column("correction", sa.String(4000), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_reason", sa.String(2000)),
    )


def downgrade() -> None:
    op.drop_table("repair_applications")
    op.drop_table("listings")
    op.drop_index("ix_enterprises_listed", "enterprises")
    op.drop_column("enterprises", "listed")
