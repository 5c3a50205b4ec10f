"""The gateway tests' helpers. Events are built as the complaints and credit services publish them,
for feeding the read model directly; each is checked against its contract before it is applied.
Test modules import the helpers with `from .conftest import`."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway import handlers
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway
from qgov_shared.envelope import CloudEvent, new_event
from qgov_shared.testing.contracts import Contracts
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys
from qgov_shared.uscc import compute_check_character

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
KEYS = TestKeys()


def bearer(role: str, **claims: Any) -> dict[str, str]:
    """Headers carrying a token of `role`, signed by KEYS."""
    return {"Authorization": f"Bearer {KEYS.mint(role, **claims)}"}


@contextlib.asynccontextmanager
async def read_model_gateway(stack: TestStack, **overrides: Any) -> AsyncIterator[RunningService]:
    """A gateway whose read model the test feeds itself (no consumer, no webhook dispatcher
    unless asked), trusting tokens signed by KEYS."""
    settings = {"run_consumers": False, "run_webhook_dispatcher": False, **overrides}
    async with run_service(stack, GATEWAY, create_gateway, GatewaySettings, **settings) as svc:
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
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def credit_code(region_code: str, serial: int) -> str:
    body = f"91{region_code}MA{serial:07d}"
    return body + compute_check_character(body)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _event(event_type: str, source: str, subject: str | None, data: dict, time: datetime):
    event = new_event(event_type, source=source, subject=subject, data=data)
    return event.model_copy(update={"time": time})


def reason(record_id: int, kind: str, points: int, public: bool = True) -> dict[str, Any]:
    return {
        "record_id": record_id,
        "kind": kind,
        "severity": "general",
        "points": points,
        "effective_on": "2026-11-01",
        "counts_until": "2029-10-31",
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
        "earliest_delisting_on": "2027-11-02",
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
    """Apply events to the gateway's read model in one transaction, as its consumer does."""
    for event in events:
        contracts.check(event)
    uow = gateway.runtime.unit_of_work()
    async with uow:
        for event in events:
            await handlers.take_in(event, uow)
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


def verified_batch(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The delivery's body, once its signature checks out as a receiver would check it: the
    HMAC-SHA256 of "<t>." + body under the secret, with a recent timestamp."""
    fields = dict(part.split("=", 1) for part in headers["qgov-signature"].split(","))
    timestamp = int(fields["t"])
    assert abs(time.time() - timestamp) < 300
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(fields["v1"], expected.hexdigest())
    return json.loads(body)
