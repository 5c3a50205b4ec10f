"""The rosters a draw runs on: inspectors (执法检查人员名录库) and their declared conflicts,
the laboratories, and the regulators' list of enterprises by product (检查对象名录库)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from qgov_inspections.blinding import key_digest, laboratory_key
from qgov_inspections.handlers import Context
from qgov_inspections.models import Conflict, Inspector, KnownEnterprise, Laboratory, ListedProduct
from qgov_inspections.schemas.roster import (
    ConflictCreate,
    DirectoryImport,
    InspectorCreate,
    LaboratoryCreate,
)
from qgov_shared.errors import NotFound, RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code


class InspectorNotFound(NotFound):
    what = "inspector"


def _check_region(region_code: str, ctx: Context, field: str) -> None:
    if not ctx.principal.covers_region(region_code):
        raise RuleViolation("that region is not one of yours", field)


async def register_inspector(body: InspectorCreate, uow: UnitOfWork, ctx: Context) -> Inspector:
    _check_region(body.region_code, ctx, "region_code")
    taken = await uow.session.scalar(
        select(Inspector.id).where(Inspector.badge_number == body.badge_number)
    )
    if taken is not None:
        raise RuleViolation("an inspector with this badge number is registered already")
    row = Inspector(**body.model_dump(), registered_at=ctx.now)
    uow.session.add(row)
    await uow.session.flush()
    return row


async def inspector_of_mine(uow: UnitOfWork, inspector_id: int, ctx: Context) -> Inspector:
    row = await uow.session.get(Inspector, inspector_id)
    if row is None or not ctx.principal.covers_region(row.region_code):
        raise InspectorNotFound(str(inspector_id))
    return row


async def declare_conflict(
    inspector_id: int, body: ConflictCreate, uow: UnitOfWork, ctx: Context
) -> Conflict:
    """An inspector's declared interest in an enterprise (回避): it holds for every later draw."""
    await inspector_of_mine(uow, inspector_id, ctx)
    values = {"inspector_id": inspector_id, "credit_code": body.credit_code}
    await uow.session.execute(
        insert(Conflict)
        .values(**values, reason=body.reason, declared_at=ctx.now)
        .on_conflict_do_update(index_elements=list(values), set_={"reason": body.reason})
    )
    return await uow.session.get(Conflict, (inspector_id, body.credit_code), populate_existing=True)


async def register_laboratory(
    body: LaboratoryCreate, uow: UnitOfWork, ctx: Context
) -> tuple[Laboratory, str]:
    """A testing laboratory, and the key it will see its samples with (shown only now)."""
    key = laboratory_key()
    row = Laboratory(**body.model_dump(), key_digest=key_digest(key), registered_at=ctx.now)
    uow.session.add(row)
    await uow.session.flush()
    return row, key


async def import_directory(body: DirectoryImport, uow: UnitOfWork, ctx: Context) -> int:
    """List enterprises of the caller's regions for products of the catalogue."""
    for index, entry in enumerate(body.enterprises):
        where = f"enterprises.{index}"
        region = entry.region_code or parse_credit_code(entry.credit_code).region_code
        _check_region(region, ctx, f"{where}.region_code")
        if unknown := sorted(set(entry.categories) - ctx.policy.catalogue.keys()):
            raise RuleViolation(f"not in the catalogue: {unknown}", f"{where}.categories")
        enterprise = {"name": entry.name, "region_code": region, "updated_at": ctx.now}
        await uow.session.execute(
            insert(KnownEnterprise)
            .values(credit_code=entry.credit_code, **enterprise)
            .on_conflict_do_update(index_elements=["credit_code"], set_=enterprise)
        )
        listed = [
            {"credit_code": entry.credit_code, "category": category}
            for category in sorted(set(entry.categories))
        ]
        await uow.session.execute(
            insert(ListedProduct)
            .values([{**row, "listed_by": ctx.actor, "listed_at": ctx.now} for row in listed])
            .on_conflict_do_nothing()
        )
    return len(body.enterprises)
