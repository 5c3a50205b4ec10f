"""The catalogue of national standards, kept by regulators: a standard added (with the limits
of a mandatory one), its limits changed, or its withdrawal. A change that leaves published
declarations below the floor flags each of them at once (the policy's `withdrawn_citation` and
`mandatory_floor` rules)."""

from __future__ import annotations

from sqlalchemy import delete, insert

from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_standards import floor
from qgov_standards.documents import bounds_document, bounds_of, declared_of
from qgov_standards.facts import Facts
from qgov_standards.floor import FlagReason, Limit
from qgov_standards.handlers import Context
from qgov_standards.handlers.checking import check_category
from qgov_standards.handlers.flagging import raise_flags, reconcile_limits
from qgov_standards.models import CatalogueStandard, LimitIndicator
from qgov_standards.numbers import (
    InvalidStandardNumber,
    Kind,
    StandardNumber,
    parse_standard_number,
)
from qgov_standards.queries import catalogue as listed
from qgov_standards.queries import declarations as stored
from qgov_standards.schemas.catalogue import (
    CatalogueStandardCreate,
    LimitIn,
    LimitsChange,
    StandardWithdrawal,
)

StandardChanged = tuple[CatalogueStandard, int]
"""A standard as a change left it, and how many declarations the change flagged."""
NATIONAL = (Kind.MANDATORY_NATIONAL, Kind.RECOMMENDED_NATIONAL, Kind.GUIDANCE_NATIONAL)


async def add_standard(
    body: CatalogueStandardCreate, uow: UnitOfWork, ctx: Context
) -> StandardChanged:
    number = _number(body.number, ctx, "number")
    if number.kind not in NATIONAL:
        raise RuleViolation("the catalogue lists national standards: GB, GB/T or GB/Z", "number")
    if await listed.standard_by_number(uow.session, number.canonical) is not None:
        raise RuleViolation(f"{number} is in the catalogue already")
    if body.withdrawn_on is not None and body.withdrawn_on < body.effective_on:
        raise RuleViolation("a standard is withdrawn after it takes effect", "withdrawn_on")
    replaced_by = body.replaced_by and _number(body.replaced_by, ctx, "replaced_by").canonical
    row = CatalogueStandard(
        number=number.canonical,
        base=number.base,
        kind=number.kind.value,
        title=body.title,
        effective_on=body.effective_on,
        withdrawn_on=body.withdrawn_on,
        replaced_by=replaced_by,
        updated_at=ctx.now,
    )
    uow.session.add(row)
    await uow.session.flush()
    flagged = await _set_limits(row, number, body.limits, uow, ctx)
    if row.withdrawn_on is not None:
        flagged += await _flag_citing(row, uow, ctx)
    return row, flagged


async def change_limits(
    standard_id: int, body: LimitsChange, uow: UnitOfWork, ctx: Context
) -> StandardChanged:
    """Replace a mandatory standard's limits (a limit tightened, an indicator added)."""
    row = await listed.standard(uow.session, standard_id, for_update=True)
    number = _number(row.number, ctx, "number")
    before = await listed.limits_of(uow.session, row.id)
    await uow.session.execute(delete(LimitIndicator).where(LimitIndicator.standard_id == row.id))
    row.limits_version += 1
    row.updated_at = ctx.now
    earlier = {category for limit in before for category in limit.categories}
    return row, await _set_limits(row, number, body.limits, uow, ctx, also=frozenset(earlier))


async def withdraw_standard(
    standard_id: int, body: StandardWithdrawal, uow: UnitOfWork, ctx: Context
) -> StandardChanged:
    row = await listed.standard(uow.session, standard_id, for_update=True)
    if row.withdrawn_on is not None:
        raise RuleViolation(f"{row.number} is withdrawn already")
    if body.withdrawn_on < row.effective_on:
        raise RuleViolation("a standard is withdrawn after it takes effect", "withdrawn_on")
    row.withdrawn_on = body.withdrawn_on
    row.replaced_by = body.replaced_by and _number(body.replaced_by, ctx, "replaced_by").canonical
    row.updated_at = ctx.now
    await uow.session.flush()
    return row, await _flag_citing(row, uow, ctx)


def _number(text: str, ctx: Context, field: str) -> StandardNumber:
    try:
        return parse_standard_number(text, ctx.policy.industry_codes, year_required=True)
    except InvalidStandardNumber as error:
        raise RuleViolation(str(error), field) from error


async def _set_limits(
    row: CatalogueStandard,
    number: StandardNumber,
    given: list[LimitIn],
    uow: UnitOfWork,
    ctx: Context,
    also: frozenset[str] = frozenset(),
) -> int:
    """Store the limits, then flag what they leave below the floor (and clear what they no
    longer do, among the categories in `also`)."""
    if given and not number.mandatory:
        raise RuleViolation("only a mandatory standard sets limits", "limits")
    limits = []
    for index, limit in enumerate(given):
        for position, category in enumerate(limit.categories):
            check_category(category, ctx.policy, f"limits.{index}.categories.{position}")
        document = bounds_document(limit)
        try:
            bounds = bounds_of(document)
        except ValueError as error:
            raise RuleViolation(str(error), f"limits.{index}") from error
        limits.append(Limit(listed.entry_of(row), limit.name, bounds, frozenset(limit.categories)))
    if given:
        await uow.session.execute(
            insert(LimitIndicator),
            [
                {
                    "standard_id": row.id,
                    "name": limit.name,
                    "bounds": bounds_document(limit),
                    "categories": list(limit.categories),
                }
                for limit in given
            ],
        )
    categories = sorted({c for limit in limits for c in limit.categories} | also)
    if not categories:
        return 0
    rows = await stored.published_in(uow.session, categories)
    failing = [
        (Facts.of(declaration), failure)
        for declaration in rows
        for failure in floor.limits_failed(
            [declared_of(item) for item in declaration.indicators],
            declaration.category,
            limits,
            ctx.policy.units,
            ctx.today,
        )
    ]
    considered = [Facts.of(declaration) for declaration in rows]
    return await reconcile_limits(row.number, considered, failing, uow, ctx)


async def _flag_citing(row: CatalogueStandard, uow: UnitOfWork, ctx: Context) -> int:
    citing = await stored.citing(uow.session, row.number)
    failure = floor.Failure(
        FlagReason.STANDARD_WITHDRAWN, row.number, row.withdrawn_on, replaced_by=row.replaced_by
    )
    return await raise_flags(((Facts.of(d), failure) for d in citing), uow, ctx)
