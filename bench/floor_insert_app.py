"""The floor for `bench.complaints`: the bare app of `bench.baseline_insert_app` plus only what
the performance issue keeps, written with the bare clients.

    python -m uvicorn bench.floor_insert_app:create_app --factory --loop uvloop --http httptools

What it adds to the baseline, each the way a service does it:

- durability: the complaint's row and its event's outbox row in one transaction, on a database
  migrated as the complaints service's (its `outbox_events`, with the commit-notice trigger),
  and QGov's `OutboxRelay` publishing them with `acks=all`, in a process of its own (or on a
  loop of its own with `QGOV_OUTBOX_RELAY_PROCESS=false`), as the service runs it;
- the event: a CloudEvent 1.0 JSON document (id, source, type, subject, time, data), keyed by
  the respondent's credit code;
- telemetry with its production defaults: QGov's tracer provider and one server span per
  request from the same FastAPI telemetry (`SERVER_TELEMETRY`), with the same exclusions;
- the service's thread switch interval.

It leaves out what is QGov's own rather than the issue's: the unit of work and its SQLAlchemy
session, idempotency keys, the rate limiter, the middleware (request ids, body rules, security
headers), policy and domain checks, problem documents. The difference between this and the
service is what those cost; the difference between this and the baseline is what the kept
behaviour costs on this stack.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
from fastapi import FastAPI, Request, status

from bench.baseline_insert_app import (
    INSERT,
    TABLE,
    Complaint,
    Receipt,
    add_readyz,
    insert_arguments,
)
from qgov_shared.http.telemetry import SERVER_TELEMETRY
from qgov_shared.kafka import new_producer
from qgov_shared.loops import run_in_own_loop
from qgov_shared.outbox import OutboxRelay
from qgov_shared.relay_process import run_relay_process
from qgov_shared.settings import ServiceSettings, libpq_dsn
from qgov_shared.telemetry import configure_tracing

EVENT_TYPE = "qgov.complaints.complaint.filed.v1"
OUTBOX_INSERT = """
INSERT INTO outbox_events (event_id, topic, partition_key, event_type, payload, headers)
VALUES ($1, $2, $3, $4, $5, $6::jsonb)"""


def outbox_arguments(topic: str, body: Complaint, row: asyncpg.Record) -> tuple:
    """The outbox row of the complaint's CloudEvent, keyed as a service keys it."""
    event_id = str(uuid.uuid4())
    key = body.respondent.credit_code or body.region_code
    event = {
        "specversion": "1.0",
        "id": event_id,
        "source": "/qgov/complaints",
        "type": EVENT_TYPE,
        "subject": key,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "data": {
            "complaint_id": row["id"],
            "respondent_credit_code": body.respondent.credit_code,
            "category": body.category,
            "region_code": body.region_code,
            "received_at": row["received_at"].isoformat(),
        },
    }
    headers = {"content-type": "application/cloudevents+json", "ce_type": EVENT_TYPE}
    return (
        event_id,
        topic,
        key,
        EVENT_TYPE,
        json.dumps(event, ensure_ascii=False),
        json.dumps(headers | {"ce_id": event_id}),
    )


async def _relay(settings: ServiceSettings, stop: asyncio.Event) -> None:
    if settings.outbox_relay_process:
        await run_relay_process(settings, stop)
    else:
        relay = OutboxRelay.from_settings(settings, lambda: new_producer(settings))
        await run_in_own_loop("outbox-relay", relay.run, stop)


def create_app() -> FastAPI:
    settings = ServiceSettings(service_name="complaints")
    topic = settings.kafka_topic_prefix + "qgov.complaints"

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        size = settings.database_pool_size
        pool = await asyncpg.create_pool(
            libpq_dsn(settings.service_database_url), min_size=size, max_size=size + 10
        )
        await pool.execute(TABLE)
        app.state.pool = pool
        stop = asyncio.Event()
        relaying = asyncio.create_task(_relay(settings, stop))
        try:
            yield
        finally:
            stop.set()
            await relaying
            await pool.close()

    sys.setswitchinterval(settings.thread_switch_interval_s)
    configure_tracing(settings.service_name, sample_ratio=settings.trace_sample_ratio)
    app = FastAPI(
        title="bench floor: the kept behaviour, bare clients",
        lifespan=lifespan,
        telemetry=SERVER_TELEMETRY,
    )

    @app.post("/api/v1/complaints", status_code=status.HTTP_201_CREATED, response_model=Receipt)
    async def file_complaint(body: Complaint, request: Request) -> Receipt:
        async with request.app.state.pool.acquire() as connection, connection.transaction():
            row = await connection.fetchrow(INSERT, *insert_arguments(body))
            await connection.execute(OUTBOX_INSERT, *outbox_arguments(topic, body, row))
        return Receipt(id=row["id"], received_at=row["received_at"])

    add_readyz(app)
    return app
