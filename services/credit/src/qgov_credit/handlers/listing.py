"""The serious-violation list (严重违法失信名单): a new record may put its enterprise on it, and
an approved repair takes it off; both are announced, and the listing stays in the file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import asyncpg

from qgov_credit import domain
from qgov_credit.domain import Record
from qgov_credit.events import EnterpriseDelisted, EnterpriseListed
from qgov_credit.handlers import Context
from qgov_credit.handlers.assessments import File
from qgov_credit.models import Enterprise, Listing
from qgov_shared.sql import FastInsert
from qgov_shared.uow import UnitOfWork

_NEW_LISTING = FastInsert(Listing.__table__)
_LAST_DELISTINGS = """
SELECT credit_code, max(delisted_on) FROM listings
WHERE credit_code = ANY($1::varchar[]) AND delisted_on IS NOT NULL
GROUP BY credit_code
"""


async def list_if_called_for(
    file: File,
    new: Record,
    records: Sequence[Record],
    last_delisted_on: date | None,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    """List the enterprise if its `new` record calls for it. A repeat counts the file's
    `records` up to the new one, since the enterprise was last delisted."""
    if file.listed:
        return
    reason = domain.listing_reason(new, records, ctx.today, ctx.policy, last_delisted_on)
    if reason is None:
        return
    earliest = domain.earliest_delisting(new.effective_on, ctx.policy)
    await _NEW_LISTING.one(
        await uow.connection(),
        {
            "credit_code": file.credit_code,
            "listed_on": new.effective_on,
            "reason": reason,
            "trigger_record_id": new.id,
            "earliest_delisting_on": earliest,
            "delisted_on": None,
        },
    )
    file.listed = True
    listed = EnterpriseListed(
        credit_code=file.credit_code,
        region_code=file.region_code,
        listed_on=new.effective_on,
        reason=reason,
        earliest_delisting_on=earliest,
        joint_punishment=ctx.policy.listing.joint_punishment,
    )
    uow.publish(listed.event(subject=file.credit_code, time=ctx.now))


async def last_delistings(connection: asyncpg.Connection, codes: Sequence[str]) -> dict[str, date]:
    """When each of these enterprises last left the list, for those that ever did."""
    return dict(await connection.fetch(_LAST_DELISTINGS, list(codes)))


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
