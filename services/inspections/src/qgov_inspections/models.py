"""The inspections service's tables: its enterprise directory (from the standards and credit
services' events and the regulators' imports), the rosters of inspectors and laboratories,
campaigns with their frozen draws, inspections, and the samples laboratories see. A sample row
holds no enterprise: what a laboratory reads cannot name one (抽检分离)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel


def _jsonb(nullable: bool = False) -> Any:
    # A missing value is SQL NULL, not the JSON null, so `IS NULL` finds it.
    return Field(default=None, sa_column=Column(JSONB(none_as_null=True), nullable=nullable))


def _texts() -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(Text), nullable=False))


def _ids() -> Any:
    return Field(default_factory=list, sa_column=Column(ARRAY(BigInteger), nullable=False))


def _at(**kwargs: Any) -> Any:
    return Field(sa_type=DateTime(timezone=True), **kwargs)


def _id() -> Any:
    return Field(default=None, primary_key=True, sa_type=BigInteger)


class KnownEnterprise(SQLModel, table=True):
    """An enterprise the directory knows, registered where `region_code` says."""

    __tablename__ = "known_enterprises"
    credit_code: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    region_code: str = Field(max_length=6)
    updated_at: datetime = _at()


class DeclaredProduct(SQLModel, table=True):
    """A product category an enterprise declared standards for (the standards service)."""

    __tablename__ = "declared_products"
    declaration_id: int = Field(primary_key=True, sa_type=BigInteger)
    credit_code: str = Field(max_length=18)
    category: str = Field(max_length=40)
    withdrawn: bool = False


class ListedProduct(SQLModel, table=True):
    """A product category a regulator listed an enterprise for (the directory import)."""

    __tablename__ = "listed_products"
    credit_code: str = Field(primary_key=True, max_length=18)
    category: str = Field(primary_key=True, max_length=40)
    listed_by: str = Field(max_length=100)
    listed_at: datetime = _at()


class CreditGrade(SQLModel, table=True):
    """The enterprise's credit grade as credit last announced it."""

    __tablename__ = "credit_grades"
    credit_code: str = Field(primary_key=True, max_length=18)
    grade: str = Field(max_length=1)
    assessed_on: date
    updated_at: datetime = _at()


class Inspector(SQLModel, table=True):
    __tablename__ = "inspectors"
    id: int | None = _id()
    name: str = Field(max_length=100)
    badge_number: str = Field(max_length=32, unique=True)
    region_code: str = Field(max_length=6)
    registered_at: datetime = _at()


class Conflict(SQLModel, table=True):
    """An inspector declared an interest in an enterprise: they never inspect it."""

    __tablename__ = "conflicts"
    inspector_id: int = Field(primary_key=True, foreign_key="inspectors.id", sa_type=BigInteger)
    credit_code: str = Field(primary_key=True, max_length=18)
    reason: str = Field(max_length=500)
    declared_at: datetime = _at()


class Laboratory(SQLModel, table=True):
    __tablename__ = "laboratories"
    id: int | None = _id()
    name: str = Field(max_length=200)
    accreditation_number: str = Field(max_length=40)
    key_digest: str = Field(max_length=64, unique=True)
    registered_at: datetime = _at()


class Campaign(SQLModel, table=True):
    __tablename__ = "campaigns"
    id: int | None = _id()
    title: str = Field(max_length=200)
    region_codes: list[str] = _texts()
    categories: list[str] = _texts()
    period_start: date
    period_end: date
    ratios: dict[str, str] = _jsonb()
    inspectors_per_check: int
    laboratory_ids: list[int] = _ids()
    seed_hash: str = Field(max_length=64)
    status: str = Field(max_length=16)  # published | drawn | completed
    published_by: str = Field(max_length=100)
    published_at: datetime = _at()
    drawn_on: date | None = None
    completed_on: date | None = None


class Draw(SQLModel, table=True):
    """A campaign's draw, frozen: the revealed seed and every input the draw ran on."""

    __tablename__ = "draws"
    campaign_id: int = Field(primary_key=True, foreign_key="campaigns.id", sa_type=BigInteger)
    seed: str = Field(max_length=64)
    candidates: str = Field(sa_type=Text, description="the canonical candidate list")
    candidates_hash: str = Field(max_length=64)
    candidate_count: int
    pool: list[str] = _texts()
    exclusions: list[list[str]] = _jsonb()
    drawn_at: datetime = _at()


class Inspection(SQLModel, table=True):
    """One drawn enterprise's inspection: its team, the sampling record, the result, the
    objection, and the follow-up of a failure."""

    __tablename__ = "inspections"
    id: int | None = _id()
    campaign_id: int = Field(foreign_key="campaigns.id", sa_type=BigInteger)
    credit_code: str = Field(max_length=18)
    enterprise_name: str = Field(max_length=200)
    region_code: str = Field(max_length=6)
    grade: str = Field(max_length=1)
    team: list[int] = _ids()
    status: str = Field(max_length=16)
    sampling: dict[str, Any] | None = _jsonb(nullable=True)
    result: dict[str, Any] | None = _jsonb(nullable=True)
    notified_on: date | None = None
    objection_due_on: date | None = None
    objection: str | None = Field(default=None, max_length=1000)
    final_on: date | None = None
    final_outcome: str | None = Field(default=None, max_length=32)
    retested: bool = False
    rectification_due_on: date | None = None
    reinspection: dict[str, Any] | None = _jsonb(nullable=True)
    followup_outcome: str | None = Field(default=None, max_length=16)
    followup_closed_on: date | None = None


class Sample(SQLModel, table=True):
    """What a laboratory receives: a blind code, the product and the standards, no more."""

    __tablename__ = "samples"
    id: int | None = _id()
    inspection_id: int = Field(foreign_key="inspections.id", sa_type=BigInteger)
    purpose: str = Field(max_length=8)  # test | retest
    blind_code: str = Field(max_length=16, unique=True)
    laboratory_id: int = Field(foreign_key="laboratories.id", sa_type=BigInteger)
    product_name: str = Field(max_length=200)
    quantity: str = Field(max_length=100)
    standard_numbers: list[str] = _texts()
    received_at: datetime = _at()
    result: dict[str, Any] | None = _jsonb(nullable=True)
    tested_on: date | None = None
