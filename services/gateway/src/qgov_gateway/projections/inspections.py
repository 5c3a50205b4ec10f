"""The inspections service's events in the read model: each final result of a random
inspection (双随机抽查) of an enterprise's products, with how its follow-up closed, on its
profile; results by outcome, per region, in the overview."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

import asyncpg
from pydantic import BaseModel
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
from qgov_gateway.projections.overview import OverviewPart, count_by, scoped
from qgov_shared.envelope import CloudEvent

RESULT_FINAL = "qgov.inspections.inspection.result_final.v1"
FOLLOWUP_CLOSED = "qgov.inspections.inspection.followup_closed.v1"

InspectionOutcome = Literal["passed", "failed", "standard_not_executed"]
FollowUpOutcome = Literal["rectified", "referred"]


class FailingIndicator(BaseModel):
    name: str
    measured: str | None = None
    unit: str | None = None
    required: str | None = None


class InspectionStep(EventView):
    inspection_id: str
    campaign_id: int
    credit_code: str
    enterprise_name: str
    region_code: str


class ResultFinal(InspectionStep):
    product_name: str
    outcome: InspectionOutcome
    failing_indicators: list[FailingIndicator]
    retested: bool
    decided_on: date


class FollowUpClosed(InspectionStep):
    outcome: FollowUpOutcome
    closed_on: date


# A retest's result, after an objection, replaces the first: the newer event stands.
_RESULT = Write("""
INSERT INTO inspection_results AS r (inspection_id, campaign_id, credit_code, region_code,
    product_name, outcome, failing_indicators, decided_on, retested, decided_at)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
ON CONFLICT (inspection_id) DO UPDATE SET product_name = excluded.product_name,
    outcome = excluded.outcome, failing_indicators = excluded.failing_indicators,
    decided_on = excluded.decided_on, retested = excluded.retested,
    decided_at = excluded.decided_at
WHERE excluded.decided_at > r.decided_at
""")
_FOLLOWUP = Write("""
INSERT INTO inspection_followups (inspection_id, outcome, closed_on) VALUES ($1, $2, $3)
ON CONFLICT (inspection_id) DO NOTHING
""")


def result_final(data: ResultFinal, event: CloudEvent, chunk: Chunk) -> None:
    _seen(chunk, data, event)
    indicators = [indicator.model_dump() for indicator in data.failing_indicators]
    chunk.write(
        _RESULT,
        data.inspection_id,
        data.campaign_id,
        data.credit_code,
        data.region_code,
        data.product_name,
        data.outcome,
        json.dumps(indicators, ensure_ascii=False),
        data.decided_on,
        data.retested,
        event.time,
    )


def followup_closed(data: FollowUpClosed, event: CloudEvent, chunk: Chunk) -> None:
    _seen(chunk, data, event)
    chunk.write(_FOLLOWUP, data.inspection_id, data.outcome, data.closed_on)


def _seen(chunk: Chunk, data: InspectionStep, event: CloudEvent) -> None:
    profiles.seen(
        chunk, data.credit_code, event.time, name=data.enterprise_name, region_code=data.region_code
    )


PROJECTIONS: dict[str, Projection] = {
    RESULT_FINAL: Projection(ResultFinal, result_final),
    FOLLOWUP_CLOSED: Projection(FollowUpClosed, followup_closed),
}

RESULTS_SHOWN = 20

# Each enterprise's newest results, with their follow-ups where closed.
_RESULTS = """
SELECT newest.* FROM unnest($1::varchar[]) AS code(credit_code)
CROSS JOIN LATERAL (
    SELECT r.credit_code, r.inspection_id, r.campaign_id, r.product_name, r.outcome,
        r.failing_indicators, r.decided_on, r.retested,
        CASE WHEN f.inspection_id IS NOT NULL THEN jsonb_build_object(
            'outcome', f.outcome, 'closed_on', f.closed_on) END AS followup
    FROM inspection_results AS r
    LEFT JOIN inspection_followups AS f USING (inspection_id)
    WHERE r.credit_code = code.credit_code
    ORDER BY r.decided_on DESC, r.inspection_id DESC LIMIT $2
) AS newest
ORDER BY newest.credit_code, newest.decided_on DESC, newest.inspection_id DESC
"""


async def results(connection: asyncpg.Connection, codes: list[str]) -> dict[str, list[dict]]:
    return items_by_enterprise(await connection.fetch(_RESULTS, codes, RESULTS_SHOWN))


SECTIONS = (ProfileSection("inspections", results),)

_RESULT_ROWS = table("inspection_results", column("region_code"), column("outcome"))


async def outcomes(session: AsyncSession, scopes: Sequence[str], now: datetime) -> dict[str, Any]:
    """Final results by outcome, in all and per region."""
    where = [scoped(_RESULT_ROWS, scopes)]
    return {
        "by_outcome": await count_by(session, _RESULT_ROWS.c.outcome, where=where),
        "by_region": await count_by(
            session, _RESULT_ROWS.c.region_code, _RESULT_ROWS.c.outcome, where=where
        ),
    }


OVERVIEW = (OverviewPart("inspections", outcomes),)
