"""Reads of the catalogue: standards by number or id, and the mandatory limits that apply to a
product category, as the domain's values.

Filing reads `entries` and `limits_for` on every request, so they go to asyncpg directly,
inside the unit of work's transaction (`uow.connection()`), and return the domain's values, not
ORM objects: SQLAlchemy's statement building and result processing were most of their cost."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.errors import NotFound
from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_standards.documents import bounds_of
from qgov_standards.floor import CatalogueEntry, Limit
from qgov_standards.models import CatalogueStandard, LimitIndicator
from qgov_standards.numbers import Kind, StandardNumber


class StandardNotFound(NotFound):
    what = "standard in the catalogue"


def entry_of(row: CatalogueStandard) -> CatalogueEntry:
    return CatalogueEntry(row.number, row.effective_on, row.withdrawn_on, row.replaced_by)


def limit_of(row: LimitIndicator, standard: CatalogueStandard) -> Limit:
    return Limit(entry_of(standard), row.name, bounds_of(row.bounds), frozenset(row.categories))


_ENTRY = "s.number, s.effective_on, s.withdrawn_on, s.replaced_by"
_ENTRIES = f"SELECT {_ENTRY} FROM catalogue_standards AS s WHERE s.number = ANY($1::varchar[])"
_LIMITS = f"""
SELECT l.name, l.bounds, l.categories, {_ENTRY}
FROM limit_indicators AS l JOIN catalogue_standards AS s ON s.id = l.standard_id
WHERE l.categories @> ARRAY[$1::text]
ORDER BY l.id"""


async def entries(
    connection: asyncpg.Connection, numbers: Iterable[str]
) -> dict[str, CatalogueEntry]:
    """The catalogue's entries for these canonical numbers, by number (those it lists)."""
    rows = await connection.fetch(_ENTRIES, list(numbers))
    return {row[0]: CatalogueEntry(*row) for row in rows}


async def limits_for(connection: asyncpg.Connection, category: str) -> list[Limit]:
    """Every mandatory limit that names `category`, whatever its standard's status."""
    return [
        Limit(CatalogueEntry(*row[3:]), row[0], bounds_of(row[1]), frozenset(row[2]))
        for row in await connection.fetch(_LIMITS, category)
    ]


async def limits_of(session: AsyncSession, standard_id: int) -> list[LimitIndicator]:
    query = select(LimitIndicator).where(LimitIndicator.standard_id == standard_id)
    return list(await session.scalars(query.order_by(LimitIndicator.id)))


async def standard(
    session: AsyncSession, standard_id: int, *, for_update: bool = False
) -> CatalogueStandard:
    row = await session.get(CatalogueStandard, standard_id, with_for_update=for_update)
    if row is None:
        raise StandardNotFound(str(standard_id))
    return row


async def standard_by_number(session: AsyncSession, number: str) -> CatalogueStandard | None:
    query = select(CatalogueStandard).where(CatalogueStandard.number == number)
    return (await session.scalars(query)).first()


async def standards(
    session: AsyncSession, number: StandardNumber | None, kind: Kind | None, page: PageRequest
) -> tuple[list[CatalogueStandard], str | None]:
    """The catalogue in the order standards were added; `number` without a year, every
    edition of one."""
    query = select(CatalogueStandard)
    if number is not None:
        query = query.where(CatalogueStandard.base == number.base)
        if number.year is not None:
            query = query.where(CatalogueStandard.number == number.canonical)
    if kind is not None:
        query = query.where(CatalogueStandard.kind == kind.value)
    rows, cursor = await keyset_page(session, query, [CatalogueStandard.id], page)
    return [row for (row,) in rows], cursor


async def limits_by_standard(
    session: AsyncSession, standard_ids: list[int]
) -> dict[int, list[LimitIndicator]]:
    query = select(LimitIndicator).where(LimitIndicator.standard_id.in_(standard_ids))
    found: dict[int, list[LimitIndicator]] = {standard_id: [] for standard_id in standard_ids}
    for row in await session.scalars(query.order_by(LimitIndicator.id)):
        found[row.standard_id].append(row)
    return found
