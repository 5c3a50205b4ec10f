"""What a source service adds to the regulators' overview: its part of the counts, read from
the tables its projection writes, within the regulator's regions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, TableClause, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.region_scope import in_regions_or_everywhere


@dataclass(frozen=True)
class OverviewPart:
    """One key of the overview (`name`) and how to count it for the regions in `scopes`
    (every region when empty) as of `now`."""

    name: str
    read: Callable[[AsyncSession, Sequence[str], datetime], Awaitable[dict[str, Any]]]


def scoped(table: TableClause, scopes: Sequence[str]) -> ColumnElement[bool]:
    """The rows of `table` (which has a `region_code`) in `scopes`."""
    return in_regions_or_everywhere(table.c.region_code, scopes)


async def count(
    session: AsyncSession, rows: TableClause, where: Sequence[ColumnElement[bool]]
) -> int:
    return await session.scalar(select(func.count()).select_from(rows).where(*where)) or 0


async def count_by(
    session: AsyncSession, *keys: ColumnElement, where: Sequence[ColumnElement[bool]]
) -> dict[str, Any]:
    """Rows counted by `keys`: `{key: n}` for one key, `{first: {second: n}}` for two."""
    query = select(*keys, func.count()).where(*where).group_by(*keys).order_by(*keys)
    counted: dict[str, Any] = {}
    for *values, n in await session.execute(query):
        place = counted
        for value in values[:-1]:
            place = place.setdefault(str(value), {})
        place[str(values[-1])] = n
    return counted
