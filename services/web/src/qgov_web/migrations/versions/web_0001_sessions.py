"""The signed-in sessions: the platform's access token kept server-side, by session id hash.

Revision ID: web_0001
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "web_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("web",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("regions", sa.ARRAY(sa.String(6)), nullable=False),
        sa.Column("access_token", sa.String(8000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("web_sessions")
