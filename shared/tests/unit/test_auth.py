import asyncio
import base64
import hashlib
import hmac
import json
import time
from typing import Annotated

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from fastapi import Depends, FastAPI
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

from qgov_shared.auth import (
    ANONYMOUS,
    CurrentPrincipal,
    InvalidToken,
    JwksKeySource,
    JwksUnavailable,
    Principal,
    Role,
    TokenVerifier,
    require_roles,
)
from qgov_shared.settings import ServiceSettings
from qgov_shared.testing.tokens import TestKeys

CREDIT_CODE = "9144030071526726XG"
JWKS_URL = "https://gateway.test/.well-known/jwks.json"


@pytest.fixture(scope="module")
def keys():
    return TestKeys()


@pytest.fixture
def verifier(keys):
    return keys.verifier()


async def refusal_reason(verifier, token):
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(token)
    return caught.value.reason


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict) -> str:
    return b64url(json.dumps(value).encode())


async def test_a_citizen_token_gives_a_citizen(keys, verifier):
    principal = await verifier.verify(keys.mint(role="citizen", sub="app-1"))
    assert principal == Principal(subject="app-1", role=Role.CITIZEN)


async def test_an_enterprise_token_carries_its_credit_code(keys, verifier):
    principal = await verifier.verify(keys.mint(role="enterprise", credit_code=CREDIT_CODE))
    assert principal.role is Role.ENTERPRISE
    assert principal.credit_code == CREDIT_CODE


async def test_a_regulator_token_carries_its_regions(keys, verifier):
    token = keys.mint(role="regulator", regions=["440200", "450000"])
    principal = await verifier.verify(token)
    assert principal.role is Role.REGULATOR
    assert principal.regions == ("440200", "450000")


async def test_an_admin_token_gives_an_admin(keys, verifier):
    assert (await verifier.verify(keys.mint(role="admin"))).role is Role.ADMIN


@pytest.mark.parametrize(
    ("algorithm", "private_key", "to_jwk"),
    [
        ("ES256", ec.generate_private_key(ec.SECP256R1()), ECAlgorithm.to_jwk),
        ("EdDSA", ed25519.Ed25519PrivateKey.generate(), OKPAlgorithm.to_jwk),
    ],
)
async def test_ec_and_eddsa_keys_are_accepted(algorithm, private_key, to_jwk):
    jwk = {**to_jwk(private_key.public_key(), as_dict=True), "kid": "k1"}
    verifier = TokenVerifier(JwksKeySource.from_jwks({"keys": [jwk]}), "qgov-gateway", "qgov")
    now = int(time.time())
    claims = {"iss": "qgov-gateway", "aud": "qgov", "sub": "c", "iat": now, "exp": now + 60}
    token = jwt.encode(
        {**claims, "role": "citizen"}, private_key, algorithm=algorithm, headers={"kid": "k1"}
    )
    assert (await verifier.verify(token)).subject == "c"


async def test_a_token_signed_by_another_key_is_refused(verifier):
    impostor = TestKeys()  # same kid, different key
    assert await refusal_reason(verifier, impostor.mint()) == "signature"


async def test_a_token_for_another_audience_is_refused(keys, verifier):
    assert await refusal_reason(verifier, keys.mint(aud="another-system")) == "audience"


async def test_a_token_from_another_issuer_is_refused(keys, verifier):
    assert await refusal_reason(verifier, keys.mint(iss="someone-else")) == "issuer"


async def test_an_expired_token_is_refused(keys, verifier):
    now = int(time.time())
    assert await refusal_reason(verifier, keys.mint(iat=now - 600, exp=now - 31)) == "expired"


async def test_a_token_expired_within_the_leeway_is_accepted(keys, verifier):
    now = int(time.time())
    assert await verifier.verify(keys.mint(iat=now - 600, exp=now - 10))


async def test_a_token_without_expiry_is_refused(keys, verifier):
    assert await refusal_reason(verifier, keys.mint(exp=None)) == "missing_claim"


async def test_an_unsigned_token_is_refused(keys, verifier):
    payload = jwt.decode(keys.mint(role="admin"), options={"verify_signature": False})
    token = f"{b64url_json({'alg': 'none', 'kid': keys.kid})}.{b64url_json(payload)}."
    assert await refusal_reason(verifier, token) == "algorithm"


async def test_hs256_signed_with_the_public_key_is_refused(keys, verifier):
    # The classic confusion attack: a verifier that let the header pick HMAC would use the
    # public key, which anyone can download, as the shared secret.
    public_pem = keys.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    payload = jwt.decode(keys.mint(role="admin"), options={"verify_signature": False})
    signing_input = f"{b64url_json({'alg': 'HS256', 'kid': keys.kid})}.{b64url_json(payload)}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64url(signature)}"
    assert await refusal_reason(verifier, token) == "algorithm"


async def test_a_symmetric_key_in_the_jwks_is_ignored(keys):
    secret = {"kty": "oct", "kid": "shared", "k": b64url(b"s" * 32)}
    source = JwksKeySource.from_jwks({"keys": [secret, *keys.jwks["keys"]]})
    verifier = TokenVerifier(source, "qgov-gateway", "qgov")
    token = jwt.encode({"sub": "x"}, b"s" * 32, algorithm="HS256", headers={"kid": "shared"})
    assert await refusal_reason(verifier, token) == "algorithm"


async def test_a_token_without_a_kid_is_refused(keys, verifier):
    token = jwt.encode({"sub": "x"}, keys.private_key, algorithm="RS256")
    assert await refusal_reason(verifier, token) == "missing_key_id"


async def test_a_token_with_an_unknown_kid_is_refused(verifier):
    assert await refusal_reason(verifier, TestKeys(kid="elsewhere").mint()) == "unknown_key"


async def test_garbage_is_refused(verifier):
    assert await refusal_reason(verifier, "not-a-jwt") == "malformed"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def jwks_server(*served_keys):
    """A JWKS endpoint serving `served_keys[i]` on the i-th fetch, counting fetches."""
    requests = []

    def handle(request):
        requests.append(request)
        return httpx.Response(200, json=served_keys[min(len(requests), len(served_keys)) - 1])

    return httpx.AsyncClient(transport=httpx.MockTransport(handle)), requests


async def test_an_unknown_kid_triggers_exactly_one_refetch():
    old, new = TestKeys(kid="old"), TestKeys(kid="new")
    rotated = {"keys": old.jwks["keys"] + new.jwks["keys"]}
    client, requests = jwks_server(old.jwks, rotated)
    clock = FakeClock()
    source = JwksKeySource(JWKS_URL, client=client, clock=clock)
    verifier = TokenVerifier(source, "qgov-gateway", "qgov")

    await verifier.verify(old.mint())
    await verifier.verify(old.mint())
    assert len(requests) == 1

    clock.now += 60  # the gateway rotates its key a while later
    await verifier.verify(new.mint())
    assert len(requests) == 2

    made_up = TestKeys(kid="made-up")
    assert await refusal_reason(verifier, made_up.mint()) == "unknown_key"
    assert await refusal_reason(verifier, made_up.mint()) == "unknown_key"
    assert len(requests) == 2, "refetches are spaced by the minimum interval"

    clock.now += 60
    assert await refusal_reason(verifier, made_up.mint()) == "unknown_key"
    assert len(requests) == 3


async def test_tokens_arriving_during_the_first_fetch_wait_for_its_keys(keys):
    fetching, release, requests = asyncio.Event(), asyncio.Event(), []

    async def slow_jwks(request):
        requests.append(request)
        fetching.set()
        await release.wait()
        return httpx.Response(200, json=keys.jwks)

    client = httpx.AsyncClient(transport=httpx.MockTransport(slow_jwks))
    verifier = TokenVerifier(JwksKeySource(JWKS_URL, client=client), "qgov-gateway", "qgov")
    first = asyncio.create_task(verifier.verify(keys.mint(sub="first")))
    await fetching.wait()
    second = asyncio.create_task(verifier.verify(keys.mint(sub="second")))
    await asyncio.sleep(0)
    release.set()

    principals = await asyncio.gather(first, second)
    assert [principal.subject for principal in principals] == ["first", "second"]
    assert len(requests) == 1


async def test_an_unreachable_jwks_is_not_the_callers_fault(keys):
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(502)))
    verifier = TokenVerifier(JwksKeySource(JWKS_URL, client=client), "qgov-gateway", "qgov")
    with pytest.raises(JwksUnavailable):
        await verifier.verify(keys.mint())
    with pytest.raises(JwksUnavailable):
        await verifier.verify(keys.mint())


@pytest.mark.parametrize(
    "claims",
    [
        {"role": "enterprise"},
        {"role": "enterprise", "credit_code": "9144030071526726XH"},
        {"role": "regulator"},
        {"role": "regulator", "regions": []},
        {"role": "regulator", "regions": ["4402"]},
        {"role": "citizen", "credit_code": CREDIT_CODE},
        {"role": "admin", "regions": ["440200"]},
    ],
)
async def test_claims_inconsistent_with_the_role_are_refused(keys, verifier, claims):
    assert await refusal_reason(verifier, keys.mint(**claims)) == "role_claims"


async def test_an_unknown_role_is_refused(keys, verifier):
    assert await refusal_reason(verifier, keys.mint(role="superuser")) == "role"


def test_a_regulator_covers_its_regions_and_their_subdivisions():
    regulator = Principal("r", Role.REGULATOR, regions=("440200", "450000"))
    assert regulator.covers_region("440203")
    assert regulator.covers_region("451102")
    assert not regulator.covers_region("440300")
    assert not Principal("e", Role.ENTERPRISE, credit_code=CREDIT_CODE).covers_region("440300")
    assert Principal("a", Role.ADMIN).covers_region("650102")


def test_only_the_enterprise_itself_or_an_admin_acts_for_it():
    assert Principal("e", Role.ENTERPRISE, credit_code=CREDIT_CODE).can_act_for_enterprise(
        CREDIT_CODE
    )
    other = "91350100M000100Y43"
    assert not Principal("e", Role.ENTERPRISE, credit_code=other).can_act_for_enterprise(
        CREDIT_CODE
    )
    assert not Principal("r", Role.REGULATOR, regions=("440300",)).can_act_for_enterprise(
        CREDIT_CODE
    )
    assert Principal("a", Role.ADMIN).can_act_for_enterprise(CREDIT_CODE)


@pytest.fixture
def client(keys):
    app = FastAPI()
    app.state.token_verifier = keys.verifier()

    @app.get("/whoami")
    async def whoami(principal: CurrentPrincipal):
        return {"subject": principal.subject, "role": principal.role}

    @app.get("/records")
    async def records(
        principal: Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))],
    ):
        return {"regions": principal.regions}

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


async def test_no_token_is_an_anonymous_citizen(client):
    response = await client.get("/whoami")
    assert response.json() == {"subject": ANONYMOUS.subject, "role": "citizen"}


async def test_an_invalid_token_is_refused_even_where_anonymous_is_allowed(client, keys):
    response = await client.get("/whoami", headers=bearer(keys.mint(aud="elsewhere")))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "audience" in response.json()["detail"]


async def test_a_protected_route_needs_a_token(client):
    response = await client.get("/records")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_protected_route_refuses_other_roles(client, keys):
    token = keys.mint(role="enterprise", credit_code=CREDIT_CODE)
    response = await client.get("/records", headers=bearer(token))
    assert response.status_code == 403
    assert "regulator" in response.json()["detail"]


async def test_a_protected_route_admits_its_roles(client, keys):
    response = await client.get(
        "/records", headers=bearer(keys.mint(role="regulator", regions=["440200"]))
    )
    assert response.status_code == 200
    assert response.json() == {"regions": ["440200"]}


async def test_tokens_arriving_together_with_a_new_kid_share_one_fetch(keys):
    client, requests = jwks_server(keys.jwks)
    verifier = TokenVerifier(JwksKeySource(JWKS_URL, client=client), "qgov-gateway", "qgov")
    await asyncio.gather(*(verifier.verify(keys.mint()) for _ in range(5)))
    assert len(requests) == 1


def test_a_verifier_from_settings_uses_the_jwks_url():
    with pytest.raises(ValueError, match="QGOV_JWKS_URL"):
        TokenVerifier.from_settings(ServiceSettings(jwks_url=None))
    assert TokenVerifier.from_settings(ServiceSettings(jwks_url=JWKS_URL))


async def test_a_service_without_signing_keys_refuses_tokens_rather_than_failing(keys):
    app = FastAPI()
    app.state.token_verifier = None

    @app.get("/whoami")
    async def whoami(principal: CurrentPrincipal):
        return {"subject": principal.subject}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        refused = await client.get("/whoami", headers=bearer(keys.mint()))
        anonymous = await client.get("/whoami")
    assert refused.status_code == 401
    assert "QGOV_JWKS_URL" in refused.json()["detail"]
    assert anonymous.status_code == 200
