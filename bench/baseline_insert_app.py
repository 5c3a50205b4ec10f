"""The baseline for `bench.complaints`: a bare FastAPI app that files a complaint with one
single-row INSERT through an asyncpg pool, and nothing else.

    python -m uvicorn bench.baseline_insert_app:create_app --factory --loop uvloop --http httptools

It reads the same `QGOV_` variables as a service (QGOV_DATABASE_URL, QGOV_DATABASE_NAME,
QGOV_DATABASE_POOL_SIZE), creates its one table on startup, and answers
`POST /api/v1/complaints` with 201 and a small JSON receipt. The body is a Pydantic model of the
same shape and size as the service's `ComplaintCreate`, with plain types: no credit-code or
region check, no policy, no unit of work, no outbox, no middleware, no telemetry.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator
from datetime import date, datetime
from decimal import Decimal

import asyncpg
from fastapi import FastAPI, Request, status
from pydantic import BaseModel, Field
from sqlalchemy.engine import make_url

from qgov_shared.settings import DEFAULT_DATABASE_URL, database_url_for

TABLE = """
CREATE TABLE IF NOT EXISTS complaints (
    id bigserial PRIMARY KEY,
    complainant_name text NOT NULL,
    complainant_phone text NOT NULL,
    complainant_address text NOT NULL,
    respondent_name text NOT NULL,
    respondent_address text,
    respondent_credit_code text,
    request text NOT NULL,
    facts text NOT NULL,
    category text NOT NULL,
    region_code text NOT NULL,
    amount numeric(12, 2),
    incident_on date,
    known_harm_on date,
    evidence jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
)"""

INSERT = """
INSERT INTO complaints (complainant_name, complainant_phone, complainant_address,
    respondent_name, respondent_address, respondent_credit_code, request, facts, category,
    region_code, amount, incident_on, known_harm_on, evidence)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb)
RETURNING id, received_at"""


class Person(BaseModel):
    name: str = Field(max_length=50)
    phone: str = Field(max_length=20)
    address: str = Field(max_length=300)
    id_number: str | None = None


class Respondent(BaseModel):
    name: str = Field(max_length=200)
    address: str | None = Field(None, max_length=300)
    credit_code: str | None = Field(None, max_length=18)


class Evidence(BaseModel):
    name: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    size_bytes: int = Field(ge=0)
    sha256: str | None = None


class Complaint(BaseModel):
    complainant: Person
    respondent: Respondent
    request: str = Field(max_length=2000)
    facts: str = Field(max_length=5000)
    category: str = Field(max_length=40)
    region_code: str = Field(pattern=r"^\d{6}$")
    amount: Decimal | None = None
    incident_on: date | None = None
    known_harm_on: date | None = None
    evidence: list[Evidence] = []


class Receipt(BaseModel):
    id: int
    received_at: datetime


def insert_arguments(body: Complaint) -> tuple:
    """`INSERT`'s arguments for `body`."""
    person, respondent = body.complainant, body.respondent
    return (
        person.name,
        person.phone,
        person.address,
        respondent.name,
        respondent.address,
        respondent.credit_code,
        body.request,
        body.facts,
        body.category,
        body.region_code,
        body.amount,
        body.incident_on,
        body.known_harm_on,
        json.dumps([e.model_dump() for e in body.evidence], ensure_ascii=False),
    )


def _dsn() -> str:
    server = os.environ.get("QGOV_DATABASE_URL", DEFAULT_DATABASE_URL)
    name = os.environ.get("QGOV_DATABASE_NAME", "qgov_bench_baseline")
    url = make_url(database_url_for(server, name)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def create_app() -> FastAPI:
    # As large as a service's engine can grow: pool_size plus SQLAlchemy's default overflow (10).
    pool_size = int(os.environ.get("QGOV_DATABASE_POOL_SIZE", "10"))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = await asyncpg.create_pool(_dsn(), min_size=pool_size, max_size=pool_size + 10)
        await pool.execute(TABLE)
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(title="bench baseline: one asyncpg INSERT", lifespan=lifespan)

    @app.post("/api/v1/complaints", status_code=status.HTTP_201_CREATED, response_model=Receipt)
    async def file_complaint(body: Complaint, request: Request) -> Receipt:
        row = await request.app.state.pool.fetchrow(INSERT, *insert_arguments(body))
        return Receipt(id=row["id"], received_at=row["received_at"])

    add_readyz(app)
    return app


def add_readyz(app: FastAPI) -> None:
    """/readyz, which the bench waits for: answers once the app's pool reaches PostgreSQL."""

    @app.get("/readyz")
    async def readyz(request: Request) -> dict[str, str]:
        await request.app.state.pool.fetchval("SELECT 1")
        return {"status": "ready"}
