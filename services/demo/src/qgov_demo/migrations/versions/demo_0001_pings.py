"""Pings and the receipts the demo consumer writes.

Revision ID: demo_0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "demo_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("demo",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_table(
        "ping_receipts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False, index=True),
        sa.Column("ping_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ping_receipts")
    op.drop_table("pings")
