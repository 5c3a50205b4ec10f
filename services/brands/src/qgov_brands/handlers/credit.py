"""The `brands.credit` group: this service's view of each enterprise's credit standing, from
credit's events. A grade is kept as told; a listing suspends the holder's awards and a
delisting reinstates them; serious records are kept for the programmes' look-back."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert

from qgov_brands.credit_events import (
    DELISTED,
    GRADE_CHANGED,
    LISTED,
    RECORD_ADDED,
    DelistedView,
    GradeChangedView,
    ListedView,
    RecordAddedView,
)
from qgov_brands.handlers import Context
from qgov_brands.handlers.awards import reinstate_holder, suspend_holder
from qgov_brands.models import CreditFactRow, CreditStanding
from qgov_brands.policy import Policy
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork


async def apply_credit_events(events: list[CloudEvent], uow: UnitOfWork, ctx: Context) -> None:
    """Apply a chunk of credit's events in order; types this service does not read are
    skipped."""
    for event in events:
        if event.type == GRADE_CHANGED:
            changed = GradeChangedView.model_validate(event.data)
            await _standing(uow, changed.credit_code, event.time, grade=changed.grade)
            facts = [(r.record_id, r.kind, r.severity, r.effective_on) for r in changed.reasons]
            await _keep_facts(uow, ctx.policy, changed.credit_code, facts)
        elif event.type == LISTED:
            listed = ListedView.model_validate(event.data)
            await _standing(
                uow,
                listed.credit_code,
                event.time,
                listed=True,
                listed_on=listed.listed_on,
                listing_reason=listed.reason[:100],
            )
            await suspend_holder(listed.credit_code, listed.listed_on, uow, ctx)
        elif event.type == DELISTED:
            delisted = DelistedView.model_validate(event.data)
            await _standing(
                uow,
                delisted.credit_code,
                event.time,
                listed=False,
                listed_on=None,
                listing_reason=None,
            )
            await reinstate_holder(delisted.credit_code, delisted.delisted_on, uow, ctx)
        elif event.type == RECORD_ADDED:
            added = RecordAddedView.model_validate(event.data)
            facts = [(added.record_id, added.kind, added.severity, added.occurred_on)]
            await _keep_facts(uow, ctx.policy, added.credit_code, facts)


async def _standing(uow: UnitOfWork, credit_code: str, at: datetime, **values) -> None:
    """Change what the event says; a first event about the enterprise makes its row."""
    statement = insert(CreditStanding).values(
        **{"listed": False, **values}, credit_code=credit_code, updated_at=at
    )
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[CreditStanding.credit_code], set_={"updated_at": at, **values}
        )
    )


async def _keep_facts(
    uow: UnitOfWork, policy: Policy, credit_code: str, facts: Iterable[tuple]
) -> None:
    """Keep the records some exclusion looks back on (the others no programme asks about)."""
    rows = [
        {"credit_code": credit_code, "record_id": r, "kind": k, "severity": s, "occurred_on": d}
        for r, k, s, d in facts
        if any(exclusion.excludes(k, s) for exclusion in policy.exclusions.values())
    ]
    if rows:
        await uow.session.execute(insert(CreditFactRow).values(rows).on_conflict_do_nothing())
