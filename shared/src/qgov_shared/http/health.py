"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its database and the
broker answer, so it can do its work)."""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaClient
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

log = logging.getLogger(__name__)
_CHECK_TIMEOUT_S = 2.0

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
async def healthz(request: Request) -> dict[str, str]:
    return {"status": "ok", "service": request.app.state.settings.service_name}


@router.get(
    "/readyz",
    summary="The database and the broker are reachable",
    responses={
        503: {
            "description": "Not ready: the checks say which part does not answer",
            "content": {"application/json": {}},
        }
    },
)
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    checks = {
        "database": await _check(_database_answers(runtime.engine)),
        "broker": await _check(_broker_answers(runtime.settings.kafka_bootstrap_servers)),
    }
    ready = all(check == "ok" for check in checks.values())
    body = {
        "status": "ready" if ready else "not ready",
        "checks": checks,
        "consumers": runtime.consumer_report(),
    }
    return JSONResponse(body, status_code=200 if ready else 503)


async def _check(probe) -> str:
    try:
        await asyncio.wait_for(probe, timeout=_CHECK_TIMEOUT_S)
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
