"""Declaring: an enterprise publishes the standards a product executes (a new declaration), a
new version of them, or withdraws the declaration with its reason. Each version is kept; each
step is announced; a version that a day to come will leave below the floor is flagged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from qgov_shared.errors import RuleViolation
from qgov_shared.sql import FastInsert
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code
from qgov_standards.events import StandardDeclared, StandardRevised, StandardWithdrawn
from qgov_standards.facts import Facts, State
from qgov_standards.handlers import Context
from qgov_standards.handlers.checking import Checked, check_content
from qgov_standards.handlers.flagging import clear_resolved, raise_flags
from qgov_standards.models import Declaration, DeclarationVersion
from qgov_standards.queries import declarations as stored
from qgov_standards.schemas.declarations import (
    DeclarationContent,
    DeclarationCreate,
    DeclarationRevision,
    Withdrawal,
)
from qgov_standards.search import document_terms

NEXT_CHANGE = func.nextval("declaration_changes")
# Filing is the service's busiest write: its rows go to asyncpg directly (a new declaration
# takes its change number from the column's default).
_NEW_DECLARATION = FastInsert(Declaration.__table__, returning="id")
_NEW_VERSION = FastInsert(DeclarationVersion.__table__)


async def declare(
    body: DeclarationCreate, uow: UnitOfWork, ctx: Context
) -> tuple[Declaration, bool]:
    """Publish a new declaration for the calling enterprise: the declaration as stored, and
    whether it was flagged. Filing is a hot path: the rows are inserted as column values, and
    the declaration shown is made from them, not read back (its change number aside, which
    nothing shown needs)."""
    code = parse_credit_code(ctx.principal.credit_code or "").value
    checked = await check_content(body, uow, ctx)
    values = {
        "credit_code": code,
        "enterprise_name": body.enterprise_name,
        "region_code": parse_credit_code(code).region_code,
        "status": State.PUBLISHED.value,
        "version": 1,
        "published_at": ctx.now,
        "revised_at": ctx.now,
        "open_flags": 0,
        **_content(body, checked, body.enterprise_name, code),
    }
    declaration_id = await _NEW_DECLARATION.one(await uow.connection(), values)
    facts = Facts.of({**values, "id": declaration_id})
    await _keep_version(facts, body, checked, None, uow, ctx)
    announced = StandardDeclared(
        **facts.event_fields(), standards=_numbers(checked), declared_on=ctx.today
    )
    uow.publish(announced.event(subject=code, time=ctx.now))
    flagged = await raise_flags(((facts, failure) for failure in checked.ahead), uow, ctx)
    return Declaration(**values, id=declaration_id), bool(flagged)


async def revise(
    declaration_id: int, body: DeclarationRevision, uow: UnitOfWork, ctx: Context
) -> Declaration:
    """Publish the next version of the caller's declaration; the old versions stay."""
    row = await stored.owned(uow.session, declaration_id, ctx.principal.credit_code)
    if row.status != State.PUBLISHED:
        raise RuleViolation("a withdrawn declaration is not revised; declare anew")
    checked = await check_content(body, uow, ctx)
    for name, value in _content(body, checked, row.enterprise_name, row.credit_code).items():
        setattr(row, name, value)
    row.version += 1
    row.revised_at = ctx.now
    row.change_seq = NEXT_CHANGE
    await uow.session.flush()
    facts = Facts.of(row)
    await _keep_version(facts, body, checked, body.note, uow, ctx)
    announced = StandardRevised(
        **facts.event_fields(), standards=_numbers(checked), revised_on=ctx.today
    )
    uow.publish(announced.event(subject=row.credit_code, time=ctx.now))
    await clear_resolved(facts, checked.ahead, uow, ctx)
    await raise_flags(((facts, failure) for failure in checked.ahead), uow, ctx)
    return row


async def withdraw(
    declaration_id: int, body: Withdrawal, uow: UnitOfWork, ctx: Context
) -> Declaration:
    """Withdraw the caller's declaration: recorded with the reason, never deleted."""
    row = await stored.owned(uow.session, declaration_id, ctx.principal.credit_code)
    if row.status != State.PUBLISHED:
        raise RuleViolation("this declaration is withdrawn already")
    row.status = State.WITHDRAWN.value
    row.withdrawn_at = ctx.now
    row.withdrawal_reason = body.reason
    row.change_seq = NEXT_CHANGE
    await uow.session.flush()
    announced = StandardWithdrawn(
        **Facts.of(row).event_fields(), reason=body.reason, withdrawn_on=ctx.today
    )
    uow.publish(announced.event(subject=row.credit_code, time=ctx.now))
    return row


def _content(
    body: DeclarationContent, checked: Checked, enterprise_name: str, code: str
) -> dict[str, Any]:
    """The columns a version of the content sets, search terms included."""
    cited = [(s["number"], s["base"], s["title"]) for s in checked.standards]
    terms = document_terms(body.product_name, enterprise_name, code, cited)
    return {
        "product_name": body.product_name,
        "category": body.category,
        "standards": checked.standards,
        "indicators": checked.indicators,
        "standard_numbers": [s["number"] for s in checked.standards],
        "standard_bases": sorted({s["base"] for s in checked.standards}),
        "product_terms": terms.product,
        "enterprise_terms": terms.enterprise,
        "terms": terms.every,
    }


async def _keep_version(
    facts: Facts,
    body: DeclarationContent,
    checked: Checked,
    note: str | None,
    uow: UnitOfWork,
    ctx: Context,
) -> None:
    await _NEW_VERSION.one(
        await uow.connection(),
        {
            "declaration_id": facts.id,
            "version": facts.version,
            "product_name": body.product_name,
            "category": body.category,
            "standards": checked.standards,
            "indicators": checked.indicators,
            "note": note,
            "published_at": ctx.now,
        },
    )


def _numbers(checked: Checked) -> list[str]:
    return [standard["number"] for standard in checked.standards]
