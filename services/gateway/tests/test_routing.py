"""The gateway routes each public path to the service that owns it; a service that is down
answers 503 naming itself, while the rest of the platform keeps working."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from qgov_gateway.routing import CircuitBreaker, service_for
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import RunningService, TestStack

from .routed import COMPLAINT, gateway_to_complaints


def test_paths_belong_to_their_services() -> None:
    assert service_for("/api/v1/complaints") == "complaints"
    assert service_for("/api/v1/enterprise/complaints/7") == "complaints"
    assert service_for("/open311/v2/services.json") == "complaints"
    assert service_for("/api/v1/credit/public/91350100M000100Y43") == "credit"
    assert service_for("/api/v1/complaintsx") is None
    assert service_for("/api/v1/unknown") is None


async def test_a_citizen_files_and_follows_through_the_gateway_while_credit_is_down(
    stack: TestStack,
) -> None:
    development = {"environment": "development"}
    async with gateway_to_complaints(stack, gateway=development) as (gateway, complaints):
        upstreams = gateway.app.state.dependencies.upstreams
        complaints.app.state.token_verifier = gateway.app.state.token_verifier
        client = gateway.client

        filed = await client.post(
            "/api/v1/complaints", json=COMPLAINT, headers={"Idempotency-Key": "k-1"}
        )
        assert filed.status_code == 201, filed.text
        receipt = filed.json()
        again = await client.post(
            "/api/v1/complaints", json=COMPLAINT, headers={"Idempotency-Key": "k-1"}
        )
        assert again.json() == receipt
        assert again.headers["idempotent-replayed"] == "true"

        tracked = await client.get(
            f"/api/v1/tracking/{receipt['tracking_number']}",
            headers={"X-Tracking-Token": receipt["token"]},
        )
        assert tracked.json()["status"] == "submitted"

        form = {
            "grant_type": "client_credentials",
            "client_id": "demo-regulator",
            "client_secret": "demo-secret",
        }
        token = (await client.post("/oauth/token", data=form)).json()["access_token"]
        listed = await client.get(
            "/api/v1/submissions", headers={"Authorization": f"Bearer {token}"}
        )
        assert [item["tracking_number"] for item in listed.json()["items"]] == [
            receipt["tracking_number"]
        ]

        for _ in range(6):  # past the breaker's threshold, it answers without trying
            down = await client.get("/api/v1/credit/public/91350100M000100Y43")
            assert down.status_code == 503
            assert down.json()["service"] == "credit"
        assert upstreams.breaker("credit").opened_at is not None
        assert (await client.get("/open311/v2/services.json")).status_code == 200
        assert (await client.get("/api/v1/nowhere")).status_code == 404


async def failing_on_one_route(scope, receive, send) -> None:
    """A live credit service with one broken route: it answers 500 there, 200 elsewhere, with
    the path and query it was asked for."""
    assert scope["type"] == "http"
    status = 500 if scope["path"].endswith("/broken") else 200
    body = {"status": status, "path": scope["path"], "query": scope["query_string"].decode()}
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


@contextlib.asynccontextmanager
async def gateway_to_credit(stack: TestStack) -> AsyncIterator[RunningService]:
    async with gateway_to_complaints(stack) as (gateway, _):
        gateway.app.state.dependencies.upstreams.clients["credit"] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=failing_on_one_route), base_url="http://credit"
        )
        yield gateway


async def test_a_service_answering_500_is_not_an_outage(stack: TestStack) -> None:
    async with gateway_to_credit(stack) as gateway:
        upstreams = gateway.app.state.dependencies.upstreams
        broken = [
            await gateway.client.get("/api/v1/credit/broken")
            for _ in range(10)  # past threshold
        ]
        working = await gateway.client.get("/api/v1/credit/public/91350100M000100Y43")

    assert [response.status_code for response in broken] == [500] * 10
    assert broken[0].json()["status"] == 500  # the service's own answer, passed through
    assert working.status_code == 200
    assert upstreams.breaker("credit").state == "closed"


async def test_an_empty_bearer_is_not_forwarded_and_opens_no_breaker(stack: TestStack) -> None:
    """`Authorization: Bearer ` with nothing after it is an anonymous caller here. Forwarded as
    it came, httpx refused to put it on the wire, and five such requests opened the breaker for
    every caller (the fuzzer's finding): the gateway's own refusal to send is no outage."""
    public = "/api/v1/credit/public/91350100M000100Y43"
    async with gateway_to_credit(stack) as gateway, HttpServer(failing_on_one_route) as credit:
        upstreams = gateway.app.state.dependencies.upstreams
        upstreams.clients["credit"] = httpx.AsyncClient(base_url=credit.url)
        empty_tokens = [
            await gateway.client.get(public, headers={"Authorization": "Bearer "})
            for _ in range(10)  # past threshold
        ]
        working = await gateway.client.get(public)

    assert [response.status_code for response in empty_tokens] == [200] * 10
    assert working.status_code == 200
    assert upstreams.breaker("credit").state == "closed"


def test_only_failing_to_reach_or_hear_the_service_is_an_outage() -> None:
    breaker = CircuitBreaker(threshold=1)
    with pytest.raises(httpx.LocalProtocolError), breaker.attempt():
        raise httpx.LocalProtocolError("Illegal header value b'Bearer '")
    assert breaker.state == "closed"
    for outage in (httpx.ConnectError("refused"), httpx.ReadTimeout("slow")):
        breaker = CircuitBreaker(threshold=1)
        with pytest.raises(type(outage)), breaker.attempt():
            raise outage
        assert breaker.state == "open"


async def test_a_path_with_control_characters_is_refused_before_it_is_forwarded(
    stack: TestStack,
) -> None:
    async with gateway_to_credit(stack) as gateway:
        refused = [
            await gateway.client.get(f"/api/v1/credit/public/{characters}")
            for characters in ("%0A", "%7F", "a%0Db%09c")
        ]
        # NUL is refused everywhere, by the platform's rule for every input (a 422).
        nul = await gateway.client.get("/api/v1/credit/public/%00")
        # A line break inside the path matches no route at all.
        unrouted = await gateway.client.get("/api/v1/credit/public/a%0Ab")
    for response in refused:
        body = problem(response, 400)
        assert body["instance"].startswith("/api/v1/credit/public/")
        assert body["errors"][0]["in"] == "path"
    assert problem(nul, 422)["errors"][0]["in"] == "path"
    problem(unrouted, 404)


async def test_the_path_reaches_the_service_as_the_caller_wrote_it(stack: TestStack) -> None:
    async with gateway_to_credit(stack) as gateway:
        seen = await gateway.client.get("/api/v1/credit/public/a%3Fb%23c%2541?page=2")
    assert seen.json()["path"] == "/api/v1/credit/public/a?b#c%41"
    assert seen.json()["query"] == "page=2"
