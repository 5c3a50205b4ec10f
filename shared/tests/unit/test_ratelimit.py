"""The token bucket: a burst, then the sustained rate, per client, with an honest wait."""

from __future__ import annotations

import httpx
from fastapi import Depends, FastAPI

from qgov_shared.app import Dependencies
from qgov_shared.http.problems import install_problem_handlers
from qgov_shared.http.ratelimit import RateLimiter, rate_limited
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
