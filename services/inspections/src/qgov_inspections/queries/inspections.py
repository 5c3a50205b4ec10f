"""Inspections and their samples, each narrowed to what the caller may see: regulators the
inspections of enterprises in their regions, an enterprise its own, a laboratory only the
samples it holds (blind code, product, standards), and the public only final results."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_inspections.domain import InspectionNotFound, SampleNotFound
from qgov_inspections.events import InspectorNamed
from qgov_inspections.models import Inspection, Inspector, Laboratory, Sample
from qgov_shared.auth import Principal
from qgov_shared.http.pagination import PageRequest, keyset_page


async def handled(
    session: AsyncSession, inspection_id: int, principal: Principal, *, for_update: bool = False
) -> Inspection:
    """The inspection, if the caller's regions cover its enterprise."""
    row = await session.get(Inspection, inspection_id, with_for_update=for_update)
    if row is None or not principal.covers_region(row.region_code):
        raise InspectionNotFound(str(inspection_id))
    return row


async def of_enterprise(session: AsyncSession, inspection_id: int, principal: Principal):
    row = await session.get(Inspection, inspection_id)
    if row is None or not principal.can_act_for_enterprise(row.credit_code):
        raise InspectionNotFound(str(inspection_id))
    return row


async def inspectors(session: AsyncSession, ids: Sequence[int]) -> list[Inspector]:
    """The inspectors, in the order of `ids`."""
    found = {i.id: i for i in await session.scalars(select(Inspector).where(Inspector.id.in_(ids)))}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def named(inspector: Inspector) -> InspectorNamed:
    return InspectorNamed(name=inspector.name, badge_number=inspector.badge_number)


async def teams(session: AsyncSession, rows: Sequence[Inspection]) -> dict[int, list[Inspector]]:
    """Each inspection's drawn team, in the order drawn."""
    ids = {inspector for row in rows for inspector in row.team}
    found = {i.id: i for i in await session.scalars(select(Inspector).where(Inspector.id.in_(ids)))}
    return {row.id: [found[i] for i in row.team if i in found] for row in rows}


async def samples_of(session: AsyncSession, inspection_id: int) -> list[Sample]:
    query = select(Sample).where(Sample.inspection_id == inspection_id).order_by(Sample.id)
    return list(await session.scalars(query))


async def first_sample(session: AsyncSession, inspection_id: int) -> Sample:
    return (await samples_of(session, inspection_id))[0]


async def laboratory_by_key(session: AsyncSession, digest: str) -> Laboratory | None:
    return await session.scalar(select(Laboratory).where(Laboratory.key_digest == digest))


async def sample_at(
    session: AsyncSession, laboratory_id: int, blind_code: str, *, for_update: bool = False
) -> Sample:
    """A sample the laboratory holds, by its blind code; another laboratory's is not found."""
    query = select(Sample).where(
        Sample.blind_code == blind_code, Sample.laboratory_id == laboratory_id
    )
    row = await session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise SampleNotFound(blind_code)
    return row


async def laboratory_samples(
    session: AsyncSession, laboratory_id: int, pending: bool | None, page: PageRequest
) -> tuple[list[Sample], str | None]:
    query = select(Sample).where(Sample.laboratory_id == laboratory_id)
    if pending is not None:
        query = query.where(Sample.result.is_(None) if pending else Sample.result.is_not(None))
    rows, cursor = await keyset_page(session, query, [Sample.id], page)
    return [row.Sample for row in rows], cursor


async def enterprise_inspections(
    session: AsyncSession, credit_code: str | None, page: PageRequest
) -> tuple[list[Inspection], str | None]:
    query = select(Inspection).where(Inspection.credit_code == credit_code)
    rows, cursor = await keyset_page(session, query, [Inspection.id], page)
    return [row.Inspection for row in rows], cursor


async def campaign_inspections(
    session: AsyncSession, campaign_id: int, page: PageRequest
) -> tuple[list[Inspection], str | None]:
    query = select(Inspection).where(Inspection.campaign_id == campaign_id)
    rows, cursor = await keyset_page(session, query, [Inspection.id], page)
    return [row.Inspection for row in rows], cursor
