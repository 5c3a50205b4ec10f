"""The gateway's read-model tables."""

from datetime import datetime

from sqlalchemy import Column, DateTime
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
