"""Who owns a GS1 identifier: the enterprise its company prefix was registered to. GS1
company prefixes are prefix-free (none starts another), so an identifier has one owner."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.http.pagination import Page, PageRequest, keyset_page
from qgov_shared.region_scope import in_regions
from qgov_traceability.epcis.identifiers import company_prefix_digits
from qgov_traceability.models import CompanyPrefix
from qgov_traceability.schemas import CompanyPrefixPublic

PREFIX_LENGTHS = range(4, 13)


@dataclass(frozen=True)
class Owner:
    credit_code: str
    region_code: str
    name: str


async def owners_of(session: AsyncSession, uris: Iterable[str]) -> dict[str, Owner]:
    """The owner of each identifier whose company prefix is registered."""
    digits = {uri: d for uri in uris if (d := company_prefix_digits(uri))}
    candidates = {d[:n] for d in digits.values() for n in PREFIX_LENGTHS if n <= len(d)}
    if not candidates:
        return {}
    rows = await session.execute(
        select(CompanyPrefix).where(CompanyPrefix.prefix.in_(sorted(candidates)))
    )
    by_prefix = {
        row.prefix: Owner(row.credit_code, row.region_code, row.enterprise_name)
        for row in rows.scalars()
    }
    owners = {}
    for uri, d in digits.items():
        owner = next((by_prefix[d[:n]] for n in PREFIX_LENGTHS if d[:n] in by_prefix), None)
        if owner is not None:
            owners[uri] = owner
    return owners


async def prefixes_overlapping(session: AsyncSession, prefix: str) -> list[str]:
    """Registered prefixes that start `prefix` or that `prefix` starts."""
    shorter = [prefix[:n] for n in PREFIX_LENGTHS if n <= len(prefix)]
    rows = await session.scalars(
        select(CompanyPrefix.prefix).where(
            CompanyPrefix.prefix.in_(shorter) | CompanyPrefix.prefix.startswith(prefix)
        )
    )
    return list(rows)


async def enterprise_name(session: AsyncSession, credit_code: str) -> str | None:
    return await session.scalar(
        select(CompanyPrefix.enterprise_name)
        .where(CompanyPrefix.credit_code == credit_code)
        .order_by(CompanyPrefix.registered_at)
        .limit(1)
    )


async def prefixes(
    session: AsyncSession,
    credit_codes: list[str] | None,
    regions: tuple[str, ...] | None,
    page: PageRequest,
) -> Page[CompanyPrefixPublic]:
    """Registered prefixes: of these enterprises, or in these regions, or (both None) all."""
    query = select(CompanyPrefix)
    if credit_codes is not None:
        query = query.where(CompanyPrefix.credit_code.in_(credit_codes))
    if regions is not None:
        query = query.where(in_regions(CompanyPrefix.region_code, regions))
    rows, cursor = await keyset_page(session, query, [CompanyPrefix.prefix], page)
    items = [CompanyPrefixPublic.model_validate(row[0], from_attributes=True) for row in rows]
    return Page(items=items, next_cursor=cursor)
