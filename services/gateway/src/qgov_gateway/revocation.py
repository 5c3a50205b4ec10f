"""A suspended client's tokens refused at the gateway, not only denied renewal.

An access token is a signed statement, good until it expires (`QGOV_TOKEN_TTL_S`); the services
check it by its signature alone. The gateway, every caller's way in, also refuses the tokens of
a client suspended since they were issued. It keeps the suspended clients' ids, read again from
its database at most every `QGOV_SUSPENSION_REFRESH_S` seconds, so a suspension made at any
replica takes effect at every replica within that time, and at once at the one that made it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import select

from qgov_gateway.models import Client
from qgov_shared.auth import InvalidToken, Principal, TokenVerifier
from qgov_shared.db import SessionFactory


class SuspendedClients:
    def __init__(self, refresh_s: float, monotonic: Callable[[], float] = time.monotonic):
        self._refresh_s = refresh_s
        self._monotonic = monotonic
        self._session_factory: SessionFactory | None = None
        self._ids: frozenset[str] = frozenset()
        self._read_at: float | None = None
        self._lock = asyncio.Lock()

    def bind(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    def forget(self) -> None:
        """Read the list again before the next check (this replica just changed it)."""
        self._read_at = None

    async def include(self, client_id: str) -> bool:
        if self._stale():
            async with self._lock:
                if self._stale():  # another request may have read it meanwhile
                    await self._read()
        return client_id in self._ids

    def _stale(self) -> bool:
        return self._read_at is None or self._monotonic() - self._read_at >= self._refresh_s

    async def _read(self) -> None:
        if self._session_factory is None:
            raise RuntimeError("SuspendedClients is not bound to the gateway's database")
        async with self._session_factory() as session:
            ids = await session.scalars(select(Client.client_id).where(Client.suspended))
            self._ids = frozenset(ids)
        self._read_at = self._monotonic()


class GatewayTokenVerifier(TokenVerifier):
    """The shared verifier, and then the suspension list."""

    def __init__(self, *args, suspended: SuspendedClients, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.suspended = suspended

    async def verify(self, token: str) -> Principal:
        principal = await super().verify(token)
        if await self.suspended.include(principal.subject):
            raise InvalidToken("revoked", "the token's client is suspended")
        return principal
