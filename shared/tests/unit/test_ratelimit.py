"""The token bucket: a burst, then the sustained rate, per client, with an honest wait; and
who the client is behind proxies."""

from __future__ import annotations

import httpx
import pytest
from fastapi import Depends, FastAPI, Request
from pydantic import ValidationError

from qgov_shared.app import Dependencies
from qgov_shared.http.problems import install_problem_handlers
from qgov_shared.http.ratelimit import RateLimiter, client_address, rate_limited
from qgov_shared.settings import ServiceSettings


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_burst_then_waits_for_the_refill() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=6, burst=3, clock=clock)  # one token every 10 s

    assert [limiter.take("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.take("a") == 10.0
    clock.now += 5
    assert limiter.take("a") == 5.0
    clock.now += 5
    assert limiter.take("a") == 0


def test_clients_have_buckets_of_their_own() -> None:
    limiter = RateLimiter(per_minute=60, burst=1, clock=FakeClock())
    assert limiter.take("a") == 0
    assert limiter.take("a") > 0
    assert limiter.take("b") == 0


def test_an_idle_bucket_refills_no_further_than_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    clock.now += 3600
    assert [limiter.take("a") > 0 for _ in range(3)] == [False, False, True]


async def test_the_dependency_answers_429_with_retry_after_per_forwarded_client() -> None:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.dependencies = Dependencies(
        settings=ServiceSettings(trusted_proxies=["127.0.0.1"]),
        rate_limiter=RateLimiter(per_minute=1, burst=1, clock=FakeClock()),
    )
    app.state.token_verifier = None

    @app.post("/file", dependencies=[Depends(rate_limited)])
    async def file() -> dict:
        return {"filed": True}

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        first = await client.post("/file", headers={"X-Forwarded-For": "203.0.113.7"})
        second = await client.post("/file", headers={"X-Forwarded-For": "203.0.113.7"})
        other = await client.post("/file", headers={"X-Forwarded-For": "198.51.100.2"})

    assert first.status_code == 200
    assert second.status_code == 429
    assert second.headers["Retry-After"] == "60"
    assert second.headers["content-type"] == "application/problem+json"
    assert other.status_code == 200


def request_from(peer: str, *forwarded_for: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded_for]
    return Request({"type": "http", "headers": headers, "client": (peer, 40000)})


def networks(*values: str) -> list:
    return ServiceSettings(trusted_proxies=list(values)).trusted_proxies


GATEWAY_NETWORK = networks("10.210.0.0/24")


def test_hops_a_caller_writes_left_of_a_trusted_proxy_cannot_choose_the_bucket() -> None:
    # The gateway (10.210.0.3) names 203.0.113.7 as its caller, whatever that caller claimed.
    for spoofed in ("198.51.100.4, 203.0.113.7", "10.210.0.9, 203.0.113.7", "x, 203.0.113.7"):
        request = request_from("10.210.0.3", spoofed)
        assert client_address(request, GATEWAY_NETWORK) == "203.0.113.7", spoofed


def test_a_chain_of_trusted_proxies_resolves_to_the_real_client() -> None:
    # client -> ingress (10.1.2.3) -> gateway (10.4.5.6) -> service; both proxies are trusted.
    trusted = networks("10.0.0.0/8")
    request = request_from("10.4.5.6", "198.51.100.4, 203.0.113.7, 10.1.2.3")
    assert client_address(request, trusted) == "203.0.113.7"
    # The same chain split over several header lines is one list.
    split = request_from("10.4.5.6", "198.51.100.4", "203.0.113.7, 10.1.2.3")
    assert client_address(split, trusted) == "203.0.113.7"


def test_an_untrusted_peer_is_the_client_whatever_it_forwards() -> None:
    request = request_from("203.0.113.7", "198.51.100.4")
    assert client_address(request, GATEWAY_NETWORK) == "203.0.113.7"
    assert client_address(request_from("10.210.0.3"), GATEWAY_NETWORK) == "10.210.0.3"


def test_trusted_proxies_are_addresses_or_networks_of_either_family() -> None:
    trusted = networks("127.0.0.1", "fd00::/8")
    assert client_address(request_from("127.0.0.1", "203.0.113.7"), trusted) == "203.0.113.7"
    assert client_address(request_from("fd00::5", "2001:db8::7"), trusted) == "2001:db8::7"
    mapped = request_from("::ffff:127.0.0.1", "203.0.113.7")
    assert client_address(mapped, trusted) == "203.0.113.7"
    with pytest.raises(ValidationError):
        networks("gateway")
