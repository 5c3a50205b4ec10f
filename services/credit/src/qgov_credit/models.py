"""The credit service's tables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, ForeignKey, Index, String
from sqlmodel import Field, SQLModel


class Enterprise(SQLModel, table=True):
    """An enterprise's credit file header: who it is and its current assessment."""

    __tablename__ = "enterprises"

    credit_code: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    region_code: str = Field(max_length=6, index=True)
    industry: str | None = Field(default=None, max_length=40)
    score: int
    grade: str = Field(max_length=1, index=True)
    rule_version: str = Field(max_length=20)
    assessed_on: date
    next_change_on: date | None = Field(default=None, index=True)
    listed: bool = Field(default=False, index=True)
    created_at: datetime = Field(sa_type=DateTime(timezone=True))


class FileReasons(SQLModel, table=True):
    """The reasons behind each file's stored assessment (its live records, as `grade.changed`
    publishes them), written with the assessment every time it is: what lets a new record
    extend the assessment instead of re-reading the whole file. A file without them (opened
    before they were kept) is assessed from its records the next time it changes. They are
    published as stored: a change to what a reason says (`events.Reason`) wants a rebuild."""

    __tablename__ = "file_reasons"

    credit_code: str = Field(
        sa_column=Column(String(18), ForeignKey("enterprises.credit_code"), primary_key=True)
    )
    # json, not jsonb: stored and read whole, never queried into, and its text kept as written.
    reasons: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    history_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("grade_changes.id"))
    )
    """Instead of `reasons`, the history row that tells them: the file's last change, when
    nothing has been added to them since (most of the time; one copy fewer to write)."""


class CreditRecord(SQLModel, table=True):
    """One fact in a credit file, tied to where it came from."""

    __tablename__ = "credit_records"
    __table_args__ = (
        Index(
            "ix_credit_records_file",
            "credit_code",
            "id",
            postgresql_include=["kind", "severity", "effective_on"],
        ),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    credit_code: str = Field(max_length=18)
    kind: str = Field(max_length=40)
    severity: str = Field(max_length=20)
    effective_on: date
    public: bool
    note: str | None = Field(default=None, max_length=2000)
    source_event_id: str | None = Field(default=None, max_length=64, unique=True)
    source_event_type: str | None = Field(default=None, max_length=200)
    entered_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=DateTime(timezone=True))


class GradeChange(SQLModel, table=True):
    """The history of an enterprise's grade, with the records that made each one."""

    __tablename__ = "grade_changes"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    credit_code: str = Field(max_length=18, index=True)
    changed_at: datetime = Field(sa_type=DateTime(timezone=True))
    assessed_on: date
    previous_score: int | None
    score: int
    previous_grade: str | None = Field(default=None, max_length=1)
    grade: str = Field(max_length=1)
    rule_version: str = Field(max_length=20)
    cause: str = Field(max_length=200)
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class IntakeEntry(SQLModel, table=True):
    """Every event the credit service took in, and what became of it — nothing is dropped
    silently."""

    __tablename__ = "intake_log"

    event_id: str = Field(primary_key=True, max_length=64)
    event_type: str = Field(max_length=200, index=True)
    credit_code: str | None = Field(default=None, max_length=18)
    outcome: str = Field(max_length=20)  # recorded | no_rule | no_enterprise
    received_at: datetime = Field(sa_type=DateTime(timezone=True))


class Listing(SQLModel, table=True):
    """A period on the serious-violation list; after delisting it stays in the file as history,
    and leaves the public file."""

    __tablename__ = "listings"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    credit_code: str = Field(max_length=18, index=True)
    listed_on: date
    reason: str = Field(max_length=60)
    trigger_record_id: int = Field(sa_type=BigInteger)
    earliest_delisting_on: date
    delisted_on: date | None = None


class RepairApplication(SQLModel, table=True):
    """An enterprise's application for credit repair (信用修复), and the regulator's decision."""

    __tablename__ = "repair_applications"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    credit_code: str = Field(max_length=18, index=True)
    target: str = Field(max_length=20)  # listing | penalty_publicity
    listing_id: int | None = Field(default=None, sa_type=BigInteger)
    record_id: int | None = Field(default=None, sa_type=BigInteger)
    pledge: str = Field(max_length=2000)
    correction: str = Field(max_length=4000)
    applied_at: datetime = Field(sa_type=DateTime(timezone=True))
    status: str = Field(default="pending", max_length=20, index=True)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    decision_reason: str | None = Field(default=None, max_length=2000)
