"""The standards service's tables: declarations and their versions, checks and flags on them,
the catalogue of national standards with their mandatory limits, evaluation plans and
rankings. Declarations are never deleted: a withdrawal is a state."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Numeric, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel


def _jsonb() -> Any:
    return Field(sa_column=Column(JSONB, nullable=False))


def _terms() -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False))


def _at(**kwargs: Any) -> Any:
    return Field(sa_type=DateTime(timezone=True), **kwargs)


class Declaration(SQLModel, table=True):
    """A product's or service's self-declaration, as its latest version states it."""

    __tablename__ = "declarations"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    credit_code: str = Field(max_length=18)
    enterprise_name: str = Field(max_length=200)
    region_code: str = Field(max_length=6)
    product_name: str = Field(max_length=200)
    category: str = Field(max_length=40)
    status: str = Field(max_length=16)
    version: int
    standards: list[dict[str, Any]] = _jsonb()
    indicators: list[dict[str, Any]] = _jsonb()
    standard_numbers: list[str] = _terms()
    standard_bases: list[str] = _terms()
    product_terms: list[str] = _terms()
    enterprise_terms: list[str] = _terms()
    terms: list[str] = _terms()
    published_at: datetime = _at()
    revised_at: datetime = _at()
    withdrawn_at: datetime | None = _at(default=None)
    withdrawal_reason: str | None = Field(default=None, max_length=500)
    open_flags: int = 0
    change_seq: int = Field(
        sa_type=BigInteger,
        sa_column_kwargs={"server_default": text("nextval('declaration_changes')")},
    )


class DeclarationVersion(SQLModel, table=True):
    """Every version as it was published; old ones stay readable and comparable."""

    __tablename__ = "declaration_versions"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    declaration_id: int = Field(foreign_key="declarations.id", sa_type=BigInteger)
    version: int
    product_name: str = Field(max_length=200)
    category: str = Field(max_length=40)
    standards: list[dict[str, Any]] = _jsonb()
    indicators: list[dict[str, Any]] = _jsonb()
    note: str | None = Field(default=None, max_length=500)
    published_at: datetime = _at()


class Check(SQLModel, table=True):
    """What a regulator's check, or an inspection, found about a declaration."""

    __tablename__ = "checks"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    declaration_id: int = Field(foreign_key="declarations.id", sa_type=BigInteger)
    declaration_version: int
    credit_code: str = Field(max_length=18)
    region_code: str = Field(max_length=6)
    outcome: str = Field(max_length=16)
    findings: list[str] = _jsonb()
    failing_indicators: list[str] = _jsonb()
    checked_on: date
    source: str = Field(max_length=16)
    inspection_id: str | None = Field(default=None, max_length=64)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime = _at()


class Flag(SQLModel, table=True):
    """A declaration left below the floor by a catalogue change, until a version fixes it."""

    __tablename__ = "flags"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    declaration_id: int = Field(foreign_key="declarations.id", sa_type=BigInteger)
    declaration_version: int
    reason: str = Field(max_length=32)
    standard_number: str = Field(max_length=64)
    indicator: str | None = Field(default=None, max_length=200)
    indicator_key: str | None = Field(default=None, sa_type=Text)  # NFKC may lengthen a name
    required: str | None = Field(default=None, max_length=200)
    declared: str | None = Field(default=None, max_length=200)
    replaced_by: str | None = Field(default=None, max_length=64)
    effective_on: date
    flagged_at: datetime = _at()
    cleared_at: datetime | None = _at(default=None)


class CatalogueStandard(SQLModel, table=True):
    """A national standard in the catalogue, with its status dates."""

    __tablename__ = "catalogue_standards"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    number: str = Field(max_length=64, unique=True)
    base: str = Field(max_length=64)
    kind: str = Field(max_length=24)
    title: str = Field(max_length=300)
    effective_on: date
    withdrawn_on: date | None = None
    replaced_by: str | None = Field(default=None, max_length=64)
    limits_version: int = 1
    updated_at: datetime = _at()


class LimitIndicator(SQLModel, table=True):
    """A mandatory standard's limit on one indicator, for the categories it names."""

    __tablename__ = "limit_indicators"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    standard_id: int = Field(foreign_key="catalogue_standards.id", sa_type=BigInteger)
    name: str = Field(max_length=200)
    bounds: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    categories: list[str] = _terms()


class RankingPlan(SQLModel, table=True):
    """One version of a category's evaluation plan (评价方案)."""

    __tablename__ = "ranking_plans"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    category: str = Field(max_length=40)
    version: int
    plan: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = _at()
    created_by: str = Field(max_length=200)


class Ranking(SQLModel, table=True):
    """A published ranking of a category: which plan, up to which change of its declarations
    (`watermark`, the highest change number, and `members`, how many rows the category had:
    a declaration leaving it changes no number there), and its frontrunners."""

    __tablename__ = "rankings"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    category: str = Field(max_length=40)
    number: int
    plan_version: int
    watermark: int = Field(sa_type=BigInteger)
    members: int
    ranked: int
    excluded: int
    frontrunners: list[dict[str, Any]] = _jsonb()
    published_at: datetime = _at()


class RankingEntry(SQLModel, table=True):
    """A declaration's place in its category's latest ranking, and why."""

    __tablename__ = "ranking_entries"

    category: str = Field(max_length=40, primary_key=True)
    declaration_id: int = Field(primary_key=True, sa_type=BigInteger)
    position: int
    rank: int | None = None
    score: Decimal | None = Field(default=None, sa_column=Column(Numeric(9, 4)))
    frontrunner: bool
    explanation: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
