"""Backbone tables: transactional outbox, processed events, idempotency keys.

Revision ID: backbone_0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

from alembic import op

from qgov_shared.backbone import metadata

revision: str = "backbone_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("backbone",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
