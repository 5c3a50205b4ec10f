"""Signed-in sessions: opened with the token the platform issued, found by the cookie's random
id, ended by signing out or when the token expires (the platform's token lifetime is the
session's; no password or secret is kept)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.auth import Principal, Role
from qgov_shared.uow import UnitOfWork
from qgov_web.models import WebSession

COOKIE = "qgov_session"
_LONGEST_ID = 100  # a cookie longer than any id we issue is not ours


@dataclass(frozen=True)
class SignedIn:
    session_id: str
    subject: str
    role: Role
    credit_code: str | None
    regions: tuple[str, ...]
    token: str
    expires_at: datetime

    @property
    def is_regulator(self) -> bool:
        return self.role in (Role.REGULATOR, Role.ADMIN)

    @property
    def is_enterprise(self) -> bool:
        return self.role is Role.ENTERPRISE

    @property
    def is_reviewer(self) -> bool:
        return self.role is Role.REVIEWER


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def open_session(
    uow: UnitOfWork, principal: Principal, token: str, now: datetime, lifetime: timedelta
) -> SignedIn:
    session_id = secrets.token_urlsafe(32)
    row = WebSession(
        id_hash=_hash(session_id),
        subject=principal.subject,
        role=principal.role.value,
        credit_code=principal.credit_code,
        regions=list(principal.regions),
        access_token=token,
        created_at=now,
        expires_at=now + lifetime,
    )
    uow.session.add(row)
    return _signed_in(session_id, row)


async def find(session: AsyncSession, session_id: str | None, now: datetime) -> SignedIn | None:
    if not session_id or len(session_id) > _LONGEST_ID:
        return None
    row = await session.get(WebSession, _hash(session_id))
    if row is None or row.expires_at <= now:
        return None
    return _signed_in(session_id, row)


async def close(uow: UnitOfWork, session_id: str) -> None:
    await uow.session.execute(delete(WebSession).where(WebSession.id_hash == _hash(session_id)))


async def sweep(uow: UnitOfWork, now: datetime) -> int:
    """Remove the sessions that have ended; how many."""
    result = await uow.session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    return result.rowcount or 0


def _signed_in(session_id: str, row: WebSession) -> SignedIn:
    return SignedIn(
        session_id=session_id,
        subject=row.subject,
        role=Role(row.role),
        credit_code=row.credit_code,
        regions=tuple(row.regions),
        token=row.access_token,
        expires_at=row.expires_at,
    )
