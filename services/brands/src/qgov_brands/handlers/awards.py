"""Awards after the grant: a holder's listing suspends its awards at once and its delisting
reinstates them; a regulator of the holder's region revokes on the listing's confirmation or
on fraud found later. Each change is logged and announced."""

from __future__ import annotations

from datetime import date

from qgov_brands import queries
from qgov_brands.domain.awards import AwardStatus, Ground, check_revocable
from qgov_brands.events import AwardReinstated, AwardRevoked, AwardSuspended
from qgov_brands.handlers import Context
from qgov_brands.handlers.recording import about_award, announce, change_award
from qgov_brands.models import Application, Award
from qgov_brands.schemas import RevocationCreate
from qgov_shared.uow import UnitOfWork


async def revoke(award_id: int, body: RevocationCreate, uow: UnitOfWork, ctx: Context) -> Award:
    award = await queries.handled_award(uow.session, award_id, ctx.principal, for_update=True)
    ground = Ground(body.ground)
    check_revocable(AwardStatus(award.status), ground)
    change_award(award, AwardStatus.REVOKED, "revoked", body.reasons, uow, ctx)
    award.revoked_on, award.revocation_ground = ctx.today, ground
    application = await uow.session.get(Application, award.application_id)
    fact = AwardRevoked(
        **about_award(award, application, ctx),
        ground=ground,
        revoked_on=ctx.today,
        reasons=body.reasons,
    )
    announce(fact, uow, ctx)
    return award


async def suspend_holder(credit_code: str, listed_on: date, uow: UnitOfWork, ctx: Context) -> int:
    """Suspend every standing award of an enterprise just listed; how many."""
    awards = await queries.awards_of(uow.session, credit_code, AwardStatus.GRANTED)
    reasons = f"the holder was put on the serious-violation list on {listed_on}"
    for award, application in awards:
        change_award(award, AwardStatus.SUSPENDED, "suspended", reasons, uow, ctx)
        award.suspended_on = ctx.today
        fact = AwardSuspended(
            **about_award(award, application, ctx),
            reason="listed",
            listed_on=listed_on,
            suspended_on=ctx.today,
        )
        announce(fact, uow, ctx)
    return len(awards)


async def reinstate_holder(
    credit_code: str, delisted_on: date, uow: UnitOfWork, ctx: Context
) -> int:
    """Reinstate every suspended award of an enterprise just delisted; how many."""
    awards = await queries.awards_of(uow.session, credit_code, AwardStatus.SUSPENDED)
    reasons = f"the holder was taken off the serious-violation list on {delisted_on}"
    for award, application in awards:
        change_award(award, AwardStatus.GRANTED, "reinstated", reasons, uow, ctx)
        award.suspended_on = None
        fact = AwardReinstated(
            **about_award(award, application, ctx), reason="delisted", reinstated_on=ctx.today
        )
        announce(fact, uow, ctx)
    return len(awards)
