"""The brands service's tables: brands and their transfers, award applications with their
steps, reviewers, assignments, scores and objections, the awards granted, and this service's
own view of each enterprise's credit standing, kept from credit's events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Numeric, SmallInteger
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

Id = BigInteger


def _id() -> Any:
    return Field(default=None, primary_key=True, sa_type=Id)


def _at() -> Any:
    return Field(sa_type=DateTime(timezone=True))


class Brand(SQLModel, table=True):
    """A brand, its trademark, and the enterprise that owns it now."""

    __tablename__ = "brands"

    id: int | None = _id()
    credit_code: str = Field(max_length=18, index=True)
    owner_name: str = Field(max_length=200)
    name: str = Field(max_length=100)
    trademark_number: str = Field(max_length=20)
    nice_class: int = Field(sa_type=SmallInteger)
    product_categories: list[str] = Field(default_factory=list, sa_column=Column(JSONB))
    founded_year: int = Field(sa_type=SmallInteger)
    region_code: str = Field(max_length=6)
    geographical_indication: bool = False
    time_honoured_candidate: bool = False
    registered_at: datetime = _at()


class BrandTransfer(SQLModel, table=True):
    """A transfer of a brand requested by its owner, accepted or refused by the receiver."""

    __tablename__ = "brand_transfers"

    id: int | None = _id()
    brand_id: int = Field(foreign_key="brands.id", index=True, sa_type=Id)
    from_credit_code: str = Field(max_length=18, index=True)
    from_name: str = Field(max_length=200)
    to_credit_code: str = Field(max_length=18, index=True)
    to_name: str = Field(max_length=200)
    status: str = Field(max_length=12)
    note: str | None = Field(default=None, max_length=500)
    requested_at: datetime = _at()
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Reviewer(SQLModel, table=True):
    """An expert an admin registered, known by the subject of the reviewer's access token."""

    __tablename__ = "reviewers"

    id: int | None = _id()
    subject: str = Field(max_length=100, unique=True)
    name: str = Field(max_length=100)
    organisation: str = Field(max_length=200)
    enterprise_group: str | None = Field(default=None, max_length=200)
    employer_credit_code: str | None = Field(default=None, max_length=18)
    region_code: str = Field(max_length=6)
    conflicts: list[str] = Field(default_factory=list, sa_column=Column(JSONB))
    created_at: datetime = _at()


class Application(SQLModel, table=True):
    """An application to one round of a programme, from intake to its decision."""

    __tablename__ = "applications"

    id: int | None = _id()
    programme: str = Field(max_length=60)
    policy_version: str = Field(max_length=20)
    round: str = Field(max_length=20)
    credit_code: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    region_code: str = Field(max_length=6, index=True)
    enterprise_group: str | None = Field(default=None, max_length=200)
    brand_id: int | None = Field(default=None, foreign_key="brands.id", sa_type=Id)
    renewal_of: int | None = Field(default=None, sa_type=Id)
    statement: str = Field(max_length=5000)
    stage: str = Field(max_length=40)
    status: str = Field(max_length=16)
    tier: str | None = Field(default=None, max_length=16)
    score: Decimal | None = Field(default=None, sa_column=Column(Numeric(8, 2)))
    notice_ends_on: date | None = Field(default=None, index=True)
    applied_at: datetime = _at()
    decided_on: date | None = None
    decision_reasons: str | None = Field(default=None, max_length=2000)


class ApplicationStep(SQLModel, table=True):
    """The audit trail: every stage closed, by whom, with what result and reasons."""

    __tablename__ = "application_steps"

    id: int | None = _id()
    application_id: int = Field(foreign_key="applications.id", index=True, sa_type=Id)
    at: datetime = _at()
    actor: str = Field(max_length=200)
    stage: str = Field(max_length=40)
    passed: bool | None = None
    to_stage: str = Field(max_length=40)
    to_status: str = Field(max_length=16)
    reasons: str = Field(max_length=2000)


class Assignment(SQLModel, table=True):
    __tablename__ = "assignments"

    id: int | None = _id()
    application_id: int = Field(foreign_key="applications.id", index=True, sa_type=Id)
    reviewer_id: int = Field(foreign_key="reviewers.id", index=True, sa_type=Id)
    assigned_at: datetime = _at()
    assigned_by: str = Field(max_length=200)


class Score(SQLModel, table=True):
    """One reviewer's points for an application, per criterion."""

    __tablename__ = "scores"

    id: int | None = _id()
    application_id: int = Field(foreign_key="applications.id", index=True, sa_type=Id)
    reviewer_id: int = Field(foreign_key="reviewers.id", sa_type=Id)
    points: dict[str, int] = Field(sa_column=Column(JSONB))
    total: int
    scored_at: datetime = _at()


class Objection(SQLModel, table=True):
    """An objection filed during a public notice, and how a regulator resolved it."""

    __tablename__ = "objections"

    id: int | None = _id()
    application_id: int = Field(foreign_key="applications.id", index=True, sa_type=Id)
    stage: str = Field(max_length=40)
    text: str = Field(max_length=2000)
    filed_at: datetime = _at()
    status: str = Field(max_length=12)
    resolution: str | None = Field(default=None, max_length=2000)
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    resolved_by: str | None = Field(default=None, max_length=200)


class Award(SQLModel, table=True):
    """An award granted, and whether it stands, is suspended or was revoked."""

    __tablename__ = "awards"

    id: int | None = _id()
    application_id: int = Field(foreign_key="applications.id", unique=True, sa_type=Id)
    programme: str = Field(max_length=60)
    round: str = Field(max_length=20)
    credit_code: str = Field(max_length=18, index=True)
    enterprise_name: str = Field(max_length=200)
    brand_id: int | None = Field(default=None, foreign_key="brands.id", index=True, sa_type=Id)
    tier: str = Field(max_length=16)
    status: str = Field(max_length=16)
    granted_on: date
    valid_until: date | None = None
    suspended_on: date | None = None
    revoked_on: date | None = None
    revocation_ground: str | None = Field(default=None, max_length=40)
    reasons: str = Field(max_length=2000)


class AwardHistory(SQLModel, table=True):
    __tablename__ = "award_history"

    id: int | None = _id()
    award_id: int = Field(foreign_key="awards.id", index=True, sa_type=Id)
    at: datetime = _at()
    actor: str = Field(max_length=200)
    action: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    reasons: str = Field(max_length=2000)


class CreditStanding(SQLModel, table=True):
    """An enterprise's grade and listing, as credit's events last told them."""

    __tablename__ = "credit_standings"

    credit_code: str = Field(primary_key=True, max_length=18)
    grade: str | None = Field(default=None, max_length=1)
    listed: bool = False
    listed_on: date | None = None
    listing_reason: str | None = Field(default=None, max_length=100)
    updated_at: datetime = _at()


class CreditFactRow(SQLModel, table=True):
    """A serious record in an enterprise's credit file (what the exclusions look back on)."""

    __tablename__ = "credit_facts"

    credit_code: str = Field(primary_key=True, max_length=18)
    record_id: int = Field(primary_key=True, sa_type=Id)
    kind: str = Field(max_length=60)
    severity: str = Field(max_length=20)
    occurred_on: date
