"""The serious-violation list (严重违法失信名单): a new record may put its enterprise on it, and
an approved repair takes it off; both are announced, and the listing stays in the file."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from qgov_credit import domain
from qgov_credit.domain import Record
from qgov_credit.events import EnterpriseDelisted, EnterpriseListed
from qgov_credit.handlers import Context
from qgov_credit.models import CreditRecord, Enterprise, Listing
from qgov_shared.uow import UnitOfWork


async def list_if_called_for(
    enterprise: Enterprise,
    record: CreditRecord,
    records: list[Record],
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    """List the enterprise if its new `record`, among all its `records`, calls for it."""
    if enterprise.listed:
        return
    new = Record(record.id, record.kind, record.severity, record.effective_on)
    repeat = new.kind == ctx.policy.listing.repeated_kind  # only repeats look back
    last = await _last_delisted_on(record.credit_code, uow) if repeat else None
    reason = domain.listing_reason(new, records, ctx.today, ctx.policy, last)
    if reason is None:
        return
    earliest = domain.earliest_delisting(record.effective_on, ctx.policy)
    uow.session.add(
        Listing(
            credit_code=enterprise.credit_code,
            listed_on=record.effective_on,
            reason=reason,
            trigger_record_id=record.id,
            earliest_delisting_on=earliest,
        )
    )
    enterprise.listed = True
    listed = EnterpriseListed(
        credit_code=enterprise.credit_code,
        region_code=enterprise.region_code,
        listed_on=record.effective_on,
        reason=reason,
        earliest_delisting_on=earliest,
        joint_punishment=ctx.policy.listing.joint_punishment,
    )
    uow.publish(listed.event(subject=enterprise.credit_code, time=ctx.now))


async def delist(listing_id: int, enterprise: Enterprise, uow: UnitOfWork, ctx: Context) -> None:
    """End the listing on an approved repair; it stays in the file, no longer public."""
    listing = await uow.session.get(Listing, listing_id, with_for_update=True)
    listing.delisted_on = ctx.today
    enterprise.listed = False
    delisted = EnterpriseDelisted(
        credit_code=enterprise.credit_code,
        region_code=enterprise.region_code,
        listed_on=listing.listed_on,
        delisted_on=ctx.today,
        reason="repair_approved",
    )
    uow.publish(delisted.event(subject=enterprise.credit_code, time=ctx.now))


async def _last_delisted_on(code: str, uow: UnitOfWork) -> date | None:
    query = select(func.max(Listing.delisted_on)).where(Listing.credit_code == code)
    return await uow.session.scalar(query)
