"""What a draw runs on, read at the moment it runs: the candidates (enterprises of the
campaign's regions making one of its products, with their grades), the inspector pool, and
the pairs the conflict rules keep apart. Also the directory's list for regulators."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_inspections.draw import Candidate, excluded_pairs
from qgov_inspections.models import (
    Campaign,
    Conflict,
    CreditGrade,
    DeclaredProduct,
    Inspection,
    Inspector,
    KnownEnterprise,
    Laboratory,
    ListedProduct,
)
from qgov_shared.http.pagination import PageRequest, keyset_page
from qgov_shared.region_scope import in_regions, in_regions_or_everywhere


def _makes(categories: Sequence[str]):
    """The enterprise makes one of `categories`: declared (not withdrawn) or listed."""
    declared = exists().where(
        DeclaredProduct.credit_code == KnownEnterprise.credit_code,
        DeclaredProduct.category.in_(categories),
        DeclaredProduct.withdrawn.is_(False),
    )
    listed = exists().where(
        ListedProduct.credit_code == KnownEnterprise.credit_code,
        ListedProduct.category.in_(categories),
    )
    return or_(declared, listed)


async def candidates(
    session: AsyncSession, campaign: Campaign, default_grade: str
) -> list[Candidate]:
    grade = func.coalesce(CreditGrade.grade, literal(default_grade))
    query = (
        select(KnownEnterprise.credit_code, grade)
        .outerjoin(CreditGrade, CreditGrade.credit_code == KnownEnterprise.credit_code)
        .where(in_regions(KnownEnterprise.region_code, campaign.region_codes))
        .where(_makes(campaign.categories))
    )
    return [Candidate(code, grade) for code, grade in await session.execute(query)]


async def inspector_pool(session: AsyncSession, region_codes: Sequence[str]) -> list[Inspector]:
    """Every inspector of the campaign's regions."""
    query = select(Inspector).where(in_regions(Inspector.region_code, region_codes))
    return list(await session.scalars(query))


async def exclusions(
    session: AsyncSession, credit_codes: Sequence[str], pool: Sequence[Inspector]
) -> set[tuple[str, str]]:
    """The pairs of the pool and `credit_codes` the conflict rules keep apart, from the
    declared conflicts and each enterprise's latest earlier inspection."""
    badge = {inspector.id: inspector.badge_number for inspector in pool}
    declared = await session.execute(
        select(Conflict.inspector_id, Conflict.credit_code).where(
            Conflict.credit_code.in_(credit_codes), Conflict.inspector_id.in_(badge)
        )
    )
    previous = await session.execute(
        select(Inspection.credit_code, Inspection.team)
        .where(Inspection.credit_code.in_(credit_codes))
        .order_by(Inspection.credit_code, Inspection.id.desc())
        .distinct(Inspection.credit_code)
    )
    conflicts = [(badge[i], code) for i, code in declared]
    teams = {code: [badge[i] for i in team if i in badge] for code, team in previous}
    return excluded_pairs(conflicts, teams)


async def names(session: AsyncSession, credit_codes: Sequence[str]) -> dict[str, tuple[str, str]]:
    query = select(
        KnownEnterprise.credit_code, KnownEnterprise.name, KnownEnterprise.region_code
    ).where(KnownEnterprise.credit_code.in_(credit_codes))
    return {code: (name, region) for code, name, region in await session.execute(query)}


async def listed(
    session: AsyncSession,
    regions: Sequence[str],
    category: str | None,
    default_grade: str,
    page: PageRequest,
):
    """The directory within `regions`, by credit code: rows of (enterprise, grade, graded)."""
    query = (
        select(KnownEnterprise, CreditGrade.grade)
        .outerjoin(CreditGrade, CreditGrade.credit_code == KnownEnterprise.credit_code)
        .where(in_regions_or_everywhere(KnownEnterprise.region_code, regions))
    )
    if category is not None:
        query = query.where(_makes([category]))
    rows, cursor = await keyset_page(session, query, [KnownEnterprise.credit_code], page)
    codes = [row.KnownEnterprise.credit_code for row in rows]
    made = await _categories(session, codes)
    return [
        (row.KnownEnterprise, row.grade or default_grade, row.grade is not None, made.get(code, []))
        for row, code in zip(rows, codes, strict=True)
    ], cursor


async def _categories(session: AsyncSession, codes: Sequence[str]) -> dict[str, list[str]]:
    declared = select(DeclaredProduct.credit_code, DeclaredProduct.category).where(
        and_(DeclaredProduct.credit_code.in_(codes), DeclaredProduct.withdrawn.is_(False))
    )
    listed = select(ListedProduct.credit_code, ListedProduct.category).where(
        ListedProduct.credit_code.in_(codes)
    )
    made: dict[str, set[str]] = {}
    for code, category in await session.execute(declared.union(listed)):
        made.setdefault(code, set()).add(category)
    return {code: sorted(categories) for code, categories in made.items()}


async def inspectors_in(session: AsyncSession, regions: Sequence[str], page: PageRequest):
    query = select(Inspector).where(in_regions_or_everywhere(Inspector.region_code, regions))
    rows, cursor = await keyset_page(session, query, [Inspector.id], page)
    return [row.Inspector for row in rows], cursor


async def laboratories(session: AsyncSession, page: PageRequest):
    rows, cursor = await keyset_page(session, select(Laboratory), [Laboratory.id], page)
    return [row.Laboratory for row in rows], cursor
