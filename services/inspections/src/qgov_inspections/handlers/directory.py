"""The `inspections.directory` group: who makes what, and each enterprise's grade, from other
services' events. A declaration of standards (the standards service) places its enterprise
and lists the product's category until it is withdrawn; credit's grade changes are kept as
told, the latest winning (one enterprise's events arrive in order)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from qgov_inspections.handlers import Context
from qgov_inspections.models import CreditGrade, DeclaredProduct, KnownEnterprise
from qgov_inspections.sources import (
    DECLARATION_EVENTS,
    GRADE_CHANGED,
    WITHDRAWN,
    DeclarationView,
    GradeChangedView,
)
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import is_valid_credit_code, parse_credit_code


async def apply_directory_events(events: list[CloudEvent], uow: UnitOfWork, ctx: Context) -> None:
    """Apply a chunk of credit's and standards' events in order; other types are skipped."""
    for event in events:
        if event.type == GRADE_CHANGED:
            await _grade(GradeChangedView.model_validate(event.data), uow, ctx)
        elif event.type in DECLARATION_EVENTS and _code(event.subject):
            declared = DeclarationView.model_validate(event.data)
            code = parse_credit_code(event.subject).value
            await _declared(code, declared, event.type == WITHDRAWN, uow, ctx)


def _code(subject: str | None) -> bool:
    return subject is not None and is_valid_credit_code(subject)


async def _grade(changed: GradeChangedView, uow: UnitOfWork, ctx: Context) -> None:
    values = {"grade": changed.grade, "assessed_on": changed.assessed_on, "updated_at": ctx.now}
    await uow.session.execute(
        insert(CreditGrade)
        .values(credit_code=changed.credit_code, **values)
        .on_conflict_do_update(index_elements=["credit_code"], set_=values)
    )


async def _declared(
    code: str, declared: DeclarationView, withdrawn: bool, uow: UnitOfWork, ctx: Context
) -> None:
    enterprise = {
        "name": declared.enterprise_name,
        "region_code": declared.region_code,
        "updated_at": ctx.now,
    }
    await uow.session.execute(
        insert(KnownEnterprise)
        .values(credit_code=code, **enterprise)
        .on_conflict_do_update(index_elements=["credit_code"], set_=enterprise)
    )
    product = {"credit_code": code, "category": declared.category, "withdrawn": withdrawn}
    await uow.session.execute(
        insert(DeclaredProduct)
        .values(declaration_id=declared.declaration_id, **product)
        .on_conflict_do_update(index_elements=["declaration_id"], set_=product)
    )
