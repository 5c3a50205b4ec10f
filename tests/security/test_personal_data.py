"""No personal data leaves the complaints service by a side door: the name, phone, address and
identity number of a complainant, a reporter and an Open311 filer appear in no event the
service published, no log line written meanwhile (its own or an OpenTelemetry log record) and
no attribute of a span it traced, its refusals of bad filings included; nor, once a complaint
has gone through its whole procedure and its events have reached the services that consume
them (credit, the gateway), in any text or JSON column of their databases, or in the gateway's
profile and overview answers."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry import _logs, trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import wait_for

from .filings import (
    ADDRESS,
    NAME,
    PERSONAL,
    PHONE,
    REGULATOR,
    RESPONDENT,
    complaint,
    file,
    submission_id,
)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Every span ended while the test runs. The process's provider keeps the processor, so
    the exporter is shut down after, and stores nothing more."""
    exporter = InMemorySpanExporter()
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


@pytest.fixture
def otel_logs() -> Iterator[InMemoryLogRecordExporter]:
    """Every OpenTelemetry log record emitted while the test runs, as a log pipeline would get
    them (FastAPI's telemetry writes one for a refused request, with its input, when a logger
    provider exists)."""
    exporter = InMemoryLogRecordExporter()
    provider = _logs.get_logger_provider()
    if not isinstance(provider, LoggerProvider):
        provider = LoggerProvider()
        _logs.set_logger_provider(provider)
    provider.add_log_record_processor(SimpleLogRecordProcessor(exporter))
    yield exporter
    exporter.shutdown()


def _sampled_trace() -> dict[str, str]:
    """A caller's sampled trace, so the service traces every request whatever its ratio. The
    test's own client spans are suppressed, else the instrumented client would send its own
    (unsampled, at that ratio) in place of this one."""
    return {"traceparent": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"}


async def _load(client: httpx.AsyncClient) -> None:
    """A complaint filed and decided, a named report, an Open311 filing, and refusals."""
    found = await submission_id(client, (await file(client))["tracking_number"])
    decided = await client.post(
        f"/api/v1/submissions/{found}/decision",
        json={"decision": "accept"},
        headers=REGULATOR,
    )
    assert decided.status_code == 200, decided.text
    report = {
        "reporter": {"name": NAME, "phone": PHONE, "address": ADDRESS},
        "respondent": {"name": "韶关某食品厂"},
        "facts": "无证生产散装月饼。",
        "category": "food",
        "region_code": "440203",
    }
    assert (await client.post("/api/v1/reports", json=report)).status_code == 201
    form = {
        "service_code": "electronics",
        "description": "电饭煲无法加热",
        "last_name": "欧阳",
        "first_name": "青岚",
        "phone": PHONE,
        "attribute[complainant_address]": ADDRESS,
        "attribute[respondent_name]": "韶关某电器商行",
        "attribute[request]": "退货",
        "attribute[region_code]": "440203",
    }
    filed = await client.post("/open311/v2/requests.json", data=form)
    assert filed.status_code in (200, 201), filed.text
    refused = complaint(region_code="999999")
    assert (await client.post("/api/v1/complaints", json=refused)).status_code == 422


def _found_in(texts: list[str]) -> list[str]:
    return sorted({value for value in PERSONAL for text in texts if value in text})


async def test_personal_data_is_in_no_event_log_line_or_span(complaints, caplog, spans, otel_logs):
    service, url = complaints
    caplog.set_level(logging.INFO)  # what production logs
    caplog.set_level(logging.INFO, logger="httpx")  # whatever an earlier test left it at
    headers = _sampled_trace()
    with suppress_instrumentation():
        async with httpx.AsyncClient(base_url=url, timeout=30, headers=headers) as client:
            await _load(client)
    events = await published_events(service.runtime.engine)
    attributes = [
        json.dumps(
            {
                "name": span.name,
                **dict(span.attributes or {}),
                "events": [dict(event.attributes or {}) for event in span.events],
            },
            ensure_ascii=False,
            default=str,
        )
        for span in spans.get_finished_spans()
    ]
    log_lines = [f"{record.getMessage()} {vars(record)}" for record in caplog.records]
    log_records = [data.log_record.to_json() for data in otel_logs.get_finished_logs()]
    assert len(events) >= 3  # the filings and the decision
    assert len(log_lines) >= 5  # the capture works: at least the client's line per request
    assert _found_in([json.dumps(event, ensure_ascii=False) for event in events]) == []
    assert _found_in(log_lines) == []
    assert _found_in(log_records) == []
    assert len(attributes) >= 6  # a server span per request at least
    assert _found_in(attributes) == []


# The steps of a complaint mediated to an agreement and closed: credit records it.
PROCEDURE = [
    ("decision", {"decision": "accept"}),
    ("mediation/start", None),
    ("mediation/outcome", {"outcome": "mediated", "agreement": "退款 1299 元"}),
    ("close", None),
]
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


async def _stored_text(engine: AsyncEngine) -> list[str]:
    """Every value of every text and JSON column of every table of the database, as text."""
    async with engine.connect() as connection:
        columns = await connection.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type = ANY(:types)"
            ),
            {"types": list(TEXT_TYPES)},
        )
        values = []
        for table, column in columns.all():
            rows = await connection.execute(
                text(f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL')
            )
            values += [value for (value,) in rows.all()]
    return values


async def test_personal_data_reaches_no_downstream_store_or_view(downstream) -> None:
    profile = f"/api/v1/enterprises/{RESPONDENT}/profile"
    async with httpx.AsyncClient(base_url=downstream.url, timeout=30) as client:
        found = await submission_id(client, (await file(client))["tracking_number"])
        for step, body in PROCEDURE:
            path = f"/api/v1/submissions/{found}/{step}"
            done = await client.post(path, json=body, headers=REGULATOR)
            assert done.status_code == 200, done.text

        async def consumed() -> bool:
            counted = await client.get(profile)
            recorded = await client.get(
                f"/api/v1/credit/enterprises/{RESPONDENT}", headers=REGULATOR
            )
            return (
                counted.status_code == 200
                and counted.json()["complaints"]["complaints_received"] >= 1
                and recorded.status_code == 200
                and "substantiated_complaint" in recorded.text
            )

        await wait_for(consumed, within=60, what="the complaint in credit and the profile")
        views = [
            (await client.get(profile)).text,
            (await client.get(profile, headers=REGULATOR)).text,
            (await client.get("/api/v1/governance/overview", headers=REGULATOR)).text,
        ]
    stored = {
        name: await _stored_text(service.runtime.engine)
        for name, service in (("credit", downstream.credit), ("gateway", downstream.gateway))
    }
    # The dump finds what is there: complaints itself keeps the complainant, as it must.
    assert _found_in(await _stored_text(downstream.complaints.runtime.engine)) != []
    assert any(RESPONDENT in value for value in stored["credit"])
    assert any(RESPONDENT in value for value in stored["gateway"])
    assert {name: _found_in(values) for name, values in stored.items()} == {
        "credit": [],
        "gateway": [],
    }
    assert all(RESPONDENT in view for view in views[:2])
    assert _found_in(views) == []
