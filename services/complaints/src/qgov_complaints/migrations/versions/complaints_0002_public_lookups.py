"""Indexes for the public lookups: Open311 lists by kind and filing time, tokens by digest.

Revision ID: complaints_0002
Revises: complaints_0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

from alembic import op

revision: str = "complaints_0002"
down_revision: str | Sequence[str] | None = "complaints_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_submissions_kind_received_at", "submissions", ["kind", "received_at"])
    op.create_index("ix_submissions_token_hash", "submissions", ["token_hash"])


def downgrade() -> None:
    op.drop_index("ix_submissions_token_hash", "submissions")
    op.drop_index("ix_submissions_kind_received_at", "submissions")
