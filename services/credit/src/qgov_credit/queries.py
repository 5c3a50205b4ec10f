"""The credit service's reads: files, lists and histories as the API shows them, each narrowed
to what the caller may see (regulators their regions, an enterprise itself, admins all)."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_credit import domain
from qgov_credit.domain import EnterpriseNotFound, Record
from qgov_credit.events import Reason
from qgov_credit.models import CreditRecord, Enterprise, GradeChange, Listing, RepairApplication
from qgov_credit.policy import CreditPolicy
from qgov_credit.schemas import (
    CreditFile,
    CreditSummary,
    GradeChangeView,
    ListingView,
    PublicCreditFile,
    PublicRecord,
    ReasonView,
    RecordView,
    RepairView,
)
from qgov_shared.auth import Principal, Role
from qgov_shared.http.pagination import Page, PageRequest, keyset_page
from qgov_shared.region_scope import in_regions


async def records_of(session: AsyncSession, code: str) -> list[Record]:
    """The enterprise's records as the domain sees them (four columns, no ORM objects)."""
    query = (
        select(CreditRecord.id, CreditRecord.kind, CreditRecord.severity, CreditRecord.effective_on)
        .where(CreditRecord.credit_code == code)
        .order_by(CreditRecord.id)
    )
    return [Record(*row) for row in await session.execute(query)]


async def active_listing(session: AsyncSession, code: str) -> Listing | None:
    query = select(Listing).where(Listing.credit_code == code, Listing.delisted_on.is_(None))
    return (await session.scalars(query)).first()


async def enterprises(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    grade: str | None,
    score_min: int | None,
    score_max: int | None,
    listed: bool | None,
) -> Page[CreditSummary]:
    """Enterprises in the caller's regions, by grade, score band or listing, by credit code."""
    query = _in_callers_regions(select(Enterprise), principal)
    if grade:
        query = query.where(Enterprise.grade == grade)
    if score_min is not None:
        query = query.where(Enterprise.score >= score_min)
    if score_max is not None:
        query = query.where(Enterprise.score <= score_max)
    if listed is not None:
        query = query.where(Enterprise.listed.is_(listed))
    rows, cursor = await keyset_page(session, query, [Enterprise.credit_code], page)
    return Page(
        items=[CreditSummary.model_validate(r.Enterprise) for r in rows], next_cursor=cursor
    )


async def credit_file(
    session: AsyncSession, code: str, principal: Principal, policy: CreditPolicy
) -> CreditFile:
    """The whole file: score, grade, the live records that make them, and every record."""
    enterprise = await _visible(session, code, principal)
    records = await session.scalars(
        select(CreditRecord).where(CreditRecord.credit_code == code).order_by(CreditRecord.id)
    )
    # The reasons of the stored assessment, so the file always explains its own grade.
    assessment = domain.assess(
        await records_of(session, code), enterprise.assessed_on, policy, listed=enterprise.listed
    )
    listings = await session.scalars(
        select(Listing).where(Listing.credit_code == code).order_by(Listing.id)
    )
    return CreditFile(
        **CreditSummary.model_validate(enterprise).model_dump(),
        listings=[_listing_view(listing, policy) for listing in listings],
        reasons=[ReasonView(**r.model_dump()) for r in Reason.all_of(assessment, policy)],
        records=[RecordView.model_validate(record) for record in records],
    )


async def grade_history(
    session: AsyncSession, code: str, principal: Principal, page: PageRequest
) -> Page[GradeChangeView]:
    """Every change of score or grade, oldest first, with the records behind each."""
    await _visible(session, code, principal)
    query = select(GradeChange).where(GradeChange.credit_code == code)
    rows, cursor = await keyset_page(session, query, [GradeChange.id], page)
    return Page(
        items=[GradeChangeView.model_validate(r.GradeChange) for r in rows], next_cursor=cursor
    )


async def public_file(session: AsyncSession, code: str, policy: CreditPolicy) -> PublicCreditFile:
    """What anyone may see: the public records and a current listing, no risk grade."""
    enterprise = await session.get(Enterprise, code)
    if enterprise is None:
        raise EnterpriseNotFound(code)
    records = await session.scalars(
        select(CreditRecord)
        .where(CreditRecord.credit_code == code, CreditRecord.public.is_(True))
        .order_by(CreditRecord.effective_on, CreditRecord.id)
    )
    listing = await active_listing(session, code)
    return PublicCreditFile(
        credit_code=code,
        name=enterprise.name,
        listed=enterprise.listed,
        listing=_listing_view(listing, policy) if listing else None,
        records=[PublicRecord.model_validate(r) for r in records],
    )


async def repair_applications(
    session: AsyncSession, principal: Principal, page: PageRequest, status: str | None
) -> Page[RepairView]:
    """Repair applications of enterprises in the caller's regions, oldest first."""
    query = select(RepairApplication).join(
        Enterprise, Enterprise.credit_code == RepairApplication.credit_code
    )
    query = _in_callers_regions(query, principal)
    if status:
        query = query.where(RepairApplication.status == status)
    rows, cursor = await keyset_page(session, query, [RepairApplication.id], page)
    return Page(
        items=[RepairView.model_validate(r.RepairApplication) for r in rows], next_cursor=cursor
    )


def _in_callers_regions(query: Select, principal: Principal) -> Select:
    if principal.role is Role.ADMIN:
        return query
    return query.where(in_regions(Enterprise.region_code, principal.regions))


def _listing_view(listing: Listing, policy: CreditPolicy) -> ListingView:
    view = ListingView.model_validate(listing)
    if listing.delisted_on is None:
        view.joint_punishment = list(policy.listing.joint_punishment)
    return view


async def _visible(session: AsyncSession, code: str, principal: Principal) -> Enterprise:
    """The enterprise, if the caller may see its file: its regulators, itself, admins."""
    enterprise = await session.get(Enterprise, code)
    allowed = enterprise is not None and (
        principal.covers_region(enterprise.region_code)
        if principal.role is Role.REGULATOR
        else principal.can_act_for_enterprise(code)
    )
    if not allowed:
        raise EnterpriseNotFound(code)
    return enterprise
