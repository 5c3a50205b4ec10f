"""The gateway's read-model tables."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Identity
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class SourceWatermark(SQLModel, table=True):
    """The newest event seen from one source: how fresh the views built from it are."""

    __tablename__ = "source_watermarks"

    source: str = Field(primary_key=True, max_length=200)
    last_event_id: str = Field(max_length=64)
    last_event_type: str = Field(max_length=200)
    last_event_time: datetime = Field(sa_type=DateTime(timezone=True))
    events_seen: int = 0


class SigningKey(SQLModel, table=True):
    """A key the gateway signs access tokens with; its public half is in the JWKS until it is
    retired, so tokens signed before a rotation still verify."""

    __tablename__ = "signing_keys"

    kid: str = Field(primary_key=True, max_length=64)
    private_pem: str
    public_jwk: dict = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    retired_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class Client(SQLModel, table=True):
    """An OAuth2 client: who may ask for tokens, as which role, for which code or regions."""

    __tablename__ = "clients"

    client_id: str = Field(primary_key=True, max_length=64)
    secret_hash: str = Field(max_length=300)
    role: str = Field(max_length=20)
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    regions: list = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    name: str = Field(max_length=200)
    region_code: str | None = Field(default=None, max_length=6)
    suspended: bool = False
    created_at: datetime = Field(sa_type=DateTime(timezone=True))


class EnterpriseProfile(SQLModel, table=True):
    """What the platform knows of one enterprise, kept current from every service's events."""

    __tablename__ = "enterprise_profiles"

    credit_code: str = Field(primary_key=True, max_length=18)
    name: str = Field(max_length=200)
    named_by: str = Field(max_length=20)  # onboarding names it for good; events until then
    region_code: str = Field(max_length=6)
    grade: str | None = Field(default=None, max_length=1)
    score: int | None = None
    rule_version: str | None = Field(default=None, max_length=40)
    reasons: list = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    graded_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    listing: dict | None = Field(default=None, sa_column=Column(JSONB))
    first_seen_at: datetime = Field(sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=DateTime(timezone=True))


class SubmissionView(SQLModel, table=True):
    """A 12315 submission as the statistics need it: no personal data, only where it stands."""

    __tablename__ = "submission_views"

    tracking_number: str = Field(primary_key=True, max_length=20)
    credit_code: str | None = Field(default=None, max_length=18)
    kind: str = Field(max_length=10)
    handling_region_code: str = Field(max_length=6)
    category: str | None = Field(default=None, max_length=40)
    status: str = Field(max_length=20)
    # Events of one submission can arrive out of order; times decide which one stands: the
    # latest step gives the status, and a deadline notice newer than it makes it overdue.
    status_at: datetime = Field(sa_type=DateTime(timezone=True))
    overdue_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    filed_at: datetime = Field(sa_type=DateTime(timezone=True))


class CreditChange(SQLModel, table=True):
    """One entry of the regulators' credit feed; `cursor` is its place in the feed's total order."""

    __tablename__ = "credit_changes"

    cursor: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    credit_code: str = Field(max_length=18)
    region_code: str = Field(max_length=6)
    previous_grade: str = Field(max_length=1)
    grade: str = Field(max_length=1)
    previous_score: int
    score: int
    changed_at: datetime = Field(sa_type=DateTime(timezone=True))
    reasons: list = Field(sa_column=Column(JSONB, nullable=False))


class WebhookSubscription(SQLModel, table=True):
    """A regulator's system that wants the credit feed pushed: its URL, the secret deliveries
    are signed with, its filters, and how far delivery has got (`position`, a feed cursor)."""

    __tablename__ = "webhook_subscriptions"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    owner: str = Field(max_length=64)  # the regulator client that registered it
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=100)
    regions: list = Field(sa_column=Column(JSONB, nullable=False))
    grades: list = Field(sa_column=Column(JSONB, nullable=False))
    position: int = Field(sa_type=BigInteger)
    failures: int = 0  # attempts failed in a row; backoff grows with it
    next_attempt_at: datetime = Field(sa_type=DateTime(timezone=True))
    active: bool = True
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    # A dispatcher sending a batch holds the lease: no other takes the subscription until then.
    lease_id: str | None = Field(default=None, max_length=32)
    leased_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    failing_since: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_error: str | None = Field(default=None, max_length=500)
    paused_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class WebhookDelivery(SQLModel, table=True):
    """One attempt to deliver a batch of feed items to a subscription."""

    __tablename__ = "webhook_deliveries"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    subscription_id: int = Field(sa_type=BigInteger, foreign_key="webhook_subscriptions.id")
    first_cursor: int = Field(sa_type=BigInteger)
    last_cursor: int = Field(sa_type=BigInteger)
    items: int
    attempt: int
    succeeded: bool
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=500)
    attempted_at: datetime = Field(sa_type=DateTime(timezone=True))
    duration_ms: int
