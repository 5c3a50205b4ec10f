"""Finding an enterprise by what a citizen knows of it: part of its name (the name onboarding
registered, else the one its events gave), or the start of its unified social credit code.
Read from the gateway's profiles; only what every profile shows publicly is answered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway.models import EnterpriseProfile
from qgov_shared.http.pagination import PageRequest, keyset_page

SHORTEST_QUERY = 1
LONGEST_QUERY = 50


def _like_pattern(words: str) -> str:
    """`words` as literal text inside a LIKE pattern (`%` and `_` are not wildcards here)."""
    return words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def enterprises(
    session: AsyncSession, words: str, page: PageRequest
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the enterprises whose name holds `words` (any case) or whose credit code
    starts with them, by name then code. The walk follows the (name, code) index in order, so
    a page stops as soon as it is full."""
    literal = _like_pattern(words)
    query = select(
        EnterpriseProfile.credit_code,
        EnterpriseProfile.name,
        EnterpriseProfile.region_code,
        EnterpriseProfile.grade,
    ).where(
        or_(
            EnterpriseProfile.name.ilike(f"%{literal}%", escape="\\"),
            EnterpriseProfile.credit_code.like(f"{literal.upper()}%", escape="\\"),
        )
    )
    key = [EnterpriseProfile.name, EnterpriseProfile.credit_code]
    rows, next_cursor = await keyset_page(session, query, key, page)
    return [dict(row._mapping) for row in rows], next_cursor
