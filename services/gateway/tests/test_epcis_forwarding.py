"""The gateway in front of traceability's EPCIS 2.0 REST binding, over real HTTP: the GS1
headers the binding defines travel both ways, JSON-LD capture documents up to the capture
size limit pass (1 MiB stays the limit elsewhere), 204s and 307s pass through as they are,
and an eventID encoded in the path reaches traceability unchanged."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import quote, urlsplit

import httpx
import pytest

from qgov_shared.testing.clock import START, TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import bearer
from qgov_traceability import SERVICE as TRACEABILITY
from qgov_traceability.main import TraceabilitySettings
from qgov_traceability.main import create_app as traceability_app

from .conftest import KEYS, read_model_gateway

ADMIN = bearer(KEYS.mint("admin", sub="admin-1"))
PRODUCER = credit_code(1)
LD_JSON = {"Content-Type": "application/ld+json"}
MiB = 1024 * 1024


def _object_event(hour: int, serial: int, **fields) -> dict:
    return {
        "type": "ObjectEvent",
        "eventTime": (START - timedelta(days=1, hours=-hour)).isoformat(),
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": [f"urn:epc:id:sgtin:6901234.022222.{serial}"],
        "bizStep": "inspecting",
        **fields,
    }


def _document(*events: dict) -> bytes:
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-02T09:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }
    return json.dumps(document).encode()


@contextlib.asynccontextmanager
async def _traceability(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    async with run_service(
        stack,
        TRACEABILITY,
        lambda settings: traceability_app(settings, clock=clock),
        TraceabilitySettings,
        run_consumers=False,
    ) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield svc


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a gateway whose traceability answers over HTTP."""
    async with (
        _traceability(stack, clock) as traceability,
        HttpServer(traceability.app) as upstream,
        read_model_gateway(stack, clock, upstream_urls={"traceability": upstream.url}) as svc,
        HttpServer(svc.app) as edge,
        httpx.AsyncClient(base_url=edge.url) as client,
    ):
        yield client


async def test_a_capture_passes_its_error_behaviour_and_gets_the_limits_back(
    gateway: httpx.AsyncClient,
) -> None:
    bad = _object_event(2, 2, action="SELL")
    headers = {**ADMIN, **LD_JSON, "GS1-Capture-Error-Behaviour": "proceed"}
    document = _document(_object_event(1, 1), bad, _object_event(3, 3))
    response = await gateway.post("/epcis/capture", content=document, headers=headers)

    assert response.status_code == 202, response.text
    job = response.json()
    assert (job["captureErrorBehaviour"], job["capturedCount"]) == ("proceed", 2)
    assert response.headers["location"] == f"/epcis/capture/{job['captureID']}"
    assert int(response.headers["GS1-EPCIS-Capture-File-Size-Limit"]) == 16 * MiB
    assert int(response.headers["GS1-EPCIS-Capture-Limit"]) > 0
    assert response.headers["GS1-EPCIS-Version"] == response.headers["GS1-CBV-Version"] == "2.0.0"


async def test_capture_documents_larger_than_the_usual_limit_pass_under_epcis_only(
    gateway: httpx.AsyncClient,
) -> None:
    # Past the gateway, traceability reads it and finds no EPCIS document in it.
    padded = json.dumps({"type": "EPCISDocument", "padding": "x" * (2 * MiB)})
    passed = await gateway.post("/epcis/capture", content=padded, headers={**ADMIN, **LD_JSON})
    assert passed.status_code == 400, passed.text
    assert passed.json()["type"] == "epcisException:ValidationException"

    too_large = "x" * (16 * MiB + 1)
    refused = await gateway.post("/epcis/capture", content=too_large, headers={**ADMIN, **LD_JSON})
    assert refused.status_code == 413
    elsewhere = await gateway.post(
        "/api/v1/recalls",
        content="x" * (2 * MiB),
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert elsewhere.status_code == 413
    not_json_ld = await gateway.post("/api/v1/recalls", content=b"{}", headers={**ADMIN, **LD_JSON})
    assert not_json_ld.status_code == 415


async def test_reads_keep_their_links_encoded_ids_redirects_and_empty_answers(
    gateway: httpx.AsyncClient,
) -> None:
    document = _document(_object_event(1, 1), _object_event(2, 2))
    captured = await gateway.post("/epcis/capture", content=document, headers={**ADMIN, **LD_JSON})
    assert captured.json()["capturedCount"] == 2

    page = await gateway.get("/epcis/events", params={"perPage": 1}, headers=ADMIN)
    assert page.status_code == 200, page.text
    assert 'rel="next"' in page.headers["link"]
    [first] = page.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    event_id = first["eventID"]
    assert {"/", ";", "?"} <= set(event_id)  # ni:///sha-256;…?ver=CBV2.0
    one = await gateway.get(f"/epcis/events/{quote(event_id, safe='')}", headers=ADMIN)
    assert one.status_code == 200, one.text
    [back] = one.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert back["eventID"] == event_id

    named = await gateway.post(
        "/epcis/queries",
        json={"name": "inspected", "query": {"EQ_bizStep": "inspecting"}},
        headers=ADMIN,
    )
    assert named.status_code == 201, named.text
    deleted = await gateway.delete(named.headers["location"], headers=ADMIN)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert "content-type" not in deleted.headers

    await _registered_producer(gateway)
    producer = bearer(KEYS.mint("enterprise", sub="ent-1", credit_code=PRODUCER))
    certificate = await gateway.post(
        "/api/v1/traceability/certificates",
        json={
            "lot": "urn:epc:class:lgtin:6901234.022222.L2026",
            "product_name": "有机大米",
            "quantity": "480",
            "unit": "kg",
            "production_place": "广东省韶关市乳源县",
            "commitment_basis": "self_testing",
        },
        headers=producer,
    )
    assert certificate.status_code == 201, certificate.text
    scanned = await gateway.get(urlsplit(certificate.json()["lot"]).path)
    assert scanned.status_code == 307
    assert scanned.headers["location"] == f"/trace/{certificate.json()['trace_code']}"


async def _registered_producer(gateway: httpx.AsyncClient) -> None:
    registered = await gateway.post(
        "/api/v1/traceability/company-prefixes",
        json={"credit_code": PRODUCER, "company_prefix": "6901234", "enterprise_name": "韶关某厂"},
        headers=ADMIN,
    )
    assert registered.status_code == 201, registered.text
