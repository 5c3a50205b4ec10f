"""Each enterprise's profile as stored documents, one for the public and one in full, kept by
the read model's consumer and served as they are. Existing profiles get theirs when the
gateway next starts (`profile_documents.rebuild_stale`).

Revision ID: gateway_0006
Revises: gateway_0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "gateway_0006"
down_revision: str | Sequence[str] | None = "gateway_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profile_documents",
        sa.Column(
            "credit_code",
            sa.String(18),
            sa.ForeignKey("enterprise_profiles.credit_code"),
            primary_key=True,
        ),
        # The enterprise's region, which decides the regulators who see the full document.
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("layout", sa.SmallInteger, nullable=False),
        sa.Column("public_view", JSONB, nullable=False),
        sa.Column("full_view", JSONB, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("profile_documents")
