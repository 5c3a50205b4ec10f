"""Submissions, their audit trail, regulators' notes and enterprises' responses.

Revision ID: complaints_0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "complaints_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("complaints",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tracking_number", sa.String(24), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("handling_region_code", sa.String(6), nullable=False),
        sa.Column("category", sa.String(40)),
        sa.Column("respondent_name", sa.String(200), nullable=False),
        sa.Column("respondent_address", sa.String(300)),
        sa.Column("respondent_credit_code", sa.String(18)),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("person_name", sa.String(50)),
        sa.Column("person_phone", sa.String(20)),
        sa.Column("person_address", sa.String(300)),
        sa.Column("person_id_number", sa.String(18)),
        sa.Column("agent", JSONB),
        sa.Column("request", sa.String(2000)),
        sa.Column("facts", sa.String(5000), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2)),
        sa.Column("incident_on", sa.Date),
        sa.Column("known_harm_on", sa.Date),
        sa.Column("evidence", JSONB, nullable=False),
        sa.Column("location", sa.String(300)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("due", JSONB, nullable=False),
        sa.Column("running_deadline", sa.String(24)),
        sa.Column("running_due_on", sa.Date),
        sa.Column("overdue_notified", JSONB, nullable=False),
        sa.Column("accepted_on", sa.Date),
        sa.Column("decided_on", sa.Date),
        sa.Column("mediation_ended_on", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.Column("ground", sa.String(40)),
        sa.Column("termination_reason", sa.String(40)),
        sa.Column("outcome", sa.String(24)),
        sa.Column("decision_reason", sa.String(2000)),
        sa.Column("extended", sa.Boolean, nullable=False),
        sa.Column("extension_reason", sa.String(2000)),
        sa.Column("satisfaction", sa.SmallInteger),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_submissions_status", "submissions", ["status"])
    op.create_index("ix_submissions_running_due_on", "submissions", ["running_due_on"])
    op.create_index("ix_submissions_handling_region", "submissions", ["handling_region_code", "id"])
    op.create_index("ix_submissions_respondent", "submissions", ["respondent_credit_code", "id"])
    for table, columns in {
        "submission_history": [
            sa.Column("actor", sa.String(200), nullable=False),
            sa.Column("action", sa.String(40), nullable=False),
            sa.Column("from_status", sa.String(24)),
            sa.Column("to_status", sa.String(24), nullable=False),
            sa.Column("detail", JSONB, nullable=False),
        ],
        "submission_notes": [
            sa.Column("author", sa.String(200), nullable=False),
            sa.Column("text", sa.String(2000), nullable=False),
        ],
        "enterprise_responses": [
            sa.Column("credit_code", sa.String(18), nullable=False),
            sa.Column("kind", sa.String(24), nullable=False),
            sa.Column("text", sa.String(2000), nullable=False),
        ],
    }.items():
        op.create_table(
            table,
            sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
            sa.Column(
                "submission_id",
                sa.BigInteger,
                sa.ForeignKey("submissions.id"),
                nullable=False,
                index=True,
            ),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            *columns,
        )


def downgrade() -> None:
    for table in ("enterprise_responses", "submission_notes", "submission_history", "submissions"):
        op.drop_table(table)
