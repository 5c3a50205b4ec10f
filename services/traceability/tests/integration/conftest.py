"""The traceability service on the real PostgreSQL and broker, with a clock the tests move.

Each test gets a fresh service and database (`desk`): its callers of each role, helpers to
capture EPCIS documents and query them, and to register the GS1 company prefixes that make
an enterprise a party to events. Test modules import the builders with `from .conftest import`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.conformance import conformance_path
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer
from qgov_traceability import SERVICE
from qgov_traceability.main import TraceabilitySettings, create_app

KEYS = TestKeys()
PRODUCER = credit_code(1)  # 韶关 (440200): GS1 company prefix 6901234
RETAILER = credit_code(2)  # prefix 6909999
OUTSIDER = credit_code(3, "440300")  # 深圳, no prefix
PRODUCER_PREFIX, RETAILER_PREFIX = "6901234", "6909999"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


def examples() -> list[Path]:
    """Every official EPCIS 2.0 example document and bare event, in a stable order."""
    folder = conformance_path("epcis", "examples")
    return sorted(p for p in folder.rglob("*") if p.suffix in (".jsonld", ".json"))


def example(relative: str) -> dict[str, Any]:
    return json.loads(conformance_path("epcis", "examples", relative).read_text())


def document(*events: dict[str, Any], context: Any = None) -> dict[str, Any]:
    return {
        "@context": context or CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-02T09:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }


def sgtin(item: str, serial: int | str, prefix: str = PRODUCER_PREFIX) -> str:
    """urn:epc:id:sgtin for an item reference of 13 - len(prefix) digits (indicator first)."""
    return f"urn:epc:id:sgtin:{prefix}.{item}.{serial}"


def lgtin(item: str, lot: str, prefix: str = PRODUCER_PREFIX) -> str:
    return f"urn:epc:class:lgtin:{prefix}.{item}.{lot}"


def sgln(location: str, prefix: str = PRODUCER_PREFIX) -> str:
    return f"urn:epc:id:sgln:{prefix}.{location}.0"


def pgln(party: str, prefix: str = PRODUCER_PREFIX) -> str:
    return f"urn:epc:id:pgln:{prefix}.{party}"


def sscc(serial: str, prefix: str = PRODUCER_PREFIX) -> str:
    return f"urn:epc:id:sscc:{prefix}.{serial}"


def object_event(time: str, epcs: list[str] | None = None, **fields: Any) -> dict[str, Any]:
    event = {
        "type": "ObjectEvent",
        "eventTime": time,
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        **({"epcList": epcs} if epcs is not None else {}),
    }
    return {**event, **fields}


class Desk:
    """One running traceability service, its clock, and callers of each role."""

    def __init__(self, svc: RunningService, clock: TestClock) -> None:
        self.svc, self.clock, self.client = svc, clock, svc.client
        self.admin = bearer(KEYS.mint("admin", sub="admin-1"))
        self.regulator = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=["440200"]))
        self.other_regulator = bearer(
            KEYS.mint("regulator", sub="reg-shenzhen", regions=["440300"])
        )
        self.producer = self.enterprise(PRODUCER)
        self.retailer = self.enterprise(RETAILER)
        self.outsider = self.enterprise(OUTSIDER)

    @staticmethod
    def enterprise(code: str) -> dict[str, str]:
        return bearer(KEYS.mint("enterprise", sub=f"ent-{code}", credit_code=code))

    async def register(self, code: str, prefix: str, name: str) -> None:
        response = await self.client.post(
            "/api/v1/traceability/company-prefixes",
            json={"credit_code": code, "company_prefix": prefix, "enterprise_name": name},
            headers=self.admin,
        )
        assert response.status_code == 201, response.text

    async def register_parties(self) -> None:
        await self.register(PRODUCER, PRODUCER_PREFIX, "韶关某食品有限公司")
        await self.register(RETAILER, RETAILER_PREFIX, "韶关某超市")

    async def capture(
        self, body: dict[str, Any], *, as_=None, behaviour: str | None = None
    ) -> httpx.Response:
        headers = dict(self.admin if as_ is None else as_)
        if behaviour:
            headers["GS1-Capture-Error-Behaviour"] = behaviour
        return await self.client.post("/epcis/capture", json=body, headers=headers)

    async def captured(self, body: dict[str, Any], *, as_=None) -> dict[str, Any]:
        """Capture a document that must succeed whole; its job."""
        response = await self.capture(body, as_=as_)
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["success"], job
        return job

    async def query(self, *, as_=None, **params: Any) -> httpx.Response:
        headers = self.admin if as_ is None else as_
        return await self.client.get("/epcis/events", params=params, headers=headers)

    async def events(self, *, as_=None, **params: Any) -> list[dict[str, Any]]:
        """Every event matching `params`, following the pages to the end."""
        found: list[dict[str, Any]] = []
        params = {"perPage": 500, **params}
        while True:
            response = await self.query(as_=as_, **params)
            assert response.status_code == 200, response.text
            found += response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            link = response.headers.get("link")
            if not link:
                return found
            params["nextPageToken"] = httpx.URL(link[1 : link.index(">")]).params["nextPageToken"]

    async def ids(self, *, as_=None, **params: Any) -> list[str]:
        return [event["eventID"] for event in await self.events(as_=as_, **params)]

    async def outbox(self, action: str | None = None) -> list[dict[str, Any]]:
        events = await published_events(self.svc.runtime.engine)
        if action is None:
            return events
        return [e for e in events if e["type"] == f"qgov.traceability.{action}.v1"]


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@contextlib.asynccontextmanager
async def open_desk(stack: TestStack, clock: TestClock, **overrides: Any) -> AsyncIterator[Desk]:
    settings = {"run_consumers": False, "run_periodic_work": False, **overrides}
    async with run_service(
        stack,
        SERVICE,
        lambda settings: create_app(settings, clock=clock),
        TraceabilitySettings,
        **settings,
    ) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield Desk(svc, clock)


@pytest.fixture
async def desk(stack: TestStack, clock: TestClock) -> AsyncIterator[Desk]:
    async with open_desk(stack, clock) as opened:
        yield opened
