"""The steady load of the fault suite: what citizens, regulators and enterprises do through the
gateway, each request sent as a careful client sends it, and every answer tallied.

A careful client sends each write with an Idempotency-Key and, when the answer is a documented
"not now" (503) or never comes (the connection refused, reset or timed out), sends the same
request again with the same key until its patience runs out. So every operation either takes
effect once or is reported as given up: nothing in between is acceptable.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import asyncpg
import httpx

from qgov_shared.testing.clock import CHINA, START
from qgov_shared.testing.codes import credit_code

from .platform import Platform

RETRY_PAUSE_S = 0.25
LONGEST_PAUSE_S = 1.0
REQUEST_TIMEOUT_S = 15.0
# The one 5xx a service documents: it, or the service behind the gateway, is out of reach.
NOT_NOW = 503
YESTERDAY = (START.astimezone(CHINA) - timedelta(days=1)).date()
MEDIATED = [
    ("decision", {"decision": "accept"}),
    ("mediation/start", None),
    ("mediation/outcome", {"outcome": "mediated", "agreement": "退款 300 元"}),
    ("close", None),
]


class GaveUp(Exception):
    """An operation that did not succeed within the client's patience, or was refused."""


@dataclass
class Tally:
    """Every answer the load got, and what each acknowledged operation should have done."""

    statuses: Counter[int] = field(default_factory=Counter)
    transport_errors: int = 0
    failures: list[str] = field(default_factory=list)
    complaints: dict[str, str] = field(default_factory=dict)  # tracking number -> respondent
    closed: set[str] = field(default_factory=set)  # tracking numbers taken to the end
    records: dict[str, str] = field(default_factory=dict)  # note -> enterprise
    declarations: dict[int, str] = field(default_factory=dict)  # declaration id -> enterprise
    captures: dict[str, str] = field(default_factory=dict)  # EPCIS eventID -> enterprise

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.transport_errors

    @property
    def server_errors(self) -> int:
        """Answers no client should ever get: a 5xx other than the documented 503."""
        return sum(n for status, n in self.statuses.items() if status >= 500 and status != NOT_NOW)


@dataclass
class Client:
    http: httpx.AsyncClient
    tally: Tally
    patience_s: float

    async def send(
        self, method: str, path: str, *, expect: int, headers: dict | None = None, **body: Any
    ) -> Any:
        """The answer's body once it is `expect`; GaveUp if it is refused or never comes."""
        headers = {**(headers or {}), "Idempotency-Key": str(uuid.uuid4())}
        deadline = time.monotonic() + self.patience_s
        while True:
            pause = RETRY_PAUSE_S
            try:
                answer = await self.http.request(method, path, headers=headers, **body)
            except httpx.TransportError:
                self.tally.transport_errors += 1
            else:
                self.tally.statuses[answer.status_code] += 1
                if answer.status_code == expect:
                    return answer.json()
                if answer.status_code != NOT_NOW:
                    raise GaveUp(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
                pause = min(float(answer.headers.get("Retry-After", pause)), LONGEST_PAUSE_S)
            if time.monotonic() + pause > deadline:
                raise GaveUp(f"{method} {path}: no answer within {self.patience_s:.0f}s")
            await asyncio.sleep(pause)


@dataclass
class Enterprise:
    code: str
    headers: dict[str, str]  # its own access token
    company_prefix: str  # its GS1 company prefix: the EPCs it may capture events of


async def onboard(client: Client, platform: Platform, serial: int) -> Enterprise:
    """An enterprise as the platform meets one: onboarded at the gateway (its client and
    token), its credit file opened by its regulator (of 440200, which covers 440203), its GS1
    company prefix registered for traceability."""
    code = credit_code(serial, "440203")
    name = f"韶关市浈江区可靠性{serial}有限公司"
    body = {"credit_code": code, "name": name, "region_code": "440203"}
    credentials = await client.send(
        "POST", "/api/v1/enterprises", expect=201, headers=platform.regulator, json=body
    )
    form = {
        "grant_type": "client_credentials",
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
    }
    token = await client.send("POST", "/oauth/token", expect=200, data=form)
    await client.send(
        "PUT",
        f"/api/v1/credit/enterprises/{code}",
        expect=200,
        headers=platform.regulator,
        json={"name": name},
    )
    company_prefix = f"69{serial:05d}"
    prefix = {"credit_code": code, "company_prefix": company_prefix, "enterprise_name": name}
    await client.send(
        "POST",
        "/api/v1/traceability/company-prefixes",
        expect=201,
        headers=platform.admin,
        json=prefix,
    )
    return Enterprise(code, {"Authorization": f"Bearer {token['access_token']}"}, company_prefix)


Story = Callable[[Client, Platform, Enterprise, str], Awaitable[None]]


async def complaint_story(client: Client, platform: Platform, firm: Enterprise, mark: str):
    """A citizen's complaint, accepted, mediated to an agreement and closed by the regulator."""
    receipt = await client.send(
        "POST", "/api/v1/complaints", expect=201, json=complaint(firm, mark)
    )
    tracking = receipt["tracking_number"]
    client.tally.complaints[tracking] = firm.code
    submission = await submission_id(platform, tracking, client.patience_s)
    for step, body in MEDIATED:
        path = f"/api/v1/submissions/{submission}/{step}"
        await client.send("POST", path, expect=200, headers=platform.regulator, json=body)
    client.tally.closed.add(tracking)


async def record_story(client: Client, platform: Platform, firm: Enterprise, mark: str):
    """A regulator's penalty entered in the enterprise's credit file."""
    body = {
        "credit_code": firm.code,
        "kind": "penalty",
        "severity": "general",
        "occurred_on": YESTERDAY.isoformat(),
        "note": mark,
    }
    await client.send(
        "POST", "/api/v1/credit/records", expect=201, headers=platform.regulator, json=body
    )
    client.tally.records[mark] = firm.code


async def declaration_story(client: Client, platform: Platform, firm: Enterprise, mark: str):
    """The enterprise declares the standards a product of its is made to."""
    body = {
        "enterprise_name": f"可靠性企业 {firm.code}",
        "product_name": f"全脂乳粉 {mark}",
        "category": "milk_powder",
        "standards": [{"number": "GB 19644-2010", "title": "食品安全国家标准 乳粉"}],
        "indicators": [
            {"name": "蛋白质", "value": "20", "unit": "g/100g", "direction": "higher_better"}
        ],
    }
    declared = await client.send(
        "POST", "/api/v1/standards/declarations", expect=201, headers=firm.headers, json=body
    )
    client.tally.declarations[declared["id"]] = firm.code


async def capture_story(client: Client, platform: Platform, firm: Enterprise, mark: str):
    """The enterprise captures an EPCIS event: one of its items inspected."""
    event_id = f"urn:uuid:{uuid.uuid4()}"
    event = {
        "type": "ObjectEvent",
        "eventID": event_id,
        "eventTime": YESTERDAY.isoformat() + "T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "epcList": [f"urn:epc:id:sgtin:{firm.company_prefix}.000001.{mark}"],
    }
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": event["eventTime"],
        "epcisBody": {"eventList": [event]},
    }
    job = await client.send(
        "POST", "/epcis/capture", expect=202, headers=firm.headers, json=document
    )
    if not job["success"]:
        raise GaveUp(f"capture refused: {job}")
    client.tally.captures[event_id] = firm.code


STORIES: tuple[Story, ...] = (complaint_story, record_story, declaration_story, capture_story)


def complaint(firm: Enterprise, mark: str) -> dict[str, Any]:
    return {
        "complainant": {"name": "李四", "phone": "13900000000", "address": "韶关市浈江区某路2号"},
        "respondent": {"name": f"可靠性企业 {firm.code}", "credit_code": firm.code},
        "request": "退货退款",
        "facts": f"买到的电水壶漏电，商家拒绝退货。（{mark}）",
        "category": "electronics",
        "region_code": "440203",
    }


async def submission_id(platform: Platform, tracking_number: str, patience_s: float) -> int:
    """The id a regulator's desk shows beside a tracking number (read where the desk reads
    it, the complaints database, retried while that database is restarting)."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            async with platform.database("complaints") as db:
                found = await db.fetchval(
                    "SELECT id FROM submissions WHERE tracking_number = $1", tracking_number
                )
            if found is not None:
                return found
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            pass  # the database is restarting
        if time.monotonic() > deadline:
            raise GaveUp(f"no submission {tracking_number} within {patience_s:.0f}s")
        await asyncio.sleep(RETRY_PAUSE_S)


async def steady_load(
    client: Client,
    platform: Platform,
    firms: list[Enterprise],
    label: str,
    stop: asyncio.Event,
    *,
    workers: int = 4,
    pause_s: float = 0.05,
) -> None:
    """`workers` users each doing one story after another, round the stories and the firms,
    until `stop` is set; the stories under way then finish."""

    async def user(number: int) -> None:
        turn = 0
        while not stop.is_set():
            story = STORIES[(number + turn) % len(STORIES)]
            firm = firms[(number + turn) % len(firms)]
            try:
                await story(client, platform, firm, f"{label}-{number}-{turn}")
            except GaveUp as gave_up:
                client.tally.failures.append(str(gave_up))
            turn += 1
            await asyncio.sleep(pause_s)

    await asyncio.gather(*(user(number) for number in range(workers)))
