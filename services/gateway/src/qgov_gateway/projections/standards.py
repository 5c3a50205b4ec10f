"""The standards service's events in the read model: each enterprise standard declared (企业
标准自我声明公开) with its standards, the checks of it and its frontrunner (领跑者) title, on
the profile; declarations standing and flags raised, counted in the overview. Standards'
events carry the enterprise's credit code as their subject only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

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
from qgov_gateway.projections.overview import OverviewPart, count_by, scoped
from qgov_shared.envelope import CloudEvent

STANDARD_DECLARED = "qgov.standards.standard.declared.v1"
STANDARD_REVISED = "qgov.standards.standard.revised.v1"
STANDARD_WITHDRAWN = "qgov.standards.standard.withdrawn.v1"
STANDARD_CHECK_RECORDED = "qgov.standards.standard.check_recorded.v1"
STANDARD_FLAGGED = "qgov.standards.standard.flagged.v1"
FRONTRUNNERS_PUBLISHED = "qgov.standards.standard.frontrunners_published.v1"

CheckOutcome = Literal["compliant", "non_compliant", "not_executed"]
CheckSource = Literal["regulator", "inspection"]
FlagReason = Literal["standard_withdrawn", "below_mandatory_limit"]


class DeclarationFact(EventView):
    """What every standards event says of the declaration it is about."""

    declaration_id: int
    version: int
    enterprise_name: str
    region_code: str
    product_name: str
    category: str


class StandardDeclared(DeclarationFact):
    standards: list[str]
    declared_on: date


class StandardRevised(DeclarationFact):
    standards: list[str]
    revised_on: date


class StandardWithdrawn(DeclarationFact):
    reason: str
    withdrawn_on: date


class CheckRecorded(DeclarationFact):
    check_id: int
    outcome: CheckOutcome
    findings: list[str]
    failing_indicators: list[str]
    checked_on: date
    source: CheckSource


class StandardFlagged(DeclarationFact):
    flag_id: int
    reason: FlagReason
    flagged_on: date


class FrontrunnersPublished(DeclarationFact):
    plan_version: int
    ranking: int
    rank: int | None
    score: str | None
    frontrunner: bool
    newly_named: bool
    published_on: date


# One statement for a declaration's life, so its steps keep their order in a chunk: the
# newest version's standards and names stand; a withdrawal stays.
_DECLARATION = Write("""
INSERT INTO declaration_views AS d (declaration_id, credit_code, region_code, version,
    product_name, category, standards, declared_on, revised_on, withdrawn_on, withdrawal_reason)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (declaration_id) DO UPDATE SET
    region_code = excluded.region_code,
    product_name = CASE WHEN excluded.version >= d.version
        THEN excluded.product_name ELSE d.product_name END,
    category = CASE WHEN excluded.version >= d.version
        THEN excluded.category ELSE d.category END,
    standards = CASE WHEN excluded.standards IS NOT NULL AND excluded.version >= d.version
        THEN excluded.standards ELSE d.standards END,
    revised_on = CASE WHEN excluded.revised_on IS NOT NULL AND excluded.version >= d.version
        THEN excluded.revised_on ELSE d.revised_on END,
    version = greatest(d.version, excluded.version),
    declared_on = coalesce(d.declared_on, excluded.declared_on),
    withdrawn_on = coalesce(d.withdrawn_on, excluded.withdrawn_on),
    withdrawal_reason = coalesce(d.withdrawal_reason, excluded.withdrawal_reason)
""")
_CHECK = Write("""
INSERT INTO standard_checks (check_id, declaration_id, credit_code, version, outcome, findings,
    failing_indicators, checked_on, source)
VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)
ON CONFLICT (check_id) DO NOTHING
""")
_FLAG = Write("""
INSERT INTO standard_flags (flag_id, declaration_id, region_code, reason, flagged_on)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (flag_id) DO NOTHING
""")
# The newest ranking a declaration was placed in stands (rankings number up).
_TITLE = Write("""
INSERT INTO frontrunner_titles AS t (declaration_id, ranking, plan_version, rank, score,
    frontrunner, newly_named, published_on)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (declaration_id) DO UPDATE SET ranking = excluded.ranking,
    plan_version = excluded.plan_version, rank = excluded.rank, score = excluded.score,
    frontrunner = excluded.frontrunner, newly_named = excluded.newly_named,
    published_on = excluded.published_on
WHERE excluded.ranking >= t.ranking
""")


def _credit_code(chunk: Chunk, data: DeclarationFact, event: CloudEvent) -> str | None:
    """The enterprise the event is about (its subject), its profile opened or kept current."""
    if event.subject is None:
        return None
    profiles.seen(
        chunk, event.subject, event.time, name=data.enterprise_name, region_code=data.region_code
    )
    return event.subject


def standard_declared(data: StandardDeclared, event: CloudEvent, chunk: Chunk) -> None:
    _declaration(chunk, data, event, data.standards, data.declared_on, None, None, None)


def standard_revised(data: StandardRevised, event: CloudEvent, chunk: Chunk) -> None:
    _declaration(chunk, data, event, data.standards, None, data.revised_on, None, None)


def standard_withdrawn(data: StandardWithdrawn, event: CloudEvent, chunk: Chunk) -> None:
    _declaration(chunk, data, event, None, None, None, data.withdrawn_on, data.reason)


def _declaration(chunk: Chunk, data: DeclarationFact, event: CloudEvent, *steps: Any) -> None:
    if (code := _credit_code(chunk, data, event)) is None:
        return
    identity = (data.region_code, data.version, data.product_name, data.category)
    chunk.write(_DECLARATION, data.declaration_id, code, *identity, *steps)


def check_recorded(data: CheckRecorded, event: CloudEvent, chunk: Chunk) -> None:
    if (code := _credit_code(chunk, data, event)) is None:
        return
    chunk.write(
        _CHECK,
        data.check_id,
        data.declaration_id,
        code,
        data.version,
        data.outcome,
        json.dumps(data.findings, ensure_ascii=False),
        json.dumps(data.failing_indicators, ensure_ascii=False),
        data.checked_on,
        data.source,
    )


def standard_flagged(data: StandardFlagged, event: CloudEvent, chunk: Chunk) -> None:
    chunk.write(
        _FLAG, data.flag_id, data.declaration_id, data.region_code, data.reason, data.flagged_on
    )


def frontrunners_published(data: FrontrunnersPublished, event: CloudEvent, chunk: Chunk) -> None:
    if _credit_code(chunk, data, event) is None:
        return
    chunk.write(
        _TITLE,
        data.declaration_id,
        data.ranking,
        data.plan_version,
        data.rank,
        data.score,
        data.frontrunner,
        data.newly_named,
        data.published_on,
    )


PROJECTIONS: dict[str, Projection] = {
    STANDARD_DECLARED: Projection(StandardDeclared, standard_declared),
    STANDARD_REVISED: Projection(StandardRevised, standard_revised),
    STANDARD_WITHDRAWN: Projection(StandardWithdrawn, standard_withdrawn),
    STANDARD_CHECK_RECORDED: Projection(CheckRecorded, check_recorded),
    STANDARD_FLAGGED: Projection(StandardFlagged, standard_flagged),
    FRONTRUNNERS_PUBLISHED: Projection(FrontrunnersPublished, frontrunners_published),
}

CHECKS_SHOWN = 10

# Each declaration with its newest checks and its frontrunner title, while it holds one.
_DECLARATIONS = """
SELECT d.credit_code, d.declaration_id, d.version, d.product_name, d.category,
    coalesce(d.standards, '{}') AS standards, d.declared_on, d.revised_on, d.withdrawn_on,
    d.withdrawal_reason,
    CASE WHEN d.withdrawn_on IS NULL THEN 'declared' ELSE 'withdrawn' END AS status,
    CASE WHEN t.frontrunner THEN jsonb_build_object('plan_version', t.plan_version,
        'ranking', t.ranking, 'rank', t.rank, 'score', t.score, 'newly_named', t.newly_named,
        'published_on', t.published_on) END AS frontrunner,
    coalesce(checks.shown, '[]') AS checks
FROM declaration_views AS d
LEFT JOIN frontrunner_titles AS t USING (declaration_id)
CROSS JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object('check_id', c.check_id, 'version', c.version,
        'outcome', c.outcome, 'findings', c.findings,
        'failing_indicators', c.failing_indicators, 'checked_on', c.checked_on,
        'source', c.source) ORDER BY c.checked_on DESC, c.check_id DESC) AS shown
    FROM (
        SELECT * FROM standard_checks WHERE declaration_id = d.declaration_id
        ORDER BY checked_on DESC, check_id DESC LIMIT $2
    ) AS c
) AS checks
WHERE d.credit_code = ANY($1::varchar[])
ORDER BY d.credit_code, d.withdrawn_on IS NOT NULL, d.declaration_id DESC
"""


async def declarations(connection: asyncpg.Connection, codes: list[str]) -> dict[str, list[dict]]:
    return items_by_enterprise(await connection.fetch(_DECLARATIONS, codes, CHECKS_SHOWN))


SECTIONS = (ProfileSection("standards", declarations),)

_DECLARATION_ROWS = table("declaration_views", column("region_code"), column("withdrawn_on"))
_FLAG_ROWS = table("standard_flags", column("region_code"), column("reason"))


async def standing(session: AsyncSession, scopes: Sequence[str], now: datetime) -> dict[str, Any]:
    """Declarations standing (declared and not withdrawn) and flags raised, by region."""
    standing_now = [scoped(_DECLARATION_ROWS, scopes), _DECLARATION_ROWS.c.withdrawn_on.is_(None)]
    flags = [scoped(_FLAG_ROWS, scopes)]
    return {
        "declarations_by_region": await count_by(
            session, _DECLARATION_ROWS.c.region_code, where=standing_now
        ),
        "flags_by_region": await count_by(session, _FLAG_ROWS.c.region_code, where=flags),
        "flags_by_reason": await count_by(session, _FLAG_ROWS.c.reason, where=flags),
    }


OVERVIEW = (OverviewPart("standards", standing),)
