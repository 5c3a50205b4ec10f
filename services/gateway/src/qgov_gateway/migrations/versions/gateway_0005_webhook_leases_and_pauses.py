"""Webhook subscriptions: a lease on the batch in flight (so the receiver is waited on outside
any transaction), and a pause after failing for too long, with the error that caused it.

Revision ID: gateway_0005
Revises: gateway_0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0005"
down_revision: str | Sequence[str] | None = "gateway_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("webhook_subscriptions", sa.Column("lease_id", sa.String(32)))
    op.add_column("webhook_subscriptions", sa.Column("leased_until", _TIME))
    op.add_column("webhook_subscriptions", sa.Column("failing_since", _TIME))
    op.add_column("webhook_subscriptions", sa.Column("last_error", sa.String(500)))
    op.add_column("webhook_subscriptions", sa.Column("paused_at", _TIME))
    op.drop_index("ix_webhook_subscriptions_due", "webhook_subscriptions")
    op.create_index(
        "ix_webhook_subscriptions_due",
        "webhook_subscriptions",
        ["next_attempt_at", "id"],
        postgresql_where=sa.text("active AND paused_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_subscriptions_due", "webhook_subscriptions")
    op.create_index(
        "ix_webhook_subscriptions_due",
        "webhook_subscriptions",
        ["next_attempt_at"],
        postgresql_where=sa.text("active"),
    )
    for column in ("paused_at", "last_error", "failing_since", "leased_until", "lease_id"):
        op.drop_column("webhook_subscriptions", column)
