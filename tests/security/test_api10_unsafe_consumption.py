"""OWASP API10:2023, unsafe consumption of APIs: the gateway consumes its upstreams' answers,
and an upstream that misbehaves (hangs, answers bytes that are not HTTP, drops the connection
mid-body) is the gateway's documented 503 problem naming the service, never a 500; an answer
it passes on (any answer, as its README says, a 500 too) carries only the headers the gateway
returns, and the gateway's security headers, never the upstream's own. The upstreams here are
fakes on real sockets: the outside world of this test."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import TestStack, run_service

from .conftest import KEYS

CODE = credit_code(81)
LEAKY = {"set-cookie": "session=upstream", "server": "upstream/0.1", "x-debug": "stack trace"}


async def _credit(request) -> Response:
    """Credit gone wrong: it hangs, or answers an HTML page or an error page of its own."""
    behaviour = request.query_params.get("behaviour")
    if behaviour == "hang":  # until the test is over
        await request.app.state.over.wait()
    status = 500 if behaviour == "error" else 200
    return Response("<html><script>alert(1)</script>", status, LEAKY, media_type="text/html")


@contextlib.asynccontextmanager
async def _raw(reply: bytes) -> AsyncIterator[str]:
    """A TCP server that answers any request with `reply` and hangs up; its URL."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


@pytest.fixture(scope="module")
async def gateway(stack: TestStack) -> AsyncIterator[str]:
    """The gateway over real HTTP, credit a Starlette fake, standards a server that answers
    bytes that are not HTTP, brands one that promises a body it does not send; the URL."""
    credit = Starlette(routes=[Route("/api/v1/credit/public/{code}", _credit)])
    credit.state.over = asyncio.Event()
    truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"
    async with (
        HttpServer(credit) as fake_credit,
        _raw(b"\x00\x01 not HTTP at all\r\n\r\n") as garbage,
        _raw(truncated) as short,
        run_service(
            stack,
            GATEWAY,
            create_gateway,
            GatewaySettings,
            upstream_urls={"credit": fake_credit.url, "standards": garbage, "brands": short},
            upstream_timeout_s=0.5,
            run_webhook_dispatcher=False,
        ) as service,
        HttpServer(service.app) as server,
    ):
        service.app.state.token_verifier = KEYS.verifier()
        yield server.url
        credit.state.over.set()


OUTAGES = {  # what the upstream does: the request, the service named
    "hangs": (f"/api/v1/credit/public/{CODE}?behaviour=hang", "credit"),
    "answers bytes that are not HTTP": ("/api/v1/standards/search?q=乳粉", "standards"),
    "drops the connection mid-body": ("/api/v1/brands/1", "brands"),
}


@pytest.mark.parametrize("outage", OUTAGES, ids=list(OUTAGES))
async def test_a_misbehaving_upstream_is_a_503_naming_the_service(gateway, outage) -> None:
    path, service = OUTAGES[outage]
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        answer = await client.get(path)
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["service"] == service
    assert int(answer.headers["retry-after"]) > 0


@pytest.mark.parametrize("behaviour", ["page", "error"])
async def test_an_answer_passed_on_carries_none_of_the_upstreams_own_headers(
    gateway, behaviour
) -> None:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        answer = await client.get(f"/api/v1/credit/public/{CODE}", params={"behaviour": behaviour})
    assert answer.status_code == (500 if behaviour == "error" else 200)
    assert [name for name in LEAKY if name in answer.headers and name != "server"] == []
    assert answer.headers.get("server") != LEAKY["server"]
    # A browser shown it runs nothing in it: the gateway's own policy, not the upstream's.
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert answer.headers["x-content-type-options"] == "nosniff"
