"""Enterprises found by name: the profiles in (name, credit code) order, which a search page
walks and stops when it is full.

Revision ID: gateway_0008
Revises: gateway_0007
Create Date: 2026-12-09
"""

from collections.abc import Sequence

from alembic import op

revision: str = "gateway_0008"
down_revision: str | Sequence[str] | None = "gateway_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_enterprise_profiles_name", "enterprise_profiles", ["name", "credit_code"])


def downgrade() -> None:
    op.drop_index("ix_enterprise_profiles_name", "enterprise_profiles")
