"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its database answers, so
it can take requests).

The broker is reported, not required: a write commits its events to the outbox in the service's
own database, and the relay publishes them once the broker is back, so a replica whose broker
alone is down still does its work. Taking every replica out of service for it would turn a broker
outage into a platform outage. The body says `degraded` and which part does not answer."""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaClient
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

log = logging.getLogger(__name__)
# Both checks run at once and end within the orchestrator's probe timeout (3 s in deploy/k8s):
# an unreachable host answers nothing, so these bounds are what a probe waits.
_DATABASE_TIMEOUT_S = 2.0
_BROKER_TIMEOUT_S = 1.0

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
async def healthz(request: Request) -> dict[str, str]:
    return {"status": "ok", "service": request.app.state.settings.service_name}


@router.get(
    "/readyz",
    summary="The database is reachable (the broker's state is reported, not required)",
    responses={
        503: {
            "description": "Not ready: the database does not answer; the checks say why",
            "content": {"application/json": {}},
        }
    },
)
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    database, broker = await asyncio.gather(
        _check(_database_answers(runtime.engine), _DATABASE_TIMEOUT_S),
        _check(_broker_answers(runtime.settings.kafka_bootstrap_servers), _BROKER_TIMEOUT_S),
    )
    checks = {"database": database, "broker": broker}
    ready = database == "ok"
    missing = sorted(part for part, check in checks.items() if check != "ok")
    body = {
        "status": _status(ready, missing),
        "checks": checks,
        "degraded": missing,
        "consumers": runtime.consumer_report(),
    }
    return JSONResponse(body, status_code=200 if ready else 503)


def _status(ready: bool, missing: list[str]) -> str:
    if not ready:
        return "not ready"
    return "degraded" if missing else "ready"


async def _check(probe, timeout_s: float) -> str:
    try:
        await asyncio.wait_for(probe, timeout=timeout_s)
    except Exception as error:
        log.info("readiness check failed: %r", error)
        return f"unavailable: {type(error).__name__}"
    return "ok"


async def _database_answers(engine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _broker_answers(bootstrap_servers: str) -> None:
    client = AIOKafkaClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=2_000)
    try:
        await client.bootstrap()
    finally:
        await client.close()
