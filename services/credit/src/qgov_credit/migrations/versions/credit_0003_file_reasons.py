"""The reasons behind each file's stored assessment, so a new record extends it; the grade
history's reasons as json.

Revision ID: credit_0003
Revises: credit_0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "credit_0003"
down_revision: str | Sequence[str] | None = "credit_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Files already open get theirs the next time they are assessed (or on a rebuild).
    op.create_table(
        "file_reasons",
        sa.Column(
            "credit_code",
            sa.String(18),
            sa.ForeignKey("enterprises.credit_code"),
            primary_key=True,
        ),
        sa.Column("reasons", sa.JSON, nullable=False),
    )
    # Rewritten with every change of its file: compressing ~6 KB each time costs more CPU
    # than the uncompressed copy costs room (one row per enterprise).
    op.execute("ALTER TABLE file_reasons ALTER COLUMN reasons SET STORAGE EXTERNAL")
    # Written whole and read whole, never queried into: json keeps the text as written, where
    # jsonb parses each ~6 KB list into its binary form (most of an intake's database time).
    op.alter_column(
        "grade_changes",
        "reasons",
        type_=sa.JSON,
        existing_nullable=False,
        postgresql_using="reasons::json",
    )


def downgrade() -> None:
    op.alter_column(
        "grade_changes",
        "reasons",
        type_=JSONB,
        existing_nullable=False,
        postgresql_using="reasons::jsonb",
    )
    op.drop_table("file_reasons")
