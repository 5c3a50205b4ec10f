"""Outbox inserts notify the relay, so it publishes at once instead of at its next poll.

A statement-level trigger sends one NOTIFY per INSERT into `outbox_events`; PostgreSQL delivers
it when (and only if) the writing transaction commits.

Revision ID: backbone_0002
Revises: backbone_0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

from qgov_shared.outbox import OUTBOX_CHANNEL

revision: str = "backbone_0002"
down_revision: str | Sequence[str] | None = "backbone_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        f"""
        CREATE FUNCTION notify_outbox_relay() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{OUTBOX_CHANNEL}', '');
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox_relay()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER outbox_events_notify ON outbox_events")
    op.execute("DROP FUNCTION notify_outbox_relay()")
