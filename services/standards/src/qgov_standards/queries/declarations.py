"""Reads of declarations: one by id (public once published, withdrawn ones too), one the
calling enterprise owns, lists by enterprise or category, versions, checks and flags."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_standards.facts import DeclarationNotFound
from qgov_standards.models import Check, Declaration, DeclarationVersion, Flag
from qgov_standards.numbers import StandardNumber
from qgov_standards.queries import PUBLISHED


async def declaration(
    session: AsyncSession, declaration_id: int, *, for_update: bool = False
) -> Declaration:
    row = await session.get(Declaration, declaration_id, with_for_update=for_update)
    if row is None:
        raise DeclarationNotFound(str(declaration_id))
    return row


async def owned(session: AsyncSession, declaration_id: int, credit_code: str | None) -> Declaration:
    """The declaration, locked for a change, if the enterprise `credit_code` made it; another
    enterprise's is as unknown as one that does not exist."""
    row = await declaration(session, declaration_id, for_update=True)
    if row.credit_code != credit_code:
        raise DeclarationNotFound(str(declaration_id))
    return row


async def declarations(
    session: AsyncSession,
    credit_code: str | None,
    category: str | None,
    status: str | None,
    page: PageRequest,
) -> tuple[list[Declaration], str | None]:
    query = select(Declaration)
    if credit_code is not None:
        query = query.where(Declaration.credit_code == credit_code)
    if category is not None:
        query = query.where(Declaration.category == category)
    if status is not None:
        query = query.where(Declaration.status == status)
    rows, cursor = await keyset_page(session, query, [Declaration.id], page)
    return [row for (row,) in rows], cursor


async def version(session: AsyncSession, declaration_id: int, number: int) -> DeclarationVersion:
    query = select(DeclarationVersion).where(
        DeclarationVersion.declaration_id == declaration_id, DeclarationVersion.version == number
    )
    row = (await session.scalars(query)).first()
    if row is None:
        raise DeclarationNotFound(f"{declaration_id} version {number}")
    return row


async def versions(
    session: AsyncSession, declaration_id: int, page: PageRequest
) -> tuple[list[DeclarationVersion], str | None]:
    await declaration(session, declaration_id)
    query = select(DeclarationVersion).where(DeclarationVersion.declaration_id == declaration_id)
    rows, cursor = await keyset_page(session, query, [DeclarationVersion.version], page)
    return [row for (row,) in rows], cursor


async def checks(
    session: AsyncSession, declaration_id: int, page: PageRequest
) -> tuple[list[Check], str | None]:
    await declaration(session, declaration_id)
    query = select(Check).where(Check.declaration_id == declaration_id)
    rows, cursor = await keyset_page(session, query, [Check.id], page)
    return [row for (row,) in rows], cursor


async def flags(
    session: AsyncSession, declaration_id: int, page: PageRequest
) -> tuple[list[Flag], str | None]:
    """Every flag on the declaration, open and cleared, oldest first."""
    await declaration(session, declaration_id)
    query = select(Flag).where(Flag.declaration_id == declaration_id)
    rows, cursor = await keyset_page(session, query, [Flag.id], page)
    return [row for (row,) in rows], cursor


async def open_flags(session: AsyncSession, declaration_ids: list[int]) -> list[Flag]:
    query = select(Flag).where(Flag.declaration_id.in_(declaration_ids), Flag.cleared_at.is_(None))
    return list(await session.scalars(query.order_by(Flag.id)))


async def published_in(session: AsyncSession, categories: list[str]) -> list[Declaration]:
    """Every published declaration of these categories (a limit changed for them)."""
    query = select(Declaration).where(Declaration.category.in_(categories), PUBLISHED)
    return list(await session.scalars(query.order_by(Declaration.id)))


async def citing(session: AsyncSession, number: str) -> list[Declaration]:
    """Every published declaration whose latest version cites the standard `number`."""
    query = select(Declaration).where(Declaration.standard_numbers.contains([number]), PUBLISHED)
    return list(await session.scalars(query.order_by(Declaration.id)))


async def citing_of(
    session: AsyncSession, credit_code: str, number: StandardNumber
) -> list[Declaration]:
    """The enterprise's published declarations citing `number` (every edition, without year)."""
    cites = (
        Declaration.standard_bases.contains([number.base])
        if number.year is None
        else Declaration.standard_numbers.contains([number.canonical])
    )
    query = select(Declaration).where(Declaration.credit_code == credit_code, PUBLISHED, cites)
    return list(await session.scalars(query.order_by(Declaration.id)))


async def check(session: AsyncSession, check_id: int) -> Check:
    row = await session.get(Check, check_id)
    assert row is not None  # just recorded in this transaction
    return row
