"""The circuit breaker's states on a clock the test moves: closed, open after outages in a row,
half-open with one probe after the cooldown, and closed or open again by the probe's outcome."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from qgov_gateway.routing import CircuitBreaker, CircuitOpen


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Monotonic:
    return Monotonic()


@pytest.fixture
def breaker(clock: Monotonic) -> CircuitBreaker:
    return CircuitBreaker(threshold=3, cooldown_s=10.0, clock=clock)


def answer(breaker: CircuitBreaker) -> None:
    with breaker.attempt():
        pass


def outage(breaker: CircuitBreaker) -> None:
    with pytest.raises(httpx.ConnectError), breaker.attempt():
        raise httpx.ConnectError("refused")


def refused(breaker: CircuitBreaker) -> bool:
    try:
        answer(breaker)
    except CircuitOpen:
        return True
    return False


def opened(breaker: CircuitBreaker, clock: Monotonic) -> None:
    for _ in range(breaker.threshold):
        outage(breaker)
    assert breaker.state == "open"
    clock.now += breaker.cooldown_s
    assert breaker.state == "half-open"


def test_it_opens_after_outages_in_a_row_and_refuses_until_the_cooldown(breaker, clock) -> None:
    outage(breaker)
    outage(breaker)
    answer(breaker)  # an answer in between: the count starts again
    outage(breaker)
    outage(breaker)
    assert breaker.state == "closed"
    outage(breaker)
    assert breaker.state == "open"
    assert refused(breaker)
    clock.now += breaker.cooldown_s - 0.1
    assert refused(breaker)
    clock.now += 0.1
    assert breaker.state == "half-open"


def test_a_timeout_is_an_outage_and_another_error_is_not(breaker) -> None:
    for _ in range(breaker.threshold - 1):
        with pytest.raises(ValueError, match="ours"), breaker.attempt():
            raise ValueError("a bug of ours, not the service's outage")
    assert breaker.failures == 0
    for _ in range(breaker.threshold):
        with pytest.raises(httpx.ReadTimeout), breaker.attempt():
            raise httpx.ReadTimeout("no answer in time")
    assert breaker.state == "open"


def test_half_open_lets_one_probe_through_and_its_answer_closes(breaker, clock) -> None:
    opened(breaker, clock)
    with breaker.attempt():
        assert breaker.state == "open"
        assert refused(breaker)  # while the probe is out, the others are still refused
    assert breaker.state == "closed"
    assert breaker.failures == 0
    assert not refused(breaker)


def test_a_failed_probe_opens_it_again_for_a_whole_cooldown(breaker, clock) -> None:
    opened(breaker, clock)
    outage(breaker)
    assert breaker.state == "open"
    clock.now += breaker.cooldown_s - 0.1
    assert refused(breaker)
    clock.now += 0.1
    assert breaker.state == "half-open"


async def test_a_cancelled_probe_hands_the_probe_to_the_next_request(breaker, clock) -> None:
    opened(breaker, clock)

    sent = asyncio.Event()

    async def probe() -> None:
        with breaker.attempt():
            sent.set()
            await asyncio.Event().wait()  # a caller who goes away before the answer

    probing = asyncio.create_task(probe())
    await asyncio.wait_for(sent.wait(), 5)
    assert refused(breaker)
    probing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probing
    assert breaker.state == "half-open"
    answer(breaker)
    assert breaker.state == "closed"
