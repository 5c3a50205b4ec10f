"""The complaints service's tables. Personal data (complainants, reporters, agents) lives only
here; everything that leaves the service is masked or left out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Numeric, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class Submission(SQLModel, table=True):
    """A complaint (投诉) or a report (举报), from filing to its final state."""

    __tablename__ = "submissions"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    tracking_number: str = Field(max_length=24, unique=True)
    token_hash: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    status: str = Field(max_length=24, index=True)
    channel: str = Field(default="api", max_length=16)
    region_code: str = Field(max_length=6)
    handling_region_code: str = Field(max_length=6, index=True)
    category: str | None = Field(default=None, max_length=40)

    respondent_name: str = Field(max_length=200)
    respondent_address: str | None = Field(default=None, max_length=300)
    respondent_credit_code: str | None = Field(default=None, max_length=18, index=True)

    anonymous: bool = False
    person_name: str | None = Field(default=None, max_length=50)
    person_phone: str | None = Field(default=None, max_length=20)
    person_address: str | None = Field(default=None, max_length=300)
    person_id_number: str | None = Field(default=None, max_length=18)
    agent: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))

    request: str | None = Field(default=None, max_length=2000)
    facts: str = Field(max_length=5000)
    amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    incident_on: date | None = None
    known_harm_on: date | None = None
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONB))
    location: str | None = Field(default=None, max_length=300)
    latitude: float | None = None
    longitude: float | None = None

    received_at: datetime = Field(sa_type=DateTime(timezone=True))
    received_on: date
    due: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSONB))
    running_deadline: str | None = Field(default=None, max_length=24)
    running_due_on: date | None = Field(default=None, index=True)
    overdue_notified: list[str] = Field(default_factory=list, sa_column=Column(JSONB))
    accepted_on: date | None = None
    decided_on: date | None = None
    mediation_ended_on: date | None = None
    closed_on: date | None = None
    ground: str | None = Field(default=None, max_length=40)
    termination_reason: str | None = Field(default=None, max_length=40)
    outcome: str | None = Field(default=None, max_length=24)
    decision_reason: str | None = Field(default=None, max_length=2000)
    extended: bool = False
    extension_reason: str | None = Field(default=None, max_length=2000)
    satisfaction: int | None = None
    updated_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "onupdate": func.now()},
    )


class SubmissionHistory(SQLModel, table=True):
    """The audit trail: every step taken on a submission, by whom, and when."""

    __tablename__ = "submission_history"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    submission_id: int = Field(foreign_key="submissions.id", index=True, sa_type=BigInteger)
    at: datetime = Field(sa_type=DateTime(timezone=True))
    actor: str = Field(max_length=200)
    action: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=24)
    to_status: str = Field(max_length=24)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB))


class SubmissionNote(SQLModel, table=True):
    """A regulator's internal note on a submission."""

    __tablename__ = "submission_notes"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    submission_id: int = Field(foreign_key="submissions.id", index=True, sa_type=BigInteger)
    at: datetime = Field(sa_type=DateTime(timezone=True))
    author: str = Field(max_length=200)
    text: str = Field(max_length=2000)


class EnterpriseResponse(SQLModel, table=True):
    """The respondent enterprise's answer to a complaint, or its settlement proposal."""

    __tablename__ = "enterprise_responses"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger)
    submission_id: int = Field(foreign_key="submissions.id", index=True, sa_type=BigInteger)
    at: datetime = Field(sa_type=DateTime(timezone=True))
    credit_code: str = Field(max_length=18)
    kind: str = Field(max_length=24)
    text: str = Field(max_length=2000)
