"""The traceability service's events in the read model: each recall of an enterprise's
products and how far it has got, and the newest certificates (合格证) it issued, on its
profile; open recalls and certificates issued, counted in the overview. A certificate's
event names no region: the producer's is read from its credit code."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg
from sqlalchemy import column, table
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway.projections import profiles
from qgov_gateway.projections.base import (
    Chunk,
    EventView,
    ProfileSection,
    Projection,
    Write,
    items_by_enterprise,
)
from qgov_gateway.projections.overview import OverviewPart, count, count_by, scoped
from qgov_shared.envelope import CloudEvent
from qgov_shared.uscc import parse_credit_code

RECALL_INITIATED = "qgov.traceability.recall.initiated.v1"
RECALL_PROGRESSED = "qgov.traceability.recall.progressed.v1"
RECALL_CLOSED = "qgov.traceability.recall.closed.v1"
CERTIFICATE_ISSUED = "qgov.traceability.trace.certificate_issued.v1"


class RecallStep(EventView):
    """What every recall event says of its recall."""

    recall_id: int
    credit_code: str
    enterprise_name: str
    region_code: str
    voluntary: bool


class RecallInitiated(RecallStep):
    initiated_on: date
    deadline: date
    defect: str
    hazard: str
    products: list[str]
    affected_items: int
    affected_parties: int


class RecallProgressed(RecallStep):
    units_recovered_total: int
    progressed_on: date


class RecallClosed(RecallStep):
    units_recovered_total: int
    closed_on: date
    summary: str


class CertificateIssued(EventView):
    certificate_id: int
    credit_code: str
    enterprise_name: str
    trace_code: str
    product_name: str
    lot: str
    issued_on: date


# One statement for a recall's life, so its steps keep their order in a chunk; what only the
# initiation tells is filled whenever it is seen, and the recovered units only grow.
_RECALL = Write("""
INSERT INTO recall_views AS r (recall_id, credit_code, region_code, voluntary, initiated_on,
    deadline, defect, hazard, products, affected_items, affected_parties,
    units_recovered_total, progressed_on, closed_on, summary)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15)
ON CONFLICT (recall_id) DO UPDATE SET
    initiated_on = coalesce(r.initiated_on, excluded.initiated_on),
    deadline = coalesce(r.deadline, excluded.deadline),
    defect = coalesce(r.defect, excluded.defect),
    hazard = coalesce(r.hazard, excluded.hazard),
    products = coalesce(r.products, excluded.products),
    affected_items = coalesce(r.affected_items, excluded.affected_items),
    affected_parties = coalesce(r.affected_parties, excluded.affected_parties),
    units_recovered_total = greatest(r.units_recovered_total, excluded.units_recovered_total),
    progressed_on = greatest(r.progressed_on, excluded.progressed_on),
    closed_on = coalesce(r.closed_on, excluded.closed_on),
    summary = coalesce(r.summary, excluded.summary)
""")
_CERTIFICATE = Write("""
INSERT INTO certificate_views (certificate_id, credit_code, region_code, trace_code,
    product_name, lot, issued_on)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (certificate_id) DO NOTHING
""")
_NOT_YET = (None,) * 7  # what the initiation tells, from a later step


def recall_initiated(data: RecallInitiated, event: CloudEvent, chunk: Chunk) -> None:
    products = json.dumps(data.products, ensure_ascii=False)
    initiation = (data.initiated_on, data.deadline, data.defect, data.hazard, products)
    counts = (data.affected_items, data.affected_parties)
    _recall(chunk, data, event, *initiation, *counts, 0, None, None, None)


def recall_progressed(data: RecallProgressed, event: CloudEvent, chunk: Chunk) -> None:
    progress = (data.units_recovered_total, data.progressed_on)
    _recall(chunk, data, event, *_NOT_YET, *progress, None, None)


def recall_closed(data: RecallClosed, event: CloudEvent, chunk: Chunk) -> None:
    closing = (data.closed_on, data.summary)
    _recall(chunk, data, event, *_NOT_YET, data.units_recovered_total, None, *closing)


def _recall(chunk: Chunk, data: RecallStep, event: CloudEvent, *steps: Any) -> None:
    code = data.credit_code
    profiles.seen(chunk, code, event.time, name=data.enterprise_name, region_code=data.region_code)
    chunk.write(_RECALL, data.recall_id, code, data.region_code, data.voluntary, *steps)


def certificate_issued(data: CertificateIssued, event: CloudEvent, chunk: Chunk) -> None:
    code = data.credit_code
    profiles.seen(chunk, code, event.time, name=data.enterprise_name)
    chunk.write(
        _CERTIFICATE,
        data.certificate_id,
        code,
        parse_credit_code(code).region_code,
        data.trace_code,
        data.product_name,
        data.lot,
        data.issued_on,
    )


PROJECTIONS: dict[str, Projection] = {
    RECALL_INITIATED: Projection(RecallInitiated, recall_initiated),
    RECALL_PROGRESSED: Projection(RecallProgressed, recall_progressed),
    RECALL_CLOSED: Projection(RecallClosed, recall_closed),
    CERTIFICATE_ISSUED: Projection(CertificateIssued, certificate_issued),
}

CERTIFICATES_SHOWN = 20

_RECALLS = """
SELECT credit_code, recall_id, voluntary, initiated_on, deadline, defect, hazard,
    coalesce(products, '[]') AS products, affected_items, affected_parties,
    units_recovered_total, progressed_on, closed_on, summary,
    CASE WHEN closed_on IS NULL THEN 'open' ELSE 'closed' END AS status
FROM recall_views WHERE credit_code = ANY($1::varchar[])
ORDER BY credit_code, closed_on IS NOT NULL, recall_id DESC
"""
# Each enterprise's newest certificates: a producer may issue thousands.
_CERTIFICATES = """
SELECT newest.* FROM unnest($1::varchar[]) AS code(credit_code)
CROSS JOIN LATERAL (
    SELECT credit_code, certificate_id, trace_code, product_name, lot, issued_on
    FROM certificate_views WHERE certificate_views.credit_code = code.credit_code
    ORDER BY certificate_id DESC LIMIT $2
) AS newest
ORDER BY newest.credit_code, newest.certificate_id DESC
"""


async def recalls(connection: asyncpg.Connection, codes: list[str]) -> dict[str, list[dict]]:
    return items_by_enterprise(await connection.fetch(_RECALLS, codes))


async def certificates(connection: asyncpg.Connection, codes: list[str]) -> dict[str, list[dict]]:
    return items_by_enterprise(await connection.fetch(_CERTIFICATES, codes, CERTIFICATES_SHOWN))


SECTIONS = (ProfileSection("recalls", recalls), ProfileSection("certificates", certificates))

_RECALL_ROWS = table(
    "recall_views", column("region_code"), column("voluntary"), column("closed_on")
)
_CERTIFICATE_ROWS = table("certificate_views", column("region_code"))


async def open_recalls(
    session: AsyncSession, scopes: Sequence[str], now: datetime
) -> dict[str, Any]:
    """Recalls not closed yet, voluntary and ordered, by region."""
    still_open = [scoped(_RECALL_ROWS, scopes), _RECALL_ROWS.c.closed_on.is_(None)]
    voluntary = await count_by(session, _RECALL_ROWS.c.voluntary, where=still_open)
    return {
        "open": sum(voluntary.values()),
        "voluntary": voluntary.get("True", 0),
        "ordered": voluntary.get("False", 0),
        "open_by_region": await count_by(session, _RECALL_ROWS.c.region_code, where=still_open),
    }


async def issued_certificates(
    session: AsyncSession, scopes: Sequence[str], now: datetime
) -> dict[str, Any]:
    issued = [scoped(_CERTIFICATE_ROWS, scopes)]
    return {
        "issued": await count(session, _CERTIFICATE_ROWS, issued),
        "issued_by_region": await count_by(session, _CERTIFICATE_ROWS.c.region_code, where=issued),
    }


OVERVIEW = (
    OverviewPart("recalls", open_recalls),
    OverviewPart("certificates", issued_certificates),
)
