"""The brands service's events in the read model: each award an enterprise holds, where it
stands now, on its profile (`award_views`), and the proposals still awaiting a decision,
counted in the overview (`award_proposals`). Brands' events name no region: an enterprise's
region is read from its credit code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
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
from qgov_gateway.projections.overview import OverviewPart, count, count_by, scoped
from qgov_shared.envelope import CloudEvent
from qgov_shared.uscc import parse_credit_code

AWARD_PROPOSED = "qgov.brands.award.proposed.v1"
AWARD_REJECTED = "qgov.brands.award.rejected.v1"
AWARD_GRANTED = "qgov.brands.award.granted.v1"
AWARD_SUSPENDED = "qgov.brands.award.suspended.v1"
AWARD_REINSTATED = "qgov.brands.award.reinstated.v1"
AWARD_REVOKED = "qgov.brands.award.revoked.v1"

Level = Literal["national", "provincial", "municipal"]
Tier = Literal["award", "nomination"]
RevocationGround = Literal["listing_confirmed", "fraud", "re_review_failed"]


class AwardStatus(StrEnum):
    """Where an award stands, in the brands service's words: granted (standing), suspended
    while its holder is on the serious-violation list, or revoked for good."""

    GRANTED = "granted"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class ApplicationStep(EventView):
    """What every award event says of the application it is about."""

    application_id: int
    credit_code: str
    enterprise_name: str
    programme: str
    programme_name: str
    level: Level
    round: str
    brand_id: int | None


class AwardProposed(ApplicationStep):
    tier: Tier
    proposed_on: date
    notice_ends_on: date


class AwardStep(ApplicationStep):
    award_id: int
    tier: Tier


class AwardGranted(AwardStep):
    granted_on: date
    valid_until: date | None


class AwardSuspended(AwardStep):
    suspended_on: date


class AwardReinstated(AwardStep):
    reinstated_on: date


class AwardRevoked(AwardStep):
    ground: RevocationGround
    revoked_on: date


# One statement for a proposal and its decision, so they keep their order in a chunk; a
# decision seen first leaves the notice's details to the proposal.
_PROPOSAL = Write("""
INSERT INTO award_proposals AS p (application_id, credit_code, region_code, tier, proposed_on,
    notice_ends_on, decided)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (application_id) DO UPDATE SET
    tier = coalesce(p.tier, excluded.tier),
    proposed_on = coalesce(p.proposed_on, excluded.proposed_on),
    notice_ends_on = coalesce(p.notice_ends_on, excluded.notice_ends_on),
    decided = p.decided OR excluded.decided
""")
# The award as its newest event leaves it; `granted_on`/`valid_until` only the grant knows. Of
# two events with the same time, the one read later wins: an award's events share the holder's
# partition, so the later read is the later sent (a grant and its suspension can share a clock
# tick).
_AWARD = Write("""
INSERT INTO award_views AS a (award_id, credit_code, programme, programme_name, level, round,
    tier, brand_id, granted_on, valid_until, status, status_on, revocation_ground, status_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (award_id) DO UPDATE SET
    granted_on = coalesce(a.granted_on, excluded.granted_on),
    valid_until = CASE WHEN excluded.granted_on IS NULL THEN a.valid_until
        ELSE excluded.valid_until END,
    status = CASE WHEN excluded.status_at >= a.status_at THEN excluded.status ELSE a.status END,
    status_on = CASE WHEN excluded.status_at >= a.status_at
        THEN excluded.status_on ELSE a.status_on END,
    revocation_ground = coalesce(a.revocation_ground, excluded.revocation_ground),
    status_at = greatest(a.status_at, excluded.status_at)
""")


def award_proposed(data: AwardProposed, event: CloudEvent, chunk: Chunk) -> None:
    _propose(chunk, data, event, data.tier, data.proposed_on, data.notice_ends_on, False)


def award_rejected(data: ApplicationStep, event: CloudEvent, chunk: Chunk) -> None:
    _propose(chunk, data, event, None, None, None, True)


def award_granted(data: AwardGranted, event: CloudEvent, chunk: Chunk) -> None:
    _propose(chunk, data, event, None, None, None, True)
    _place(chunk, data, event, AwardStatus.GRANTED, data.granted_on, granted=data)


def award_suspended(data: AwardSuspended, event: CloudEvent, chunk: Chunk) -> None:
    _place(chunk, data, event, AwardStatus.SUSPENDED, data.suspended_on)


def award_reinstated(data: AwardReinstated, event: CloudEvent, chunk: Chunk) -> None:
    _place(chunk, data, event, AwardStatus.GRANTED, data.reinstated_on)


def award_revoked(data: AwardRevoked, event: CloudEvent, chunk: Chunk) -> None:
    _place(chunk, data, event, AwardStatus.REVOKED, data.revoked_on, ground=data.ground)


def _propose(chunk: Chunk, data: ApplicationStep, event: CloudEvent, *details: Any) -> None:
    code = data.credit_code
    profiles.seen(chunk, code, event.time, name=data.enterprise_name)
    region = parse_credit_code(code).region_code
    chunk.write(_PROPOSAL, data.application_id, code, region, *details)


def _place(
    chunk: Chunk,
    data: AwardStep,
    event: CloudEvent,
    status: AwardStatus,
    status_on: date,
    *,
    granted: AwardGranted | None = None,
    ground: str | None = None,
) -> None:
    profiles.seen(chunk, data.credit_code, event.time, name=data.enterprise_name)
    chunk.write(
        _AWARD,
        data.award_id,
        data.credit_code,
        data.programme,
        data.programme_name,
        data.level,
        data.round,
        data.tier,
        data.brand_id,
        granted.granted_on if granted else None,
        granted.valid_until if granted else None,
        status.value,
        status_on,
        ground,
        event.time,
    )


PROJECTIONS: dict[str, Projection] = {
    AWARD_PROPOSED: Projection(AwardProposed, award_proposed),
    AWARD_REJECTED: Projection(ApplicationStep, award_rejected),
    AWARD_GRANTED: Projection(AwardGranted, award_granted),
    AWARD_SUSPENDED: Projection(AwardSuspended, award_suspended),
    AWARD_REINSTATED: Projection(AwardReinstated, award_reinstated),
    AWARD_REVOKED: Projection(AwardRevoked, award_revoked),
}

_AWARDS = """
SELECT credit_code, award_id, programme, programme_name, level, round, tier, brand_id,
    granted_on, valid_until, status, status_on, revocation_ground
FROM award_views WHERE credit_code = ANY($1::varchar[])
ORDER BY credit_code, granted_on DESC NULLS LAST, award_id DESC
"""


async def awards(connection: asyncpg.Connection, codes: list[str]) -> dict[str, list[dict]]:
    return items_by_enterprise(await connection.fetch(_AWARDS, codes))


SECTIONS = (ProfileSection("awards", awards),)

_PROPOSALS = table(
    "award_proposals",
    column("region_code"),
    column("tier"),
    column("notice_ends_on"),
    column("decided"),
)


async def proposals(session: AsyncSession, scopes: Sequence[str], now: datetime) -> dict[str, Any]:
    """Proposals not decided yet, by region and tier; those still in their public notice."""
    pending = [scoped(_PROPOSALS, scopes), ~_PROPOSALS.c.decided]
    in_notice = [*pending, _PROPOSALS.c.notice_ends_on >= now.date()]
    counted = await count_by(session, _PROPOSALS.c.region_code, where=pending)
    return {
        "proposed_by_region": counted,
        "proposed_by_tier": await count_by(session, _PROPOSALS.c.tier, where=pending),
        "in_public_notice": await count(session, _PROPOSALS, in_notice),
    }


OVERVIEW = (OverviewPart("awards", proposals),)
