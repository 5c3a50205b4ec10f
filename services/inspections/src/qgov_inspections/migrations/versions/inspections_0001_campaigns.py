"""The directory, the rosters, campaigns with their draws, inspections and samples.

Revision ID: inspections_0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision: str = "inspections_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("inspections",)
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True)


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _code(primary_key: bool = False) -> sa.Column:
    return sa.Column("credit_code", sa.String(18), primary_key=primary_key, nullable=False)


def _ref(name: str, table: str, primary_key: bool = False) -> sa.Column:
    return sa.Column(
        name, sa.BigInteger, sa.ForeignKey(f"{table}.id"), primary_key=primary_key, nullable=False
    )


def upgrade() -> None:
    _directory()
    _rosters()
    _campaigns()
    _inspections()


def _directory() -> None:
    op.create_table(
        "known_enterprises",
        _code(primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        _at("updated_at"),
    )
    op.create_index("ix_known_enterprises_region", "known_enterprises", ["region_code"])
    op.create_table(
        "declared_products",
        sa.Column("declaration_id", sa.BigInteger, primary_key=True),
        _code(),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
    )
    op.create_index("ix_declared_products_category", "declared_products", ["category"])
    op.create_table(
        "listed_products",
        _code(primary_key=True),
        sa.Column("category", sa.String(40), primary_key=True),
        sa.Column("listed_by", sa.String(100), nullable=False),
        _at("listed_at"),
    )
    op.create_index("ix_listed_products_category", "listed_products", ["category"])
    op.create_table(
        "credit_grades",
        _code(primary_key=True),
        sa.Column("grade", sa.String(1), nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        _at("updated_at"),
    )


def _rosters() -> None:
    op.create_table(
        "inspectors",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("badge_number", sa.String(32), nullable=False, unique=True),
        sa.Column("region_code", sa.String(6), nullable=False),
        _at("registered_at"),
    )
    op.create_index("ix_inspectors_region", "inspectors", ["region_code", "id"])
    op.create_table(
        "conflicts",
        _ref("inspector_id", "inspectors", primary_key=True),
        _code(primary_key=True),
        sa.Column("reason", sa.String(500), nullable=False),
        _at("declared_at"),
    )
    op.create_table(
        "laboratories",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("accreditation_number", sa.String(40), nullable=False),
        sa.Column("key_digest", sa.String(64), nullable=False, unique=True),
        _at("registered_at"),
    )


def _campaigns() -> None:
    op.create_table(
        "campaigns",
        _id(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("region_codes", ARRAY(sa.Text), nullable=False),
        sa.Column("categories", ARRAY(sa.Text), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("ratios", JSONB, nullable=False),
        sa.Column("inspectors_per_check", sa.Integer, nullable=False),
        sa.Column("laboratory_ids", ARRAY(sa.BigInteger), nullable=False),
        sa.Column("seed_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("published_by", sa.String(100), nullable=False),
        _at("published_at"),
        sa.Column("drawn_on", sa.Date),
        sa.Column("completed_on", sa.Date),
    )
    op.create_table(
        "draws",
        _ref("campaign_id", "campaigns", primary_key=True),
        sa.Column("seed", sa.String(64), nullable=False),
        sa.Column("candidates", sa.Text, nullable=False),
        sa.Column("candidates_hash", sa.String(64), nullable=False),
        sa.Column("candidate_count", sa.Integer, nullable=False),
        sa.Column("pool", ARRAY(sa.Text), nullable=False),
        sa.Column("exclusions", JSONB, nullable=False),
        _at("drawn_at"),
    )


def _inspections() -> None:
    op.create_table(
        "inspections",
        _id(),
        _ref("campaign_id", "campaigns"),
        _code(),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("grade", sa.String(1), nullable=False),
        sa.Column("team", ARRAY(sa.BigInteger), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sampling", JSONB),
        sa.Column("result", JSONB),
        sa.Column("notified_on", sa.Date),
        sa.Column("objection_due_on", sa.Date),
        sa.Column("objection", sa.String(1000)),
        sa.Column("final_on", sa.Date),
        sa.Column("final_outcome", sa.String(32)),
        sa.Column("retested", sa.Boolean, nullable=False),
        sa.Column("rectification_due_on", sa.Date),
        sa.Column("reinspection", JSONB),
        sa.Column("followup_outcome", sa.String(16)),
        sa.Column("followup_closed_on", sa.Date),
    )
    op.create_index("ix_inspections_campaign", "inspections", ["campaign_id", "id"])
    op.create_index("ix_inspections_enterprise", "inspections", ["credit_code", "id"])
    # The finaliser looks for tested results whose objection period is over.
    op.create_index(
        "ix_inspections_objection_due",
        "inspections",
        ["objection_due_on"],
        postgresql_where=sa.text("status = 'tested'"),
    )
    op.create_table(
        "samples",
        _id(),
        _ref("inspection_id", "inspections"),
        sa.Column("purpose", sa.String(8), nullable=False),
        sa.Column("blind_code", sa.String(16), nullable=False, unique=True),
        _ref("laboratory_id", "laboratories"),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.String(100), nullable=False),
        sa.Column("standard_numbers", ARRAY(sa.Text), nullable=False),
        _at("received_at"),
        sa.Column("result", JSONB),
        sa.Column("tested_on", sa.Date),
    )
    op.create_index("ix_samples_laboratory", "samples", ["laboratory_id", "id"])


def downgrade() -> None:
    for table in (
        "samples",
        "inspections",
        "draws",
        "campaigns",
        "laboratories",
        "conflicts",
        "inspectors",
        "credit_grades",
        "listed_products",
        "declared_products",
        "known_enterprises",
    ):
        op.drop_table(table)
