"""Flags: a published declaration left below the floor — a standard it cites withdrawn, or a
mandatory limit stricter than what it declares — is flagged at once, and the enterprise and the
regulators are told (`standard.flagged`). One flag per standard and indicator stays open until
a version no longer fails it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select, update

from qgov_shared.uow import UnitOfWork
from qgov_standards.events import StandardFlagged
from qgov_standards.facts import Facts
from qgov_standards.floor import Failure, FlagReason
from qgov_standards.handlers import Context
from qgov_standards.indicators import name_key
from qgov_standards.models import Declaration, Flag
from qgov_standards.queries import declarations as stored


def _key(flag: Flag) -> tuple[str, str, str | None]:
    return (flag.reason, flag.standard_number, flag.indicator_key)


async def raise_flags(found: Iterable[tuple[Facts, Failure]], uow: UnitOfWork, ctx: Context) -> int:
    """Flag each declaration for each failure not already flagged on it, and announce each new
    flag; how many were raised."""
    found = list(found)
    ids = sorted({facts.id for facts, _ in found})
    if not ids:
        return 0
    already = {
        (flag.declaration_id, _key(flag)) for flag in await stored.open_flags(uow.session, ids)
    }
    new: dict[tuple, tuple[Facts, Failure]] = {}
    for facts, failure in found:
        new.setdefault((facts.id, failure.key), (facts, failure))
    new = {key: item for key, item in new.items() if key not in already}
    if not new:
        return 0
    rows = [_row(facts, failure, ctx) for facts, failure in new.values()]
    result = await uow.session.execute(
        insert(Flag).returning(Flag.id, sort_by_parameter_order=True), rows
    )
    for flag_id, (facts, failure) in zip(result.scalars(), new.values(), strict=True):
        uow.publish(
            _announced(flag_id, facts, failure, ctx).event(subject=facts.credit_code, time=ctx.now)
        )
    await count_open(uow, ids)
    return len(rows)


async def reconcile_limits(
    standard: str,
    considered: Iterable[Facts],
    failing: Iterable[tuple[Facts, Failure]],
    uow: UnitOfWork,
    ctx: Context,
) -> int:
    """After a standard's limits changed: of the declarations `considered`, flag those its
    limits now fail and clear the flags of its limits they pass; how many were flagged."""
    failing = list(failing)
    holding = {(facts.id, failure.key) for facts, failure in failing}
    ids = [facts.id for facts in considered]
    for flag in await stored.open_flags(uow.session, ids):
        ours = flag.reason == FlagReason.BELOW_MANDATORY_LIMIT and flag.standard_number == standard
        if ours and (flag.declaration_id, _key(flag)) not in holding:
            flag.cleared_at = ctx.now
    await uow.session.flush()
    raised = await raise_flags(failing, uow, ctx)
    await count_open(uow, ids)
    return raised


async def clear_resolved(
    facts: Facts, failures: Iterable[Failure], uow: UnitOfWork, ctx: Context
) -> None:
    """Close the declaration's open flags that its new version no longer fails."""
    holding = {failure.key for failure in failures}
    for flag in await stored.open_flags(uow.session, [facts.id]):
        if _key(flag) not in holding:
            flag.cleared_at = ctx.now
    await uow.session.flush()
    await count_open(uow, [facts.id])


async def count_open(uow: UnitOfWork, declaration_ids: list[int]) -> None:
    still_open = (
        select(func.count())
        .where(Flag.declaration_id == Declaration.id, Flag.cleared_at.is_(None))
        .scalar_subquery()
    )
    await uow.session.execute(
        update(Declaration).where(Declaration.id.in_(declaration_ids)).values(open_flags=still_open)
    )


def _row(facts: Facts, failure: Failure, ctx: Context) -> dict:
    return {
        "declaration_id": facts.id,
        "declaration_version": facts.version,
        "reason": failure.reason.value,
        "standard_number": failure.standard,
        "indicator": failure.indicator,
        "indicator_key": failure.indicator and name_key(failure.indicator),
        "required": failure.required,
        "declared": failure.declared,
        "replaced_by": failure.replaced_by,
        "effective_on": failure.effective_on,
        "flagged_at": ctx.now,
    }


def _announced(flag_id: int, facts: Facts, failure: Failure, ctx: Context) -> StandardFlagged:
    return StandardFlagged(
        **facts.event_fields(),
        flag_id=flag_id,
        reason=failure.reason,
        standard_number=failure.standard,
        replaced_by=failure.replaced_by,
        indicator=failure.indicator,
        required=failure.required,
        declared=failure.declared,
        effective_on=failure.effective_on,
        flagged_on=ctx.today,
    )
