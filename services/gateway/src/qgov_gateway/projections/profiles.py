"""The enterprise profile every source's events open and keep current (`enterprise_profiles`)."""

from __future__ import annotations

from datetime import datetime

from qgov_gateway.projections.base import Chunk, Write
from qgov_shared.uscc import parse_credit_code

# Opened the first time an event names the enterprise (`$2` its name, if the event gives one;
# `$3` its region, if it gives one, else `$5`, the credit code's), kept current after: the
# newest event's time, and what events call it until onboarding names it for good.
_SEEN = Write("""
INSERT INTO enterprise_profiles AS p
    (credit_code, name, named_by, region_code, first_seen_at, updated_at)
VALUES ($1::varchar, coalesce($2::varchar, $1::varchar),
    CASE WHEN $2::varchar IS NULL THEN 'nobody' ELSE 'event' END,
    coalesce($3::varchar, $5::varchar), $4::timestamptz, $4::timestamptz)
ON CONFLICT (credit_code) DO UPDATE SET
    updated_at = greatest(p.updated_at, excluded.updated_at),
    name = CASE WHEN $2::varchar IS NULL OR p.named_by = 'onboarding'
        THEN p.name ELSE excluded.name END,
    named_by = CASE WHEN $2::varchar IS NULL OR p.named_by = 'onboarding'
        THEN p.named_by ELSE excluded.named_by END,
    region_code = coalesce($3::varchar, p.region_code)
""")


def seen(
    chunk: Chunk,
    credit_code: str,
    at: datetime,
    *,
    name: str | None = None,
    region_code: str | None = None,
) -> None:
    """An event at `at` names the enterprise: open its profile, or keep it current; either way
    its document is rebuilt with the chunk."""
    code_region = parse_credit_code(credit_code).region_code
    chunk.write(_SEEN, credit_code, name, region_code, at, code_region)
    chunk.touch(credit_code)
