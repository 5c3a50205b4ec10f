"""The web service's one table: who is signed in. The browser holds only a random session id;
the row is found by its hash, so the table alone lets no one take over a session."""

from datetime import datetime

from sqlalchemy import ARRAY, DateTime, String
from sqlmodel import Field, SQLModel


class WebSession(SQLModel, table=True):
    __tablename__ = "web_sessions"

    id_hash: str = Field(primary_key=True, max_length=64)
    subject: str = Field(max_length=200)
    role: str = Field(max_length=20)
    credit_code: str | None = Field(default=None, max_length=18)
    regions: list[str] = Field(default_factory=list, sa_type=ARRAY(String(6)))
    access_token: str = Field(max_length=8000)
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)
