"""Issuing identity: client secrets, signing keys and access tokens. The verifying side is
the shared `qgov_shared.auth`, which every service (the gateway too) uses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SIGNING_ALGORITHM = "RS256"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """scrypt with a random salt; stored as `scrypt$<salt>$<hash>` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def secret_matches(secret: str, stored: str) -> bool:
    scheme, salt, expected = stored.split("$")
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(secret.encode(), salt=base64.b64decode(salt), **_SCRYPT)
    return hmac.compare_digest(digest, base64.b64decode(expected))


@dataclass(frozen=True)
class KeyPair:
    kid: str
    private_pem: str
    public_jwk: dict[str, Any]


def new_key_pair() -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = uuid.uuid4().hex
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return KeyPair(kid, pem, {**jwk, "kid": kid, "use": "sig", "alg": SIGNING_ALGORITHM})


@dataclass(frozen=True)
class Grant:
    """What a token says about its bearer."""

    subject: str
    role: str
    credit_code: str | None
    regions: list[str]


def sign_token(
    grant: Grant, key: KeyPair, *, issuer: str, audience: str, now: datetime, ttl: timedelta
) -> str:
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": grant.subject,
        "role": grant.role,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if grant.credit_code:
        claims["credit_code"] = grant.credit_code
    if grant.regions:
        claims["regions"] = grant.regions
    return jwt.encode(
        claims, key.private_pem, algorithm=SIGNING_ALGORITHM, headers={"kid": key.kid}
    )
