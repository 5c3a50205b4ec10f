"""OWASP API10:2023, unsafe consumption of APIs: the gateway consumes its upstreams' answers,
and an upstream that misbehaves (hangs, answers bytes that are not HTTP, drops the connection
mid-body) is the gateway's documented 503 problem naming the service, never a 500, and one
that answers more than the gateway passes on is a 502, never the gateway's memory; an answer
it passes on (any answer, as its README says, a 500 too) carries only the headers the gateway
returns, and the gateway's security headers, never the upstream's own. The upstreams here are
fakes on real sockets: the outside world of this test. And an event of another service with a
valid envelope but a hostile payload is parked by each consumer, which goes on."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from starlette.applications import Starlette
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_gateway.projections.complaints import COMPLAINT_CLOSED
from qgov_shared.envelope import new_event
from qgov_shared.kafka import dead_letter_topic
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import TestStack, run_service, wait_for

from .conftest import KEYS
from .filings import complaint

CODE = credit_code(81)
ANSWER_LIMIT = 64 * 1024
LEAKY = {"set-cookie": "session=upstream", "server": "upstream/0.1", "x-debug": "stack trace"}


async def _credit(request) -> Response:
    """Credit gone wrong: it hangs, answers an HTML page or an error page of its own, or more
    than the gateway passes on (said up front, or streamed without a length)."""
    behaviour = request.query_params.get("behaviour")
    if behaviour == "hang":  # until the test is over
        await request.app.state.over.wait()
    if behaviour == "huge":
        return Response(b"x" * (ANSWER_LIMIT + 1), media_type="application/json")
    if behaviour == "endless":
        return StreamingResponse(_chunks(), media_type="application/json")
    status = 500 if behaviour == "error" else 200
    return Response("<html><script>alert(1)</script>", status, LEAKY, media_type="text/html")


async def _chunks() -> AsyncIterator[bytes]:
    while True:
        yield b"x" * 4096
        await asyncio.sleep(0)


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
            upstream_max_answer_bytes=ANSWER_LIMIT,
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


@pytest.mark.parametrize("behaviour", ["huge", "endless"])
async def test_an_answer_larger_than_the_gateway_passes_on_is_a_502(gateway, behaviour) -> None:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        answer = await client.get(f"/api/v1/credit/public/{CODE}?behaviour={behaviour}")
    assert answer.status_code == 502, answer.text[:300]
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["service"] == "credit"


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


def _dead_lettered(service) -> int:
    return sum(consumer.stats.dead_lettered for consumer in service.runtime.consumers)


def _processed(service) -> int:
    return sum(consumer.stats.processed for consumer in service.runtime.consumers)


# A complaint's closing, of the outcome credit records, every other field of the wrong type or
# huge.
HOSTILE = {
    "submission_id": "not a number",
    "credit_code": 91440200,
    "region_code": {"nested": ["deep"]},
    "outcome": "mediated",
    "closed_on": "9" * 200_000,
    "respondent_name": "名" * 100_000,
}


async def test_a_hostile_event_is_parked_by_each_consumer_which_goes_on(downstream) -> None:
    """A valid envelope around a hostile payload: credit and the gateway each park it in the
    topic's dead letters, and go on to apply the next complaint's events."""
    complaints, consumers = downstream.complaints, (downstream.credit, downstream.gateway)
    before = {service.settings.service_name: _dead_lettered(service) for service in consumers}
    event = new_event(COMPLAINT_CLOSED, source="/qgov/complaints", subject=CODE, data=HOSTILE)
    producer = AIOKafkaProducer(bootstrap_servers=complaints.settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        topic = complaints.runtime.topic(event.topic)
        await producer.send_and_wait(topic, event.to_json().encode(), key=CODE.encode())
    finally:
        await producer.stop()

    async def parked() -> bool:
        return all(_dead_lettered(s) > before[s.settings.service_name] for s in consumers)

    await wait_for(parked, within=60, what="the hostile event parked by credit and the gateway")
    processed = {service.settings.service_name: _processed(service) for service in consumers}
    later = complaint(respondent={"name": "韶关某电器商行", "credit_code": CODE})
    async with httpx.AsyncClient(base_url=downstream.url, timeout=30) as client:
        assert (await client.post("/api/v1/complaints", json=later)).status_code == 201

        async def went_on() -> bool:
            profile = await client.get(f"/api/v1/enterprises/{CODE}/profile")
            return profile.status_code == 200 and all(
                _processed(s) > processed[s.settings.service_name] for s in consumers
            )

        await wait_for(went_on, within=60, what="the next complaint applied by both")
    dead_letters = dead_letter_topic(topic)
    parked_record = await _first(complaints, dead_letters)
    assert json.loads(parked_record.value)["data"] == HOSTILE


async def _first(service, topic: str):
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=service.settings.kafka_bootstrap_servers,
        group_id=f"reader-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=20_000, max_records=1)
    finally:
        await consumer.stop()
    [record] = [record for batch in batches.values() for record in batch]
    return record
