"""The gateway tests' helpers. Every gateway here runs on a test clock standing at `START`
(moved by `QGOV_TEST_CLOCK_START`), and the events fed to it happen `at(minutes)` from there.
Events are built as the complaints and credit services publish them, for feeding the read
model directly; each is checked against its contract before it is applied.
Test modules import the helpers with `from .conftest import`."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway import handlers
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_shared.clock import Clock
from qgov_shared.envelope import CloudEvent, new_event
from qgov_shared.testing.clock import START, TestClock
from qgov_shared.testing.contracts import Contracts
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer

KEYS = TestKeys()


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@contextlib.asynccontextmanager
async def run_gateway(
    stack: TestStack, clock: Clock | None = None, **overrides: Any
) -> AsyncIterator[RunningService]:
    """A gateway on `clock` (a fresh test clock at START when not given), with its own
    database and topic namespace; its webhooks may go to the tests' receivers on 127.0.0.1."""
    clock = clock or TestClock()
    async with run_service(
        stack,
        GATEWAY,
        lambda settings: create_gateway(settings, clock=clock),
        GatewaySettings,
        **{"allow_private_webhooks": True, **overrides},
    ) as svc:
        yield svc


@contextlib.asynccontextmanager
async def read_model_gateway(
    stack: TestStack, clock: Clock | None = None, **overrides: Any
) -> AsyncIterator[RunningService]:
    """A gateway whose read model the test feeds itself (no consumer, no webhook dispatcher
    unless asked), trusting tokens signed by KEYS."""
    settings = {"run_consumers": False, "run_webhook_dispatcher": False, **overrides}
    async with run_gateway(stack, clock, **settings) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield svc


async def demo_regulator(gateway: RunningService) -> dict[str, str]:
    """Headers with a token of the development demo regulator, from the gateway itself."""
    form = {
        "grant_type": "client_credentials",
        "client_id": "demo-regulator",
        "client_secret": "demo-secret",
    }
    response = await gateway.client.post("/oauth/token", data=form)
    assert response.status_code == 200, response.text
    return bearer(response.json()["access_token"])


def at(minutes: float) -> datetime:
    """`minutes` after START."""
    return START + timedelta(minutes=minutes)


def day(days: int = 0) -> str:
    """The date `days` after START's, as events write dates."""
    return (START + timedelta(days=days)).date().isoformat()


def _event(event_type: str, source: str, subject: str | None, data: dict, time: datetime):
    event = new_event(event_type, source=source, subject=subject, data=data)
    return event.model_copy(update={"time": time})


def reason(record_id: int, kind: str, points: int, public: bool = True) -> dict[str, Any]:
    return {
        "record_id": record_id,
        "kind": kind,
        "severity": "general",
        "points": points,
        "effective_on": day(-1),
        "counts_until": day(3 * 365),
        "public": public,
    }


def grade_changed(
    code: str,
    previous: tuple[str, int],
    now: tuple[str, int],
    time: datetime,
    reasons: list[dict] | None = None,
    region_code: str | None = None,
) -> CloudEvent:
    data = {
        "credit_code": code,
        "region_code": region_code or code[2:8],
        "previous_grade": previous[0],
        "grade": now[0],
        "previous_score": previous[1],
        "score": now[1],
        "rule_version": "2026.1",
        "cause": "record:1",
        "assessed_on": time.date().isoformat(),
        "reasons": reasons or [],
    }
    return _event("qgov.credit.grade.changed.v1", "/qgov/credit", code, data, time)


def listed(code: str, time: datetime) -> CloudEvent:
    data = {
        "credit_code": code,
        "region_code": code[2:8],
        "listed_on": time.date().isoformat(),
        "reason": "serious_penalty",
        "earliest_delisting_on": (time + timedelta(days=365)).date().isoformat(),
        "joint_punishment": ["barred_from_quality_awards"],
    }
    return _event("qgov.credit.enterprise.listed.v1", "/qgov/credit", code, data, time)


def submission(
    step: str,
    tracking_number: str,
    code: str | None,
    time: datetime,
    *,
    kind: str = "complaint",
    category: str = "electronics",
    **extra: Any,
) -> CloudEvent:
    data = {
        "tracking_number": tracking_number,
        "kind": kind,
        "region_code": "440203",
        "handling_region_code": "440203",
        "category": category,
        "respondent_name": "韶关某电器有限公司",
        "respondent_credit_code": code,
        **extra,
    }
    return _event(f"qgov.complaints.{step}.v1", "/qgov/complaints", code, data, time)


async def apply(gateway: RunningService, contracts: Contracts, *events: CloudEvent) -> None:
    """Apply events to the gateway's read model as one chunk in one transaction, as its
    consumer does."""
    for event in events:
        contracts.check(event)
    uow = gateway.runtime.unit_of_work()
    async with uow:
        await handlers.take_in(list(events), uow)
        await uow.commit()


@dataclass
class Receiver:
    """A regulator's system receiving webhook deliveries over real HTTP: it answers with
    `failures` first (a receiver having a bad minute), then 204, and keeps what it was sent."""

    url: str
    failures: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    acknowledged: list[bytes] = field(default_factory=list)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {name.decode(): value.decode() for name, value in scope["headers"]}
        self.received.append((headers, body))
        status = self.failures.pop(0) if self.failures else 204
        if status == 204:
            self.acknowledged.append(body)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@contextlib.asynccontextmanager
async def webhook_receiver(failures: list[int] | None = None) -> AsyncIterator[Receiver]:
    receiver = Receiver("", list(failures or []))
    async with HttpServer(receiver) as server:
        receiver.url = f"{server.url}/qgov-credit"
        yield receiver


def verified_batch(
    secret: str, headers: dict[str, str], body: bytes, now: datetime
) -> dict[str, Any]:
    """The delivery's body, once its signature checks out as a receiver would check it: the
    HMAC-SHA256 of "<t>." + body under the secret, with a timestamp recent at `now` (the
    gateway's clock)."""
    fields = dict(part.split("=", 1) for part in headers["qgov-signature"].split(","))
    timestamp = int(fields["t"])
    assert abs(now.timestamp() - timestamp) < 300
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(fields["v1"], expected.hexdigest())
    return json.loads(body)
