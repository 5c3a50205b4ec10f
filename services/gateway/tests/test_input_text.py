"""Text the databases cannot hold is refused by name: a NUL in a form the gateway parses itself
(the token request) is a 422 naming the field, and a clean request still gets its token."""

from __future__ import annotations

from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import TestStack

from .conftest import demo_regulator, read_model_gateway


async def test_nul_in_a_token_request_is_refused_naming_the_field(stack: TestStack) -> None:
    async with read_model_gateway(stack, environment="development") as gateway:
        form = {"grant_type": "client_credentials", "client_id": "demo\x00", "client_secret": "x"}
        refused = await gateway.client.post("/oauth/token", data=form)
        [error] = problem(refused, 422)["errors"]
        assert (error["in"], error["parameter"]) == ("form", "client_id")
        assert await demo_regulator(gateway)  # the form is still read for a clean request
