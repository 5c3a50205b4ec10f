"""OWASP API2:2023, broken authentication: a regulator's route refuses every token that is not
the gateway's, valid now, for this audience: forged, expired, not yet valid, unsigned
(`alg: none`), HMAC-signed with the public key, for another audience or issuer, without a
role. A suspended client gets no new token from the gateway; that the gateway also refuses
the tokens it already holds is shown with the gateway's own tests (`test_revocation.py`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import update

from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.accounts import DEMO_REGULATOR
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_gateway.models import Client
from qgov_shared.settings import DEFAULT_DEMO_SECRET
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer

from .conftest import KEYS

REGULATORS_ONLY = "/api/v1/submissions"
REGIONS = ["440200"]


def _segment(value: dict | bytes) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(**changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": KEYS.issuer,
        "aud": KEYS.audience,
        "sub": "api2",
        "iat": now,
        "exp": now + 600,
        "role": "regulator",
        "regions": REGIONS,
    }
    return {**claims, **changes}


def _unsigned() -> str:
    header = _segment({"alg": "none", "typ": "JWT", "kid": KEYS.kid})
    return f"{header}.{_segment(_claims())}."


def _hmac_with_the_public_key() -> str:
    """The classic key confusion: HS256 keyed with the RSA public key a verifier holds."""
    public = KEYS.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signed = f"{_segment({'alg': 'HS256', 'typ': 'JWT', 'kid': KEYS.kid})}.{_segment(_claims())}"
    mac = hmac.new(public, signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{_segment(mac)}"


def _tampered() -> str:
    """A valid token whose claims are changed after signing: an admin now."""
    header, _, signature = KEYS.mint("regulator", regions=REGIONS).split(".")
    return f"{header}.{_segment(_claims(role='admin'))}.{signature}"


REFUSED = {
    "signed by another key": TestKeys().mint("regulator", regions=REGIONS),
    "another key under our kid": TestKeys(kid=KEYS.kid).mint("regulator", regions=REGIONS),
    "claims changed after signing": _tampered(),
    "expired": KEYS.mint("regulator", regions=REGIONS, expires_in_s=-3600),
    "not yet valid": KEYS.mint("regulator", regions=REGIONS, nbf=int(time.time()) + 3600),
    "issued in the future": KEYS.mint("regulator", regions=REGIONS, iat=int(time.time()) + 3600),
    "alg none": _unsigned(),
    "HS256 keyed with the public key": _hmac_with_the_public_key(),
    "another audience": KEYS.mint("regulator", regions=REGIONS, aud="someone-else"),
    "another issuer": KEYS.mint("regulator", regions=REGIONS, iss="https://evil.example"),
    "without an expiry": KEYS.mint("regulator", regions=REGIONS, exp=None),
    "without a role": jwt.encode(
        {k: v for k, v in _claims().items() if k != "role"},
        KEYS.private_key,
        algorithm="RS256",
        headers={"kid": KEYS.kid},
    ),
    "an unknown role": KEYS.mint("superuser", regions=REGIONS),
    "not a token": "not.a.token",
    "three empty parts": "..",
}


async def test_a_valid_regulator_token_is_taken(complaints) -> None:
    _, url = complaints
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        answer = await client.get(
            REGULATORS_ONLY, headers=bearer(KEYS.mint("regulator", regions=REGIONS))
        )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("token", REFUSED.values(), ids=REFUSED.keys())
async def test_a_bad_token_is_refused_as_unauthenticated(complaints, token: str) -> None:
    _, url = complaints
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        answer = await client.get(REGULATORS_ONLY, headers=bearer(token))
    problem(answer, 401)
    assert answer.headers["www-authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize("scheme", ["Basic", "Token", "bearer-ish"])
async def test_credentials_of_another_scheme_are_refused(complaints, scheme: str) -> None:
    _, url = complaints
    token = KEYS.mint("regulator", regions=REGIONS)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        answer = await client.get(REGULATORS_ONLY, headers={"Authorization": f"{scheme} {token}"})
    problem(answer, 401)


async def test_a_suspended_client_gets_no_new_token(stack: TestStack) -> None:
    form = {
        "grant_type": "client_credentials",
        "client_id": DEMO_REGULATOR,
        "client_secret": DEFAULT_DEMO_SECRET,
    }
    async with run_service(
        stack,
        GATEWAY,
        create_gateway,
        GatewaySettings,
        environment="development",
        run_consumers=False,
        run_webhook_dispatcher=False,
    ) as gateway:
        assert (await gateway.client.post("/oauth/token", data=form)).status_code == 200
        async with gateway.runtime.session_factory() as session:
            await session.execute(
                update(Client).where(Client.client_id == DEMO_REGULATOR).values(suspended=True)
            )
            await session.commit()
        refused = await gateway.client.post("/oauth/token", data=form)
        wrong_secret = await gateway.client.post(
            "/oauth/token", data={**form, "client_secret": "x"}
        )
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    assert wrong_secret.json() == refused.json()  # a suspension says no more than a bad secret
