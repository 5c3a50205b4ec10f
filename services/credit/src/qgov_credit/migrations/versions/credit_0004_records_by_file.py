"""Records by file, with what an assessment reads of them.

Revision ID: credit_0004
Revises: credit_0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "credit_0004"
down_revision: str | Sequence[str] | None = "credit_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An assessment reads four columns of every record of its files: from this index alone
    # (an index-only scan), instead of one heap page per record, each file's records being
    # spread over the table in the order they arrived.
    op.create_index(
        "ix_credit_records_file",
        "credit_records",
        ["credit_code", "id"],
        postgresql_include=["kind", "severity", "effective_on"],
    )
    op.drop_index("ix_credit_records_credit_code", "credit_records")


def downgrade() -> None:
    op.create_index("ix_credit_records_credit_code", "credit_records", ["credit_code"])
    op.drop_index("ix_credit_records_file", "credit_records")
