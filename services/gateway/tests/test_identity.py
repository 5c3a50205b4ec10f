"""The gateway's identity: client credentials, the JWKS, onboarding, seeding and key rotation,
on the real database; and another service trusting the gateway's tokens through its JWKS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import jwt
import pytest
from sqlalchemy import update

from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as complaints_app
from qgov_gateway import accounts
from qgov_gateway.models import Client
from qgov_shared.auth import InvalidToken, JwksKeySource, Role, TokenVerifier
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.stack import RunningService, TestStack, run_service

from .conftest import run_gateway

CREDIT_CODE = "91350100M000100Y43"
TOKEN_FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    async with run_gateway(stack, clock, run_consumers=False) as svc:
        yield svc


async def onboard(gateway: RunningService, credit_code: str = CREDIT_CODE) -> dict:
    response = await gateway.client.post(
        "/api/v1/enterprises",
        json={"credit_code": credit_code, "name": "韶关示例有限公司", "region_code": "440200"},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def request_token(
    gateway: RunningService,
    client_id: str,
    client_secret: str,
    grant_type: str = "client_credentials",
):
    return await gateway.client.post(
        "/oauth/token",
        data={"grant_type": grant_type, "client_id": client_id, "client_secret": client_secret},
    )


async def token_for(gateway: RunningService, client_id: str, client_secret: str) -> str:
    response = await request_token(gateway, client_id, client_secret)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def kid_of(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


async def jwks_kids(gateway: RunningService) -> list[str]:
    response = await gateway.client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return [key["kid"] for key in response.json()["keys"]]


async def rotate(gateway: RunningService, now: datetime) -> str:
    async with gateway.runtime.session_factory() as session:
        kid = await accounts.rotate_keys(session, now)
        await session.commit()
    # The keyring re-reads the database every minute; make "a minute" pass.
    gateway.app.state.dependencies.keyring.loaded_at = float("-inf")
    return kid


def assert_invalid_client(response) -> None:
    body = problem(response, 401)
    assert response.headers["www-authenticate"] == "Basic"
    assert body["error"] == "invalid_client"
    assert "access_token" not in body


# --- client credentials ---------------------------------------------------------------------


async def test_an_onboarded_enterprise_gets_a_token_bound_to_its_credit_code(
    gateway: RunningService,
) -> None:
    credentials = await onboard(gateway)
    assert credentials["credit_code"] == CREDIT_CODE
    assert credentials["client_id"].startswith("enterprise-")
    assert len(credentials["client_secret"]) >= 32

    response = await request_token(gateway, credentials["client_id"], credentials["client_secret"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == gateway.settings.token_ttl_s == 900

    token = body["access_token"]
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iss"] == gateway.settings.jwt_issuer
    assert claims["aud"] == gateway.settings.jwt_audience
    assert claims["sub"] == credentials["client_id"]
    assert claims["role"] == "enterprise"
    assert claims["credit_code"] == CREDIT_CODE
    assert "regions" not in claims
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"]

    principal = await gateway.app.state.dependencies.token_verifier.verify(token)
    assert principal.role is Role.ENTERPRISE
    assert principal.subject == credentials["client_id"]
    assert principal.credit_code == CREDIT_CODE
    assert principal.regions == ()
    assert principal.can_act_for_enterprise(CREDIT_CODE)

    # Each request gets its own token.
    again = await token_for(gateway, credentials["client_id"], credentials["client_secret"])
    assert jwt.decode(again, options={"verify_signature": False})["jti"] != claims["jti"]


async def test_the_jwks_publishes_the_key_that_signs_tokens(
    gateway: RunningService, clock: TestClock
) -> None:
    credentials = await onboard(gateway)
    token = await token_for(gateway, credentials["client_id"], credentials["client_secret"])

    response = await gateway.client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]
    [key] = response.json()["keys"]
    assert key["kid"] == kid_of(token)
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys()  # the public half only

    # Another service, holding only the JWKS, trusts the token.
    verifier = TokenVerifier(
        JwksKeySource.from_jwks(response.json()),
        issuer=gateway.settings.jwt_issuer,
        audience=gateway.settings.jwt_audience,
        clock=clock,
    )
    principal = await verifier.verify(token)
    assert principal.role is Role.ENTERPRISE
    assert principal.credit_code == CREDIT_CODE

    # ...and not for another audience.
    elsewhere = TokenVerifier(
        JwksKeySource.from_jwks(response.json()),
        issuer=gateway.settings.jwt_issuer,
        audience="somewhere-else",
        clock=clock,
    )
    with pytest.raises(InvalidToken) as refused:
        await elsewhere.verify(token)
    assert refused.value.reason == "audience"


async def test_a_wrong_secret_is_an_invalid_client(gateway: RunningService) -> None:
    credentials = await onboard(gateway)
    response = await request_token(gateway, credentials["client_id"], "not-the-secret")
    assert_invalid_client(response)


async def test_an_unknown_client_is_an_invalid_client(gateway: RunningService) -> None:
    response = await request_token(gateway, "enterprise-nobody", "whatever")
    assert_invalid_client(response)


async def test_a_suspended_client_is_an_invalid_client(gateway: RunningService) -> None:
    credentials = await onboard(gateway)
    await token_for(gateway, credentials["client_id"], credentials["client_secret"])

    async with gateway.runtime.session_factory() as session:
        await session.execute(
            update(Client)
            .where(Client.client_id == credentials["client_id"])
            .values(suspended=True)
        )
        await session.commit()

    response = await request_token(gateway, credentials["client_id"], credentials["client_secret"])
    assert_invalid_client(response)


async def test_only_client_credentials_is_served(gateway: RunningService) -> None:
    credentials = await onboard(gateway)
    response = await request_token(
        gateway, credentials["client_id"], credentials["client_secret"], grant_type="password"
    )
    body = problem(response, 400)
    assert body["error"] == "unsupported_grant_type"
    assert "access_token" not in body


async def test_the_token_endpoint_takes_a_form_not_json(gateway: RunningService) -> None:
    credentials = await onboard(gateway)
    response = await gateway.client.post(
        "/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
        },
    )
    problem(response, 415)


async def test_a_token_request_missing_a_field_is_a_422(gateway: RunningService) -> None:
    response = await gateway.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "someone"},
        headers={"Content-Type": TOKEN_FORM},
    )
    assert response.status_code == 422, response.text
    assert "client_secret" in response.text


# --- onboarding -----------------------------------------------------------------------------


async def test_a_credit_code_is_onboarded_once(gateway: RunningService) -> None:
    first = await onboard(gateway)
    response = await gateway.client.post(
        "/api/v1/enterprises", json={"credit_code": CREDIT_CODE, "name": "再来一次"}
    )
    problem(response, 409)
    assert "client_secret" not in response.text

    # The code is normalised before it is compared: a lower-case spelling is the same code.
    response = await gateway.client.post(
        "/api/v1/enterprises", json={"credit_code": CREDIT_CODE.lower(), "name": "小写"}
    )
    assert response.status_code == 409, response.text

    # The first credentials still work after the refused second onboarding.
    await token_for(gateway, first["client_id"], first["client_secret"])


async def test_a_retried_onboarding_replays_the_first_credentials(
    gateway: RunningService,
) -> None:
    request = {"credit_code": CREDIT_CODE, "name": "韶关示例有限公司"}
    headers = {"Idempotency-Key": "onboard-1"}
    first = await gateway.client.post("/api/v1/enterprises", json=request, headers=headers)
    again = await gateway.client.post("/api/v1/enterprises", json=request, headers=headers)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    await token_for(gateway, first.json()["client_id"], first.json()["client_secret"])


async def test_onboarding_refuses_an_invalid_credit_code(gateway: RunningService) -> None:
    bad = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")  # wrong check character
    response = await gateway.client.post(
        "/api/v1/enterprises", json={"credit_code": bad, "name": "假公司"}
    )
    assert "#/credit_code" in pointers(problem(response, 422))


# --- the development demo regulator ---------------------------------------------------------


async def test_development_seeds_the_demo_regulator(stack: TestStack) -> None:
    async with run_gateway(stack, run_consumers=False, environment="development") as gateway:
        secret = gateway.settings.demo_secret.get_secret_value()
        token = await token_for(gateway, accounts.DEMO_REGULATOR, secret)
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["role"] == "regulator"
        assert claims["regions"] == ["440200"]
        assert "credit_code" not in claims

        principal = await gateway.app.state.dependencies.token_verifier.verify(token)
        assert principal.role is Role.REGULATOR
        assert principal.regions == ("440200",)
        assert principal.covers_region("440203")
        assert not principal.covers_region("440300")

        assert_invalid_client(await request_token(gateway, accounts.DEMO_REGULATOR, "guess"))


async def test_the_test_environment_seeds_no_demo_regulator(gateway: RunningService) -> None:
    secret = gateway.settings.demo_secret.get_secret_value()
    assert_invalid_client(await request_token(gateway, accounts.DEMO_REGULATOR, secret))


# --- key rotation ---------------------------------------------------------------------------


async def test_rotation_keeps_the_previous_key_and_retires_older_ones(
    gateway: RunningService, clock: TestClock
) -> None:
    credentials = await onboard(gateway)
    client_id, secret = credentials["client_id"], credentials["client_secret"]
    verifier = gateway.app.state.dependencies.token_verifier

    first_token = await token_for(gateway, client_id, secret)
    first_kid = kid_of(first_token)
    assert await jwks_kids(gateway) == [first_kid]

    start = clock()
    second_kid = await rotate(gateway, start + timedelta(minutes=1))
    assert second_kid != first_kid
    assert set(await jwks_kids(gateway)) == {first_kid, second_kid}

    # A token signed just before the rotation still verifies; new ones use the new key.
    assert (await verifier.verify(first_token)).credit_code == CREDIT_CODE
    second_token = await token_for(gateway, client_id, secret)
    assert kid_of(second_token) == second_kid
    assert (await verifier.verify(second_token)).credit_code == CREDIT_CODE

    third_kid = await rotate(gateway, start + timedelta(minutes=2))
    assert set(await jwks_kids(gateway)) == {second_kid, third_kid}
    third_token = await token_for(gateway, client_id, secret)
    assert kid_of(third_token) == third_kid

    # The first key is retired: its tokens are refused, by the gateway and by other services.
    with pytest.raises(InvalidToken) as refused:
        await verifier.verify(first_token)
    assert refused.value.reason == "unknown_key"

    jwks = (await gateway.client.get("/.well-known/jwks.json")).json()
    elsewhere = TokenVerifier(
        JwksKeySource.from_jwks(jwks),
        issuer=gateway.settings.jwt_issuer,
        audience=gateway.settings.jwt_audience,
        clock=clock,
    )
    with pytest.raises(InvalidToken) as refused_elsewhere:
        await elsewhere.verify(first_token)
    assert refused_elsewhere.value.reason == "unknown_key"
    assert (await elsewhere.verify(second_token)).role is Role.ENTERPRISE
    assert (await elsewhere.verify(third_token)).role is Role.ENTERPRISE


async def test_a_restart_keeps_the_existing_signing_key(
    gateway: RunningService, clock: TestClock
) -> None:
    """Startup adds a key only when there is none: replicas and restarts share one key."""
    [kid] = await jwks_kids(gateway)
    async with gateway.runtime.session_factory() as session:
        await accounts.ensure_signing_key(session, clock.advance(minutes=1))
        await session.commit()
    gateway.app.state.dependencies.keyring.loaded_at = float("-inf")
    assert await jwks_kids(gateway) == [kid]


# --- another service trusting the gateway ---------------------------------------------------


async def test_complaints_trusts_gateway_tokens_through_the_jwks(
    stack: TestStack, clock: TestClock
) -> None:
    async with (
        run_gateway(stack, clock, run_consumers=False, environment="development") as gateway,
        run_service(
            stack,
            COMPLAINTS,
            lambda settings: complaints_app(settings, clock=clock),
            ComplaintsSettings,
            run_consumers=False,
        ) as complaints,
    ):
        # The complaints service fetches the gateway's JWKS over HTTP, as it would in production.
        complaints.app.state.token_verifier = TokenVerifier(
            JwksKeySource("http://testserver/.well-known/jwks.json", client=gateway.client),
            issuer=gateway.settings.jwt_issuer,
            audience=gateway.settings.jwt_audience,
            clock=clock,
        )

        secret = gateway.settings.demo_secret.get_secret_value()
        regulator = await token_for(gateway, accounts.DEMO_REGULATOR, secret)
        response = await complaints.client.get(
            "/api/v1/submissions", headers={"Authorization": f"Bearer {regulator}"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["items"] == []

        credentials = await onboard(gateway)
        enterprise = await token_for(
            gateway, credentials["client_id"], credentials["client_secret"]
        )
        response = await complaints.client.get(
            "/api/v1/submissions", headers={"Authorization": f"Bearer {enterprise}"}
        )
        assert response.status_code == 403, response.text

        response = await complaints.client.get(
            "/api/v1/submissions", headers={"Authorization": f"Bearer {regulator}x"}
        )
        assert response.status_code == 401, response.text
