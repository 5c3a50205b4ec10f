"""The baseline for `bench.gateway`'s profile read: a bare FastAPI app that answers an
enterprise's profile with one primary-key SELECT through an asyncpg pool, and nothing else.

    python -m uvicorn bench.baseline_profile_app:create_app --factory --loop uvloop --http httptools

It reads the same `QGOV_` variables as a service (QGOV_DATABASE_URL, QGOV_DATABASE_NAME,
QGOV_DATABASE_POOL_SIZE) and answers `GET /api/v1/enterprises/{credit_code}/profile` with the
gateway's `enterprise_profiles` row as JSON (404 when there is none): no grade history, no
complaint counts, no source freshness, no token check, no middleware, no telemetry.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from fastapi import FastAPI, HTTPException, Request
from sqlalchemy.engine import make_url

from qgov_shared.settings import DEFAULT_DATABASE_URL, database_url_for

SELECT = """
SELECT credit_code, name, region_code, grade, score, rule_version, reasons, graded_at, listing,
    updated_at
FROM enterprise_profiles WHERE credit_code = $1"""


def _dsn() -> str:
    server = os.environ.get("QGOV_DATABASE_URL", DEFAULT_DATABASE_URL)
    name = os.environ.get("QGOV_DATABASE_NAME", "qgov_gateway")
    url = make_url(database_url_for(server, name)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def _decode_json(connection: asyncpg.Connection) -> None:
    await connection.set_type_codec(
        "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
    )


def create_app() -> FastAPI:
    # As large as a service's engine can grow: pool_size plus SQLAlchemy's default overflow (10).
    pool_size = int(os.environ.get("QGOV_DATABASE_POOL_SIZE", "10"))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = await asyncpg.create_pool(
            _dsn(), min_size=pool_size, max_size=pool_size + 10, init=_decode_json
        )
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(title="bench baseline: one primary-key SELECT", lifespan=lifespan)

    @app.get("/api/v1/enterprises/{credit_code}/profile")
    async def profile(credit_code: str, request: Request) -> dict[str, Any]:
        row = await request.app.state.pool.fetchrow(SELECT, credit_code)
        if row is None:
            raise HTTPException(404, "no such enterprise")
        return dict(row)

    @app.get("/readyz")
    async def readyz(request: Request) -> dict[str, str]:
        await request.app.state.pool.fetchval("SELECT 1")
        return {"status": "ready"}

    return app
