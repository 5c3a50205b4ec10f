"""The administrator's command creates regulator, reviewer and admin clients, suspends them,
and rotates the signing keys."""

from __future__ import annotations

import pytest

from qgov_gateway.admin import parse, run
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.stack import TestStack
from qgov_shared.testing.tokens import bearer

from .conftest import run_gateway


def _form(client_id: str, secret: str) -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}


async def test_a_created_regulator_gets_tokens_until_suspended(
    stack: TestStack, clock: TestClock
) -> None:
    async with run_gateway(stack, clock) as gateway:
        factory = gateway.runtime.session_factory
        created = await run(
            parse(
                [
                    "create-client",
                    "--role",
                    "regulator",
                    "--name",
                    "韶关市监局",
                    "--regions",
                    "440200",
                    "440300",
                ]
            ),
            factory,
            clock(),
        )
        client_id, secret = (line.split()[1] for line in created.splitlines())

        issued = await gateway.client.post("/oauth/token", data=_form(client_id, secret))
        verifier = gateway.app.state.dependencies.token_verifier
        principal = await verifier.verify(issued.json()["access_token"])
        assert (principal.role, principal.regions) == ("regulator", ("440200", "440300"))

        await run(parse(["suspend", client_id]), factory, clock())
        refused = await gateway.client.post("/oauth/token", data=_form(client_id, secret))
        assert refused.json()["error"] == "invalid_client"


async def test_a_created_reviewer_gets_a_reviewers_token_without_regions(
    stack: TestStack, clock: TestClock
) -> None:
    async with run_gateway(stack, clock) as gateway:
        argv = ["create-client", "--role", "reviewer", "--name", "王教授"]
        created = await run(parse(argv), gateway.runtime.session_factory, clock())
        client_id, secret = (line.split()[1] for line in created.splitlines())

        issued = await gateway.client.post("/oauth/token", data=_form(client_id, secret))
        verifier = gateway.app.state.dependencies.token_verifier
        principal = await verifier.verify(issued.json()["access_token"])
    assert (principal.role, principal.subject, principal.regions) == ("reviewer", client_id, ())


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["create-client", "--role", "regulator", "--name", "x"], "needs --regions"),
        (
            ["create-client", "--role", "reviewer", "--name", "x", "--regions", "440200"],
            "assigned to them",
        ),
        (
            ["create-client", "--role", "admin", "--name", "x", "--regions", "440200"],
            "covers every region",
        ),
        (
            ["create-client", "--role", "regulator", "--name", "x", "--regions", "449999"],
            "not GB/T 2260",
        ),
    ],
)
async def test_inconsistent_clients_are_refused(
    stack: TestStack, clock: TestClock, argv, complaint
) -> None:
    async with run_gateway(stack, clock) as gateway:
        with pytest.raises(SystemExit, match=complaint):
            await run(parse(argv), gateway.runtime.session_factory, clock())


async def test_rotating_keys_publishes_the_new_key_beside_the_old(
    stack: TestStack, clock: TestClock
) -> None:
    async with run_gateway(stack, clock) as gateway:
        before = (await gateway.client.get("/.well-known/jwks.json")).json()["keys"]
        rotated_at = clock.advance(minutes=1)
        said = await run(parse(["rotate-keys"]), gateway.runtime.session_factory, rotated_at)
        gateway.app.state.dependencies.keyring.loaded_at = float(
            "-inf"
        )  # as if the refresh were due
        after = (await gateway.client.get("/.well-known/jwks.json")).json()["keys"]
    new_kid = said.split()[-1]
    assert [key["kid"] for key in after] == [new_kid, before[0]["kid"]]


async def test_a_regulator_suspends_an_enterprise_of_its_region_only(
    stack: TestStack, clock: TestClock
) -> None:
    async with run_gateway(stack, clock) as gateway:
        factory = gateway.runtime.session_factory
        onboarded = await gateway.client.post(
            "/api/v1/enterprises", json={"credit_code": "91440200MA0000001F", "name": "韶关某厂"}
        )
        credentials = onboarded.json()
        form = _form(credentials["client_id"], credentials["client_secret"])

        async def token_of(argv: list[str]) -> dict[str, str]:
            client_id, secret = (
                line.split()[1] for line in (await run(parse(argv), factory, clock())).splitlines()
            )
            issued = await gateway.client.post("/oauth/token", data=_form(client_id, secret))
            return bearer(issued.json()["access_token"])

        shaoguan = await token_of(
            ["create-client", "--role", "regulator", "--name", "韶关", "--regions", "440200"]
        )
        shenzhen = await token_of(
            ["create-client", "--role", "regulator", "--name", "深圳", "--regions", "440300"]
        )
        path = "/api/v1/enterprises/91440200MA0000001F/suspension"

        assert (await gateway.client.put(path, headers=shenzhen)).status_code == 404
        assert (await gateway.client.post("/oauth/token", data=form)).status_code == 200
        suspended = await gateway.client.put(path, headers=shaoguan)
        assert suspended.json()["suspended"] is True
        assert (await gateway.client.post("/oauth/token", data=form)).status_code == 401
        await gateway.client.delete(path, headers=shaoguan)
        assert (await gateway.client.post("/oauth/token", data=form)).status_code == 200
