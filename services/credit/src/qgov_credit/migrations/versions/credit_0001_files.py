"""Credit files: enterprises, records, grade history, intake log.

Revision ID: credit_0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "credit_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("credit",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False, index=True),
        sa.Column("industry", sa.String(40)),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("grade", sa.String(1), nullable=False, index=True),
        sa.Column("rule_version", sa.String(20), nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("next_change_on", sa.Date, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "credit_records",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "credit_code",
            sa.String(18),
            sa.ForeignKey("enterprises.credit_code"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("note", sa.String(2000)),
        sa.Column("source_event_id", sa.String(64), unique=True),
        sa.Column("source_event_type", sa.String(200)),
        sa.Column("entered_by", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "grade_changes",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "credit_code",
            sa.String(18),
            sa.ForeignKey("enterprises.credit_code"),
            nullable=False,
            index=True,
        ),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("previous_score", sa.Integer),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("previous_grade", sa.String(1)),
        sa.Column("grade", sa.String(1), nullable=False),
        sa.Column("rule_version", sa.String(20), nullable=False),
        sa.Column("cause", sa.String(200), nullable=False),
        sa.Column("reasons", JSONB, nullable=False),
    )
    op.create_table(
        "intake_log",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False, index=True),
        sa.Column("credit_code", sa.String(18)),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("intake_log", "grade_changes", "credit_records", "enterprises"):
        op.drop_table(table)
