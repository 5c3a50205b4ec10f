"""Source watermarks: the newest event seen per source.

Revision ID: gateway_0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("gateway",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_watermarks",
        sa.Column("source", sa.String(200), primary_key=True),
        sa.Column("last_event_id", sa.String(64), nullable=False),
        sa.Column("last_event_type", sa.String(200), nullable=False),
        sa.Column("last_event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events_seen", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_watermarks")
