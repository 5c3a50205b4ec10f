"""Declarations and their versions, checks, flags, the catalogue, plans and rankings.

Revision ID: standards_0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision: str = "standards_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("standards",)
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _terms(name: str) -> sa.Column:
    return sa.Column(name, ARRAY(sa.Text), nullable=False)


def _declaration_id() -> sa.Column:
    return sa.Column(
        "declaration_id", sa.BigInteger, sa.ForeignKey("declarations.id"), nullable=False
    )


def upgrade() -> None:
    # Every change to a declaration takes the next number: the ranker recomputes a category
    # whose highest number is past the one its latest ranking saw.
    op.execute("CREATE SEQUENCE declaration_changes AS bigint")
    op.create_table(
        "declarations",
        _id(),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("standards", JSONB, nullable=False),
        sa.Column("indicators", JSONB, nullable=False),
        _terms("standard_numbers"),
        _terms("standard_bases"),
        _terms("product_terms"),
        _terms("enterprise_terms"),
        _terms("terms"),
        _at("published_at"),
        _at("revised_at"),
        _at("withdrawn_at", nullable=True),
        sa.Column("withdrawal_reason", sa.String(500)),
        sa.Column("open_flags", sa.Integer, nullable=False, server_default="0"),
        sa.Column("change_seq", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_declarations_enterprise", "declarations", ["credit_code", "id"])
    op.create_index("ix_declarations_region", "declarations", ["region_code"])
    op.create_index("ix_declarations_changes", "declarations", ["category", "change_seq"])
    # Search reads published declarations only; flagging finds those citing a standard.
    for column in ("terms", "standard_numbers"):
        op.create_index(
            f"ix_declarations_{column}",
            "declarations",
            [column],
            postgresql_using="gin",
            postgresql_where=sa.text("status = 'published'"),
        )
    op.create_table(
        "declaration_versions",
        _id(),
        _declaration_id(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("standards", JSONB, nullable=False),
        sa.Column("indicators", JSONB, nullable=False),
        sa.Column("note", sa.String(500)),
        _at("published_at"),
        sa.UniqueConstraint("declaration_id", "version"),
    )
    op.create_table(
        "checks",
        _id(),
        _declaration_id(),
        sa.Column("declaration_version", sa.Integer, nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("findings", JSONB, nullable=False),
        sa.Column("failing_indicators", JSONB, nullable=False),
        sa.Column("checked_on", sa.Date, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("inspection_id", sa.String(64)),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        _at("recorded_at"),
    )
    op.create_index("ix_checks_declaration", "checks", ["declaration_id", "id"])
    # One check per inspection and declaration, however often its result is delivered.
    op.create_index(
        "ux_checks_inspection",
        "checks",
        ["inspection_id", "declaration_id"],
        unique=True,
        postgresql_where=sa.text("inspection_id IS NOT NULL"),
    )
    op.create_table(
        "flags",
        _id(),
        _declaration_id(),
        sa.Column("declaration_version", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("standard_number", sa.String(64), nullable=False),
        sa.Column("indicator", sa.String(200)),
        sa.Column("indicator_key", sa.Text),  # NFKC may make a name longer than typed
        sa.Column("required", sa.String(200)),
        sa.Column("declared", sa.String(200)),
        sa.Column("replaced_by", sa.String(64)),
        sa.Column("effective_on", sa.Date, nullable=False),
        _at("flagged_at"),
        _at("cleared_at", nullable=True),
    )
    op.create_index("ix_flags_declaration", "flags", ["declaration_id", "id"])
    op.create_table(
        "catalogue_standards",
        _id(),
        sa.Column("number", sa.String(64), nullable=False, unique=True),
        sa.Column("base", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("effective_on", sa.Date, nullable=False),
        sa.Column("withdrawn_on", sa.Date),
        sa.Column("replaced_by", sa.String(64)),
        sa.Column("limits_version", sa.Integer, nullable=False),
        _at("updated_at"),
    )
    op.create_table(
        "limit_indicators",
        _id(),
        sa.Column(
            "standard_id",
            sa.BigInteger,
            sa.ForeignKey("catalogue_standards.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("bounds", JSONB, nullable=False),
        _terms("categories"),
    )
    op.create_index(
        "ix_limit_indicators_categories", "limit_indicators", ["categories"], postgresql_using="gin"
    )
    op.create_table(
        "ranking_plans",
        _id(),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("plan", JSONB, nullable=False),
        _at("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("category", "version"),
    )
    op.create_table(
        "rankings",
        _id(),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("plan_version", sa.Integer, nullable=False),
        sa.Column("watermark", sa.BigInteger, nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
        sa.Column("ranked", sa.Integer, nullable=False),
        sa.Column("excluded", sa.Integer, nullable=False),
        sa.Column("frontrunners", JSONB, nullable=False),
        _at("published_at"),
        sa.UniqueConstraint("category", "number"),
    )
    op.create_table(
        "ranking_entries",
        sa.Column("category", sa.String(40), primary_key=True),
        sa.Column("declaration_id", sa.BigInteger, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("rank", sa.Integer),
        sa.Column("score", sa.Numeric(9, 4)),
        sa.Column("frontrunner", sa.Boolean, nullable=False),
        sa.Column("explanation", JSONB, nullable=False),
    )
    op.create_index("ix_ranking_entries_position", "ranking_entries", ["category", "position"])
    op.create_index("ix_ranking_entries_declaration", "ranking_entries", ["declaration_id"])


def downgrade() -> None:
    for table in (
        "ranking_entries",
        "rankings",
        "ranking_plans",
        "limit_indicators",
        "catalogue_standards",
        "flags",
        "checks",
        "declaration_versions",
        "declarations",
    ):
        op.drop_table(table)
    op.execute("DROP SEQUENCE declaration_changes")
