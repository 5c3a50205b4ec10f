"""The gateway's identity use cases: signing keys, clients, tokens, enterprise onboarding."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jwt
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway.identity import (
    Grant,
    KeyPair,
    hash_secret,
    new_key_pair,
    new_secret,
    secret_matches,
    sign_token,
)
from qgov_gateway.models import Client, SigningKey
from qgov_shared.auth import Principal, UnknownKeyId
from qgov_shared.db import SessionFactory
from qgov_shared.errors import NotFound, RuleViolation
from qgov_shared.uscc import parse_credit_code

DEMO_REGULATOR = "demo-regulator"
_UNKNOWN_CLIENT_HASH = hash_secret(new_secret())
DEMO_REGULATOR_REGIONS = ["440200"]
_KEYS_FRESH_FOR_S = 60.0
KEPT_KEYS = 2  # the signer and the one before it: tokens signed just before a rotation verify


class InvalidClient(Exception):
    """Unknown client, wrong secret, or a suspended client: OAuth2's invalid_client."""


class AlreadyOnboarded(RuleViolation):
    def __init__(self) -> None:
        super().__init__("this credit code is already onboarded")


@dataclass
class KeyRing:
    """The current signing keys, re-read from the database now and then, so every gateway
    replica signs with the newest key and publishes every key still in use.

    Made by the composition root before the database exists; `bind` gives it the runtime's
    sessions when the service starts."""

    session_factory: SessionFactory | None = None
    keys: list[KeyPair] = field(default_factory=list)
    loaded_at: float = 0.0

    def bind(self, session_factory: SessionFactory) -> None:
        self.session_factory = session_factory
        self.keys, self.loaded_at = [], 0.0

    async def current(self) -> list[KeyPair]:
        if self.session_factory is None:
            raise RuntimeError("the key ring is read before the service started")
        if not self.keys or time.monotonic() - self.loaded_at > _KEYS_FRESH_FOR_S:
            async with self.session_factory() as session:
                self.keys = await _live_keys(session)
            self.loaded_at = time.monotonic()
        return self.keys

    async def signer(self) -> KeyPair:
        return (await self.current())[0]

    async def jwks(self) -> dict:
        return {"keys": [key.public_jwk for key in await self.current()]}

    async def get(self, kid: str) -> jwt.PyJWK:
        """The public key for `kid`: the gateway verifies its own tokens without an HTTP hop."""
        for key in await self.current():
            if key.kid == kid:
                return jwt.PyJWK(key.public_jwk)
        raise UnknownKeyId(kid)


async def _live_keys(session: AsyncSession) -> list[KeyPair]:
    query = (
        select(SigningKey)
        .where(SigningKey.retired_at.is_(None))
        .order_by(SigningKey.created_at.desc())
    )
    return [KeyPair(k.kid, k.private_pem, k.public_jwk) for k in await session.scalars(query)]


async def ensure_signing_key(session: AsyncSession, now: datetime) -> None:
    if not await _live_keys(session):
        await rotate_keys(session, now)


async def rotate_keys(session: AsyncSession, now: datetime) -> str:
    """Add a new signing key; retire all but the newest `KEPT_KEYS`. The new key's kid."""
    pair = new_key_pair()
    session.add(
        SigningKey(
            kid=pair.kid, private_pem=pair.private_pem, public_jwk=pair.public_jwk, created_at=now
        )
    )
    await session.flush()
    for old in (await _live_keys(session))[KEPT_KEYS:]:
        key = await session.get(SigningKey, old.kid)
        key.retired_at = now
    return pair.kid


async def create_client(
    session: AsyncSession,
    now: datetime,
    *,
    role: str,
    name: str,
    regions: list[str] | None = None,
    credit_code: str | None = None,
    client_id: str | None = None,
    secret: str | None = None,
    region_code: str | None = None,
) -> tuple[str, str]:
    client_id = client_id or f"{role}-{uuid.uuid4().hex[:12]}"
    secret = secret or new_secret()
    session.add(
        Client(
            client_id=client_id,
            secret_hash=hash_secret(secret),
            role=role,
            credit_code=credit_code,
            regions=regions or [],
            name=name,
            region_code=region_code,
            created_at=now,
        )
    )
    await session.flush()
    return client_id, secret


async def onboard_enterprise(
    session: AsyncSession, now: datetime, credit_code: str, name: str, region_code: str | None
) -> tuple[str, str]:
    """Client credentials bound to one credit code; a code is onboarded once."""
    try:
        async with session.begin_nested():
            return await create_client(
                session,
                now,
                role="enterprise",
                name=name,
                credit_code=credit_code,
                region_code=region_code,
            )
    except IntegrityError:
        raise AlreadyOnboarded() from None


async def seed_demo_regulator(session: AsyncSession, now: datetime, secret: str) -> None:
    """Development only: the demo regulator of 韶关 (440200), with the configured secret."""
    client = await session.get(Client, DEMO_REGULATOR)
    if client is None:
        await create_client(
            session,
            now,
            role="regulator",
            name="演示监管人员（韶关）",
            regions=DEMO_REGULATOR_REGIONS,
            client_id=DEMO_REGULATOR,
            secret=secret,
        )
    elif not secret_matches(secret, client.secret_hash):
        client.secret_hash = hash_secret(secret)


async def issue_token(
    session: AsyncSession,
    keys: KeyRing,
    client_id: str,
    secret: str,
    *,
    issuer: str,
    audience: str,
    now: datetime,
    ttl: timedelta,
) -> str:
    client = await session.get(Client, client_id)
    # Hash even for an unknown client, so timing does not tell which client ids exist; and off
    # the event loop, since scrypt is deliberately slow.
    stored = client.secret_hash if client else _UNKNOWN_CLIENT_HASH
    matches = await asyncio.to_thread(secret_matches, secret, stored)
    if client is None or client.suspended or not matches:
        raise InvalidClient
    grant = Grant(
        subject=client.client_id,
        role=client.role,
        credit_code=client.credit_code,
        regions=list(client.regions),
    )
    return sign_token(
        grant, await keys.signer(), issuer=issuer, audience=audience, now=now, ttl=ttl
    )


class EnterpriseNotOnboarded(NotFound):
    what = "onboarded enterprise"


async def set_suspended(
    session: AsyncSession, credit_code: str, suspended: bool, principal: Principal
) -> Client:
    """A regulator suspends (or reinstates) an enterprise's credentials, in its regions only."""
    client = (
        await session.scalars(
            select(Client).where(Client.credit_code == credit_code).with_for_update()
        )
    ).first()
    region = client and (client.region_code or parse_credit_code(credit_code).region_code)
    if client is None or not principal.covers_region(region):
        raise EnterpriseNotOnboarded(credit_code)
    client.suspended = suspended
    return client
