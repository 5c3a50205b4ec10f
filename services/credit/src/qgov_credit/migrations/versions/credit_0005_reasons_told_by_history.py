"""A file's stored reasons may be the history row that tells them.

Revision ID: credit_0005
Revises: credit_0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "credit_0005"
down_revision: str | Sequence[str] | None = "credit_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Most records change their file's grade, and the change's history row carries the very
    # reasons the file then has: pointing at it saves writing the same ~6 KB twice.
    op.add_column(
        "file_reasons",
        sa.Column("history_id", sa.BigInteger, sa.ForeignKey("grade_changes.id")),
    )
    op.alter_column("file_reasons", "reasons", existing_type=sa.JSON, nullable=True)
    op.create_check_constraint(
        "ck_file_reasons_one_source", "file_reasons", "(reasons IS NULL) <> (history_id IS NULL)"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE file_reasons AS r SET reasons = h.reasons FROM grade_changes AS h"
        " WHERE h.id = r.history_id"
    )
    op.drop_constraint("ck_file_reasons_one_source", "file_reasons")
    op.alter_column("file_reasons", "reasons", existing_type=sa.JSON, nullable=False)
    op.drop_column("file_reasons", "history_id")
