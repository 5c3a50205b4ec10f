"""A new declaration takes its change number from the sequence by default, so filing can insert
its row through asyncpg without computing it in SQLAlchemy.

Revision ID: standards_0002
Revises: standards_0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "standards_0002"
down_revision: str | Sequence[str] | None = "standards_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE declarations"
        " ALTER COLUMN change_seq SET DEFAULT nextval('declaration_changes')"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE declarations ALTER COLUMN change_seq DROP DEFAULT")
